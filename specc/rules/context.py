"""What every mapping rule looks things up in: the spec, the catalog, and a few derived views.

The rules are small functions `rule(ctx) -> Iterator[Diagnostic]`; whatever several of them
need to know about the spec (which columns write which object, where a key sits in the spec
file) is computed here once.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from specc.catalog.model import Catalog, ObjectType
from specc.catalog.objects import object_label, standard_objects
from specc.diagnostics import SpecLocation
from specc.spec.model import Column, DataFile, Spec

RECORD_ID = "hs_object_id"
MARKETING_EVENTS = "0-54"
CONTACTS = "0-1"


def writes(column: Column) -> bool:
    """The column writes (or identifies by) a property of the row's own record.

    An `association_keys` column also names a property, but of the *associated* record, so it
    counts for neither required properties nor the row's identifiers.
    """
    return column.is_property and not column.association_keys and column.object_type_id is not None


def event_object(column: Column) -> str | None:
    """Event columns belong to marketing events whatever their file's object."""
    return MARKETING_EVENTS if column.event is not None else column.object_type_id


def label(object_type_id: str) -> str:
    return object_label(object_type_id)


def object_name(object_type_id: str) -> str:
    """How a spec names the object: its plural API name, or the id for custom objects."""
    info = standard_objects().get(object_type_id)
    return info.name if info else object_type_id


def prose(values: Iterable[str], conjunction: str = "and") -> str:
    """a, b and c — for messages."""
    items = list(values)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def names(values: Iterable[str], conjunction: str = "and") -> str:
    """'a', 'b' and 'c' — for messages."""
    return prose((f"'{v}'" for v in values), conjunction)


class Context:
    # A plain class, not a dataclass: `specc lint` pays for every class it builds at import.
    def __init__(self, spec: Spec, catalog: Catalog) -> None:
        self.spec = spec
        self.catalog = catalog

    def at(self, pointer: str, key: str | None = None, *, value: bool = False) -> SpecLocation:
        """Where a node sits in the spec: `pointer/key` when the loader recorded that key.

        A column written as a plain string (`Email: email`) has no `/property` key; its value
        is then the property, so a property diagnostic points at the value.
        """
        if key is not None:
            sub = f"{pointer}/{key}"
            source = self.spec.source_map
            if sub in source.keys or sub in source.values:
                return self.spec.where(sub, value=value)
            return self.spec.where(pointer, value=True)
        return self.spec.where(pointer, value=value)

    def operation_at(self, object_type_id: str) -> SpecLocation:
        pointer = self.spec.operation_pointers.get(object_type_id)
        if pointer is not None:
            return self.spec.where(pointer)
        return self.spec.where("/operations" if self.spec.operations is not None else "")

    def object(self, object_type_id: str) -> ObjectType | None:
        return self.catalog.object(object_type_id)

    @cached_property
    def writing_columns(self) -> dict[str, list[tuple[DataFile, Column]]]:
        """Object type id -> the columns, over all files, that write its records' properties."""
        found: dict[str, list[tuple[DataFile, Column]]] = {}
        for file, column in self.spec.columns():
            if writes(column):
                assert column.object_type_id is not None
                found.setdefault(column.object_type_id, []).append((file, column))
        return found

    @cached_property
    def used_objects(self) -> set[str]:
        """Every object some column of the import belongs to."""
        used = set()
        for _, column in self.spec.columns():
            obj = event_object(column)
            if obj is not None and not column.ignore:
                used.add(obj)
        return used

    def file_objects(self, file: DataFile) -> set[str]:
        """Objects whose records a row of this file holds (or points at, via `references`)."""
        held = set()
        for column in file.columns:
            if column.ignore or column.event is not None:
                continue
            if column.object_type_id is not None and (writes(column) or column.references):
                held.add(column.object_type_id)
            if column.references is not None:
                held.add(column.references)
        return held

    def identifiers(self, object_type_id: str) -> list[str] | None:
        """Properties that identify the object's records, likeliest first (record id, then
        email/domain/SKU, then unique properties); None when the catalog cannot say."""
        obj = self.object(object_type_id)
        if obj is None:
            return None
        found = obj.identifiers()
        first = [RECORD_ID, *(p for p in obj.alternate_ids if p in found)]
        return [*dict.fromkeys(first), *sorted(found - set(first))]

    def is_identifier(self, object_type_id: str, prop: str) -> bool | None:
        """True/False when the catalog knows; None when it cannot tell.

        The record id always identifies. A property the catalog lacks may be a custom unique
        one: unknown with the bundled catalog, but known-absent in a snapshot (SPC200 then
        reports it; here it simply is not an identifier).
        """
        if prop == RECORD_ID:
            return True
        obj = self.object(object_type_id)
        if obj is None:
            return None
        if prop in obj.identifiers():
            return True
        if prop not in obj.properties and not self.catalog.is_snapshot:
            return None
        return False
