"""Imports held by the sandbox: their state machine, and the run that ends them with row errors.

An import starts STARTED, waits while three others are PROCESSING (DEFERRED, as HubSpot does),
then runs every check of `specc check` (`specc.pipeline.check_spec`) on the uploaded bytes and
ends DONE with counters and `PublicImportError`s, or CANCELED when cancelled first. A workbook too
large to open (a zip bomb: `specc.data.workbook_limits`) is refused before any reader touches
it: the import ends FAILED with an INVALID_SPREADSHEET error, as HubSpot ends an import whose
file it cannot read. The rows that pass are judged against the records earlier imports wrote
(`specc.sandbox.records`, in memory): a CREATE row whose record exists fails with
CREATE_ONLY_IMPORT, an UPDATE row with none with UPDATE_ONLY_IMPORT, the others create or
update their records, as `specc plan` predicts.
"""

from __future__ import annotations

import re
import shutil
import sys
import threading
import time
from collections import Counter
from collections.abc import Container
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from specc.catalog.model import Catalog
from specc.catalog.objects import standard_objects
from specc.codes import rows as rows_codes
from specc.diagnostics import Diagnostic, Severity
from specc.run import Options
from specc.sandbox.records import RecordStore
from specc.sandbox.rows import data_rows
from specc.sandbox.shapes import epoch_ms, iso
from specc.spec.model import DataFile, Spec

ACTIVE_STATES = ("STARTED", "PROCESSING", "DEFERRED")
TERMINAL_STATES = ("DONE", "FAILED", "CANCELED", "REVERTED")
FILE_POINTER = re.compile(r"^/files/(\d+)")
# Files whose rows specc could not pair with the columns (a broken header, an unreadable
# workbook): such a file writes no record at all.
UNCHECKED_FILE = frozenset(
    {rows_codes.ROWS_NOT_CHECKED.code, rows_codes.UNREADABLE_SPREADSHEET.code}
)
COLUMN_POINTER = re.compile(r"^/files/\d+/fileImportPage/columnMappings/(\d+)")


@dataclass(frozen=True)
class Timing:
    """How long an import stays in each state; short by default so tests run fast."""

    started: float = 0.02  # seconds in STARTED before processing begins
    processing: float = 0.02  # seconds in PROCESSING after the checks ran
    max_concurrent: int = 3  # imports PROCESSING at once; the others wait DEFERRED


@dataclass(frozen=True)
class StoredFile:
    """One uploaded file, exactly as received. Its copy on disk (`path`) lives until the
    import ends; its digest, rows and, for small files, its bytes stay."""

    file_name: str
    file_id: int
    path: Path
    size: int
    content_type: str | None
    sha256: str = ""
    rows: int | None = None  # a CSV file's data rows
    kept: bytes | None = field(default=None, repr=False)

    @property
    def data(self) -> bytes:
        """The file's bytes: kept in memory when small, else read while the import runs."""
        if self.kept is not None:
            return self.kept
        return self.path.read_bytes()


@dataclass(frozen=True)
class RowError:
    """One `PublicImportError`, held in full; the query decides what a response shows."""

    id: str
    created_at: int  # epoch ms
    error_type: str
    line: int  # 0: the error concerns the whole file
    file_id: int
    row_data: tuple[str, ...]
    message: str
    invalid_value: str | None = None
    column_number: int | None = None  # 0-based
    object_type: str | None = None  # legacy name: CONTACT, COMPANY, ...
    object_type_id: str | None = None

    def to_json(self, include_message: bool, include_row_data: bool) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": self.id,
            "createdAt": self.created_at,
            "errorType": self.error_type,
            "sourceData": {
                "lineNumber": self.line,
                # rowData is required by the schema: empty unless includeRowData asks for it.
                "rowData": list(self.row_data) if include_row_data else [],
                "additionalRowData": [],
                "containsEncryptedProperties": False,
                "fileId": self.file_id,
            },
        }
        if self.invalid_value is not None:
            body["invalidValue"] = self.invalid_value
        if self.column_number is not None:
            body["knownColumnNumber"] = self.column_number
        if self.object_type is not None:
            body["objectType"] = self.object_type
        if self.object_type_id is not None:
            body["objectTypeId"] = self.object_type_id
        if include_message:
            body["errorMessage"] = self.message
        return body


@dataclass
class ImportRecord:
    id: str
    name: str
    request: dict[str, Any]  # the importRequest as parsed
    request_text: str  # ... and exactly as received
    files: dict[str, StoredFile]  # by fileName, in the request's order
    spec: Spec
    api_version: str  # "v3", "2026-03", ...: the path it was created through
    created_at: datetime
    updated_at: datetime
    state: str = "STARTED"
    counters: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    failure: str | None = None  # why it FAILED (a sandbox or checks bug), for test output
    parts: list[tuple[str, str | None, str | None]] = field(
        default_factory=list
    )  # name, filename, type
    list_id: str | None = None  # createContactListFromImport
    finished: threading.Event = field(default_factory=threading.Event, repr=False)

    def touch(self, state: str) -> None:
        self.state = state
        self.updated_at = datetime.now(UTC)
        if state in TERMINAL_STATES:
            self.finished.set()

    def mapped_object_type_ids(self) -> list[str]:
        found = [c.object_type_id for _, c in self.spec.columns() if c.object_type_id]
        return list(dict.fromkeys(found))

    def to_json(self) -> dict[str, Any]:
        """`PublicImportResponse`."""
        object_lists = []
        if self.list_id is not None:
            object_lists.append({"listId": self.list_id, "objectType": "contacts"})
        return {
            "id": self.id,
            "createdAt": iso(self.created_at),
            "updatedAt": iso(self.updated_at),
            "state": self.state,
            "importName": self.name,
            "importSource": "API",
            "optOutImport": False,
            "mappedObjectTypeIds": self.mapped_object_type_ids(),
            "metadata": {
                "counters": dict(self.counters),
                "fileIds": [str(f.file_id) for f in self.files.values()],
                "objectLists": object_lists,
            },
            "importRequestJson": self.request,
        }


class Runner:
    """Runs imports in background threads, as HubSpot's workers would."""

    def __init__(
        self,
        catalog: Catalog,
        timing: Timing,
        lock: threading.RLock,
        stopping: threading.Event,
        records: RecordStore | None = None,
    ) -> None:
        self.catalog = catalog
        self.records = records if records is not None else RecordStore(catalog)
        self.timing = timing
        self.lock = lock
        self.stopping = stopping
        self.slots = threading.BoundedSemaphore(max(1, timing.max_concurrent))

    def start(self, record: ImportRecord, work_folder: Path) -> None:
        thread = threading.Thread(
            target=self._run,
            args=(record, work_folder),
            name=f"sandbox-import-{record.id}",
            daemon=True,
        )
        thread.start()

    def _run(self, record: ImportRecord, work_folder: Path) -> None:
        try:
            self._process(record, work_folder)
        finally:
            # The import has ended (or the server stops): the uploaded files are read no more.
            # A file of 512 MB a part adds up fast over a pipeline's imports.
            shutil.rmtree(work_folder, ignore_errors=True)

    def _process(self, record: ImportRecord, work_folder: Path) -> None:
        if not self._pause(record, self.timing.started):
            return
        if not self._acquire_slot(record):
            return
        try:
            with self.lock:
                if record.state not in ACTIVE_STATES:
                    return
                record.touch("PROCESSING")
            # The delay comes first, so an import stays PROCESSING for it whatever the checks do.
            if not self._pause(record, self.timing.processing):
                return
            refused = unopenable_workbook(record)
            if refused is not None:
                with self.lock:
                    if record.state == "PROCESSING":
                        record.errors = [refused]
                        record.counters = {key: 0 for key in ZERO_COUNTERS} | {"ERRORS": 1}
                        record.failure = refused.message
                        record.touch("FAILED")
                return
            try:
                diagnostics = run_checks(record.spec, self.catalog, work_folder)
                written = self.records.write(record.spec, diagnostics)
                outcome = summarise(record, [*diagnostics, *written.failures], written.updated)
            except Exception as exc:  # a bug in the checks must end the import, not hang it
                with self.lock:
                    if record.state == "PROCESSING":
                        record.failure = f"{type(exc).__name__}: {exc}"
                        record.touch("FAILED")
                return
            with self.lock:
                if record.state != "PROCESSING":
                    return  # cancelled meanwhile
                record.errors = outcome.errors
                record.counters = outcome.counters
                record.failure = outcome.failure
                record.touch("DONE" if outcome.failure is None else "FAILED")
        finally:
            self.slots.release()

    def _pause(self, record: ImportRecord, seconds: float) -> bool:
        """Wait; False when the import ended meanwhile (cancelled) or the server stops."""
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            if record.finished.wait(min(remaining, 0.05)) or self.stopping.is_set():
                return False
        return record.state in ACTIVE_STATES and not self.stopping.is_set()

    def _acquire_slot(self, record: ImportRecord) -> bool:
        if self.slots.acquire(blocking=False):
            return True
        with self.lock:
            if record.state == "STARTED":
                record.touch("DEFERRED")
        while not self.stopping.is_set():
            if self.slots.acquire(timeout=0.02):
                if record.state in ACTIVE_STATES:
                    return True
                self.slots.release()
                return False
            if record.state not in ACTIVE_STATES:
                return False
        return False


ZERO_COUNTERS = ("TOTAL_ROWS", "CREATED_OBJECTS", "UPDATED_OBJECTS", "PROPERTY_VALUES_EMITTED")


def unopenable_workbook(record: ImportRecord) -> RowError | None:
    """The error of the first spreadsheet too large to open, checked before any reader opens
    it (calamine builds a whole sheet in memory: a 1 MB bomb asks for gigabytes)."""
    from specc.data.workbook_limits import workbook_problem

    files = list(record.files.values())
    for index, data_file in enumerate(record.spec.files):
        if data_file.format != "SPREADSHEET":
            continue
        problem = workbook_problem(data_file.path)
        if problem is None:
            continue
        object_id = data_file.object_type_id
        info = standard_objects().get(object_id or "")
        return RowError(
            id=f"{record.id}-1",
            created_at=epoch_ms(datetime.now(UTC)),
            error_type=rows_codes.UNREADABLE_SPREADSHEET.hubspot_error or "INVALID_SPREADSHEET",
            line=0,  # the whole file
            file_id=files[index].file_id if index < len(files) else 0,
            row_data=(),
            message=f"{data_file.file_name} cannot be opened: {problem}",
            object_type=info.legacy_name if info else None,
            object_type_id=object_id,
        )
    return None


def run_checks(spec: Spec, catalog: Catalog, work_folder: Path) -> list[Diagnostic]:
    """The checks `specc check` runs (`specc.pipeline.check_spec`), on the uploaded files and
    against the catalog the sandbox serves.

    Every error is kept: HubSpot lists all of an import's errors, so no `max_errors` cut.
    """
    from specc.pipeline import check_spec

    options = Options(
        environ={}, cwd=work_folder, data_roots=(work_folder,), max_errors=sys.maxsize
    )
    return check_spec(spec, options, catalog=catalog).diagnostics


@dataclass(frozen=True)
class Outcome:
    errors: list[RowError]
    counters: dict[str, int]
    # Why the import FAILED: a file specc could not pair with its columns, for a reason
    # HubSpot has no row error for (the docs: such an import errs "when it is started").
    failure: str | None = None


def summarise(
    record: ImportRecord,
    diagnostics: list[Diagnostic],
    updated: Container[tuple[int, int, str]] = frozenset(),
) -> Outcome:
    """The import's row errors (HubSpot's errorTypes only), its counters, and any failure.

    `updated`: the (file, line, object) of the records UPSERT rows updated (RecordStore.write).
    """
    spec = record.spec
    now = epoch_ms(datetime.now(UTC))
    failing = [d for d in diagnostics if d.severity is Severity.ERROR and d.hubspot_error]
    placed = [(_file_index(spec, d), d) for d in failing]
    bad_lines: dict[int, set[int]] = {}
    for index, d in placed:
        if index is not None and d.data is not None and d.data.line:
            bad_lines.setdefault(index, set()).add(d.data.line)
    # A file whose header cannot be paired with its columns writes nothing (its rows were
    # not checked one by one, so no row has its own error).
    unreadable = {
        index
        for index, d in ((_file_index(spec, d), d) for d in diagnostics if d.code in UNCHECKED_FILE)
        if index is not None
    }

    counters: Counter[str] = Counter()
    row_cells: dict[tuple[int, int], tuple[str, ...]] = {}
    for index, data_file in enumerate(spec.files):
        for line, cells in data_rows(data_file.path, data_file.format, data_file.has_header):
            counters["TOTAL_ROWS"] += 1
            if line in bad_lines.get(index, ()):
                row_cells[(index, line)] = tuple(cells)
                continue
            if index in unreadable:
                continue
            _count_writes(spec, data_file, cells, counters, updated, (index, line))
    counters["UNIQUE_OBJECTS_WRITTEN"] = counters["CREATED_OBJECTS"] + counters["UPDATED_OBJECTS"]

    files = list(record.files.values())
    errors: list[RowError] = []
    for index, d in sorted(placed, key=lambda item: _order(spec, item)):
        line = d.data.line if d.data and d.data.line else 0
        column_number = _column_index(spec, index, d)
        object_id = None
        if index is not None:
            errored_file = spec.files[index]
            if column_number is not None and column_number < len(errored_file.columns):
                object_id = errored_file.columns[column_number].object_type_id
            object_id = object_id or errored_file.object_type_id
        info = standard_objects().get(object_id or "")
        errors.append(
            RowError(
                id=f"{record.id}-{len(errors) + 1}",
                created_at=now,
                error_type=str(d.hubspot_error),
                line=line,
                # An error of no particular file (the request's) is filed under the first one.
                file_id=files[index or 0].file_id if files else 0,
                row_data=row_cells.get((index, line), ()) if index is not None else (),
                message=d.message,
                invalid_value=d.data.value if d.data else None,
                column_number=column_number,
                object_type=info.legacy_name if info else None,
                object_type_id=object_id,
            )
        )
    counters["ERRORS"] = len(errors)
    for key in ZERO_COUNTERS:
        counters.setdefault(key, 0)
    untyped = unreadable - {index for index, _ in placed}
    failure = None
    if untyped:
        failure = (
            "; ".join(
                d.message
                for d in diagnostics
                if d.severity is Severity.ERROR and _file_index(spec, d) in untyped
            )
            or "a file's rows could not be read"
        )
    return Outcome(errors, dict(counters), failure)


def _count_writes(
    spec: Spec,
    data_file: DataFile,
    cells: list[str],
    counters: Counter[str],
    updated: Container[tuple[int, int, str]] = frozenset(),
    at: tuple[int, int] = (-1, 0),
) -> None:
    """What one clean row writes: a record per object with a value in it, and its values."""
    written: set[str] = set()
    for number, column in enumerate(data_file.columns):
        if not column.is_property or column.object_type_id is None:
            continue
        if number < len(cells) and cells[number].strip():
            counters["PROPERTY_VALUES_EMITTED"] += 1
            written.add(column.object_type_id)
    for object_id in written:
        if spec.operation(object_id) == "UPDATE" or (*at, object_id) in updated:
            counters["UPDATED_OBJECTS"] += 1
        else:
            counters["CREATED_OBJECTS"] += 1


def _file_index(spec: Spec, d: Diagnostic) -> int | None:
    if d.spec is not None:
        found = FILE_POINTER.match(d.spec.pointer)
        if found and int(found.group(1)) < len(spec.files):
            return int(found.group(1))
    if d.data is not None:
        for index, data_file in enumerate(spec.files):
            if d.data.file in (data_file.shown_path, data_file.file_name, str(data_file.path)):
                return index
    return None


def _column_index(spec: Spec, file_index: int | None, d: Diagnostic) -> int | None:
    if file_index is None:
        return None
    if d.spec is not None:
        found = COLUMN_POINTER.match(d.spec.pointer)
        if found:
            return int(found.group(1))
    if d.data is not None and d.data.column is not None:
        for number, column in enumerate(spec.files[file_index].columns):
            if column.name == d.data.column:
                return number
    return None


def _order(spec: Spec, item: tuple[int | None, Diagnostic]) -> tuple[int, int, int]:
    index, d = item
    line = d.data.line if d.data and d.data.line else 0
    column = _column_index(spec, index, d)
    return (-1 if index is None else index, line, -1 if column is None else column)
