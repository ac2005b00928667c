"""The sandbox's CRM records: what its imports created or updated, and the batch read of them.

HubSpot's imports write records, and its CRM objects API reads them back. The sandbox keeps
the records its own imports write, per object, by id and by every identifying property (email,
domain, SKU, `hasUniqueValue` properties), so that

- an import judges each row against them as HubSpot would, with specc.plan's RowJudge: a
  CREATE row whose record exists fails with CREATE_ONLY_IMPORT, an UPDATE row with none with
  UPDATE_ONLY_IMPORT, an UPSERT row updates the record it finds (see `RecordStore.write`);
- `POST /crm/v3/objects/{objectType}/batch/read` (and the dated paths) answers by record id or
  by `idProperty` in the shapes of HubSpot's OpenAPI files: `BatchResponseSimplePublicObject`
  (200), or `BatchResponseSimplePublicObjectWithErrors` (207) naming the inputs it did not find
  in one OBJECT_NOT_FOUND error, as HubSpot does.

So `specc plan`, `specc import` and `specc plan` again tell one story against the sandbox.

Held in memory and bounded: at most MAX_RECORDS records (an import past it still counts its
creates, but the records are not kept) and MAX_TEXT characters of property values (past it, a
record keeps only its identifying properties, which lookups need).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from specc.catalog.model import Catalog
from specc.catalog.objects import standard_objects
from specc.codes import rows as row_codes
from specc.diagnostics import Diagnostic, Severity, shorten
from specc.hubspot.errors import BadJson, load_json
from specc.plan import (
    BATCH_SIZE,
    CASELESS,
    RECORD_ID,
    FileLayout,
    Key,
    RowJudge,
    Write,
    layouts,
    normalize,
    owned_values,
)
from specc.sandbox.rows import data_rows
from specc.sandbox.shapes import error_body, iso
from specc.spec.model import DataFile, Spec

MAX_RECORDS = 1_000_000
MAX_TEXT = 64 << 20
FIRST_RECORD_ID = 1_000_001
# What every record answers with besides the properties asked for, as HubSpot's do.
ALWAYS_SHOWN = ("createdate", "hs_object_id", "lastmodifieddate")
# Files whose rows specc could not pair with the columns: their import writes nothing.
UNREAD_FILE = frozenset({row_codes.ROWS_NOT_CHECKED.code, row_codes.UNREADABLE_SPREADSHEET.code})


@dataclass
class StoredRecord:
    id: str
    object_type_id: str
    properties: dict[str, str]
    created_at: datetime
    updated_at: datetime

    def to_json(self, wanted: Sequence[str]) -> dict[str, Any]:
        """`SimplePublicObject`: the properties asked for (null when the record has none)."""
        shown: dict[str, str | None] = {
            "createdate": iso(self.created_at),
            "hs_object_id": self.id,
            "lastmodifieddate": iso(self.updated_at),
        }
        for name in wanted:
            if name not in ALWAYS_SHOWN:
                shown[name] = self.properties.get(name)
        return {
            "id": self.id,
            "properties": shown,
            "createdAt": iso(self.created_at),
            "updatedAt": iso(self.updated_at),
            "archived": False,
        }


@dataclass
class Written:
    """What one import did to the records: the rows that failed because of them, and the
    (file index, line, object) of every record an UPSERT row updated rather than created."""

    failures: list[Diagnostic] = field(default_factory=list)
    updated: set[tuple[int, int, str]] = field(default_factory=set)


class RecordStore:
    """The records of the sandbox's account (see the module doc). Thread-safe."""

    def __init__(
        self, catalog: Catalog, *, max_records: int = MAX_RECORDS, max_text: int = MAX_TEXT
    ) -> None:
        self.catalog = catalog
        self.max_records = max_records
        self.max_text = max_text
        self.records: dict[str, dict[str, StoredRecord]] = {}  # object -> id -> record
        self._index: dict[Key, dict[str, str]] = {}  # normalized value -> record id
        self._next_id = FIRST_RECORD_ID
        self._text = 0
        self.not_kept = 0  # records created past MAX_RECORDS
        self._lock = threading.RLock()

    def __len__(self) -> int:
        with self._lock:
            return sum(len(by_id) for by_id in self.records.values())

    # -- lookups (specc.plan's Lookup) --

    def find(self, key: Key, value: str) -> str | None:
        """The record whose `key.property` is `value` (normalized), or None."""
        with self._lock:
            if key.property == RECORD_ID:
                return value if value in self.records.get(key.object_type_id, {}) else None
            return self._index.get(key, {}).get(value)

    def read(self, key: Key, values: Sequence[str]) -> dict[str, str]:
        found = {}
        for value in values:
            record = self.find(key, value)
            if record is not None:
                found[value] = record
        return found

    def identifiers(self, object_type_id: str) -> set[str]:
        obj = self.catalog.object(object_type_id)
        return obj.identifiers() if obj is not None else {RECORD_ID}

    def add(
        self, object_type_id: str, properties: Mapping[str, str], record_id: str | None = None
    ) -> str:
        """Put a record in the account as if it had been there all along (for tests and
        dry runs of UPDATE imports); its id, `record_id` or the next free one."""
        with self._lock:
            now = datetime.now(UTC)
            if record_id is None:
                record_id = str(self._next_id)
            elif record_id.isascii() and record_id.isdigit():
                self._next_id = max(self._next_id, int(record_id))
            self._next_id += 1
            record = StoredRecord(record_id, object_type_id, {}, now, now)
            self.records.setdefault(object_type_id, {})[record_id] = record
            self._set(record, {p: v.lower() if p in CASELESS else v for p, v in properties.items()})
            return record_id

    # -- an import --

    def write(self, spec: Spec, diagnostics: Sequence[Diagnostic]) -> Written:
        """Judge the rows of an import that specc's checks passed against the records, write
        the records of the rows that do not fail, and say which rows failed and why.

        `diagnostics` are the checks' findings: a row with an error HubSpot reports is not
        written (it is already a row error), nor is any row of a file whose columns could not
        be paired with its header.
        """
        unread, bad_lines = _checked_out(spec, diagnostics)
        all_layouts = layouts(spec, self.catalog)
        owned = owned_values(all_layouts, _rows)
        written = Written()
        with self._lock:
            for layout in all_layouts:
                if layout.index in unread:
                    continue
                judge = RowJudge(spec, layout, self.find, owned)
                bad = bad_lines.get(layout.index, set())
                for row, (line, cells) in enumerate(_rows(layout.data_file), start=1):
                    if line in bad:
                        continue
                    decision = judge.decide(line, row, cells)
                    if decision.failures:
                        written.failures.extend(decision.failures)
                        continue
                    for write in decision.writes:
                        if write.record_id is None:
                            self._create(write, layout, cells)
                        else:
                            self._update(write.record_id, write, layout, cells)
                            written.updated.add((layout.index, line, write.object_type_id))
        return written

    def _values(self, write: Write, layout: FileLayout, cells: Sequence[str]) -> dict[str, str]:
        values = {}
        for index in write.columns:
            prop = layout.prop(index)
            text = cells[index].strip() if index < len(cells) else ""
            if text and prop != RECORD_ID:  # the id is the record's, never a value to write
                values[prop] = text.lower() if prop in CASELESS else text
        return values

    def _create(self, write: Write, layout: FileLayout, cells: Sequence[str]) -> None:
        oid = write.object_type_id
        if sum(len(by_id) for by_id in self.records.values()) >= self.max_records:
            self.not_kept += 1
            return
        now = datetime.now(UTC)
        record = StoredRecord(str(self._next_id), oid, {}, now, now)
        self._next_id += 1
        self.records.setdefault(oid, {})[record.id] = record
        self._set(record, self._values(write, layout, cells))

    def _update(
        self, record_id: str, write: Write, layout: FileLayout, cells: Sequence[str]
    ) -> None:
        record = self.records.get(write.object_type_id, {}).get(record_id)
        if record is None:
            return  # found by an index entry of a record not kept: nothing to update
        record.updated_at = datetime.now(UTC)
        self._set(record, self._values(write, layout, cells))

    def _set(self, record: StoredRecord, values: Mapping[str, str]) -> None:
        identifying = self.identifiers(record.object_type_id)
        for prop, value in values.items():
            if prop in identifying:
                key = Key(record.object_type_id, prop)
                index = self._index.setdefault(key, {})
                old = record.properties.get(prop)
                old_key = None if old is None else normalize(prop, old)
                if old_key is not None and index.get(old_key) == record.id:
                    del index[old_key]
                new_key = normalize(prop, value)
                if new_key is not None:
                    index[new_key] = record.id
            elif self._text + len(value) > self.max_text:
                continue  # past the bound a record keeps only what finds it
            self._text += len(value) - len(record.properties.get(prop, ""))
            record.properties[prop] = value

    # -- the batch read endpoint --

    def batch_read(
        self, object_type_id: str, query: Mapping[str, str], raw: bytes
    ) -> tuple[int, dict[str, Any]]:
        """`POST {objects}/{objectType}/batch/read`: (status, body) — 200 when every input was
        found, 207 when some were not, 400 for a request HubSpot would refuse."""
        try:
            body = load_json(raw.decode("utf-8"))
        except (UnicodeDecodeError, BadJson) as exc:
            return _invalid(f"Invalid input JSON: {exc}")
        if not isinstance(body, dict):
            return _invalid("The request body must be a JSON object with `inputs`")
        inputs = body.get("inputs")
        if not isinstance(inputs, list):
            return _invalid('`inputs` is required: a list of objects like {"id": "123"}')
        if len(inputs) > BATCH_SIZE:
            return _invalid(f"A batch read takes at most {BATCH_SIZE} inputs, got {len(inputs)}")
        values = []
        for item in inputs:
            given = item.get("id") if isinstance(item, dict) else None
            if not isinstance(given, str | int) or isinstance(given, bool):
                return _invalid("Every input needs an `id`: a string")
            values.append(str(given))
        id_property = body.get("idProperty") or RECORD_ID
        properties = body.get("properties") or []
        if not isinstance(id_property, str):
            return _invalid("`idProperty` must be the name of a property")
        if not isinstance(properties, list) or not all(isinstance(p, str) for p in properties):
            return _invalid("`properties` must be a list of property names")
        if id_property not in self.identifiers(object_type_id):
            return _invalid(
                f"{shorten(id_property)!r} is not a unique identifier property of "
                f"{object_type_id}; use the record id or a property with unique values"
            )
        archived = query.get("archived", "false").lower()
        if archived not in ("true", "false"):
            return _invalid(f"archived must be true or false, not {shorten(archived)!r}")
        now = iso(datetime.now(UTC))
        results: list[dict[str, Any]] = []
        missing: list[str] = []
        shown: set[str] = set()
        key = Key(object_type_id, id_property)
        with self._lock:
            by_id = self.records.get(object_type_id, {})
            for value in values:
                wanted = normalize(id_property, value)
                # The sandbox archives nothing: an archived=true read finds no record.
                found = self.find(key, wanted) if wanted and archived == "false" else None
                if found is None or found not in by_id:
                    missing.append(value)
                elif found not in shown:
                    shown.add(found)
                    results.append(by_id[found].to_json([*properties, id_property]))
        answer: dict[str, Any] = {
            "status": "COMPLETE",
            "results": results,
            "requestedAt": now,
            "startedAt": now,
            "completedAt": now,
        }
        if not missing:
            return 200, answer
        info = standard_objects().get(object_type_id)
        kind = info.legacy_name if info and info.legacy_name else object_type_id
        answer["numErrors"] = 1
        answer["errors"] = [
            {
                "status": "error",
                "category": "OBJECT_NOT_FOUND",
                "message": f"Could not get some {kind} objects, they may be deleted or not "
                "exist. Check that ids are valid.",
                "context": {"ids": missing},
                "errors": [],
                "links": {},
            }
        ]
        return 207, answer


def _invalid(message: str) -> tuple[int, dict[str, Any]]:
    return 400, error_body("VALIDATION_ERROR", message)


def _rows(data_file: DataFile) -> Iterator[tuple[int, list[str]]]:
    return data_rows(data_file.path, data_file.format, data_file.has_header)


def _checked_out(
    spec: Spec, diagnostics: Sequence[Diagnostic]
) -> tuple[set[int], dict[int, set[int]]]:
    """Files whose rows the checks could not read, and per file the lines of rows with an
    error HubSpot reports (those rows fail whatever the records say)."""
    unread: set[int] = set()
    bad: dict[int, set[int]] = {}
    for d in diagnostics:
        if d.severity is not Severity.ERROR:
            continue
        index = _file_index(spec, d)
        if index is None:
            continue
        if d.code in UNREAD_FILE:
            unread.add(index)
        elif d.hubspot_error and d.data is not None and d.data.line:
            bad.setdefault(index, set()).add(d.data.line)
    return unread, bad


def _file_index(spec: Spec, d: Diagnostic) -> int | None:
    """The file a diagnostic is about: by its spec pointer (/files/N...), else its data file."""
    if d.spec is not None and d.spec.pointer.startswith("/files/"):
        head = d.spec.pointer.split("/")[2]
        if head.isdigit() and int(head) < len(spec.files):
            return int(head)
    if d.data is not None:
        for index, data_file in enumerate(spec.files):
            if d.data.file in (data_file.shown_path, data_file.file_name, str(data_file.path)):
                return index
    return None
