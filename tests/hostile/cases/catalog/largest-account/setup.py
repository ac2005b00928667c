"""catalog.json: every bundled object and 20 custom objects, each with 1,000 custom properties
besides HubSpot's own (a tenth of them dropdowns of 40 options), in the shape `specc catalog
pull` writes: about 41,000 properties, some 40 MB."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import specc

DATA = Path(specc.__file__).resolve().parent / "catalog" / "data"


def prop(name: str, index: int) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": name,
        "label": name.replace("_", " ").title(),
        "type": "string",
        "fieldType": "text",
        "description": f"Custom property number {index}, kept by the sales operations team",
        "groupName": "custom_fields",
        "options": [],
        "displayOrder": -1,
        "calculated": False,
        "externalOptions": False,
        "hasUniqueValue": False,
        "hidden": False,
        "formField": True,
        "createdAt": "2021-03-04T05:06:07.890Z",
        "updatedAt": "2024-05-06T07:08:09.123Z",
        "createdUserId": "1234567",
        "updatedUserId": "1234567",
        "modificationMetadata": {
            "archivable": True,
            "readOnlyDefinition": False,
            "readOnlyValue": False,
        },
    }
    if index % 10 == 0:
        entry.update(type="enumeration", fieldType="select")
        entry["options"] = [
            {
                "label": f"Choice {i}",
                "value": f"choice_{i}",
                "displayOrder": i,
                "hidden": False,
                "description": "",
            }
            for i in range(40)
        ]
    return entry


def standard(file: str) -> list[dict[str, Any]]:
    """A bundled object's properties in the API's shape."""
    compact = json.loads((DATA / file).read_text("utf-8"))
    found = []
    for p in compact["properties"]:
        full = {k: v for k, v in p.items() if k not in ("readOnlyValue", "readOnlyOptions")}
        full.setdefault("label", p["name"])
        full["modificationMetadata"] = {"readOnlyValue": bool(p.get("readOnlyValue"))}
        found.append(full)
    return found


def objects() -> Iterator[dict[str, Any]]:
    index = json.loads((DATA / "properties-index.json").read_text("utf-8"))["objects"]
    for oid, entry in index.items():
        custom = [prop(f"custom_{i}", i) for i in range(1000)]
        yield {
            "objectTypeId": oid,
            "name": entry["name"],
            "properties": standard(entry["file"]) + custom,
        }
    for n in range(20):
        custom = [prop(f"field_{i}", i) for i in range(1000)]
        yield {
            "objectTypeId": f"2-{1000 + n}",
            "name": f"custom_{n}",
            "properties": [prop("name", 1), *custom],
        }


def setup(work: Path) -> None:
    # Written object by object: the test process, whose memory a forked child starts with,
    # never holds the whole document.
    with (work / "catalog.json").open("w", encoding="utf-8") as fh:
        fh.write('{"catalog": 1, "portalId": 1234567, "pulledAt": "2026-12-01T00:00:00Z",\n')
        fh.write(' "objects": [\n')
        for i, entry in enumerate(objects()):
            fh.write((",\n" if i else "") + json.dumps(entry, ensure_ascii=False, indent=1))
        fh.write("\n ]\n}\n")
