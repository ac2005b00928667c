"""snapshot_document and write_snapshot, as `specc catalog pull` uses them."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from specc.catalog.snapshot import (
    SnapshotWriteError,
    load_snapshot,
    snapshot_document,
    write_snapshot,
)

OBJECTS: list[dict[str, Any]] = [
    {
        "objectTypeId": "2-77",
        "name": "pets",
        "requiredProperties": ["pet_name"],
        "properties": [
            {"name": "pet_name", "label": "Pet", "type": "string", "fieldType": "text"},
        ],
    },
    {
        "objectTypeId": "0-1",
        "name": "contacts",
        "properties": [
            {"name": "lastname", "label": "Last Name", "type": "string", "fieldType": "text"},
            {
                "name": "email",
                "label": "Email",
                "type": "string",
                "fieldType": "text",
                "modificationMetadata": {
                    "readOnlyValue": False,
                    "archivable": True,
                    "readOnlyDefinition": True,
                },
            },
        ],
    },
    {"objectTypeId": "0-14", "name": "quotes", "properties": []},
]


def test_document_is_ordered_for_stable_diffs() -> None:
    doc = snapshot_document(OBJECTS, 12345678, datetime(2026, 11, 29, 10, 0, tzinfo=UTC))
    assert doc["catalog"] == 2 and doc["portalId"] == 12345678
    assert "owners" not in doc  # not pulled: not known
    assert doc["pulledAt"] == "2026-11-29T10:00:00Z"
    assert [o["objectTypeId"] for o in doc["objects"]] == ["0-1", "0-14", "2-77"]
    assert [p["name"] for p in doc["objects"][0]["properties"]] == ["email", "lastname"]
    assert OBJECTS[1]["properties"][0]["name"] == "lastname"  # the input is not changed


def test_pulled_at_is_utc() -> None:
    berlin = timezone(timedelta(hours=1))
    doc = snapshot_document([], None, datetime(2026, 11, 29, 11, 0, tzinfo=berlin))
    assert doc["pulledAt"] == "2026-11-29T10:00:00Z"
    assert snapshot_document([], None, "2026-01-01T00:00:00Z")["pulledAt"] == "2026-01-01T00:00:00Z"


def test_written_snapshot_loads_back(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    write_snapshot(snapshot_document(OBJECTS, 1, "2026-11-29T10:00:00Z"), path)
    catalog, found = load_snapshot(path, "catalog.json")
    assert found == [] and catalog is not None
    assert catalog.property("0-1", "email").read_only is False  # type: ignore[union-attr]
    assert catalog.object("2-77").required.all_of == ("pet_name",)  # type: ignore[union-attr]
    assert json.loads(path.read_text("utf-8"))["objects"][0]["name"] == "contacts"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog.json"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_invalid_document_is_refused_and_the_old_file_kept(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text("old", "utf-8")
    bad = snapshot_document(
        [{"objectTypeId": "0-1", "name": "contacts", "properties": [{"name": "email"}]}], 1
    )
    with pytest.raises(SnapshotWriteError) as caught:
        write_snapshot(bad, path)
    assert "/objects/0/properties/0" in caught.value.message
    assert path.read_text("utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog.json"]


def test_unwritable_place_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SnapshotWriteError) as caught:
        write_snapshot(snapshot_document([], 1), tmp_path / "no" / "such" / "catalog.json")
    assert "cannot write catalog snapshot" in caught.value.message
    assert caught.value.hint


def test_replacing_keeps_the_files_mode(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text("{}", "utf-8")
    path.chmod(0o600)
    write_snapshot(snapshot_document([], 1), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text("utf-8"))["catalog"] == 2
