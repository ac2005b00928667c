"""What changed between two importRequests, as HubSpot reads them.

    normalize(request, aliases)      -> Normal: the request with HubSpot's defaults and legacy
                                        forms resolved, files keyed by name
    diff_requests(before, after)     -> list[Change], empty when HubSpot reads both alike
    change_line(change, names)       -> one line of text: `~ leads.csv: column "Email": ...`
    spec_location(change, spec)      -> where in the spec the change lives, or None
    read_request_json(path, shown)   -> JsonDocument: a request file's JSON, bounded
    read_saved_request(path)         -> SavedRequest: a request file, with its schema problems
    import_request(record, id)       -> the request of a past import (its importRequestJson)
    saved_baseline(path)             -> Baseline: what `specc diff --against FILE` compares with
    import_baseline(id, get_import)  -> Baseline: what `specc diff --against-import ID` does
    baseline_for(file, id, account)  -> Baseline: the one of the two `specc diff` was given
    diff_spec(path, options, base)   -> SpecDiff: the spec compiled and compared with `base`

`before` is the request of a past import or a saved file, `after` the spec's compiled request:
"added" means the spec adds it. Two requests that HubSpot reads alike give no change, however
they are written: object type ids or names (`0-1`, `contact`, legacy `columnObjectType:
"CONTACT"`), `columnType` or legacy `idColumnType`, `STANDARD` or no column type, a flag
absent, null or false (but `marketableContactImport`, for which HubSpot documents no default:
there only null is the same as absent), HubSpot's defaults written out or left out (every
object UPSERT, MONTH_DAY_YEAR, a header row, CSV), files in any order. Files are matched by
`fileName` (then renamed files by their columns), columns by `columnName` (the k-th column of
a name with the k-th of that name). Fields HubSpot does not read (a misspelt key,
response-only fields) are left out of the comparison, as HubSpot leaves them out of the import.

The comparison is pure: any JSON value is accepted (an unusable part reads as absent); only
read_request_json reads a file, and nothing here prints.
"""

from __future__ import annotations

import bisect
import json
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from specc.catalog.objects import resolve_object, standard_objects
from specc.diagnostics import Diagnostic, SpecLocation
from specc.errors import HubSpotRefused, InputError, SpeccError
from specc.json_input import JsonBounds, JsonDocument, JsonRefused, parse_json, read_json

if TYPE_CHECKING:
    from specc.diagnostics import Result
    from specc.hubspot.events import OnEvent
    from specc.hubspot.settings import Account
    from specc.run import Options
    from specc.spec.model import Spec

Kind = Literal["added", "removed", "changed"]

DEFAULT_OPERATION = "UPSERT"  # "If you don't include this field, the default ... is UPSERT"
DEFAULT_DATE_FORMAT = "MONTH_DAY_YEAR"
DEFAULT_FILE_FORMAT = "CSV"  # the legacy docs: fileFormat "defaults to CSV"
ID_TYPES = ("HUBSPOT_OBJECT_ID", "HUBSPOT_ALTERNATE_ID")
LABEL = "FLEXIBLE_ASSOCIATION_LABEL"
ASSOCIATION_KEYS = "ASSOCIATION_KEYS"
EVENT = "EVENT_TIMESTAMP"
# Column types that the fields id, label, association_keys and event stand for; STANDARD is a
# plain property column, which is what no column type means too.
_NAMED_TYPES = (*ID_TYPES, LABEL, ASSOCIATION_KEYS, EVENT, "STANDARD")
# Renamed files are paired by the columns they share; past this many unmatched files on a side
# the pairing (quadratic) is skipped and they are listed as added and removed.
MAX_PAIRED_FILES = 64
# How many column names an added or removed file lists in its line of text.
SHOWN_COLUMNS = 5
MAX_SHOWN = 120  # characters of a name or value in a line of text, so no line floods a terminal


@dataclass(frozen=True)
class Change:
    """One difference, in the spec's terms.

    `field` is what changed: `name`, `operation` (with `object`), `date_format`, `marketable`,
    `create_list`, `time_zone`, `marketing_event`; per file `file` (added or removed),
    `file_name` (a renamed file), `format`, `has_header`, `date_format`; per column `column`
    (added or removed), `object`, `property`, `id`, `references`, `association`,
    `association_key`, `association_keys`, `label`, `event`, `ignore`, `column_type`,
    `position` (1-based). `minor` changes (the import's name, a data file's name: they change
    with every batch) do not make two requests different. `where` is the JSON pointer, in the
    `after` request, of the nearest node the change belongs to ("" when none).
    """

    kind: Kind
    field: str
    before: Any = None
    after: Any = None
    file: str | None = None
    column: str | None = None
    occurrence: int | None = None  # the k-th column of its name, when the file repeats the name
    object: str | None = None  # the object of an operation change
    minor: bool = False
    where: str = ""

    def to_json(self, spec: SpecLocation | None = None) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file": self.file,
            "column": self.column,
            "occurrence": self.occurrence,
            "object": self.object,
            "field": self.field,
            "before": self.before,
            "after": self.after,
            "minor": self.minor,
            "spec": None
            if spec is None
            else {
                "file": spec.file,
                "line": spec.line,
                "column": spec.column,
                "pointer": spec.pointer,
            },
        }


def differ(changes: Iterable[Change]) -> bool:
    """Whether the changes make the two requests different imports (minor ones do not)."""
    return any(not c.minor for c in changes)


# --- the normal form ---------------------------------------------------------------------


@dataclass(frozen=True)
class NormalColumn:
    name: str
    index: int  # position in the request's columnMappings (0-based)
    object: Any = None
    property: Any = None
    id: Any = None
    references: Any = None
    association: Any = None
    association_key: bool = False
    association_keys: bool = False
    label: Any = None
    event: Any = None
    ignore: bool = False
    column_type: Any = None  # a column type none of the fields above stands for

    def fields(self) -> dict[str, Any]:
        """The compared fields, in the order changes are listed."""
        return {
            "ignore": self.ignore,
            "object": self.object,
            "property": self.property,
            "id": self.id,
            "references": self.references,
            "association": self.association,
            "association_key": self.association_key,
            "association_keys": self.association_keys,
            "label": self.label,
            "event": self.event,
            "column_type": self.column_type,
        }

    def summary(self) -> dict[str, Any]:
        """The fields that say something (not false, not absent): an added or removed column."""
        return {k: v for k, v in self.fields().items() if v is not None and v is not False}


@dataclass(frozen=True)
class NormalFile:
    name: str
    index: int  # position in the request's files
    format: Any = DEFAULT_FILE_FORMAT
    has_header: Any = True
    date_format: Any = None  # the legacy per-file placement; None when the file has none
    columns: tuple[NormalColumn, ...] = ()

    def summary(self) -> dict[str, Any]:
        return {
            "file_name": self.name,
            "format": self.format,
            "columns": [c.name for c in self.columns],
        }


@dataclass(frozen=True)
class Normal:
    name: Any = None
    operations: dict[str, Any] = field(default_factory=dict)  # as given, keys resolved
    date_format: Any = DEFAULT_DATE_FORMAT
    marketable: Any = None  # None: not set (HubSpot documents no default)
    create_list: bool = False
    time_zone: Any = None
    marketing_event: Any = None
    files: tuple[NormalFile, ...] = ()

    def operation(self, object_id: str) -> Any:
        return self.operations.get(object_id, DEFAULT_OPERATION)


def normalize(request: Any, aliases: Mapping[str, str] | None = None) -> Normal:
    """The request as HubSpot reads it (see the module doc); `aliases` name custom objects."""
    if isinstance(request, str):
        # HubSpot's importRequestJson may be the request's text rather than the object.
        try:
            request = parse_echoed_request(request)
        except JsonRefused:
            request = None
    data = request if isinstance(request, Mapping) else {}
    names = dict(aliases or {})
    operations: dict[str, Any] = {}
    raw_operations = data.get("importOperations")
    if isinstance(raw_operations, Mapping):
        for key, value in raw_operations.items():
            operations[_object(key, names)] = _upper(value)
    raw_files = data.get("files")
    files = tuple(
        _file(entry, index, names)
        for index, entry in enumerate(raw_files if isinstance(raw_files, list) else [])
    )
    return Normal(
        name=_text(data.get("name")),
        operations=operations,
        date_format=_text(data.get("dateFormat")) or DEFAULT_DATE_FORMAT,
        marketable=_tristate(data.get("marketableContactImport")),
        # "To create a list from your file, use the value true": anything else makes none.
        create_list=data.get("createContactListFromImport") is True,
        time_zone=_text(data.get("timeZone")),
        marketing_event=_integer(data.get("marketingEventObjectId")),
        files=files,
    )


def _file(entry: Any, index: int, names: dict[str, str]) -> NormalFile:
    item = entry if isinstance(entry, Mapping) else {}
    page = item.get("fileImportPage")
    page = page if isinstance(page, Mapping) else {}
    mappings = page.get("columnMappings")
    has_header = page.get("hasHeader")
    return NormalFile(
        name=_text(item.get("fileName")) or "",
        index=index,
        format=_text(item.get("fileFormat")) or DEFAULT_FILE_FORMAT,
        has_header=True if has_header is None else _tristate(has_header),
        date_format=_text(item.get("dateFormat")),
        columns=tuple(
            _column(m, number, names)
            for number, m in enumerate(mappings if isinstance(mappings, list) else [])
        ),
    )


def _column(entry: Any, index: int, names: dict[str, str]) -> NormalColumn:
    m = entry if isinstance(entry, Mapping) else {}
    name = _text(m.get("columnName")) or ""
    if m.get("ignored") is True:
        # HubSpot skips the column: what it would have been mapped to no longer matters.
        return NormalColumn(name=name, index=index, ignore=True)
    column_type = _text(m.get("columnType")) or _text(m.get("idColumnType"))
    named = m.get("columnObjectTypeId")
    if named is None:
        named = m.get("columnObjectType")
    to_object = (
        None
        if m.get("toColumnObjectTypeId") is None
        else (_object(m.get("toColumnObjectTypeId"), names))
    )
    return NormalColumn(
        name=name,
        index=index,
        object=None if named is None else _object(named, names),
        property=_text(m.get("propertyName")) or None,
        id=column_type if column_type in ID_TYPES else None,
        references=to_object if column_type != LABEL else None,
        association=_association(m.get("foreignKeyType")),
        association_key=m.get("associationIdentifierColumn") is True,
        association_keys=column_type == ASSOCIATION_KEYS,
        label=to_object if column_type == LABEL else None,
        event=_event(m) if column_type == EVENT else None,
        column_type=column_type if column_type not in (None, *_NAMED_TYPES) else None,
    )


def _event(mapping: Mapping[str, Any]) -> Any:
    # "" for an event column without its submission type, so it differs from no event column.
    return _upper(mapping.get("marketingEventSubmissionType")) or ""


def _association(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return None if value is None else _text(value)
    type_id = value.get("associationTypeId")
    return {
        "type_id": _integer(type_id),
        "category": _text(value.get("associationCategory")),
    }


def _object(value: Any, names: dict[str, str]) -> str:
    text = _text(value) or ""
    return resolve_object(text, names) or text


def _text(value: Any) -> Any:
    """A string as is; None for null; any other JSON value as its canonical JSON text, so that
    values compare by what they are (NaN equals NaN, {"a":1} equals {"a": 1})."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _upper(value: Any) -> Any:
    text = _text(value)
    return text.upper() if isinstance(text, str) else text


def _tristate(value: Any) -> Any:
    return value if value is None or isinstance(value, bool) else _text(value)


def _integer(value: Any) -> Any:
    """An id or type id: 377224141223 and "377224141223" are the same id."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 40:
        return int(value.strip())
    return _text(value)


# --- comparing -----------------------------------------------------------------------------


def diff_requests(
    before: Any, after: Any, aliases: Mapping[str, str] | None = None
) -> list[Change]:
    """Every difference between two requests as HubSpot reads them (see the module doc)."""
    return diff_normal(normalize(before, aliases), normalize(after, aliases))


def diff_normal(old: Normal, new: Normal) -> list[Change]:
    changes: list[Change] = []
    if old.name != new.name:
        changes.append(Change("changed", "name", old.name, new.name, minor=True, where="/name"))
    for object_id in sorted(set(old.operations) | set(new.operations)):
        was, now = old.operation(object_id), new.operation(object_id)
        if was != now:
            where = f"/importOperations/{_escape(object_id)}"
            changes.append(Change("changed", "operation", was, now, object=object_id, where=where))
    for key, json_key in (
        ("date_format", "dateFormat"),
        ("marketable", "marketableContactImport"),
        ("create_list", "createContactListFromImport"),
        ("time_zone", "timeZone"),
        ("marketing_event", "marketingEventObjectId"),
    ):
        was, now = getattr(old, key), getattr(new, key)
        if was != now:
            changes.append(Change("changed", key, was, now, where=f"/{json_key}"))
    pairs, removed, added = _pair_files(old.files, new.files)
    for before_file, after_file in pairs:
        changes.extend(_diff_file(before_file, after_file))
    for after_file in added:
        changes.append(
            Change(
                "added",
                "file",
                None,
                after_file.summary(),
                file=after_file.name,
                where=f"/files/{after_file.index}",
            )
        )
    for before_file in removed:
        changes.append(
            Change(
                "removed",
                "file",
                before_file.summary(),
                None,
                file=before_file.name,
                where="/files",
            )
        )
    return changes


def _pair_files(
    old: Sequence[NormalFile], new: Sequence[NormalFile]
) -> tuple[list[tuple[NormalFile, NormalFile]], list[NormalFile], list[NormalFile]]:
    """(before, after) pairs in the after request's order, the removed and the added files."""
    pairs: dict[int, NormalFile] = {}  # after index -> its before file
    by_name: dict[str, deque[NormalFile]] = {}
    for f in old:
        by_name.setdefault(f.name, deque()).append(f)
    unmatched_new = []
    for f in new:
        same = by_name.get(f.name)
        if same:
            pairs[f.index] = same.popleft()
        else:
            unmatched_new.append(f)
    unmatched_old = [f for group in by_name.values() for f in group]
    unmatched_old.sort(key=lambda f: f.index)
    if (
        unmatched_old
        and unmatched_new
        and len(unmatched_old) <= MAX_PAIRED_FILES
        and len(unmatched_new) <= MAX_PAIRED_FILES
    ):
        # A file whose name changed (`leads-2026-11.csv` to `leads-2026-12.csv`) is the same
        # file of the import when it shares columns: pair the ones sharing the most first.
        shared = sorted(
            (-len({c.name for c in a.columns} & {c.name for c in b.columns}), b.index, a.index)
            for a in unmatched_old
            for b in unmatched_new
        )
        taken_old: set[int] = set()
        for overlap, new_index, old_index in shared:
            if overlap == 0:
                break
            if new_index in pairs or old_index in taken_old:
                continue
            pairs[new_index] = next(f for f in unmatched_old if f.index == old_index)
            taken_old.add(old_index)
        unmatched_old = [f for f in unmatched_old if f.index not in taken_old]
        unmatched_new = [f for f in unmatched_new if f.index not in pairs]
    ordered = [(pairs[f.index], f) for f in new if f.index in pairs]
    return ordered, unmatched_old, unmatched_new


def _diff_file(old: NormalFile, new: NormalFile) -> list[Change]:
    base = f"/files/{new.index}"
    changes: list[Change] = []
    if old.name != new.name:
        changes.append(
            Change(
                "changed",
                "file_name",
                old.name,
                new.name,
                file=new.name,
                minor=True,
                where=f"{base}/fileName",
            )
        )
    for key, json_key in (
        ("format", "fileFormat"),
        ("has_header", "fileImportPage/hasHeader"),
        ("date_format", "dateFormat"),
    ):
        was, now = getattr(old, key), getattr(new, key)
        if was != now:
            changes.append(
                Change("changed", key, was, now, file=new.name, where=f"{base}/{json_key}")
            )
    changes.extend(_diff_columns(old, new))
    return changes


def _diff_columns(old: NormalFile, new: NormalFile) -> list[Change]:
    page = f"/files/{new.index}/fileImportPage"
    old_keyed = _keyed(old.columns)
    new_keyed = _keyed(new.columns)
    repeated = {name for name, k in (*old_keyed, *new_keyed) if k > 1}
    moved = _moved(old_keyed, new_keyed)
    changes: list[Change] = []
    for key, column in new_keyed.items():
        at = partial(
            Change,
            file=new.name,
            column=column.name,
            occurrence=key[1] if key[0] in repeated else None,
            where=f"{page}/columnMappings/{column.index}",
        )
        before = old_keyed.get(key)
        if before is None:
            changes.append(at("added", "column", None, column.summary()))
            continue
        for name, was in before.fields().items():
            now = getattr(column, name)
            if was != now:
                changes.append(at("changed", name, was, now))
        if key in moved:
            changes.append(at("changed", "position", before.index + 1, column.index + 1))
    for key, column in old_keyed.items():
        if key not in new_keyed:
            occurrence = key[1] if key[0] in repeated else None
            changes.append(
                Change(
                    "removed",
                    "column",
                    column.summary(),
                    None,
                    file=new.name,
                    column=column.name,
                    occurrence=occurrence,
                    where=page,
                )
            )
    return changes


def _keyed(columns: Sequence[NormalColumn]) -> dict[tuple[str, int], NormalColumn]:
    """Columns by (name, k): the k-th column of that name (1-based), in the request's order."""
    seen: dict[str, int] = {}
    keyed = {}
    for column in columns:
        seen[column.name] = seen.get(column.name, 0) + 1
        keyed[(column.name, seen[column.name])] = column
    return keyed


def _moved(
    old: Mapping[tuple[str, int], NormalColumn], new: Mapping[tuple[str, int], NormalColumn]
) -> set[tuple[str, int]]:
    """The columns both requests have whose order relative to the others changed: those left
    out of a longest run kept in the same order (a longest increasing subsequence of the old
    positions taken in the new order, O(n log n))."""
    common = [key for key in new if key in old]
    positions = [old[key].index for key in common]
    tails: list[int] = []  # tails[k]: index into common of the smallest tail of a run of k+1
    tail_positions: list[int] = []  # positions[tails[k]], kept sorted for bisect
    previous = [-1] * len(common)
    for i, position in enumerate(positions):
        k = bisect.bisect_left(tail_positions, position)
        if k > 0:
            previous[i] = tails[k - 1]
        if k == len(tails):
            tails.append(i)
            tail_positions.append(position)
        else:
            tails[k] = i
            tail_positions[k] = position
    kept: set[int] = set()
    i = tails[-1] if tails else -1
    while i >= 0:
        kept.add(i)
        i = previous[i]
    return {key for i, key in enumerate(common) if i not in kept}


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


# --- showing -------------------------------------------------------------------------------

_SIGN = {"added": "+", "removed": "-", "changed": "~"}
_FIELD_WORDS = {"id": "identifier", "column_type": "column type"}
_UNSET = {"marketable", "time_zone", "marketing_event", "date_format"}


def change_line(change: Change, names: Mapping[str, str] | None = None) -> str:
    """The change as one line of text; `names` shows object type ids by the spec's names
    (object type id -> name). Control characters in names and values are escaped, so a
    line is always one line."""
    sign = _SIGN[change.kind]
    scope = []
    if change.file is not None:
        scope.append(one_line(change.file))
    if change.column is not None:
        column = f"column {_quoted(change.column)}"
        if change.occurrence is not None:
            column += f" (#{change.occurrence})"
        scope.append(column)
    what = _what(change, names or {})
    line = f"{sign} {': '.join([*scope, what])}" if scope else f"{sign} {what}"
    return line + (" (minor)" if change.minor else "")


def _what(change: Change, names: Mapping[str, str]) -> str:
    f = change.field
    if f == "file":
        summary = change.after if change.kind == "added" else change.before
        columns = list(summary.get("columns", [])) if isinstance(summary, Mapping) else []
        shown = ", ".join(_quoted(c) for c in columns[:SHOWN_COLUMNS])
        more = f", ... ({len(columns)} in all)" if len(columns) > SHOWN_COLUMNS else ""
        verb = "file added" if change.kind == "added" else "file removed"
        return f"{verb}, columns {shown}{more}" if columns else verb
    if f == "column":
        summary = change.after if change.kind == "added" else change.before
        return _column_summary(summary, names)
    if f == "operation":
        return (
            f"operation of {_object_name(change.object, names)} "
            f"{_value(change.before)} -> {_value(change.after)}"
        )
    if f == "name":
        return f"name {_quoted(change.before)} -> {_quoted(change.after)}"
    if f == "file_name":
        return f"file name {_quoted(change.before)} -> {_quoted(change.after)}"
    label = _FIELD_WORDS.get(f, f)
    return f"{label} {_shown(f, change.before, names)} -> {_shown(f, change.after, names)}"


def _shown(field_name: str, value: Any, names: Mapping[str, str]) -> str:
    if value is None:
        return "not set" if field_name in _UNSET else "none"
    if field_name in ("object", "references", "label"):
        return _object_name(value, names)
    if field_name == "association" and isinstance(value, Mapping):
        return f"type {_value(value.get('type_id'))} {_value(value.get('category'))}"
    return _value(value)


def _column_summary(summary: Any, names: Mapping[str, str]) -> str:
    """`property phone of contacts, identifier HUBSPOT_ALTERNATE_ID`, `ignored`, ..."""
    if not isinstance(summary, Mapping):
        return "no mapping"
    if summary.get("ignore") is True:
        return "ignored"
    parts = []
    for key, value in summary.items():
        if key == "object":
            continue
        label = _FIELD_WORDS.get(str(key), str(key))
        parts.append(label if value is True else f"{label} {_shown(key, value, names)}")
    text = ", ".join(parts)
    if "object" in summary:
        owner = _shown("object", summary["object"], names)
        head, sep, rest = text.partition(", ")
        text = f"{head} of {owner}{sep}{rest}" if head else f"object {owner}"
    return text or "no mapping"


def _object_name(object_id: Any, names: Mapping[str, str]) -> str:
    text = _value(object_id)
    if object_id in names:
        return one_line(names[object_id])
    info = standard_objects().get(str(object_id))
    return info.name if info else text


def _value(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return one_line(value)
    return one_line(json.dumps(value, ensure_ascii=False, sort_keys=True))


def _quoted(value: Any) -> str:
    return _value(value) if value is None else json.dumps(_shorten(str(value)), ensure_ascii=False)


def one_line(text: str) -> str:
    """The text on one line: what is not printable (line breaks, escapes, separators) as
    \\uXXXX, so no name can start a line of its own (or a workflow command)."""
    text = _shorten(text)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in text)


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


# --- the spec's side -----------------------------------------------------------------------


def spec_location(change: Change, spec: Spec) -> SpecLocation | None:
    """Where in the spec the change lives: the column, file or key it was compiled from (the
    nearest one the spec writes); None when the spec does not write it (a default)."""
    from specc.compiler import spec_pointer

    if not change.where:
        return None
    pointer = spec_pointer(change.where, spec)
    keys, values = spec.source_map.keys, spec.source_map.values
    probe = pointer
    while probe:
        if probe in keys or probe in values:
            return spec.where(probe)
        probe = probe.rsplit("/", 1)[0]
    return None


def object_names(spec: Spec) -> dict[str, str]:
    """Object type id -> the name the spec gives it (its `objects:` aliases)."""
    return {object_id: alias for alias, object_id in sorted(spec.aliases.items())}


# --- the request compared against --------------------------------------------------------

# A request maps at most 999 columns a file (the schema's bound): 20 such files take some
# 2.5 MB. Past this it is not a request (the bound `specc init --from-request` reads with).
MAX_REQUEST_BYTES = 4 * 1024 * 1024
REQUEST_BOUNDS = JsonBounds(max_bytes=MAX_REQUEST_BYTES)
_REQUEST_HINT = "give the importRequest JSON (as `specc compile` writes it)"
# Schema problems shown at most: a hand-made request may break one rule in every column.
MAX_SCHEMA_PROBLEMS = 50


_SCHEMA_HINT = (
    "HubSpot refuses such a request, so no import ran with it; see `specc schema request`"
)


@dataclass
class SavedRequest:
    """A request read from a file: its JSON, and the schema's diagnostics located in the file
    (none when HubSpot would take it)."""

    request: Any
    diagnostics: list[Diagnostic]


def read_request_json(path: Path, shown: str) -> JsonDocument:
    """The JSON of a saved importRequest, read within REQUEST_BOUNDS: the one way specc reads
    a request file (`specc diff --against`, `specc init --from-request`). Raises InputRefused
    when the file cannot be read, JsonRefused when it is not JSON specc reads."""
    return read_json(path, REQUEST_BOUNDS, shown=shown, size_hint=_REQUEST_HINT)


def read_saved_request(path: Path, shown: str | None = None) -> SavedRequest:
    """The importRequest saved in a file, checked against the bundled request schema.

    The one function here that reads a file (through `read_request_json`). A file that cannot
    be read or is no JSON raises InputError (exit 2: nothing to compare with); a request that
    breaks the schema comes back with a diagnostic (SPC150) at each problem's line and column
    in the file.
    """
    from specc.compiler import request_errors, request_is_valid

    shown = str(path) if shown is None else shown
    try:
        document = read_request_json(path, shown)
    except JsonRefused as refused:
        raise InputError(
            f"{shown}: not an importRequest: it {refused.problem} "
            f"(line {refused.line}, column {refused.column})",
            hint=refused.hint or _REQUEST_HINT,
        ) from None
    text, request = document.text, document.value
    if request_is_valid(request):
        return SavedRequest(request, [])
    from specc.catalog.jsonpos import JsonPositions
    from specc.codes import spec as codes

    positions = JsonPositions(text)
    problems = request_errors(request)
    found = []
    for pointer, message in problems[:MAX_SCHEMA_PROBLEMS]:
        line, column = positions.where(pointer)
        found.append(
            codes.REQUEST_SCHEMA.at(
                f"the saved request breaks the importRequest schema at {pointer or '/'}: {message}",
                spec=SpecLocation(shown, line, column, pointer),
                hint=_SCHEMA_HINT,
            )
        )
    if len(problems) > MAX_SCHEMA_PROBLEMS:
        found.append(
            codes.REQUEST_SCHEMA.at(
                f"the saved request breaks the importRequest schema in {len(problems):,} places; "
                f"the first {MAX_SCHEMA_PROBLEMS} are shown",
                spec=SpecLocation(shown, 1, 1, ""),
                hint=_SCHEMA_HINT,
            )
        )
    return SavedRequest(request, found)


def parse_echoed_request(text: str) -> Any:
    """The importRequest an import's record gives as JSON text (`importRequestJson`), read
    within the bounds of a saved request: it comes from the server. JsonRefused beyond them."""
    return parse_json(text, REQUEST_BOUNDS, "importRequestJson").value


def import_request(record: Mapping[str, Any], import_id: str) -> Any:
    """The importRequest of a past import (`GET /crm/v3/imports/{id}`'s `importRequestJson`),
    which HubSpot may give as the object or as its JSON text. SpeccError when there is none."""
    found = record.get("importRequestJson")
    if isinstance(found, str):
        try:
            found = parse_echoed_request(found)
        except JsonRefused as refused:
            raise SpeccError(
                f"import {import_id}: its importRequestJson is not a request (it "
                f"{refused.problem}, line {refused.line}, column {refused.column})"
            ) from None
    if not isinstance(found, Mapping):
        raise SpeccError(
            f"import {import_id} has no importRequestJson to compare with",
            hint="imports started in HubSpot's import tool may have none; compare with a "
            "saved request instead (--against FILE)",
        )
    return dict(found)


# --- `specc diff`: the spec against a baseline --------------------------------------------


@dataclass
class Baseline:
    """The request a spec is compared with, `against` naming it as the reports do ({"file":
    path} or {"import": id}), and the schema's diagnostics of a saved file."""

    request: Any
    against: dict[str, str]
    diagnostics: list[Diagnostic] = field(default_factory=list)


def saved_baseline(path: Path) -> Baseline:
    """The request saved in `path` (read_saved_request)."""
    saved = read_saved_request(path)
    return Baseline(saved.request, {"file": str(path)}, saved.diagnostics)


def import_baseline(import_id: str, get_import: Callable[[str], Mapping[str, Any]]) -> Baseline:
    """The request of the past import `get_import` fetches (the client's). Any failure to get
    it means there is nothing to compare with (exit 2), never "different" (exit 1), which a
    pipeline would read as a change."""
    try:
        record = get_import(import_id)
    except HubSpotRefused as exc:
        raise SpeccError(f"cannot compare: {exc.message}", hint=exc.hint) from None
    return Baseline(import_request(record, import_id), {"import": import_id.strip()})


def baseline_for(
    saved: Path | None, import_id: str | None, account: Account, on_event: OnEvent
) -> Baseline:
    """What `specc diff` compares with, given exactly one of `saved` and `import_id`: the
    request saved in a file (saved_baseline), or a past import's (import_baseline), fetched
    through a client of `account` (its events to `on_event`), made only then: a saved file
    needs no token."""
    if saved is not None:
        return saved_baseline(saved)
    assert import_id is not None  # the command line gives one or the other
    with account.client(on_event) as client:
        return import_baseline(import_id, client.get_import)


@dataclass
class SpecDiff:
    """The spec's diagnostics (and the saved request's), and when the spec compiled without
    errors its changes against the baseline, each with its place in the spec; `names` are the
    spec's names of the objects."""

    result: Result
    located: list[tuple[Change, SpecLocation | None]] | None = None
    names: dict[str, str] = field(default_factory=dict)

    @property
    def same(self) -> bool:
        return not differ(change for change, _ in self.located or ())

    @property
    def exit_code(self) -> int:
        """`specc diff`'s: 0 for the same request, 1 when they differ or nothing was compared
        (the spec's errors)."""
        return 0 if self.located is not None and self.same else 1


def diff_spec(
    path: Path, options: Options, baseline: Baseline, *, strict: bool = False
) -> SpecDiff:
    """Compile the spec at `path` and compare its request with `baseline`'s; nothing is
    compared when the spec (or with `strict`, a warning) or the saved request has errors."""
    from specc.pipeline import compile_loaded, load_spec

    loaded = load_spec(path, options)
    request, result = compile_loaded(loaded)
    # Located in the saved file (file:line:col), not added to the sources: it is no spec.
    result.extend(baseline.diagnostics)
    result = result.strict_view(strict)
    if request is None or loaded.spec is None or not result.ok():
        return SpecDiff(result)
    changes = diff_requests(baseline.request, request, loaded.spec.aliases)
    located = [(change, spec_location(change, loaded.spec)) for change in changes]
    return SpecDiff(result, located, object_names(loaded.spec))
