"""The resolved spec: what a spec file means once loaded, rendered and checked for structure.

Object names are already resolved to object type ids here, paths to absolute paths, and
templates rendered. Every element keeps the JSON pointer of the spec node it came from, so any
later stage can point a diagnostic at the right line with `Spec.where(pointer)`.
"""

from __future__ import annotations

import builtins
import functools
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from specc.diagnostics import SpecLocation

DATE_FORMATS = ("MONTH_DAY_YEAR", "DAY_MONTH_YEAR", "YEAR_MONTH_DAY")
OPERATIONS = ("CREATE", "UPDATE", "UPSERT")
EVENT_TYPES = ("REGISTERED", "JOINED", "LEFT", "CANCELLED")
ASSOCIATION_CATEGORIES = ("HUBSPOT_DEFINED", "USER_DEFINED", "INTEGRATOR_DEFINED")


@dataclass(frozen=True)
class SourceMap:
    """JSON pointer -> (line, column) of every key and value in one spec file (1-based)."""

    file: str
    keys: dict[str, tuple[int, int]] = field(default_factory=dict)
    values: dict[str, tuple[int, int]] = field(default_factory=dict)

    def where(self, pointer: str, *, value: bool = False) -> SpecLocation:
        """The location of the node at `pointer` (its key; its value with value=True).

        Falls back to the nearest ancestor that has a position, and to 1:1 for the file.
        """
        probe = pointer
        while True:
            table = self.values if value else self.keys
            pos = table.get(probe) or self.keys.get(probe) or self.values.get(probe)
            if pos is not None:
                return SpecLocation(self.file, pos[0], pos[1], pointer)
            if not probe:
                return SpecLocation(self.file, 1, 1, pointer)
            probe = probe.rsplit("/", 1)[0]


@dataclass(frozen=True)
class Association:
    type_id: int
    category: str  # one of ASSOCIATION_CATEGORIES
    explicit: bool = False  # written by the user (not HubSpot's default for the pair)


@dataclass(frozen=True)
class Column:
    """One column of a data file, in header order."""

    name: str  # the header name, exactly as in the file
    pointer: str  # e.g. /files/0/columns/Email  or  /files/0/columns/3
    object_type_id: str | None  # the column's own object, else its file's (None: unresolved)
    property: str | None = None
    id: bool = False
    association_key: bool = False
    references: str | None = None  # object type id the common column points at
    association: Association | None = None  # with `references`
    label: str | None = None  # object type id at the other end of the labels
    association_keys: bool = False
    event: str | None = None  # one of EVENT_TYPES
    ignore: bool = False
    allow: frozenset[str] = frozenset()
    # Emit `columnType: STANDARD` on a plain property column, as HubSpot's marketing event
    # example does (omitting it means the same to HubSpot).
    standard: bool = False

    # `builtins.property`: the field `property` above shadows the builtin in this class body.
    @builtins.property
    def is_property(self) -> bool:
        """The column writes a property of its object (possibly also as an identifier)."""
        return (
            self.property is not None
            and not self.ignore
            and self.references is None
            and self.label is None
            and self.event is None
        )


def most_named(objects: list[str]) -> str | None:
    """The object named most often, the first named of them on a tie; None for none."""
    return Counter(objects).most_common(1)[0][0] if objects else None


@dataclass(frozen=True)
class DataFile:
    pointer: str  # /files/N
    path: Path  # absolute, links resolved
    shown_path: str  # as diagnostics show it: relative to the working directory when inside
    file_name: str  # base name, the request's fileName
    format: str  # "CSV" or "SPREADSHEET"
    object_type_id: str | None
    has_header: bool
    columns: tuple[Column, ...]
    # False only when neither `format:` nor a known extension told the format (SPC026): the
    # CSV then assumed is a guess. A request always tells it (fileFormat, CSV when absent).
    format_known: bool = True

    @functools.cached_property
    def row_object(self) -> str | None:
        """The object each row is about: the file's `object:`, else the object most of its
        columns name (the first of them on a tie; event columns aside, and ignored ones
        unless all are). In a file of several objects the others are the records each row
        associates with it. The request does not carry the file's object, so this is also
        what a spec rebuilt from it takes (`specc.from_request`)."""
        if self.object_type_id is not None:
            return self.object_type_id

        def named(ignored: bool) -> list[str]:
            return [
                c.object_type_id
                for c in self.columns
                if c.ignore == ignored and c.event is None and c.object_type_id is not None
            ]

        return most_named(named(ignored=False) or named(ignored=True))


@dataclass(frozen=True)
class Checks:
    rows: int | None = None  # None: all rows
    max_errors: int | None = None
    allow: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Spec:
    source: Path  # the spec file, absolute
    source_map: SourceMap
    name: str
    date_format: str = "MONTH_DAY_YEAR"
    operations: dict[str, str] | None = None  # object type id -> CREATE/UPDATE/UPSERT
    # Pointer of each operation's entry, for diagnostics (object type id -> pointer).
    operation_pointers: dict[str, str] = field(default_factory=dict)
    marketable: bool | None = None
    create_list: bool | None = None
    time_zone: str | None = None
    marketing_event: int | None = None
    catalog_path: Path | None = None
    aliases: dict[str, str] = field(default_factory=dict)  # alias -> object type id
    checks: Checks = field(default_factory=Checks)
    files: tuple[DataFile, ...] = ()
    # The real folders the spec's paths were confined to when it loaded (specc.inputs): the
    # files are opened again later (to be sent, planned, fixed) and must still lie inside.
    roots: tuple[Path, ...] = ()

    def where(self, pointer: str, *, value: bool = False) -> SpecLocation:
        return self.source_map.where(pointer, value=value)

    def operation(self, object_type_id: str) -> str:
        """The operation HubSpot will apply to an object (UPSERT when none is given)."""
        if self.operations is None:
            return "UPSERT"
        return self.operations.get(object_type_id, "UPSERT")

    def columns(self) -> list[tuple[DataFile, Column]]:
        return [(f, c) for f in self.files for c in f.columns]
