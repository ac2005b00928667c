"""The committed bundle equals a fresh build from the shared reference data and the
project's own additions (tools/reference-extra)."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO.parent / "shared" / "reference" / "hubspot-properties"
EXTRA = REPO / "tools" / "reference-extra"
DATA = REPO / "specc" / "catalog" / "data"
needs_reference = pytest.mark.skipif(
    not REFERENCE.is_dir(), reason="../shared/reference is not present"
)


def build_tool() -> ModuleType:
    path = REPO / "tools" / "build_catalog.py"
    spec = importlib.util.spec_from_file_location("build_catalog", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@needs_reference
def test_bundle_matches_a_fresh_build() -> None:
    built = build_tool().build(REFERENCE, EXTRA)
    on_disk = {p.name: p.read_text("utf-8") for p in DATA.glob("properties-*.json")}
    assert sorted(on_disk) == sorted(built), "run tools/build_catalog.py"
    for name, text in built.items():
        assert on_disk[name] == text, f"{name} is stale: run tools/build_catalog.py"


def test_provenance_is_shipped() -> None:
    text = (DATA / "PROVENANCE.md").read_text("utf-8")
    for needed in (
        "hubspot-properties",
        "optionsComplete",
        "readOnlyOptions",
        "createdate",
        "reference-extra",
        "optionsEditable",
        "showCurrencySymbol",
        "valueFormat",
    ):
        assert needed in text


def test_every_extra_source_is_in_provenance() -> None:
    """Each source key an extra file cites is named in PROVENANCE.md."""
    text = (DATA / "PROVENANCE.md").read_text("utf-8")
    for path in sorted(EXTRA.rglob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        for source in data["source"]:
            assert f"`{source['key']}`" in text, f"{path.name}: {source['key']}"


def _extra_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "extra"
    shutil.copytree(EXTRA, copy)
    return copy


def _rewrite(path: Path, change: Any) -> None:
    data = json.loads(path.read_text("utf-8"))
    change(data)
    path.write_text(json.dumps(data), "utf-8")


@needs_reference
def test_an_overlay_cannot_invent_a_property(tmp_path: Path) -> None:
    extra = _extra_copy(tmp_path)
    _rewrite(
        extra / "overlays" / "deals.json",
        lambda d: d["properties"].update({"amount_typo": {"showCurrencySymbol": True}}),
    )
    with pytest.raises(ValueError, match="amount_typo"):
        build_tool().build(REFERENCE, extra)


@needs_reference
def test_an_extra_object_cannot_shadow_the_reference(tmp_path: Path) -> None:
    extra = _extra_copy(tmp_path)
    _rewrite(extra / "orders.json", lambda d: d.update({"objectTypeId": "0-3"}))
    with pytest.raises(ValueError, match="already in the reference"):
        build_tool().build(REFERENCE, extra)


@needs_reference
def test_overlay_lists_add_to_the_reference() -> None:
    """An overlay's sources and notes add to the property's; its other keys replace them."""
    tool = build_tool()
    sources = {s["objectType"]: s for s in tool.load_sources(REFERENCE, EXTRA)}
    stage = next(p for p in sources["contacts"]["results"] if p["name"] == "lifecyclestage")
    assert "writable-standard-2026-10" in stage["sources"]  # the reference's
    assert "hubspot-docs-using-object-apis" in stage["sources"]  # the overlay's
    assert stage["optionsComplete"] is True and stage["externalOptions"] is True
    assert len(stage["notes"]) == 3


def test_options_editable_rule() -> None:
    rule = build_tool().options_editable
    enum = {"type": "enumeration", "fieldType": "select"}
    assert rule({"type": "string", "fieldType": "text"}) is None
    assert rule({"type": "bool", "fieldType": "booleancheckbox"}) is False
    assert rule({"type": "enumeration", "fieldType": "booleancheckbox"}) is False
    assert rule({**enum, "modificationMetadata": {"readOnlyOptions": True}}) is False
    assert rule({**enum, "modificationMetadata": {"readOnlyOptions": False}}) is True
    assert rule(enum) is True  # unknown: the account may have changed it
    assert rule({**enum, "externalOptions": True}) is True
    assert rule({**enum, "optionsEditable": False}) is False
