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

from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from specc.codes import Code
from specc.codes import rows as codes
from specc.diagnostics import (
    DataLocation,
    Diagnostic,
    Severity,
    SpecLocation,
    shorten,
)
from specc.findings import Allowed, ErrorCounts
from specc.tables.batch import Batch, FileProblem, RowEvent
from specc.tables.cells import cell_text
from specc.tables.table import Table

if TYPE_CHECKING:
    import polars as pl

    from specc.catalog.model import Catalog, Property
    from specc.data.columns import Blanks
    from specc.run import Options
    from specc.spec.model import Column, DataFile, Spec

# HubSpot: "individual import files are limited to 1,048,576 rows or 512 MB".
MAX_ROWS = 1_048_576
MAX_BYTES = 512 * 1024 * 1024
DEFAULT_MAX_ERRORS = 1000

# Header checks whose errors mean the columns cannot be paired with the spec's: the file's
# rows are then not checked (SPC306, several sheets, does not stop the first sheet's rows).
HEADER_BROKEN = frozenset(
    {"SPC300", "SPC301", "SPC302", "SPC303", "SPC304", "SPC305", "SPC307", "SPC308"}
)

# Identifier values compare as HubSpot stores them: emails and domains in lower case.
_CASELESS_KINDS = frozenset({"email", "domain"})
# Two independent 64-bit hashes make a value's key: a false "repeated" needs both to collide.
_SEEDS = (0x5EC0_0001, 0x5EC0_0002)


@dataclass
class RowsResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    rows_checked: int = 0
    # Errors by the HubSpot errorType they predict (the code where HubSpot has none).
    counts_by_error_type: ErrorCounts = field(default_factory=ErrorCounts)


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
        if _header_broken(data_file, linted):
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


def _header_broken(data_file: DataFile, linted: list[Diagnostic]) -> bool:
    for d in linted:
        if d.code not in HEADER_BROKEN or d.severity is not Severity.ERROR:
            continue
        if d.data is not None and d.data.file == data_file.shown_path:
            return True
        pointer = d.spec.pointer if d.spec is not None else ""
        if pointer == data_file.pointer or pointer.startswith(data_file.pointer + "/"):
            return True
    return False


# --- the plan for one file -------------------------------------------------------------------


@dataclass
class ColumnPlan:
    index: int
    column: Column
    where: SpecLocation
    prop: Property | None = None
    check: Any = None  # text cell -> Problem | None
    check_typed: Any = None  # typed spreadsheet cell -> Problem | None
    accept: str | None = None  # regex; "" means any text of bounded length
    literals: frozenset[str] | None = None  # `accept` as a set of strings, when it is one
    dedupe: Code | None = None
    caseless: bool = False


@dataclass
class Prepared:
    """What `FileCheck.prepare` finds in a batch's columns (see there)."""

    lengths: list[Any]  # per column, each cell's length in bytes
    matched: dict[int, Any] = field(default_factory=dict)  # column -> accept test per cell
    keys: dict[int, Any] = field(default_factory=dict)  # column -> polars frame h1, h2, at


@dataclass(frozen=True)
class Finding:
    """One problem, before it becomes a diagnostic (past --max-errors it never does)."""

    row: int
    column: int  # the column's index; -1: the whole row
    code: Code
    severity: Severity
    message: str
    hint: str | None
    spec: SpecLocation
    line: int | None
    column_name: str | None = None
    value: str | None = None

    @property
    def order(self) -> tuple[int, int, str]:
        return (self.row, self.column, self.code.code)

    def diagnostic(self, shown: str) -> Diagnostic:
        return self.code.at(
            self.message,
            hint=self.hint,
            severity=self.severity,
            spec=self.spec,
            data=DataLocation(shown, self.line, self.row, self.column_name, self.value),
        )


class FileCheck:
    def __init__(
        self, spec: Spec, data_file: DataFile, catalog: Catalog, options: Options, *, fast: bool
    ) -> None:
        self.spec = spec
        self.file = data_file
        self.catalog = catalog
        self.options = options
        self.fast = fast
        self.shown = data_file.shown_path
        self.where_file = spec.where(data_file.pointer)
        self.table = Table(data_file.path, data_file.format, data_file.has_header)
        self.plans = [self._plan(j, c) for j, c in enumerate(data_file.columns)]
        # A stage of the row's pipeline: the one value rule over two columns (format 2).
        from specc.data.values.rows_account import stage_rules

        self.stage_rules = stage_rules(data_file, catalog)
        self.objects = self._objects()
        self.required = self._required()
        limit = options.max_errors if options.max_errors is not None else spec.checks.max_errors
        self.max_shown = DEFAULT_MAX_ERRORS if limit is None else max(0, limit)
        self.row_limit = options.rows if options.rows is not None else spec.checks.rows
        self.allowed = Allowed.of(spec)
        self.kept: list[Finding] = []  # the first problems, at most 2 * max_shown
        self.file_level: list[Diagnostic] = []
        self.hidden = {Severity.ERROR: 0, Severity.WARNING: 0, Severity.INFO: 0}
        self.counts = ErrorCounts()
        self.failing: set[int] = set()  # rows with an error, for --rejects
        self.rows_checked = 0
        self.over_row_limit_reported = False
        # Per identifier column: the hashes of its values, batch by batch (see _repeats).
        self.keys: dict[int, list[pl.DataFrame]] = {}
        self.numbering: list[_Numbering] = []

    # -- planning --

    def _plan(self, j: int, column: Column) -> ColumnPlan:
        plan = ColumnPlan(j, column, self.spec.where(column.pointer))
        if not column.is_property or column.object_type_id is None or column.property is None:
            return plan
        oid = column.object_type_id
        prop = self.catalog.property(oid, column.property)
        plan.prop = prop
        column_type = None
        if column.id:
            column_type = (
                "HUBSPOT_OBJECT_ID" if column.property == "hs_object_id" else "HUBSPOT_ALTERNATE_ID"
            )
        kind = None
        if prop is not None:
            from specc.data import values
            from specc.data.columns import literal_alternatives

            settings: dict[str, Any] = {
                "date_format": self.spec.date_format,
                "snapshot": self.catalog.is_snapshot,
                "column_type": column_type,
                "object_type_id": oid,
                "catalog": self.catalog,
            }
            plan.check = values.checker_for(prop, **settings)
            plan.check_typed = values.typed_checker_for(prop, **settings)
            pattern = values.accept_pattern(prop, **settings)
            plan.accept = "" if pattern == f"^(?:{values.ANY_TEXT})$" else pattern
            if plan.accept:
                plan.literals = literal_alternatives(plan.accept)
            kind = values.kind_of(prop, column_type=column_type, object_type_id=oid).value
        plan.dedupe = self._dedupe_code(column, prop)
        plan.caseless = kind in _CASELESS_KINDS or (
            kind is None and column.property in ("email", "domain")
        )
        return plan

    def _dedupe_code(self, column: Column, prop: Property | None) -> Code | None:
        """Which duplicate rule the column's values follow, if any.

        Only the file's own object: in a file that also holds, say, each contact's company,
        many rows rightly name the same company.
        """
        oid = column.object_type_id
        main = self.file.object_type_id
        if main is not None and oid != main:
            return None
        if column.property == "hs_object_id":
            return codes.DUPLICATE_OBJECT_ID
        if column.id:
            return codes.DUPLICATE_ALTERNATE_ID
        obj = self.catalog.object(oid) if oid else None
        if obj is not None and column.property in obj.alternate_ids:
            # KB: "If you're using a custom unique value property to deduplicate companies,
            # the Company domain name property will not require unique values" (nor with the
            # record id as the key, the weaker reading).
            keyed = any(
                c.id and c is not column and c.object_type_id == oid for c in self.file.columns
            )
            if oid == "0-2" and column.property == "domain" and keyed:
                return None
            return codes.DUPLICATE_ALTERNATE_ID
        if prop is not None and prop.has_unique_value:
            return codes.DUPLICATE_UNIQUE_VALUE
        return None

    def _objects(self) -> dict[str, list[int]]:
        """Object type id -> indices of the columns that write its properties."""
        found: dict[str, list[int]] = {}
        for plan in self.plans:
            c = plan.column
            if c.is_property and c.object_type_id is not None:
                found.setdefault(c.object_type_id, []).append(plan.index)
        return found

    def _required(self) -> list[tuple[str, list[int], str]]:
        """(object, columns of which one must be filled, what to say) for CREATE objects."""
        needs: list[tuple[str, list[int], str]] = []
        for oid, indices in self.objects.items():
            if self.spec.operation(oid) != "CREATE":
                continue
            obj = self.catalog.object(oid)
            if obj is None or obj.required.empty:
                continue
            by_name: dict[str, list[int]] = {}
            for j in indices:
                name = self.plans[j].column.property
                if name is not None:
                    by_name.setdefault(name, []).append(j)
            for name in obj.required.all_of:
                for j in by_name.get(name, []):
                    needs.append((oid, [j], f"{name} is required to create {obj.name}"))
            for group in obj.required.one_of:
                mapped = sorted(j for name in group for j in by_name.get(name, []))
                if mapped:
                    names = ", ".join(group)
                    needs.append((oid, mapped, f"one of {names} is required to create {obj.name}"))
        return needs

    # -- running --

    def run(self) -> RowsResult:
        path = self.file.path
        total = path.stat().st_size
        if total > MAX_BYTES:
            self._file_diagnostic(
                codes.FILE_TOO_LARGE.at(
                    f"{self.shown} is {total / 1024 / 1024:,.0f} MB; HubSpot takes files up to "
                    "512 MB",
                    hint="split the file and import the parts one after the other",
                    spec=self.where_file,
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
                self._batch(item)
                if self.options.progress is not None:
                    self.options.progress(self.shown, min(item.bytes_done, total), total)
        finally:
            items.close()
        if readable:
            self._repeats()
            if self.options.rejects is not None:
                from specc.data.rejects import write_rejects

                rows = self._read(prepared=False)
                write_rejects(self.options.rejects, self.file, rows, self.failing)
        return self._result()

    def _too_large(self) -> bool:
        """Report a workbook too large inside to open (a zip bomb, cells far apart) before
        python-calamine builds its first sheet in memory."""
        problem = self.table.too_large()
        if problem is None:
            return False
        self._file_diagnostic(
            codes.SPREADSHEET_TOO_LARGE.at(
                f"{self.shown} was not opened: {problem}",
                hint="open it in Excel or LibreOffice and save it again as .xlsx, or export "
                "the sheet as CSV UTF-8",
                spec=self.spec.where(f"{self.file.pointer}/path", value=True),
                data=DataLocation(self.shown),
            )
        )
        return True

    def _read(self, *, prepared: bool = True) -> Generator[Batch | FileProblem, None, None]:
        """The file's batches, cut to the rows `--rows` allows; `prepared`: with the work of
        `prepare` done in the reader's threads."""
        items = self.table.batches(
            len(self.file.columns), fast=self.fast, prepare=self.prepare if prepared else None
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

    def _result(self) -> RowsResult:
        self.kept.sort(key=lambda f: f.order)
        for finding in self.kept[self.max_shown :]:
            self.hidden[finding.severity] += 1
        diagnostics = list(self.file_level)
        diagnostics.extend(f.diagnostic(self.shown) for f in self.kept[: self.max_shown])
        hidden = sum(self.hidden.values())
        if hidden:
            diagnostics.append(self._more_not_shown(hidden))
        return RowsResult(diagnostics, self.rows_checked, self.counts)

    def _file_problem(self, problem: FileProblem) -> bool:
        """Report a problem that ends the file; False when nothing of the file counts."""
        at = DataLocation(self.shown, line=problem.line)
        where = f"line {problem.line}" + (
            f" (byte offset {problem.offset:,})" if problem.offset is not None else ""
        )
        if problem.kind == "spreadsheet":
            self._file_diagnostic(
                codes.UNREADABLE_SPREADSHEET.at(
                    f"{self.shown} cannot be read as a spreadsheet: {problem.detail}",
                    hint="open it in Excel or LibreOffice and save it again as .xlsx, or export "
                    "it as CSV UTF-8",
                    spec=self.where_file,
                    data=at,
                )
            )
            return True
        # Every row may be misread: what was found so far is dropped, with the rejects.
        self.kept.clear()
        # file-level errors (the size limit) still count
        self.counts = ErrorCounts().errors(self.file_level)
        self.failing.clear()
        self.keys.clear()
        self.numbering.clear()
        self.rows_checked = 0
        self.hidden = dict.fromkeys(self.hidden, 0)
        if problem.kind == "encoding":
            d = codes.NOT_UTF8.at(
                f"{self.shown} is not UTF-8: {problem.detail} at {where}",
                hint='save the file again as "CSV UTF-8" (Excel: Save As > CSV UTF-8), '
                "or convert it, e.g. iconv -f WINDOWS-1252 -t UTF-8",
                spec=self.where_file,
                data=at,
            )
        else:
            d = codes.BINARY_FILE.at(
                f"{self.shown} holds NUL bytes, first at {where}: a binary or UTF-16 file",
                hint='export the data as "CSV UTF-8"; a spreadsheet needs the .xlsx extension',
                spec=self.where_file,
                data=at,
            )
        self._file_diagnostic(d)
        return False

    def _file_diagnostic(self, d: Diagnostic) -> None:
        if self.allowed.allows(d.code, d.spec.pointer if d.spec else ""):
            return
        self.file_level.append(d)
        self.counts.errors([d])

    def _more_not_shown(self, hidden: int) -> Diagnostic:
        parts = [
            f"{n:,} {name}{'s' if n != 1 else ''}"
            for n, name in (
                (self.hidden[Severity.ERROR], "error"),
                (self.hidden[Severity.WARNING], "warning"),
                (self.hidden[Severity.INFO], "note"),
            )
            if n
        ]
        return codes.MORE_NOT_SHOWN.at(
            f"{hidden:,} more problems in {self.shown} not shown ({', '.join(parts)}); "
            f"the limit is {self.max_shown:,} per file",
            hint="raise it with --max-errors N or `checks: max_errors:`; the summary counts "
            "them all",
            spec=self.where_file,
            data=DataLocation(self.shown),
        )

    def _add(self, findings: list[Finding]) -> None:
        """Count the findings; keep the first ones (by row) for the report."""
        for finding in findings:
            if self.allowed.allows(finding.code.code, finding.spec.pointer):
                continue
            if finding.severity is Severity.ERROR:
                self.counts.error(finding.code.code, finding.code.hubspot_error)
                self.failing.add(finding.row)
            self.kept.append(finding)
        if len(self.kept) > 2 * max(self.max_shown, 1000):
            self.kept.sort(key=lambda f: f.order)
            for dropped in self.kept[self.max_shown :]:
                self.hidden[dropped.severity] += 1
            del self.kept[self.max_shown :]

    # -- one batch --

    def _batch(self, batch: Batch) -> None:
        from specc.data import columns as col

        self.rows_checked += batch.size + len(batch.events)
        findings = [self._event(event) for event in batch.events]
        findings.extend(self._row_limit(batch))
        if batch.size:
            prepared = batch.prepared
            if not isinstance(prepared, Prepared):
                prepared = self.prepare(batch.columns)
            self._remember_keys(batch, prepared)
            findings.extend(self._values(batch, prepared))
            for rule in self.stage_rules:
                plan = self.plans[rule.stage]
                findings.extend(
                    self._problem(batch, plan, i, text, problem)
                    for i, text, problem in rule.check(batch.columns)
                )
            findings.extend(self._row_rules(batch, col.Blanks(batch.columns, prepared.lengths)))
        self._add(findings)

    def prepare(self, columns: list[Any]) -> Prepared:
        """Everything about a batch that needs its cells only, not its row numbers, in
        compiled code: byte lengths, option lookups, and one polars pass (its threads run the
        columns in parallel) for the accept patterns and the identifier keys.

        Thread-safe: the CSV reader runs it in its worker threads, beside the parse of the
        next chunk, while this thread checks the previous batch."""
        import polars as pl
        import pyarrow as pa

        from specc.data import columns as col
        from specc.data.values.base import STRIP_CHARS

        prepared = Prepared([col.byte_lengths(c) for c in columns])
        for plan in self.plans:
            if self.fast and plan.check is not None and plan.literals is not None:
                prepared.matched[plan.index] = col.in_set(columns[plan.index], plan.literals)
        regexes = {
            p.index: p.accept
            for p in self.plans
            if self.fast and p.check is not None and p.accept and p.literals is None
        }
        dedupe = [p for p in self.plans if p.dedupe is not None]
        if not regexes and not dedupe:
            return prepared
        used = sorted({*regexes, *(p.index for p in dedupe)})
        frame = pl.from_arrow(pa.table({f"c{j}": columns[j] for j in used}), rechunk=False)
        assert isinstance(frame, pl.DataFrame)
        exprs = [
            pl.col(f"c{j}").str.contains(pattern).alias(f"m{j}") for j, pattern in regexes.items()
        ]
        for plan in dedupe:
            key = pl.col(f"c{plan.index}").str.strip_chars(STRIP_CHARS)
            if plan.caseless:
                key = key.str.to_lowercase()
            exprs.append(key.alias(f"k{plan.index}"))
        result = frame.lazy().select(exprs).collect()
        for j in regexes:
            prepared.matched[j] = result[f"m{j}"].to_arrow()
        for plan in dedupe:
            keyed = result[f"k{plan.index}"]
            prepared.keys[plan.index] = pl.DataFrame(
                {
                    "h1": keyed.hash(_SEEDS[0]),
                    "h2": keyed.hash(_SEEDS[1]),
                    "at": pl.int_range(0, len(keyed), dtype=pl.UInt32, eager=True),
                }
            ).filter(keyed != "")
        return prepared

    def _remember_keys(self, batch: Batch, prepared: Prepared) -> None:
        """Keep the identifier keys (hashes and positions, a few bytes a row) and the
        batch's numbering, for `_repeats`. The cells themselves stay in Arrow's column, which
        the parse made anyway."""
        if batch.first_row > MAX_ROWS or not prepared.keys:
            return  # HubSpot takes no rows past its limit, so they need no memory
        import polars as pl

        number = len(self.numbering)
        self.numbering.append(
            _Numbering(batch.first_row, batch.first_line, batch.rows, batch.lines, {})
        )
        for j, keys in prepared.keys.items():
            self.numbering[number].cells[j] = batch.columns[j]
            self.keys.setdefault(j, []).append(
                keys.with_columns(pl.lit(number, dtype=pl.UInt32).alias("batch"))
            )

    def _cell(
        self,
        batch: Batch,
        i: int,
        j: int,
        code: Code,
        message: str,
        hint: str | None,
        *,
        value: str | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        plan = self.plans[j]
        return Finding(
            row=batch.row_at(i),
            column=j,
            code=code,
            severity=severity or code.severity,
            message=message,
            hint=hint,
            spec=plan.where,
            line=batch.line_at(i),
            column_name=plan.column.name,
            value=None if value is None else shorten(value),
        )

    def _whole_row(
        self, row: int, line: int, code: Code, message: str, hint: str, value: str | None = None
    ) -> Finding:
        return Finding(
            row=row,
            column=-1,
            code=code,
            severity=code.severity,
            message=message,
            hint=hint,
            spec=self.where_file,
            line=line,
            value=None if value is None else shorten(value),
        )

    # -- structure --

    def _event(self, event: RowEvent) -> Finding:
        if event.kind == "cells":
            found = len(event.cells)
            return self._whole_row(
                event.row,
                event.line,
                codes.WRONG_CELL_COUNT,
                f"row {event.row} has {found} cell{'s' if found != 1 else ''}; the header has "
                f"{len(self.file.columns)}",
                "quote cells that hold commas, and give every row one cell per column",
                ",".join(cell_text(c) for c in event.cells),
            )
        if event.kind == "long":
            return self._whole_row(
                event.row,
                event.line,
                codes.ROW_TOO_LONG,
                f"row {event.row} is {event.detail}: longer than any row of "
                f"{len(self.file.columns)} columns HubSpot can import (a cell holds at most "
                "65,536 characters); it was passed over and the rows after it checked",
                "shorten the cell or split the row; make sure the file's lines end with line "
                "breaks and every quote that opens a cell closes it",
                event.raw,
            )
        what = (
            "a quote opens a cell and never closes; the rest of the file is not checked"
            if event.fatal
            else f"its quoting breaks the CSV rules ({event.detail})"
        )
        return self._whole_row(
            event.row,
            event.line,
            codes.UNPARSEABLE_ROW,
            f"row {event.row} cannot be parsed: {what}",
            'quote the whole cell and double the quotes inside it ("a ""b"" c")',
            event.raw.rstrip("\r\n"),
        )

    def _row_limit(self, batch: Batch) -> list[Finding]:
        if self.over_row_limit_reported or batch.last_row() <= MAX_ROWS:
            return []
        self.over_row_limit_reported = True
        numbers = [(batch.row_at(i), batch.line_at(i)) for i in range(batch.size)]
        numbers += [(e.row, e.line) for e in batch.events]
        row, line = min((r, n) for r, n in numbers if r > MAX_ROWS)
        return [
            self._whole_row(
                row,
                line,
                codes.TOO_MANY_ROWS,
                f"{self.shown} has more than {MAX_ROWS:,} data rows, HubSpot's limit per file; "
                f"row {row:,} is the first over it",
                "split the file and import the parts one after the other",
            )
        ]

    # -- values --

    def _values(self, batch: Batch, prepared: Prepared) -> list[Finding]:
        """Cells that are not plainly fine by their column's fast test, checked exactly."""
        lengths = prepared.lengths
        matched = prepared.matched
        import pyarrow.compute as pc

        from specc.data import columns as col
        from specc.data.values import FAST_PATH_MAX_CHARS

        checked = [p for p in self.plans if p.check is not None]
        findings: list[Finding] = []
        for plan in checked:
            j = plan.index
            column = batch.columns[j]
            nonempty = pc.greater(lengths[j], 0)
            # Byte lengths bound character lengths: a cell of at most that many bytes is
            # short enough for the accept pattern's promise.
            long = pc.greater(lengths[j], FAST_PATH_MAX_CHARS)
            if not self.fast or plan.accept is None:
                needs = nonempty
            elif plan.accept == "":
                needs = pc.and_(nonempty, long)
            elif plan.literals is not None:
                needs = pc.and_(nonempty, pc.invert(matched[j]))
            else:
                needs = pc.and_(nonempty, pc.or_(long, pc.invert(matched[j])))
            typed = batch.typed.get(j, {})
            at = col.indices(needs)
            if at:
                texts = pc.take(column, at).to_pylist()
                findings.extend(self._check_texts(batch, plan, at, texts, typed))
            for i in sorted(typed):
                problem = plan.check_typed(typed[i])
                if problem is not None:
                    findings.append(self._problem(batch, plan, i, column[i].as_py(), problem))
        return findings

    def _check_texts(
        self, batch: Batch, plan: ColumnPlan, at: list[int], texts: list[str], typed: dict[int, Any]
    ) -> Iterator[Finding]:
        from specc.data.values.base import STRIP_CHARS

        known: dict[str, Any] = {}  # the same bad value, checked once
        for i, text in zip(at, texts, strict=True):
            if i in typed:
                continue  # judged as the typed cell it is
            if not text.strip(STRIP_CHARS):
                continue  # blank: no value (the row rules see to blank rows and objects)
            if text in known:
                problem = known[text]
            else:
                problem = known[text] = plan.check(text)
            if problem is not None:
                yield self._problem(batch, plan, i, text, problem)

    def _problem(self, batch: Batch, plan: ColumnPlan, i: int, text: str, problem: Any) -> Finding:
        return self._cell(
            batch,
            i,
            plan.index,
            problem.code,
            problem.message,
            problem.hint,
            value=text,
            severity=problem.severity,
        )

    # -- rows --

    def _row_rules(self, batch: Batch, blanks: Blanks) -> list[Finding]:
        blank_rows = blanks.where_all(list(range(len(self.plans))))
        findings = [
            self._whole_row(
                batch.row_at(i),
                batch.line_at(i),
                codes.BLANK_ROW,
                f"row {batch.row_at(i)} is blank",
                "delete the row",
            )
            for i in blank_rows
        ]
        skip = set(blank_rows)
        empty_objects: dict[str, set[int]] = {}
        for oid, members in self.objects.items():
            empty = [i for i in blanks.where_all(members) if i not in skip]
            empty_objects[oid] = set(empty)
            obj = self.catalog.object(oid)
            name = obj.name if obj is not None else oid
            names = [self.plans[j].column.name for j in members]
            listed = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
            findings.extend(
                self._cell(
                    batch,
                    i,
                    members[0],
                    codes.EMPTY_OBJECT,
                    f"every {name} column is blank in row {batch.row_at(i)} ({listed})",
                    f"fill at least the {name} identifier or name, or leave the row out",
                    value="",
                )
                for i in empty
            )
        for oid, members, why in self.required:
            findings.extend(
                self._cell(
                    batch,
                    i,
                    members[0],
                    codes.MISSING_REQUIRED_VALUE,
                    f"{self.plans[members[0]].column.name} is blank, and {why}",
                    "fill the cell, or import the row as an update of an existing record",
                    value="",
                )
                for i in blanks.where_all(members)
                if i not in skip and i not in empty_objects[oid]
            )
        return findings

    # -- repeated identifiers --

    def _repeats(self) -> None:
        """Every value seen before in its column, at each repeat (not the first time)."""
        import polars as pl

        for j, parts in self.keys.items():
            plan = self.plans[j]
            assert plan.dedupe is not None
            # Most values are unique: find the few first hashes that repeat (sorting the
            # hashes costs less than a hash table of them), then group the rows that have
            # them, in file order, so the first of a group is the first occurrence.
            hashes = pl.concat([part["h1"] for part in parts]).sort()
            repeated = hashes.filter(hashes == hashes.shift(1)).unique()
            if repeated.is_empty():
                continue
            frame = pl.concat(parts, rechunk=False)
            twice = frame.filter(pl.col("h1").is_in(repeated.implode()))
            groups = twice.group_by("h1", "h2", maintain_order=True).agg("batch", "at")
            findings: list[Finding] = []
            for batches, positions in groups.select("batch", "at").iter_rows():
                if len(batches) < 2:
                    continue
                first_row, first_line, _ = self._cell_at(batches[0], j, positions[0])
                for number, at in zip(batches[1:], positions[1:], strict=True):
                    row, line, value = self._cell_at(number, j, at)
                    if row > MAX_ROWS:
                        continue
                    findings.append(
                        Finding(
                            row=row,
                            column=j,
                            code=plan.dedupe,
                            severity=plan.dedupe.severity,
                            message=f"{_quoted(value)} is repeated: row {first_row} "
                            f"(line {first_line}) has it already",
                            hint="merge the rows, or correct the value that is wrong",
                            spec=plan.where,
                            line=line,
                            column_name=plan.column.name,
                            value=shorten(value),
                        )
                    )
            self._add(findings)
        self.keys.clear()
        self.numbering.clear()

    def _cell_at(self, number: int, j: int, at: int) -> tuple[int, int, str]:
        """(row, line, text) of the cell at position `at` of column j in batch `number`."""
        numbering = self.numbering[number]
        row = numbering.rows[at] if numbering.rows is not None else numbering.first_row + at
        line = numbering.lines[at] if numbering.lines is not None else numbering.first_line + at
        text: str = numbering.cells[j][at].as_py()
        return row, line, text


@dataclass(frozen=True)
class _Numbering:
    """What `_repeats` needs of a batch after it is gone: its numbering and the cells of
    its identifier columns."""

    first_row: int
    first_line: int
    rows: list[int] | None
    lines: list[int] | None
    cells: dict[int, Any]


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


def _quoted(text: str) -> str:
    return '"' + shorten(text, 60) + '"'
