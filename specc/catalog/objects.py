"""HubSpot's object types: names, ids and default association types (package data)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

CUSTOM_OBJECT_ID = re.compile(r"^2-\d+$")
OBJECT_TYPE_ID = re.compile(r"^[02]-\d+$")

# Package data beside this module: read directly, which costs `specc lint` less to start
# than importlib.resources (wheels install it as plain files).
DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class ObjectInfo:
    object_type_id: str
    name: str  # plural API name, e.g. "contacts"
    singular: str
    label: str
    activity: bool
    legacy_name: str | None = None  # PublicImportError.objectType, e.g. "CONTACT"


def _load(name: str) -> Any:
    return json.loads((DATA / name).read_bytes())


@cache
def standard_objects() -> dict[str, ObjectInfo]:
    """Object type id -> info, for every standard object HubSpot documents."""
    return {
        o["objectTypeId"]: ObjectInfo(
            o["objectTypeId"],
            o["name"],
            o["singular"],
            o["label"],
            o["activity"],
            o.get("legacyName"),
        )
        for o in _load("objects.json")["objects"]
    }


@cache
def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for info in standard_objects().values():
        for n in (info.name, info.singular, info.legacy_name):
            if n:
                names[n.lower()] = info.object_type_id
    return names


def object_names() -> list[str]:
    """Every name an object may be given by (for "did you mean" hints)."""
    return sorted(n for n in _names() if not n.isupper())


def resolve_object(name: str, aliases: dict[str, str] | None = None) -> str | None:
    """Object type id for a plural, singular, id or alias; None when nothing matches."""
    text = str(name).strip()
    if aliases and text in aliases:
        return aliases[text]
    if OBJECT_TYPE_ID.match(text):
        return text
    return _names().get(text.lower())


def object_label(object_type_id: str) -> str:
    """A readable name for messages: "contacts (0-1)", or the bare id for custom objects."""
    info = standard_objects().get(object_type_id)
    return f"{info.name} ({object_type_id})" if info else object_type_id


@cache
def _association_types() -> dict[str, Any]:
    data: dict[str, Any] = _load("association_types.json")
    return data


def default_association_type(from_id: str, to_id: str) -> int | None:
    """HubSpot's unlabeled HUBSPOT_DEFINED association type from one object to another."""
    found = _association_types()["unlabeled"].get(f"{from_id}>{to_id}")
    return int(found) if found is not None else None


def known_association_types(from_id: str, to_id: str) -> set[int]:
    """Every HUBSPOT_DEFINED type id documented for the pair (unlabeled, primary, labeled)."""
    key = f"{from_id}>{to_id}"
    data = _association_types()
    found = set()
    if key in data["unlabeled"]:
        found.add(int(data["unlabeled"][key]))
    if key in data["primary"]:
        found.add(int(data["primary"][key]))
    found.update(int(v) for v in data["labeled"].get(key, {}).values())
    return found
