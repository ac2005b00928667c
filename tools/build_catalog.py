"""Build specc's bundled property catalog from the shared reference data.

    python tools/build_catalog.py [REFERENCE_DIR]

REFERENCE_DIR defaults to ../shared/reference/hubspot-properties (relative to the repository
root). It holds one `GET /crm/v3/properties/{object}`-shaped JSON file per object, merged from
public sources; its README states the field meanings and the caveats this build respects.

The output, under specc/catalog/data/, is one compact `properties-<object>.json` per object
plus `properties-index.json` (object type id -> file) and `properties-owners.json` (property
name -> object type ids), so `specc lint` loads only the objects a
spec uses. Only the fields checks read are kept. The build is deterministic: the consistency
test in tests/catalog/ rebuilds in memory and compares with the committed files.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_REFERENCE = REPO.parent / "shared" / "reference" / "hubspot-properties"
OUTPUT = REPO / "specc" / "catalog" / "data"
INDEX_NAME = "properties-index.json"
# Property name -> object type ids that have it, for "belongs to another object" hints.
OWNERS_NAME = "properties-owners.json"

# README §6: "Read-only flags change over time and between objects ... treat them as warnings."
# createdate is recorded read-only on companies and contacts but writable on deals, line items
# and products (and the import tool sets it): the bundle says "unknown" rather than "read-only".
CONTESTED_READ_ONLY = frozenset({"createdate"})
# A note starting with this marks a property recorded writable although it is calculated.
CONFLICT_NOTE = "Conflict:"


def compact_property(source: dict[str, Any]) -> dict[str, Any]:
    """The fields checks need, with defaults (false, null, empty) left out."""
    meta = source.get("modificationMetadata") or {}
    read_only = meta.get("readOnlyValue")
    calculated = bool(source.get("calculated"))
    notes = source.get("notes") or []
    if any(str(note).startswith(CONFLICT_NOTE) for note in notes):
        # Sources disagree (writable list vs. calculated): neither a clean pass nor an error.
        read_only, calculated = None, False
    elif source["name"] in CONTESTED_READ_ONLY and read_only is True:
        read_only = None

    record: dict[str, Any] = {
        "name": source["name"],
        "type": source["type"],
        "fieldType": source["fieldType"],
    }
    if source.get("label"):
        record["label"] = source["label"]
    options = [compact_option(o) for o in source.get("options") or []]
    if options:
        record["options"] = options
    flags = {
        "optionsComplete": source.get("optionsComplete") is True,
        "externalOptions": source.get("externalOptions") is True,
        "hasUniqueValue": source.get("hasUniqueValue") is True,
        "calculated": calculated,
    }
    record.update({k: True for k, v in flags.items() if v})
    if read_only is not None:
        record["readOnlyValue"] = bool(read_only)
    if isinstance(meta.get("readOnlyOptions"), bool):
        record["readOnlyOptions"] = meta["readOnlyOptions"]
    for key in ("referencedObjectType", "numberDisplayHint", "textDisplayHint"):
        if source.get(key):
            record[key] = source[key]
    return record


def compact_option(option: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {"label": str(option.get("label") or ""), "value": str(option["value"])}
    if option.get("hidden") is True:
        found["hidden"] = True
    return found


def compact_object(source: dict[str, Any]) -> dict[str, Any]:
    properties = sorted(
        (compact_property(p) for p in source["results"]), key=lambda p: str(p["name"])
    )
    unique = source.get("primaryUniqueIdentifier")
    return {
        "objectTypeId": source["objectTypeId"],
        "name": source["objectType"],
        # Copied for provenance and for the test that compares them with catalog.required;
        # the rules themselves live in specc/catalog/required.py (with the import KB's view).
        "referenceRequiredProperties": source.get("requiredProperties"),
        "primaryUniqueIdentifier": unique.get("property") if isinstance(unique, dict) else None,
        "properties": properties,
    }


def render(data: dict[str, Any]) -> str:
    """Compact JSON with one property per line, so diffs of a rebuild stay readable."""
    head = {k: v for k, v in data.items() if k != "properties"}
    lines = [json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1] + ',"properties":[']
    rows = [json.dumps(p, ensure_ascii=False, separators=(",", ":")) for p in data["properties"]]
    lines.append(",\n".join(rows))
    lines.append("]}")
    return "\n".join(lines) + "\n"


def build(reference: Path) -> dict[str, str]:
    """File name -> text of every file the bundle consists of."""
    files: dict[str, str] = {}
    index: dict[str, dict[str, Any]] = {}
    for path in sorted(reference.glob("*.json")):
        source = json.loads(path.read_text("utf-8"))
        compact = compact_object(source)
        name = f"properties-{compact['name']}.json"
        files[name] = render(compact)
        index[compact["objectTypeId"]] = {
            "name": compact["name"],
            "file": name,
            "properties": len(compact["properties"]),
        }
    owners: dict[str, list[str]] = {}
    for path in sorted(reference.glob("*.json")):
        source = json.loads(path.read_text("utf-8"))
        for prop in source["results"]:
            owners.setdefault(prop["name"], []).append(source["objectTypeId"])
    files[OWNERS_NAME] = (
        json.dumps(
            {name: sorted(ids) for name, ids in sorted(owners.items())},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        + "\n"
    )
    ordered = dict(sorted(index.items(), key=lambda item: _id_key(item[0])))
    files[INDEX_NAME] = (
        json.dumps(
            {
                "about": "HubSpot's default properties per object, built by "
                "tools/build_catalog.py from shared/reference/hubspot-properties; "
                "see PROVENANCE.md.",
                "objects": ordered,
            },
            ensure_ascii=False,
            indent=1,
        )
        + "\n"
    )
    return files


def _id_key(object_type_id: str) -> tuple[int, ...]:
    return tuple(int(part) for part in object_type_id.split("-"))


def stale_files(existing: Iterable[Path], built: dict[str, str]) -> list[Path]:
    """Bundle files on disk that a fresh build no longer writes."""
    return [p for p in existing if p.name not in built]


def main(argv: list[str]) -> int:
    reference = Path(argv[0]) if argv else DEFAULT_REFERENCE
    if not reference.is_dir():
        print(f"build_catalog: no reference folder at {reference}", file=sys.stderr)
        return 2
    built = build(reference)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for old in stale_files(OUTPUT.glob("properties-*.json"), built):
        old.unlink()
    for name, text in built.items():
        (OUTPUT / name).write_text(text, "utf-8")
    total = sum(len(t.encode("utf-8")) for t in built.values())
    print(f"build_catalog: wrote {len(built)} files, {total:,} bytes, to {OUTPUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
