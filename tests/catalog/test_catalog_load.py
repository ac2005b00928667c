"""load_catalog: the spec's snapshot, or the bundled catalog; cached per file version."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from specc.catalog.bundled import bundled_catalog
from specc.catalog.load import load_catalog
from specc.diagnostics import Severity
from specc.spec.model import SourceMap, Spec

CASES = Path(__file__).resolve().parent.parent / "cases" / "catalog"


def make_spec(folder: Path, catalog: str | None) -> Spec:
    source = folder / "import.yaml"
    source_map = SourceMap(
        file="import.yaml", keys={"/catalog": (3, 1)}, values={"/catalog": (3, 10)}
    )
    return Spec(
        source=source,
        source_map=source_map,
        name="test",
        catalog_path=None if catalog is None else folder / catalog,
    )


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_without_catalog_key_the_bundled_catalog(tmp_path: Path) -> None:
    catalog, found = load_catalog(make_spec(tmp_path, None))
    assert catalog is bundled_catalog() and found == []


def test_snapshot(tmp_path: Path) -> None:
    shutil.copy(CASES / "valid-custom-object" / "snapshot.json", tmp_path / "cat.json")
    catalog, found = load_catalog(make_spec(tmp_path, "cat.json"))
    assert found == []
    assert catalog.is_snapshot and catalog.source == "cat.json"
    assert catalog.object("2-1234567") is not None


def test_missing_snapshot_points_at_the_spec_and_falls_back(tmp_path: Path) -> None:
    catalog, found = load_catalog(make_spec(tmp_path, "nope.json"))
    assert catalog is bundled_catalog()
    assert [d.code for d in found] == ["SPC350"]
    d = found[0]
    assert d.severity is Severity.ERROR
    assert d.spec is not None
    assert (d.spec.file, d.spec.line, d.spec.column, d.spec.pointer) == (
        "import.yaml",
        3,
        10,
        "/catalog",
    )
    assert "nope.json" in d.message
    assert d.hint and "bundled catalog" in d.hint


def test_broken_snapshot_points_inside_it_and_falls_back(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    shutil.copy(CASES / "broken-json" / "snapshot.json", tmp_path / "sub" / "cat.json")
    catalog, found = load_catalog(make_spec(tmp_path, "sub/cat.json"))
    assert catalog is bundled_catalog()
    assert [d.code for d in found] == ["SPC352"]
    assert found[0].spec is not None
    assert (found[0].spec.file, found[0].spec.line) == (os.path.join("sub", "cat.json"), 5)


def test_snapshot_outside_the_working_directory_shows_its_full_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    _, found = load_catalog(make_spec(tmp_path, "missing.json"))
    assert str(tmp_path / "missing.json") in found[0].message


def test_second_load_is_cached_until_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "cat.json"
    shutil.copy(CASES / "duplicate-object" / "snapshot.json", path)
    spec = make_spec(tmp_path, "cat.json")
    first, found_first = load_catalog(spec)
    second, found_second = load_catalog(spec)
    assert first is second
    assert [d.code for d in found_first] == [d.code for d in found_second] == ["SPC355"]
    found_second.clear()  # callers may mutate what they got; the cache keeps its own
    assert [d.code for d in load_catalog(spec)[1]] == ["SPC355"]

    shutil.copy(CASES / "valid-minimal" / "snapshot.json", path)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    third, found_third = load_catalog(spec)
    assert third is not first and found_third == []
    assert third.property("0-1", "email") is not None
