"""Build specc's bundled property catalog from the shared reference data.

    python tools/build_catalog.py [REFERENCE_DIR [EXTRA_DIR]]

REFERENCE_DIR defaults to ../shared/reference/hubspot-properties (relative to the repository
root). It holds one `GET /crm/v3/properties/{object}`-shaped JSON file per object, merged from
public sources; its README states the field meanings and the caveats this build respects.

EXTRA_DIR defaults to tools/reference-extra: the project's own additions, in the same shape and
with their sources (the shared reference is read-only). `<object>.json` there adds an object the
reference lacks (orders, carts, ...); `overlays/<object>.json` patches named properties of a
reference object (display hints, a default option list, a value format). specc/catalog/data/
PROVENANCE.md lists every source.

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
DEFAULT_EXTRA = REPO / "tools" / "reference-extra"
OVERLAYS = "overlays"
# Overlay keys whose lists add to the reference's instead of replacing them.
MERGED_LISTS = ("sources", "notes")


def options_editable(source: dict[str, Any]) -> bool | None:
    """Whether the account can change an enumeration's option list (None: not an enumeration).

    The rule, first match wins (PROVENANCE.md, "Option lists"):
    - an explicit `optionsEditable` of the source (an overlay that read the docs) wins;
    - a boolean, or a single checkbox, takes true/false only: fixed;
    - `modificationMetadata.readOnlyOptions: true`: HubSpot controls the list, fixed;
    - otherwise (`readOnlyOptions` false or unknown, or options held elsewhere: owners,
      pipelines, currencies) the account can change it. The reference README says the same:
      "If readOnlyOptions is false or missing, the account can change the option list".
    """
    if source["type"] not in ("enumeration", "bool"):
        return None
    explicit = source.get("optionsEditable")
    if isinstance(explicit, bool):
        return explicit
    if source["type"] == "bool" or source["fieldType"] == "booleancheckbox":
        return False
    meta = source.get("modificationMetadata") or {}
    return meta.get("readOnlyOptions") is not True


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
    editable = options_editable(source)
    if editable is not None:
        record["optionsEditable"] = editable
    # Only `true` is kept: false is every other number's default.
    if source.get("showCurrencySymbol") is True:
        record["showCurrencySymbol"] = True
    for key in ("referencedObjectType", "numberDisplayHint", "textDisplayHint", "valueFormat"):
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
    display = source.get("primaryDisplayProperty")
    return {
        "objectTypeId": source["objectTypeId"],
        "name": source["objectType"],
        # Copied for provenance and for the test that compares them with catalog.required;
        # the rules themselves live in specc/catalog/required.py (with the import KB's view).
        "referenceRequiredProperties": source.get("requiredProperties"),
        "primaryUniqueIdentifier": unique.get("property") if isinstance(unique, dict) else None,
        "primaryDisplayProperty": display.get("property") if isinstance(display, dict) else display,
        # False where the sources name only some default properties (the objects added in
        # reference-extra): an unknown property of such an object says little.
        "propertiesComplete": source.get("propertiesComplete") is not False,
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


def load_sources(reference: Path, extra: Path | None) -> list[dict[str, Any]]:
    """Every object's source: the reference's, the extra objects, overlays applied."""
    sources = [json.loads(p.read_text("utf-8")) for p in sorted(reference.glob("*.json"))]
    if extra is None:
        return sources
    known = {s["objectTypeId"] for s in sources}
    for path in sorted(extra.glob("*.json")):
        added = json.loads(path.read_text("utf-8"))
        if added["objectTypeId"] in known:
            raise ValueError(f"{path}: {added['objectType']} is already in the reference")
        known.add(added["objectTypeId"])
        sources.append(added)
    by_name = {s["objectType"]: s for s in sources}
    for path in sorted((extra / OVERLAYS).glob("*.json")):
        overlay = json.loads(path.read_text("utf-8"))
        target = by_name.get(overlay["objectType"])
        if target is None:
            raise ValueError(f"{path}: no object {overlay['objectType']!r} to patch")
        apply_overlay(target, overlay, path)
    return sources


def apply_overlay(target: dict[str, Any], overlay: dict[str, Any], path: Path) -> None:
    """Patch the named properties; a name the object lacks is an error, never a new property."""
    results = {p["name"]: i for i, p in enumerate(target["results"])}
    for name, patch in overlay["properties"].items():
        if name not in results:
            raise ValueError(f"{path}: {overlay['objectType']} has no property {name!r}")
        merged = dict(target["results"][results[name]])
        for key, value in patch.items():
            if key in MERGED_LISTS:
                merged[key] = list(dict.fromkeys([*(merged.get(key) or []), *value]))
            else:
                merged[key] = value
        target["results"][results[name]] = merged


def build(reference: Path, extra: Path | None = DEFAULT_EXTRA) -> dict[str, str]:
    """File name -> text of every file the bundle consists of."""
    files: dict[str, str] = {}
    index: dict[str, dict[str, Any]] = {}
    sources = load_sources(reference, extra)
    for source in sources:
        compact = compact_object(source)
        name = f"properties-{compact['name']}.json"
        files[name] = render(compact)
        index[compact["objectTypeId"]] = {
            "name": compact["name"],
            "file": name,
            "properties": len(compact["properties"]),
        }
    owners: dict[str, list[str]] = {}
    for source in sources:
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
                "tools/build_catalog.py from shared/reference/hubspot-properties and "
                "tools/reference-extra; see PROVENANCE.md.",
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
    extra = Path(argv[1]) if len(argv) > 1 else DEFAULT_EXTRA
    for folder in (reference, extra):
        if not folder.is_dir():
            print(f"build_catalog: no reference folder at {folder}", file=sys.stderr)
            return 2
    try:
        built = build(reference, extra)
    except ValueError as error:
        print(f"build_catalog: {error}", file=sys.stderr)
        return 1
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for old in stale_files(OUTPUT.glob("properties-*.json"), built):
        old.unlink()
    for name, text in built.items():
        (OUTPUT / name).write_text(text, "utf-8")
    total = sum(len(t.encode("utf-8")) for t in built.values())
    print(f"build_catalog: wrote {len(built)} files, {total:,} bytes, to {OUTPUT}")
    print(f"build_catalog: {summary(built)}")
    return 0


def summary(built: dict[str, str]) -> str:
    """The counts PROVENANCE.md quotes, so a rebuild shows when they change."""
    properties = [
        p
        for name, text in built.items()
        if name not in (INDEX_NAME, OWNERS_NAME)
        for p in json.loads(text)["properties"]
    ]
    hinted = sum(1 for p in properties if p.get("numberDisplayHint") or p.get("showCurrencySymbol"))
    owned = [p["optionsEditable"] for p in properties if "optionsEditable" in p]
    return (
        f"{len(properties)} properties, {hinted} with a display hint, {len(owned)} option "
        f"lists ({owned.count(False)} fixed, {owned.count(True)} editable)"
    )


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
