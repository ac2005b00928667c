"""Resolving a spec's paths: the catalog is confined like data files; a data file that is no
regular file (a FIFO, a folder) is refused before any later stage could wait on it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from specc.diagnostics import Diagnostic
from specc.pipeline import load_spec
from specc.run import Options
from specc.spec.model import Spec

FILES = (
    "files:\n  - path: leads.csv\n    object: contacts\n"
    "    columns:\n      Email: {property: email, id: true}\n"
)


def load(work: Path, body: str, **options: object) -> tuple[Spec | None, list[Diagnostic]]:
    (work / "spec.yaml").write_text("specc: 1\nname: Case\n" + body, encoding="utf-8")
    loaded = load_spec(Path("spec.yaml"), Options(cwd=work, environ={}, **options))  # type: ignore[arg-type]
    return loaded.spec, loaded.diagnostics


@pytest.fixture
def work(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "leads.csv").write_text("Email\na@b.co\n", encoding="utf-8")
    return folder


def outside_catalog(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    path = outside / "config.json"
    path.write_text('{"catalog": "CANARY", "objects": []}', encoding="utf-8")
    return path


def test_a_catalog_climbing_out_of_the_roots_is_refused(tmp_path: Path, work: Path) -> None:
    secret = outside_catalog(tmp_path)
    spec, [d] = load(work, "catalog: ../outside/config.json\n" + FILES)
    assert spec is None
    assert (d.code, d.spec.line, d.spec.column) == ("SPC110", 3, 10)  # type: ignore[union-attr]
    assert d.message == (
        f"the catalog '../outside/config.json' resolves to {secret}, outside the working "
        "directory, the spec's folder and every --data-root"
    )
    assert d.hint == f"run specc from a folder that contains it, or add --data-root {secret.parent}"
    # Allowed once its folder is a data root.
    spec, found = load(
        work, "catalog: ../outside/config.json\n" + FILES, data_roots=(secret.parent,)
    )
    assert found == [] and spec is not None and spec.catalog_path == secret


def test_a_catalog_linking_out_of_the_roots_is_refused(tmp_path: Path, work: Path) -> None:
    secret = outside_catalog(tmp_path)
    (work / "catalog.json").symlink_to(secret)
    spec, [d] = load(work, "catalog: catalog.json\n" + FILES)
    assert spec is None and d.code == "SPC110" and str(secret) in d.message


def test_a_catalog_linking_inside_the_roots_is_kept(work: Path) -> None:
    (work / "snapshots").mkdir()
    (work / "snapshots" / "acme.json").write_text("{}", encoding="utf-8")
    (work / "catalog.json").symlink_to(work / "snapshots" / "acme.json")
    spec, found = load(work, "catalog: catalog.json\n" + FILES)
    assert found == [] and spec is not None and spec.catalog_path == work / "catalog.json"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_data_file_that_is_a_fifo_is_refused(work: Path) -> None:
    (work / "leads.csv").unlink()
    os.mkfifo(work / "leads.csv")
    spec, [d] = load(work, FILES)
    assert spec is None
    assert (d.code, d.spec.line, d.spec.column) == ("SPC111", 4, 11)  # type: ignore[union-attr]
    assert d.message == "'leads.csv' is a FIFO (named pipe), not a regular file"
    assert d.hint == "name the data file itself: specc reads regular files only"


def test_a_data_file_that_is_a_folder_is_refused(work: Path) -> None:
    (work / "leads.csv").unlink()
    (work / "leads.csv").mkdir()
    spec, [d] = load(work, FILES)
    assert spec is None and d.code == "SPC111"
    assert d.message == "'leads.csv' is a folder, not a regular file"


def test_a_missing_data_file_is_left_to_the_header_check(work: Path) -> None:
    (work / "leads.csv").unlink()
    spec, found = load(work, FILES)
    assert found == [] and spec is not None  # SPC300 comes from the header check
