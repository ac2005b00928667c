"""`specc plan`: what an import would do to the account's records, asked of the account first.

HubSpot says only after an import which rows created or updated a record, and which failed
because their record already existed (CREATE_ONLY_IMPORT), did not (UPDATE_ONLY_IMPORT), an
association target was missing or a unique value was taken. Like `terraform plan`, specc reads
the account's records first:

    layouts    -> per data file, for each object its columns: those that find its records (in
                  HubSpot's order), those holding unique values, those naming association
                  targets (the spec's columns and the catalog's identifiers)
    RowJudge   -> one row's outcome against `find(key, value)`: the records it writes (created
                  or updated) or the reasons it fails, each a diagnostic at the row's line
    plan_spec  -> every row of every file (or a sample): the values to look up, each distinct
                  value once; the lookups; each row judged; per file create / update / fail

`AccountLookup` reads the account with the CRM objects API's batch read
(`POST /crm/v3/objects/{objectType}/batch/read`, 100 values a call, by record id or with
`idProperty`) under HubSpot's burst limit. The sandbox judges its own imports with the same
RowJudge against the records its imports wrote (specc.sandbox.records), so `plan`, then
`import`, then `plan` again tell one story.

How a row is judged, object by object (an object is in a row when one of its cells is filled):

- its record is found by the first filled identifier, in the order HubSpot matches: the record
  id (`hs_object_id`), then columns marked `id: true`, then email (contacts), domain
  (companies) or SKU (products), which HubSpot matches by whatever the column type;
- CREATE and the record exists: CREATE_ONLY_IMPORT; UPDATE and it does not (or the row names
  none): UPDATE_ONLY_IMPORT; a record id that names no record: INVALID_OBJECT_ID for the file's
  own object, UNKNOWN_ASSOCIATION_RECORD_ID for another object's (an association target);
- a unique value (a `hasUniqueValue` property, a contact's email) that another record holds:
  DUPLICATE_UNIQUE_PROPERTY_VALUE;
- a two-file import's common column: its value must be in the file that owns the column or in
  the account, else UNKNOWN_ASSOCIATION_RECORD_ID (with no owning file the values are record
  ids of the referenced object). An association label's target is the row's record of the
  other object, judged as above.

A row that fails writes nothing (as the sandbox counts it). `create` and `update` count
records, as the import's CREATED_OBJECTS and UPDATED_OBJECTS do; `fail` counts rows. Rows are
not checked cell by cell here: `specc check` does that, and `specc import` runs it first.

Nothing here prints: lookups report progress through a callback.
"""

from __future__ import annotations

import random
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from specc.codes import plan as codes
from specc.diagnostics import DataLocation, Diagnostic, Result, shorten
from specc.findings import Allowed, ErrorCounts

if TYPE_CHECKING:
    from specc.catalog.model import Catalog
    from specc.hubspot.client import HubSpotClient
    from specc.hubspot.connection import Connection
    from specc.spec.model import Column, DataFile, Spec

RECORD_ID = "hs_object_id"
# HubSpot's batch read takes at most 100 inputs a call.
BATCH_SIZE = 100
# ... and the values of one call are kept far under any server's body bound (a unique text
# property may hold 65,536 characters; a hundred of those would be 6 MB).
BATCH_BYTES = 256 << 10
# The smallest burst limit HubSpot gives private apps (Free and Starter accounts: 100 requests
# per 10 seconds); the X-HubSpot-RateLimit-* headers of its answers raise or lower it.
BURST_REQUESTS = 100
BURST_SECONDS = 10.0
# HubSpot's windows are 10 s (the burst) and a day (which its headers name apart); a window a
# server claims longer than this is not waited for whole: the client's retries take over.
MAX_WINDOW_SECONDS = 60.0
DEFAULT_MAX_SHOWN = 1000  # diagnostics shown per file, as `check` shows
# HubSpot compares these in lower case (it stores them so).
CASELESS = frozenset({"email", "domain"})
# Contacts' email is unique in the account even when another property finds the records
# (HubSpot's KB: "the Email property will still require unique values").
UNIQUE_ALWAYS = {"0-1": frozenset({"email"})}

# Called as progress(values looked up, values to look up).
LookupProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class Key:
    """What a lookup goes by: an object and the property whose values name its records."""

    object_type_id: str
    property: str


def normalize(prop: str, value: str) -> str | None:
    """A cell as HubSpot compares it with the account's values; None: no value to look up.

    A record id is ASCII digits (anything else is INVALID_OBJECT_ID, which `check` reports).
    """
    text = value.strip()
    if not text:
        return None
    if prop == RECORD_ID:
        return text if text.isascii() and text.isdigit() and len(text) <= 19 else None
    return text.lower() if prop in CASELESS else text


class Lookup(Protocol):
    """Reads records by the values of one property: the account, or the sandbox's store."""

    def read(self, key: Key, values: Sequence[str]) -> Mapping[str, str]:
        """normalized value -> record id, for the `values` (at most BATCH_SIZE, distinct,
        normalized) that name a record."""
        ...


# --- which columns do what -------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectColumns:
    """One object's columns in one data file."""

    object_type_id: str
    name: str  # for messages: "contacts"
    operation: str  # CREATE, UPDATE or UPSERT
    own: bool  # the object its rows are about (DataFile.row_object; else another object of
    # the row, e.g. its company)
    columns: tuple[int, ...]  # every column writing one of its properties
    match: tuple[int, ...]  # the columns that find its records, in HubSpot's order
    unique: tuple[int, ...]  # columns of properties whose values are unique in the account


@dataclass(frozen=True)
class Reference:
    """A two-file import's common column in the file that does not own it."""

    index: int  # the column
    key: Key  # what its values name
    owner: int | None  # the file that owns the column (its values exist after the import)


@dataclass(frozen=True)
class FileLayout:
    index: int
    data_file: DataFile
    objects: tuple[ObjectColumns, ...]
    references: tuple[Reference, ...]
    # Columns whose values other files' references point at: column -> the key they give.
    owned: tuple[tuple[int, Key], ...] = ()

    def column(self, index: int) -> Column:
        return self.data_file.columns[index]

    def prop(self, index: int) -> str:
        return self.data_file.columns[index].property or ""


def layouts(spec: Spec, catalog: Catalog) -> list[FileLayout]:
    """Every data file's layout (see FileLayout)."""
    names = _object_names(catalog)
    owners: dict[str, tuple[int, int, Key]] = {}  # object -> (file, column, key)
    for f_index, data_file in enumerate(spec.files):
        for c_index, column in enumerate(data_file.columns):
            if column.association_key and column.object_type_id and column.property:
                key = Key(column.object_type_id, column.property)
                owners.setdefault(column.object_type_id, (f_index, c_index, key))
    found = []
    for f_index, data_file in enumerate(spec.files):
        objects = _objects(spec, catalog, data_file, names)
        references = []
        for c_index, column in enumerate(data_file.columns):
            if column.references is None or column.ignore:
                continue
            owner = owners.get(column.references)
            if owner is not None and owner[0] != f_index:
                references.append(Reference(c_index, owner[2], owner[0]))
            elif owner is None:
                # No file owns the column: HubSpot reads its values as the other object's
                # record ids (the legacy record-id association).
                references.append(Reference(c_index, Key(column.references, RECORD_ID), None))
        owned = tuple(
            (c_index, key)
            for target, (o_file, c_index, key) in owners.items()
            if o_file == f_index
            and any(c.references == target for other in spec.files for c in other.columns)
        )
        found.append(FileLayout(f_index, data_file, objects, tuple(references), owned))
    return found


def _objects(
    spec: Spec, catalog: Catalog, data_file: DataFile, names: Mapping[str, str]
) -> tuple[ObjectColumns, ...]:
    by_object: dict[str, list[int]] = {}
    for index, column in enumerate(data_file.columns):
        # An ASSOCIATION_KEYS column names other records of the same object, not the row's.
        if column.is_property and column.object_type_id and not column.association_keys:
            by_object.setdefault(column.object_type_id, []).append(index)
    result = []
    for oid, indices in by_object.items():
        obj = catalog.object(oid)
        alternate = obj.alternate_ids if obj is not None else ()
        cols = data_file.columns
        props = {i: cols[i].property or "" for i in indices}
        record_id = [i for i in indices if props[i] == RECORD_ID]
        marked = [i for i in indices if cols[i].id and props[i] != RECORD_ID]
        implied = [i for i in indices if not cols[i].id and props[i] in alternate]
        match = (*record_id, *marked, *implied)
        unique_props = set(UNIQUE_ALWAYS.get(oid, ()))
        if obj is not None:
            unique_props.update(p.name for p in obj.properties.values() if p.has_unique_value)
        unique_props.discard(RECORD_ID)
        unique = tuple(i for i in indices if props[i] in unique_props)
        main = data_file.row_object
        result.append(
            ObjectColumns(
                object_type_id=oid,
                name=names.get(oid, oid),
                operation=spec.operation(oid),
                own=main is None or main == oid,
                columns=tuple(indices),
                match=match,
                unique=unique,
            )
        )
    return tuple(result)


def _object_names(catalog: Catalog) -> dict[str, str]:
    from specc.catalog.objects import standard_objects

    names = {oid: info.name for oid, info in standard_objects().items()}
    if catalog.is_snapshot:
        names.update({oid: obj.name for oid, obj in catalog.objects.items()})
    return names


# --- one row ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Write:
    """A record a row writes: `record_id` None when the row creates it."""

    object_type_id: str
    record_id: str | None
    columns: tuple[int, ...]  # the object's columns (their filled cells are its values)


@dataclass
class Decision:
    line: int
    row: int
    writes: list[Write] = field(default_factory=list)
    failures: list[Diagnostic] = field(default_factory=list)


FindRecord = Callable[[Key, str], str | None]


class RowJudge:
    """Judges the rows of one file against `find` (see the module doc for the rules).

    `owned` holds, per key, the values the import's own files give the columns other files'
    references point at: those records exist once the import ran.
    """

    def __init__(
        self,
        spec: Spec,
        layout: FileLayout,
        find: FindRecord,
        owned: Mapping[Key, set[str]] | None = None,
    ) -> None:
        self.spec = spec
        self.layout = layout
        self.find = find
        self.owned = owned or {}
        self.shown = layout.data_file.shown_path

    def wanted(self, cells: Sequence[str]) -> Iterator[tuple[Key, str]]:
        """The lookups this row needs: its records' keys, its unique values, its references."""
        for obj in self.layout.objects:
            if not self._present(obj, cells):
                continue
            found = self._key(obj, cells)
            if found is not None:
                yield found[1], found[2]
            for index in obj.unique:
                if found is not None and index == found[0]:
                    continue
                value = normalize(self.layout.prop(index), _cell(cells, index))
                if value is not None:
                    yield Key(obj.object_type_id, self.layout.prop(index)), value
        for ref in self.layout.references:
            value = normalize(ref.key.property, _cell(cells, ref.index))
            if value is not None and value not in self.owned.get(ref.key, ()):
                yield ref.key, value

    def decide(self, line: int, row: int, cells: Sequence[str]) -> Decision:
        decision = Decision(line, row)
        for obj in self.layout.objects:
            if not self._present(obj, cells):
                continue
            failures, write = self._object(obj, line, row, cells)
            decision.failures.extend(failures)
            if write is not None:
                decision.writes.append(write)
        for ref in self.layout.references:
            value = normalize(ref.key.property, _cell(cells, ref.index))
            if value is None or value in self.owned.get(ref.key, ()):
                continue
            if self.find(ref.key, value) is None:
                target = self._name(ref.key.object_type_id)
                where = (
                    "" if ref.owner is None else (f" or in {self.spec.files[ref.owner].shown_path}")
                )
                decision.failures.append(
                    self._failure(
                        codes.UNKNOWN_ASSOCIATION,
                        f"no {target} record has {_named(ref.key.property)} "
                        f"{_quoted(value)} in the account{where}, so the row's record cannot "
                        "be associated with it",
                        "correct the value, or add the record it names",
                        line,
                        row,
                        ref.index,
                        cells,
                    )
                )
        if decision.failures:
            decision.writes = []  # a failing row writes nothing
        return decision

    # -- one object of the row --

    def _object(
        self, obj: ObjectColumns, line: int, row: int, cells: Sequence[str]
    ) -> tuple[list[Diagnostic], Write | None]:
        found = self._key(obj, cells)
        existing = None if found is None else self.find(found[1], found[2])
        failures: list[Diagnostic] = []
        if found is not None and found[1].property == RECORD_ID and existing is None:
            index, _, value = found
            if not obj.own:
                failures.append(
                    self._failure(
                        codes.UNKNOWN_ASSOCIATION,
                        f"no {obj.name} record has record id {value}, so the row's record "
                        "cannot be associated with it",
                        "correct the record id, or leave the cell empty",
                        line,
                        row,
                        index,
                        cells,
                    )
                )
            elif obj.operation == "UPDATE":
                failures.append(self._update_only(obj, line, row, cells, found))
            else:
                failures.append(
                    self._failure(
                        codes.UNKNOWN_RECORD_ID,
                        f"no {obj.name} record has record id {value}; HubSpot cannot create "
                        "a record with an id of the file's choosing",
                        "correct the record id, or leave it empty and identify the record by "
                        "another property",
                        line,
                        row,
                        index,
                        cells,
                    )
                )
        elif obj.operation == "CREATE" and existing is not None and found is not None:
            index, key, value = found
            failures.append(
                self._failure(
                    codes.CREATE_ONLY,
                    f"{obj.name} record {existing} already has {_named(key.property)} "
                    f"{_quoted(value)}, and the import only creates {obj.name} "
                    "(operations: create)",
                    "say `upsert` for the object to update existing records, or drop the row",
                    line,
                    row,
                    index,
                    cells,
                )
            )
        elif obj.operation == "UPDATE" and existing is None:
            failures.append(self._update_only(obj, line, row, cells, found))
        for index in obj.unique:
            if found is not None and index == found[0]:
                continue
            prop = self.layout.prop(index)
            unique_value = normalize(prop, _cell(cells, index))
            if unique_value is None:
                continue
            holder = self.find(Key(obj.object_type_id, prop), unique_value)
            if holder is not None and holder != existing:
                failures.append(
                    self._failure(
                        codes.UNIQUE_VALUE_TAKEN,
                        f"{obj.name} record {holder} already holds {_quoted(unique_value)} in "
                        f"'{prop}', whose values are unique"
                        + ("" if existing is None else f" (the row's record is {existing})"),
                        "correct the value, or identify the row by this column if it should "
                        "update that record",
                        line,
                        row,
                        index,
                        cells,
                    )
                )
        if failures:
            return failures, None
        return [], Write(obj.object_type_id, existing, obj.columns)

    def _update_only(
        self,
        obj: ObjectColumns,
        line: int,
        row: int,
        cells: Sequence[str],
        found: tuple[int, Key, str] | None,
    ) -> Diagnostic:
        if found is None:
            index = obj.match[0] if obj.match else obj.columns[0]
            message = (
                f"the row gives no value that identifies its {obj.name} record, and the "
                f"import only updates {obj.name} (operations: update)"
            )
        else:
            index, key, value = found
            message = (
                f"no {obj.name} record has {_named(key.property)} {_quoted(value)}, and the "
                f"import only updates {obj.name} (operations: update)"
            )
        return self._failure(
            codes.UPDATE_ONLY,
            message,
            "correct the identifier, or say `upsert` for the object to create missing records",
            line,
            row,
            index,
            cells,
        )

    def _key(self, obj: ObjectColumns, cells: Sequence[str]) -> tuple[int, Key, str] | None:
        """(column, key, value) of the first filled identifier, in HubSpot's order."""
        for index in obj.match:
            prop = self.layout.prop(index)
            value = normalize(prop, _cell(cells, index))
            if value is not None:
                return index, Key(obj.object_type_id, prop), value
        return None

    @staticmethod
    def _present(obj: ObjectColumns, cells: Sequence[str]) -> bool:
        return any(_cell(cells, index).strip() for index in obj.columns)

    def _name(self, object_type_id: str) -> str:
        for obj in self.layout.objects:
            if obj.object_type_id == object_type_id:
                return obj.name
        from specc.catalog.objects import standard_objects

        info = standard_objects().get(object_type_id)
        return info.name if info is not None else object_type_id

    def _failure(
        self,
        code: Any,
        message: str,
        hint: str,
        line: int,
        row: int,
        index: int,
        cells: Sequence[str],
    ) -> Diagnostic:
        column = self.layout.column(index)
        value = _cell(cells, index)
        return code.at(
            message,
            hint=hint,
            spec=self.spec.where(column.pointer),
            data=DataLocation(self.shown, line, row, column.name, value or None),
        )


def _cell(cells: Sequence[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _named(prop: str) -> str:
    return "record id" if prop == RECORD_ID else f"'{prop}'"


def _quoted(value: str) -> str:
    return '"' + shorten(value, 80) + '"'


# --- rows ------------------------------------------------------------------------------------


def data_rows(data_file: DataFile) -> Iterator[tuple[int, list[str]]]:
    """(line where the row starts, cells) for every data row, as the sandbox counts an import's
    rows (specc.sandbox.rows), so a plan's lines are the import's. The one place a plan reads
    a data file: it moves to specc.tables' streaming rows when that layer offers them."""
    from specc.sandbox.rows import data_rows as rows_of

    return rows_of(data_file.path, data_file.format, data_file.has_header)


def owned_values(
    layouts_: Sequence[FileLayout], rows: Callable[[DataFile], Iterable[tuple[int, list[str]]]]
) -> dict[Key, set[str]]:
    """Per key other files' references point at, the values the owning files give it."""
    owned: dict[Key, set[str]] = {}
    for layout in layouts_:
        if not layout.owned:
            continue
        for _, cells in rows(layout.data_file):
            for index, key in layout.owned:
                value = normalize(key.property, _cell(cells, index))
                if value is not None:
                    owned.setdefault(key, set()).add(value)
    return owned


# --- the plan --------------------------------------------------------------------------------


@dataclass
class FilePlan:
    """What one data file's rows would do. Counts are over the rows judged (`judged`): all of
    them, or a sample; `scaled` gives the file's estimate."""

    file: str
    rows: int = 0
    judged: int = 0
    create: int = 0
    update: int = 0
    fail: int = 0
    failures_by_type: ErrorCounts = field(default_factory=ErrorCounts)

    @property
    def estimate(self) -> bool:
        return self.judged < self.rows

    def scaled(self, count: int) -> int:
        if not self.estimate or not self.judged:
            return count
        return round(count * self.rows / self.judged)

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "file": self.file,
            "create": self.scaled(self.create),
            "update": self.scaled(self.update),
            "fail": self.scaled(self.fail),
            "rows": self.rows,
        }
        if self.estimate:
            body["estimate"] = True
            body["sampled"] = self.judged
        return body


@dataclass
class Plan:
    files: list[FilePlan] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    looked_up: int = 0  # distinct values read from the account
    # Every failure by HubSpot error type, over the rows judged (shown or not).
    failures_by_type: ErrorCounts = field(default_factory=ErrorCounts)

    @property
    def failing(self) -> bool:
        return any(f.fail for f in self.files)

    def to_json(self) -> dict[str, Any]:
        return {"files": [f.to_json() for f in self.files]}

    def add_to(self, result: Result) -> None:
        """Put the failing rows and the failures by error type into lint's `result`, which
        the report then counts and shows as one."""
        result.extend(self.diagnostics)
        result.errors_by_type.update(self.failures_by_type)


def plan_spec(
    spec: Spec,
    catalog: Catalog,
    lookup: Lookup,
    *,
    sample: int | None = None,
    max_shown: int | None = None,
    progress: LookupProgress | None = None,
    rows: Callable[[DataFile], Iterable[tuple[int, list[str]]]] = data_rows,
    name_errors: bool = True,
) -> Plan:
    """Judge every row (or `sample` rows of each file, picked evenly at random) against the
    account `lookup` reads. Each distinct value is looked up once, BATCH_SIZE a call.

    `name_errors`: each message starts with the HubSpot error it predicts, as a report shows
    it (the sandbox's row errors carry the name apart, in `errorType`).
    """
    limit = DEFAULT_MAX_SHOWN if max_shown is None else max(0, max_shown)
    allowed = Allowed.of(spec)
    all_layouts = layouts(spec, catalog)
    owned = owned_values(all_layouts, rows)
    found: dict[Key, dict[str, str]] = {}

    def find(key: Key, value: str) -> str | None:
        return found.get(key, {}).get(value)

    judges = [RowJudge(spec, layout, find, owned) for layout in all_layouts]
    sampled: list[list[tuple[int, int, list[str]]] | None] = []
    file_plans = [FilePlan(layout.data_file.shown_path) for layout in all_layouts]
    wanted: dict[Key, set[str]] = {}
    for judge, file_plan in zip(judges, file_plans, strict=True):
        picked = _Reservoir(sample) if sample is not None else None
        for line, cells in rows(judge.layout.data_file):
            file_plan.rows += 1
            if picked is not None:
                picked.offer((line, file_plan.rows, cells))
                continue
            for key, value in judge.wanted(cells):
                wanted.setdefault(key, set()).add(value)
        if picked is not None:
            kept = sorted(picked.items)  # back in file order
            for _, _, cells in kept:
                for key, value in judge.wanted(cells):
                    wanted.setdefault(key, set()).add(value)
            sampled.append(kept)
        else:
            sampled.append(None)

    total = sum(len(values) for values in wanted.values())
    done = 0
    if progress is not None:
        progress(0, total)
    for key in sorted(wanted, key=lambda k: (k.object_type_id, k.property)):
        values = sorted(wanted[key])
        for batch in _batches(values):
            found.setdefault(key, {}).update(lookup.read(key, batch))
            done += len(batch)
            if progress is not None:
                progress(done, total)

    plan = Plan(looked_up=total)
    for judge, file_plan, sample_rows in zip(judges, file_plans, sampled, strict=True):
        iterator: Iterable[tuple[int, int, list[str]]] = (
            sample_rows if sample_rows is not None else _numbered(rows(judge.layout.data_file))
        )
        shown: list[Diagnostic] = []
        hidden = 0
        for line, row, cells in iterator:
            decision = judge.decide(line, row, cells)
            file_plan.judged += 1
            if decision.failures:
                file_plan.fail += 1
                file_plan.failures_by_type.errors(decision.failures)
                for diagnostic in allowed.keep(decision.failures):
                    if len(shown) < limit:
                        shown.append(_named_error(diagnostic) if name_errors else diagnostic)
                    else:
                        hidden += 1
                continue
            for write in decision.writes:
                if write.record_id is None:
                    file_plan.create += 1
                else:
                    file_plan.update += 1
        plan.diagnostics.extend(shown)
        if hidden:
            plan.diagnostics.append(_more_not_shown(spec, judge.layout, hidden, limit))
        plan.failures_by_type.update(file_plan.failures_by_type)
        plan.files.append(file_plan)
    return plan


def _named_error(diagnostic: Diagnostic) -> Diagnostic:
    from dataclasses import replace

    return replace(diagnostic, message=f"{diagnostic.hubspot_error}: {diagnostic.message}")


def _numbered(rows: Iterable[tuple[int, list[str]]]) -> Iterator[tuple[int, int, list[str]]]:
    for row, (line, cells) in enumerate(rows, start=1):
        yield line, row, cells


def _more_not_shown(spec: Spec, layout: FileLayout, hidden: int, limit: int) -> Diagnostic:
    from specc.codes import rows as row_codes

    shown = layout.data_file.shown_path
    return row_codes.MORE_NOT_SHOWN.at(
        f"{hidden:,} more failing rows in {shown} not shown; the limit is {limit:,} per file",
        hint="raise it with --max-errors N; the plan's counts include them all",
        spec=spec.where(layout.data_file.pointer),
        data=DataLocation(shown),
    )


class _Reservoir:
    """A uniform sample of `size` items from a stream of unknown length (Algorithm R), with a
    fixed seed so the same file gives the same estimate."""

    def __init__(self, size: int) -> None:
        self.size = max(0, size)
        self.items: list[tuple[int, int, list[str]]] = []
        self.seen = 0
        self._random = random.Random(0x5EC0)

    def offer(self, item: tuple[int, int, list[str]]) -> None:
        self.seen += 1
        if len(self.items) < self.size:
            self.items.append(item)
            return
        slot = self._random.randrange(self.seen)
        if slot < self.size:
            self.items[slot] = item


def _batches(values: Sequence[str]) -> Iterator[list[str]]:
    """At most BATCH_SIZE values and about BATCH_BYTES of them a call."""
    batch: list[str] = []
    size = 0
    for value in values:
        cost = len(value.encode("utf-8")) + 16  # the value and its {"id": ...} around it
        if batch and (len(batch) >= BATCH_SIZE or size + cost > BATCH_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(value)
        size += cost
    if batch:
        yield batch


# --- the account -----------------------------------------------------------------------------


def objects_path(connection: Connection, object_type_id: str) -> str:
    """The CRM objects API's path for an object: /crm/v3/objects/0-1 or a dated version's."""
    if connection.api_version == "v3":
        return f"/crm/v3/objects/{object_type_id}"
    return f"/crm/objects/{connection.api_version}/{object_type_id}"


class BurstGate:
    """Keeps requests under HubSpot's burst limit: at most `requests` in any `seconds`.

    HubSpot's answers say the account's own limit (X-HubSpot-RateLimit-Max in
    X-HubSpot-RateLimit-Interval-Milliseconds) and what is left of it
    (X-HubSpot-RateLimit-Remaining; other apps of the account spend it too): the gate takes
    the limit from them and waits out the window when nothing is left. A 429 that comes
    anyway is the client's to retry (honouring Retry-After).
    """

    def __init__(
        self,
        requests: int = BURST_REQUESTS,
        seconds: float = BURST_SECONDS,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.requests = max(1, requests)
        self.seconds = seconds
        self.clock = clock
        self.sleep = sleep
        self.sent: deque[float] = deque()
        self.waited = 0.0  # seconds spent waiting, in all
        self._blocked_until = 0.0

    def wait(self) -> None:
        """Wait until one more request fits in the window, then count it."""
        now = self.clock()
        if self._blocked_until > now:
            self._pause(self._blocked_until - now)
            now = self.clock()
        while True:
            # A microsecond of slack: a float clock may land a hair short of the window's end.
            while self.sent and self.sent[0] + self.seconds <= now + 1e-6:
                self.sent.popleft()
            if len(self.sent) < self.requests:
                break
            self._pause(max(self.sent[0] + self.seconds - now, 1e-3))
            now = self.clock()
        self.sent.append(now)

    def observe(self, headers: Mapping[str, str]) -> None:
        """Learn the limit and what is left of it from an answer's headers."""
        maximum = _header_int(headers, "x-hubspot-ratelimit-max")
        interval = _header_int(headers, "x-hubspot-ratelimit-interval-milliseconds")
        remaining = _header_int(headers, "x-hubspot-ratelimit-remaining")
        window = None if not interval else min(interval / 1000, MAX_WINDOW_SECONDS)
        if maximum and window:
            self.requests = maximum
            self.seconds = window
        if remaining == 0:
            self._blocked_until = self.clock() + (window or self.seconds)

    def _pause(self, seconds: float) -> None:
        if seconds > 0:
            self.waited += seconds
            self.sleep(seconds)


def _header_int(headers: Mapping[str, str], name: str) -> int | None:
    raw = headers.get(name)
    if raw is None:
        return None
    raw = raw.strip()
    # A bounded number: a server could send any text here.
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None


class AccountLookup:
    """Reads the account's records with the CRM objects API's batch read, under the gate.

    A call sends `{"inputs": [{"id": value}, ...], "idProperty": prop, "properties": [prop]}`
    (no idProperty for record ids). HubSpot answers 200 when it found every input, and 207
    with `errors` (category OBJECT_NOT_FOUND, `context.ids` naming the inputs it did not find)
    when it missed some; a record found by idProperty is matched to its input by the property
    value it carries. A record id that answers under another id was merged into that record:
    it still exists.
    """

    def __init__(self, client: HubSpotClient, gate: BurstGate | None = None) -> None:
        self.client = client
        self.gate = gate or BurstGate(sleep=client.retry.sleep)
        self.calls = 0

    def read(self, key: Key, values: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for batch in _batches(values):
            found.update(self._read(key, batch))
        return found

    def _read(self, key: Key, batch: list[str]) -> dict[str, str]:
        body: dict[str, Any] = {
            "inputs": [{"id": value} for value in batch],
            "properties": [key.property],
            "propertiesWithHistory": [],
        }
        if key.property != RECORD_ID:
            body["idProperty"] = key.property
        path = objects_path(self.client.connection, key.object_type_id) + "/batch/read"
        action = f"read the {key.object_type_id} records by {key.property}"
        self.gate.wait()
        answer, headers = self.client.post_json(path, body, action=action)
        self.calls += 1
        self.gate.observe(headers)
        return matched(key, batch, answer, action, self.client.connection.base_url)


def matched(
    key: Key, batch: Sequence[str], answer: Any, action: str = "read records", server: str = ""
) -> dict[str, str]:
    """input value -> record id, from a batch read's answer (BatchResponseSimplePublicObject,
    or ...WithErrors for a 207)."""
    from specc.errors import SpeccError

    if not isinstance(answer, Mapping) or not isinstance(answer.get("results", []), list):
        raise SpeccError(
            f"could not {action}: the answer of {server or 'the server'} is not a batch read "
            "answer",
            hint="check that --base-url points at HubSpot's API",
        )
    wanted = set(batch)
    found: dict[str, str] = {}
    unmatched = 0
    for item in answer.get("results") or []:
        if not isinstance(item, Mapping):
            continue
        record = str(item.get("id") or "").strip()
        if not record:
            continue
        if key.property == RECORD_ID:
            value: str | None = record
        else:
            properties = item.get("properties")
            raw = properties.get(key.property) if isinstance(properties, Mapping) else None
            value = None if raw is None else normalize(key.property, str(raw))
        if value in wanted and value is not None:
            found[value] = record
        else:
            unmatched += 1
    if key.property == RECORD_ID and unmatched:
        # Merged records answer under the id they were merged into; an input no error names
        # is such a record.
        missing = _named_in_errors(answer)
        for value in batch:
            if value not in found and value not in missing:
                found[value] = value
    return found


def _named_in_errors(answer: Mapping[str, Any]) -> set[str]:
    named: set[str] = set()
    errors = answer.get("errors")
    for error in errors if isinstance(errors, list) else []:
        context = error.get("context") if isinstance(error, Mapping) else None
        ids = context.get("ids") if isinstance(context, Mapping) else None
        if isinstance(ids, list):
            named.update(str(i).strip() for i in ids)
    return named
