"""The committed bundle equals a fresh build from the shared reference data."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO.parent / "shared" / "reference" / "hubspot-properties"
DATA = REPO / "specc" / "catalog" / "data"


def build_tool() -> ModuleType:
    path = REPO / "tools" / "build_catalog.py"
    spec = importlib.util.spec_from_file_location("build_catalog", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="../shared/reference is not present")
def test_bundle_matches_a_fresh_build() -> None:
    built = build_tool().build(REFERENCE)
    on_disk = {p.name: p.read_text("utf-8") for p in DATA.glob("properties-*.json")}
    assert sorted(on_disk) == sorted(built), "run tools/build_catalog.py"
    for name, text in built.items():
        assert on_disk[name] == text, f"{name} is stale: run tools/build_catalog.py"


def test_provenance_is_shipped() -> None:
    text = (DATA / "PROVENANCE.md").read_text("utf-8")
    for needed in ("hubspot-properties", "optionsComplete", "readOnlyOptions", "createdate"):
        assert needed in text
