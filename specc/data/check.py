"""Every data row of every file, checked the way HubSpot's import would read it.

`check_rows` is the library's entry point (`specc check` after `lint`). For each data file it
streams batches from a reader (specc.tables) and runs, per batch:

- the value of each cell against its column's property (`specc.data.values`). Column-wide and
  in compiled code first: a cell that is empty, that is one of the property's options, or that
  matches the property's accept pattern (a regex every match of which is known to be fine)
  needs nothing more; only the others go through the exact check, one by one, in Python. On a
  clean file that is almost none.
- the row rules, vectorised over the batch: a row whose every cell is blank, an object whose
  every cell is blank, a blank required property on CREATE;
- for identifier columns, a 128-bit hash of each value (in lower case for emails and
  domains). Repeats are found once the file is read, in one grouping over all the hashes
  (a few bytes per row, kept for at most HubSpot's row limit).

What it finds is ordered by row, column and code; the first `max_errors` problems of a file
become diagnostics (the rest are only counted), all errors are counted by error type, and
with `--rejects DIR` the rows with an error are written out in a second, filtering read of
the file. A file that is not UTF-8 or holds NUL bytes yields only that diagnostic: any row of
it may be misread.

The library never prints; `options.progress(file, bytes_done, bytes_total)` reports progress.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from specc.codes import rows as codes
from specc.data.limit import DEFAULT_MAX_ERRORS, FindingsLimit
from specc.data.plan import plan_file
from specc.data.row_checks import BatchCheck
from specc.diagnostics import DataLocation, Diagnostic, Severity
from specc.findings import Allowed, ErrorCounts
from specc.tables.batch import Batch, FileProblem
from specc.tables.parts import MAX_BYTES as PARTS_MAX_BYTES
from specc.tables.parts import FileLimits
from specc.tables.table import Table

if TYPE_CHECKING:
    from specc.catalog.model import Catalog
    from specc.run import Options
    from specc.spec.model import DataFile, Spec

# HubSpot: "individual import files are limited to 1,048,576 rows or 512 MB" (specc.tables.parts).
MAX_BYTES = PARTS_MAX_BYTES

# Header checks whose errors mean the columns cannot be paired with the spec's: the file's
# rows are then not checked (SPC306, several sheets, does not stop the first sheet's rows).
HEADER_BROKEN = frozenset(
    {"SPC300", "SPC301", "SPC302", "SPC303", "SPC304", "SPC305", "SPC307", "SPC308"}
)


@dataclass
class RowsResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    rows_checked: int = 0
    # Errors by the HubSpot errorType they predict (the code where HubSpot has none).
    counts_by_error_type: ErrorCounts = field(default_factory=ErrorCounts)

    @classmethod
    def merged(cls, parts: list[RowsResult]) -> RowsResult:
        """The files' results as one, in the order given."""
        whole = cls()
        for part in parts:
            whole.diagnostics.extend(part.diagnostics)
            whole.rows_checked += part.rows_checked
            whole.counts_by_error_type.update(part.counts_by_error_type)
        return whole


# How a spec's rows are checked once its static checks ran (`check_rows`'s signature):
# `specc.pipeline.check_spec` takes another one where the rows were checked already.
RowsCheck = Callable[["Spec", "Catalog", "Options", list[Diagnostic]], RowsResult]


def check_rows(
    spec: Spec,
    catalog: Catalog,
    options: Options,
    linted: list[Diagnostic],
    *,
    fast: bool = True,
) -> RowsResult:
    """Check every data row of the spec's files. `fast=False` reads CSV files with the exact
    path only and checks every cell exactly (tests compare both ways)."""
    result = RowsResult()
    for data_file in spec.files:
        if not data_file.path.is_file():
            continue  # the header checks said so (SPC300)
        if header_broken(data_file, linted):
            result.diagnostics.append(
                codes.ROWS_NOT_CHECKED.at(
                    f"rows of {data_file.shown_path} not checked: its header does not match "
                    "the spec's columns",
                    hint="fix the header errors above, then check again",
                    spec=spec.where(data_file.pointer),
                    data=DataLocation(data_file.shown_path),
                )
            )
            continue
        checked = FileCheck(spec, data_file, catalog, options, fast=fast).run()
        result.diagnostics.extend(checked.diagnostics)
        result.rows_checked += checked.rows_checked
        result.counts_by_error_type.update(checked.counts_by_error_type)
    return result


def header_broken(data_file: DataFile, linted: list[Diagnostic]) -> bool:
    """Whether an error among `linted` says the file's header does not pair with the spec's
    columns (its rows cannot be read by them)."""
    for d in linted:
        if d.code not in HEADER_BROKEN or d.severity is not Severity.ERROR:
            continue
        if d.data is not None and d.data.file == data_file.shown_path:
            return True
        pointer = d.spec.pointer if d.spec is not None else ""
        if pointer == data_file.pointer or pointer.startswith(data_file.pointer + "/"):
            return True
    return False


# --- one file ---------------------------------------------------------------------------------


class FileCheck:
    """One data file: read in batches (`specc.tables`), each batch checked by the file's plan
    (`specc.data.plan`, `specc.data.row_checks`), what is found limited to what a report
    shows (`specc.data.limit`)."""

    def __init__(
        self, spec: Spec, data_file: DataFile, catalog: Catalog, options: Options, *, fast: bool
    ) -> None:
        self.file = data_file
        self.options = options
        self.fast = fast
        self.shown = data_file.shown_path
        self.table = Table(data_file.path, data_file.format, data_file.has_header)
        self.plan = plan_file(spec, data_file, catalog, fast=fast)
        # HubSpot's per-file limits: `specc import` sends the only file of a spec, a CSV file,
        # in parts when it is over them (a note, SPC472); any other file over them is an error.
        self.limits = FileLimits.from_environ(options.environ)
        self.in_parts = len(spec.files) == 1 and data_file.format == "CSV"
        self.cannot_split = (
            "save the spreadsheet as CSV UTF-8 and point the spec at it: specc import sends "
            "a CSV file over the limits in parts"
            if data_file.format == "SPREADSHEET"
            else "specc import splits only a spec of one file: give each file its own spec "
            "and split it there, or cut the file into parts under the limits"
        )
        self.rows = BatchCheck(
            self.plan, None if self.in_parts else self.limits.rows, self.cannot_split
        )
        limit = options.max_errors if options.max_errors is not None else spec.checks.max_errors
        self.found = FindingsLimit(
            self.shown,
            self.plan.where,
            Allowed.of(spec),
            DEFAULT_MAX_ERRORS if limit is None else limit,
        )
        self.row_limit = options.rows if options.rows is not None else spec.checks.rows
        self.rows_checked = 0

    def run(self) -> RowsResult:
        path = self.file.path
        total = path.stat().st_size
        if total > self.limits.bytes and not self.in_parts:
            self.found.file_diagnostic(
                codes.FILE_TOO_LARGE.at(
                    f"{self.shown} is {_megabytes(total)}; HubSpot takes files up to "
                    f"{_megabytes(self.limits.bytes)}",
                    hint=self.cannot_split,
                    spec=self.plan.where,
                    data=DataLocation(self.shown),
                )
            )
        if self.file.format == "SPREADSHEET" and self._too_large():
            return self._result()
        readable = True
        items = self._read()
        try:
            for item in items:
                if isinstance(item, FileProblem):
                    readable = self._file_problem(item)
                    break
                self.rows_checked += item.size + len(item.events)
                self.found.add(self.rows.check(item))
                if self.options.progress is not None:
                    self.options.progress(self.shown, min(item.bytes_done, total), total)
        finally:
            items.close()
        if readable:
            self.found.add(self.rows.repeats())
            if self.in_parts and self.limits.over(self.rows_checked, total):
                self._sent_in_parts()
            if self.options.rejects is not None:
                from specc.data.rejects import write_rejects

                rows = self._read(prepared=False)
                write_rejects(self.options.rejects, self.file, rows, self.found.failing)
        return self._result()

    def _sent_in_parts(self) -> None:
        """The note that `specc import` sends the file in N parts, N as it will cut them."""
        from specc.tables.parts import PartsError, plan_parts

        try:
            plan = plan_parts(self.file.path, self.file.has_header, self.limits, shown=self.shown)
        except PartsError as exc:
            self.found.file_diagnostic(
                codes.FILE_TOO_LARGE.at(
                    f"{self.shown} is over HubSpot's per-file limits and cannot be cut into "
                    f"parts: {exc.message}",
                    hint=exc.hint or "cut the file into parts under the limits",
                    spec=self.plan.where,
                    data=DataLocation(self.shown),
                )
            )
            return
        over = []
        if plan.rows > self.limits.rows:
            over.append(f"{plan.rows:,} data rows (HubSpot takes {self.limits.rows:,})")
        if plan.size > self.limits.bytes:
            over.append(f"{_megabytes(plan.size)} (HubSpot takes {_megabytes(self.limits.bytes)})")
        self.found.file_diagnostic(
            codes.SENT_IN_PARTS.at(
                f"{self.shown} has {' and '.join(over)}: `specc import` will send it in "
                f"{len(plan.parts)} parts of whole rows, one import each",
                hint="each part is the header and a run of rows under both limits, named "
                '"NAME (part K of N)"',
                spec=self.plan.where,
                data=DataLocation(self.shown),
            )
        )

    def _result(self) -> RowsResult:
        return RowsResult(self.found.diagnostics(), self.rows_checked, self.found.counts)

    def _too_large(self) -> bool:
        """Report a workbook too large inside to open (a zip bomb, cells far apart) before
        a reader builds anything of it in memory."""
        problem = self.table.too_large()
        if problem is None:
            return False
        self.found.file_diagnostic(
            codes.SPREADSHEET_TOO_LARGE.at(
                f"{self.shown} was not opened: {problem}",
                hint="open it in Excel or LibreOffice and save it again as .xlsx, or export "
                "the sheet as CSV UTF-8",
                spec=self.plan.spec.where(f"{self.file.pointer}/path", value=True),
                data=DataLocation(self.shown),
            )
        )
        return True

    def _read(self, *, prepared: bool = True) -> Generator[Batch | FileProblem, None, None]:
        """The file's batches, cut to the rows `--rows` allows; `prepared`: with the work of
        `BatchCheck.prepare` done in the reader's threads."""
        items = self.table.batches(
            len(self.file.columns), fast=self.fast, prepare=self.rows.prepare if prepared else None
        )
        try:
            for item in items:
                if isinstance(item, FileProblem) or self.row_limit is None:
                    yield item
                    continue
                batch = _cut_to(item, self.row_limit)
                if batch is not None:
                    yield batch
                if item.last_row() >= self.row_limit:
                    return
        finally:
            items.close()

    def _file_problem(self, problem: FileProblem) -> bool:
        """Report a problem that ends the file; False when nothing of the file counts."""
        at = DataLocation(self.shown, line=problem.line)
        where = f"line {problem.line}" + (
            f" (byte offset {problem.offset:,})" if problem.offset is not None else ""
        )
        if problem.kind == "spreadsheet":
            self.found.file_diagnostic(
                codes.UNREADABLE_SPREADSHEET.at(
                    f"{self.shown} cannot be read as a spreadsheet: {problem.detail}",
                    hint="open it in Excel or LibreOffice and save it again as .xlsx, or export "
                    "it as CSV UTF-8",
                    spec=self.found.where,
                    data=at,
                )
            )
            return True
        # Every row may be misread: what was found so far is dropped, with the rejects.
        self.found.forget_rows()
        self.rows.forget()
        self.rows_checked = 0
        if problem.kind == "encoding":
            d = codes.NOT_UTF8.at(
                f"{self.shown} is not UTF-8: {problem.detail} at {where}",
                hint='save the file again as "CSV UTF-8" (Excel: Save As > CSV UTF-8), '
                "or convert it, e.g. iconv -f WINDOWS-1252 -t UTF-8",
                spec=self.found.where,
                data=at,
            )
        else:
            d = codes.BINARY_FILE.at(
                f"{self.shown} holds NUL bytes, first at {where}: a binary or UTF-16 file",
                hint='export the data as "CSV UTF-8"; a spreadsheet needs the .xlsx extension',
                spec=self.found.where,
                data=at,
            )
        self.found.file_diagnostic(d)
        return False


def _megabytes(size: int) -> str:
    """A size in MB as HubSpot's limit is read (MiB): 512 MB is 536,870,912 bytes."""
    if size < 1024 * 1024:
        return f"{size:,} bytes"  # the limits tests lower it to
    megabytes = size / 1024 / 1024
    return f"{megabytes:,.0f} MB" if megabytes >= 10 else f"{megabytes:,.1f} MB"


def _cut_to(batch: Batch, limit: int) -> Batch | None:
    """The batch without its rows past row `limit` (None: nothing left)."""
    if batch.last_row() <= limit:
        return batch
    keep = [i for i in range(batch.size) if batch.row_at(i) <= limit]
    events = [e for e in batch.events if e.row <= limit]
    if not keep and not events:
        return None
    count = len(keep)  # rows are in order, so the kept ones come first
    return Batch(
        columns=[c.slice(0, count) for c in batch.columns],
        first_row=batch.first_row,
        first_line=batch.first_line,
        rows=[batch.row_at(i) for i in keep],
        lines=[batch.line_at(i) for i in keep],
        events=events,
        typed={
            j: {i: v for i, v in cells.items() if i < count} for j, cells in batch.typed.items()
        },
        bytes_done=batch.bytes_done,
    )
