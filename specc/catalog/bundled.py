"""The bundled catalog: HubSpot's default properties of the standard objects (package data).

Built by tools/build_catalog.py; see data/PROVENANCE.md for the sources and their caveats.
Objects load lazily, one small JSON file each, so `specc lint` of a contacts spec reads the
contacts file and nothing else. Objects the bundle does not hold (leads, custom objects, ...)
are absent: `catalog.object(id)` is None and checks say they cannot confirm. Objects it holds
only in part (orders, carts, appointments, ...) have `properties_complete` False.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from specc.catalog.model import Catalog, ObjectType, Option, Property
from specc.catalog.required import alternate_ids, documented_rule

if TYPE_CHECKING:
    from _collections_abc import dict_items, dict_keys, dict_values

INDEX_NAME = "properties-index.json"
OWNERS_NAME = "properties-owners.json"

# Package data beside this module: read directly, which costs `specc lint` less to start
# than importlib.resources (wheels install it as plain files).
DATA = Path(__file__).resolve().parent / "data"


def _read(name: str) -> Any:
    return json.loads((DATA / name).read_bytes())


@cache
def bundled_index() -> dict[str, dict[str, Any]]:
    """Object type id -> {name, file, properties (count)} of every object in the bundle."""
    index: dict[str, dict[str, Any]] = _read(INDEX_NAME)["objects"]
    return index


def bundled_property(record: dict[str, Any]) -> Property:
    """A property of the bundle. Its caveats (reference README §6) decide the flags:

    - an unknown read-only flag stays None (checks warn rather than fail);
    - options are complete, i.e. an unknown value is an error, only when the source gave the
      full list and the account cannot change it (`readOnlyOptions: true`); a full default
      list an account may extend is `options_listed_complete` (a warning at most). Options
      held elsewhere (owners, pipelines) are never listed complete, unless the bundle lists
      HubSpot's whole default list all the same (`lifecyclestage`).
    """
    external = bool(record.get("externalOptions"))
    options = tuple(
        Option(o["label"], o["value"], o.get("hidden", False)) for o in record.get("options", ())
    )
    listed = bool(record.get("optionsComplete")) and (not external or bool(options))
    read_only_options = record.get("readOnlyOptions")
    return Property(
        name=record["name"],
        type=record["type"],
        field_type=record["fieldType"],
        label=record.get("label"),
        options=options,
        options_complete=listed and read_only_options is True and not external,
        external_options=external,
        referenced_object_type=record.get("referencedObjectType"),
        has_unique_value=bool(record.get("hasUniqueValue")),
        read_only=record.get("readOnlyValue"),
        calculated=bool(record.get("calculated")),
        number_display_hint=record.get("numberDisplayHint"),
        text_display_hint=record.get("textDisplayHint"),
        raw=record,
        read_only_options=read_only_options,
        options_listed_complete=listed,
        options_editable=record.get("optionsEditable"),
        show_currency_symbol=bool(record.get("showCurrencySymbol")),
        value_format=record.get("valueFormat"),
    )


def load_bundled_object(object_type_id: str) -> ObjectType | None:
    """One object of the bundle, read from its file; None when the bundle lacks it."""
    entry = bundled_index().get(object_type_id)
    if entry is None:
        return None
    data = _read(entry["file"])
    return ObjectType(
        object_type_id=object_type_id,
        name=data["name"],
        properties={r["name"]: bundled_property(r) for r in data["properties"]},
        required=documented_rule(object_type_id),
        alternate_ids=alternate_ids(object_type_id),
        primary_display_property=data.get("primaryDisplayProperty"),
        properties_complete=data.get("propertiesComplete", True) is not False,
    )


class LazyObjects(dict[str, ObjectType]):
    """A dict of the bundle's objects that reads each object's file on first access.

    Single lookups (`[id]`, `get`, `in`) load one object; anything that walks the whole
    mapping (iteration, len, items, comparison) loads the rest first, so the dict behaves
    exactly like a fully loaded one.
    """

    def __init__(self, known: dict[str, dict[str, Any]]) -> None:
        super().__init__()
        self._pending = set(known)

    def _load(self, key: object) -> bool:
        if isinstance(key, str) and key in self._pending:
            self._pending.discard(key)
            found = load_bundled_object(key)
            if found is not None:
                super().__setitem__(key, found)
            return True
        return False

    def _load_all(self) -> None:
        for key in sorted(self._pending):
            self._load(key)

    def __missing__(self, key: str) -> ObjectType:
        if self._load(key):
            return super().__getitem__(key)
        raise KeyError(key)

    def get(self, key: str, default: Any = None) -> Any:
        self._load(key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self._load(key)
        return super().__contains__(key)

    def __iter__(self) -> Iterator[str]:
        self._load_all()
        return super().__iter__()

    def __len__(self) -> int:
        self._load_all()
        return super().__len__()

    def keys(self) -> dict_keys[str, ObjectType]:
        self._load_all()
        return super().keys()

    def values(self) -> dict_values[str, ObjectType]:
        self._load_all()
        return super().values()

    def items(self) -> dict_items[str, ObjectType]:
        self._load_all()
        return super().items()

    def copy(self) -> dict[str, ObjectType]:
        self._load_all()
        return dict(super().items())

    def __or__(self, other: dict[str, ObjectType]) -> dict[str, ObjectType]:  # type: ignore[override]
        return self.copy() | other

    def __reversed__(self) -> Iterator[str]:
        self._load_all()
        return super().__reversed__()

    def __eq__(self, other: object) -> bool:
        self._load_all()
        return super().__eq__(other)

    __hash__ = None

    def __repr__(self) -> str:
        return f"LazyObjects(loaded={sorted(super().keys())}, pending={sorted(self._pending)})"


@cache
def _owners() -> dict[str, list[str]]:
    owners: dict[str, list[str]] = _read(OWNERS_NAME)
    return owners


def bundled_owners(name: str) -> list[str]:
    """Object type ids of the bundle that have a property of this name (sorted as strings)."""
    return list(_owners().get(name, ()))


@cache
def bundled_catalog() -> Catalog:
    """The catalog of HubSpot's default properties (shared, loaded object by object)."""
    return Catalog(
        objects=LazyObjects(bundled_index()),
        is_snapshot=False,
        source="bundled",
        property_owners=bundled_owners,
    )
