"""Every data row of every file, checked the way HubSpot's import would read it.

`check_rows` is the library's entry point (`specc check` after `lint`). For each data file it
streams batches from a reader (csv_reader, xlsx_reader) and runs, per batch:

- the value of each cell against its column's property (`specc.data.values`). Column-wide and
  in compiled code first: a cell that is empty, or that matches the property's accept pattern
  (a regex every match of which is known to be fine), needs nothing more; only the others go
  through the exact check, one by one, in Python. On a clean file that is almost none.
- the row rules, vectorised over the batch: a row whose every cell is blank, an object whose
  every cell is blank, a blank required property on CREATE, an identifier repeated in another
  row (kept across batches as a table of the values seen and where they first appeared);
- the file limits (rows, bytes).

What it finds is sorted by row, column and code; the first `max_errors` problems of a file
become diagnostics, all are counted by error type, and with `--rejects DIR` every row with an
error is written out. A file that is not UTF-8 or holds NUL bytes yields only that diagnostic:
every row of it may be misread.

The library never prints; `options.progress(file, bytes_done, bytes_total)` reports progress.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from specc.codes import Code
from specc.codes import rows as codes
from specc.data.batch import Batch, FileProblem, RowEvent
from specc.diagnostics import DataLocation, Diagnostic, Severity, SpecLocation, shorten

if TYPE_CHECKING:
    import polars as pl

    from specc.catalog.model import Catalog, Property
    from specc.pipeline import Options
    from specc.spec.model import Column, DataFile, Spec

# HubSpot: "individual import files are limited to 1,048,576 rows or 512 MB".
MAX_ROWS = 1_048_576
MAX_BYTES = 512 * 1024 * 1024
DEFAULT_MAX_ERRORS = 1000

# Header checks whose errors mean the columns cannot be paired with the spec's: the file's
# rows are then not checked (SPC306, several sheets, does not stop the first sheet's rows).
HEADER_BROKEN = frozenset(
    {"SPC300", "SPC301", "SPC302", "SPC303", "SPC304", "SPC305", "SPC307", "SPC308", "SPC309"}
)

# Identifier values compare as HubSpot stores them: emails and domains in lower case.
_CASELESS_KINDS = frozenset({"email", "domain"})


@dataclass
class RowsResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    rows_checked: int = 0
    # Errors by the HubSpot errorType they predict (the code where HubSpot has none).
    counts_by_error_type: dict[str, int] = field(default_factory=dict)


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
        for key, count in checked.counts_by_error_type.items():
            result.counts_by_error_type[key] = result.counts_by_error_type.get(key, 0) + count
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
    check: Callable[[str], Any] | None = None  # text cell -> Problem | None
    check_typed: Callable[[object], Any] | None = None
    accept: str | None = None  # regex; "" means any text of bounded length
    dedupe: Code | None = None
    caseless: bool = False


@dataclass
class Finding:
    """One problem before it becomes a diagnostic (most never do past --max-errors)."""

    row: int
    column: int  # -1: the whole row
    code: str
    severity: Severity
    error_type: str
    make: Callable[[], Diagnostic]


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
        self.plans = [self._plan(j, c) for j, c in enumerate(data_file.columns)]
        self.names = [f"c{j}" for j in range(len(data_file.columns))]
        self.objects = self._objects()
        self.required = self._required()
        self.seen: dict[int, pl.DataFrame] = {}
        limit = options.max_errors if options.max_errors is not None else spec.checks.max_errors
        self.max_shown = DEFAULT_MAX_ERRORS if limit is None else max(0, limit)
        rows = options.rows if options.rows is not None else spec.checks.rows
        self.row_limit = rows
        self.allowed = spec.checks.allow
        self.diagnostics: list[Diagnostic] = []
        self.hidden = {Severity.ERROR: 0, Severity.WARNING: 0, Severity.INFO: 0}
        self.counts: dict[str, int] = {}
        self.rows_checked = 0
        self.rejects: Any = None
        self.over_row_limit_reported = False

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

            settings: dict[str, Any] = {
                "date_format": self.spec.date_format,
                "snapshot": self.catalog.is_snapshot,
                "column_type": column_type,
                "object_type_id": oid,
            }
            plan.check = values.checker_for(prop, **settings)
            plan.check_typed = values.typed_checker_for(prop, **settings)
            pattern = values.accept_pattern(prop, **settings)
            plan.accept = "" if pattern == f"^(?:{values.ANY_TEXT})$" else pattern
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
                mapped = [j for name in group for j in by_name.get(name, [])]
                if mapped:
                    names = ", ".join(group)
                    needs.append(
                        (oid, sorted(mapped), f"one of {names} is required to create {obj.name}")
                    )
        return needs

    # -- running --

    def run(self) -> RowsResult:
        from specc.data.csv_reader import read_csv
        from specc.data.xlsx_reader import read_spreadsheet

        path = self.file.path
        total = path.stat().st_size
        ncols = len(self.file.columns)
        if total > MAX_BYTES:
            self._add_file_level(
                codes.FILE_TOO_LARGE.at(
                    f"{self.shown} is {total / 1024 / 1024:,.0f} MB; HubSpot takes files up to "
                    "512 MB",
                    hint="split the file and import the parts one after the other",
                    spec=self.spec.where(self.file.pointer),
                    data=DataLocation(self.shown),
                )
            )
        if self.options.rejects is not None:
            from specc.data.rejects import open_rejects

            self.rejects = open_rejects(self.options.rejects, self.file)
        items: Iterator[Batch | FileProblem]
        if self.file.format == "SPREADSHEET":
            items = read_spreadsheet(path, ncols, self.file.has_header)
        else:
            items = read_csv(path, ncols, self.file.has_header, fast=self.fast)
        try:
            for item in items:
                if isinstance(item, FileProblem):
                    if self._file_problem(item):
                        return self._result()
                    break
                batch = self._limit(item)
                if batch is None:
                    break
                self._batch(batch)
                if self.options.progress is not None:
                    self.options.progress(self.shown, min(batch.bytes_done, total), total)
                if self.row_limit is not None and batch.last_row() >= self.row_limit:
                    break
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()
        if self.rejects is not None:
            self.rejects.commit()
        self._add_more_not_shown()
        return self._result()

    def _result(self) -> RowsResult:
        if self.rejects is not None:
            self.rejects.discard()
        return RowsResult(self.diagnostics, self.rows_checked, self.counts)

    def _limit(self, batch: Batch) -> Batch | None:
        """The batch cut to the rows `--rows` allows."""
        limit = self.row_limit
        if limit is None or batch.last_row() <= limit:
            return batch
        keep = [i for i in range(batch.size) if batch.row_at(i) <= limit]
        events = [e for e in batch.events if e.row <= limit]
        if not keep and not events:
            return None
        count = len(keep)
        typed = {
            j: {i: v for i, v in cells.items() if i < count} for j, cells in batch.typed.items()
        }
        return Batch(
            columns=[c.slice(0, count) for c in batch.columns],
            first_row=batch.first_row,
            first_line=batch.first_line,
            rows=[batch.row_at(i) for i in keep],
            lines=[batch.line_at(i) for i in keep],
            events=events,
            typed=typed,
            bytes_done=batch.bytes_done,
        )

    def _file_problem(self, problem: FileProblem) -> bool:
        """Report a problem that ends the file; True when nothing else of it counts."""
        where = self.spec.where(self.file.pointer)
        if problem.kind in ("encoding", "nul"):
            # Every row may be misread: what was found so far is dropped with the rejects.
            self.diagnostics.clear()
            self.counts.clear()
            self.rows_checked = 0
            self.hidden = dict.fromkeys(self.hidden, 0)
            at = f"line {problem.line}" + (
                f" (byte offset {problem.offset:,})" if problem.offset is not None else ""
            )
            if problem.kind == "encoding":
                d = codes.NOT_UTF8.at(
                    f"{self.shown} is not UTF-8: {problem.detail} at {at}",
                    hint='save the file again as "CSV UTF-8" (Excel: Save As > CSV UTF-8), '
                    "or convert it, e.g. iconv -f WINDOWS-1252 -t UTF-8",
                    spec=where,
                    data=DataLocation(self.shown, line=problem.line),
                )
            else:
                d = codes.BINARY_FILE.at(
                    f"{self.shown} holds NUL bytes, first at {at}: a binary or UTF-16 file",
                    hint='export the data as "CSV UTF-8"; a spreadsheet needs the .xlsx extension',
                    spec=where,
                    data=DataLocation(self.shown, line=problem.line),
                )
            self._add_file_level(d)
            return True
        self._add_file_level(
            codes.UNREADABLE_SPREADSHEET.at(
                f"{self.shown} cannot be read as a spreadsheet: {problem.detail}",
                hint="open it in Excel or LibreOffice and save it again as .xlsx, or export "
                "it as CSV UTF-8",
                spec=where,
                data=DataLocation(self.shown, line=problem.line),
            )
        )
        return False

    def _add_file_level(self, d: Diagnostic) -> None:
        if d.code in self.allowed:
            return
        self.diagnostics.append(d)
        if d.severity is Severity.ERROR:
            key = d.hubspot_error or d.code
            self.counts[key] = self.counts.get(key, 0) + 1

    def _add_more_not_shown(self) -> None:
        hidden = sum(self.hidden.values())
        if not hidden:
            return
        parts = [
            f"{n:,} {name}{'s' if n != 1 else ''}"
            for n, name in (
                (self.hidden[Severity.ERROR], "error"),
                (self.hidden[Severity.WARNING], "warning"),
                (self.hidden[Severity.INFO], "note"),
            )
            if n
        ]
        self.diagnostics.append(
            codes.MORE_NOT_SHOWN.at(
                f"{hidden:,} more problems in {self.shown} not shown ({', '.join(parts)}); "
                f"the limit is {self.max_shown:,} per file",
                hint="raise it with --max-errors N or `checks: max_errors:`; the summary "
                "counts them all",
                spec=self.spec.where(self.file.pointer),
                data=DataLocation(self.shown),
            )
        )

    # -- one batch --

    def _batch(self, batch: Batch) -> None:
        findings: list[Finding] = []
        failed_events: list[RowEvent] = []
        for event in batch.events:
            finding = self._event(event)
            if finding is not None:
                findings.append(finding)
        size = batch.size
        self.rows_checked += size + len(batch.events)
        failed_rows: set[int] = set()
        index_of_row: dict[int, int] = {}
        if size:
            frame = self._frame(batch)
            findings.extend(self._values(batch, frame))
            findings.extend(self._row_rules(batch, frame))
            findings.extend(self._duplicates(batch, frame))
            if batch.rows is not None:
                index_of_row = {r: i for i, r in enumerate(batch.rows)}
        findings.extend(self._row_limit(batch))
        findings.sort(key=lambda f: (f.row, f.column, f.code))
        event_rows = {e.row: e for e in batch.events}
        for finding in findings:
            if finding.code in self.allowed:
                continue
            if finding.column >= 0 and finding.code in self.plans[finding.column].column.allow:
                continue
            if finding.severity is Severity.ERROR:
                self.counts[finding.error_type] = self.counts.get(finding.error_type, 0) + 1
                if finding.row in event_rows:
                    failed_events.append(event_rows[finding.row])
                else:
                    failed_rows.add(
                        index_of_row[finding.row]
                        if batch.rows is not None
                        else finding.row - batch.first_row
                    )
            if len(self.diagnostics) < self.max_shown:
                self.diagnostics.append(finding.make())
            else:
                self.hidden[finding.severity] += 1
        if self.rejects is not None and (failed_rows or failed_events):
            self.rejects.write(batch, sorted(failed_rows), failed_events)

    def _frame(self, batch: Batch) -> pl.DataFrame:
        import polars as pl
        import pyarrow as pa

        table = pa.table(dict(zip(self.names, batch.columns, strict=True)))
        frame = pl.from_arrow(table, rechunk=False)
        assert isinstance(frame, pl.DataFrame)
        return frame

    def _location(self, batch: Batch, i: int, j: int, value: str | None) -> DataLocation:
        return DataLocation(
            self.shown,
            line=batch.line_at(i),
            row=batch.row_at(i),
            column=self.plans[j].column.name,
            value=None if value is None else shorten(value),
        )

    # -- structure --

    def _event(self, event: RowEvent) -> Finding | None:
        where = self.spec.where(self.file.pointer)
        if event.kind == "cells":
            expected = len(self.file.columns)
            found = len(event.cells)
            code = codes.WRONG_CELL_COUNT

            def make() -> Diagnostic:
                return code.at(
                    f"row {event.row} has {found} cell{'s' if found != 1 else ''}; the header "
                    f"has {expected}",
                    hint="quote cells that hold commas, and give every row one cell per column",
                    spec=where,
                    data=DataLocation(
                        self.shown,
                        line=event.line,
                        row=event.row,
                        value=shorten(",".join(event.cells)),
                    ),
                )
        else:
            code = codes.UNPARSEABLE_ROW
            what = (
                "a quote opens a cell and never closes"
                if event.fatal
                else f"its quoting breaks the CSV rules ({event.detail})"
            )

            def make() -> Diagnostic:
                return code.at(
                    f"row {event.row} cannot be parsed: {what}"
                    + ("; the rest of the file is not checked" if event.fatal else ""),
                    hint='quote the whole cell and double the quotes inside it ("a ""b"" c")',
                    spec=where,
                    data=DataLocation(
                        self.shown,
                        line=event.line,
                        row=event.row,
                        value=shorten(event.raw.rstrip("\r\n")),
                    ),
                )

        return Finding(
            event.row, -1, code.code, code.severity, code.hubspot_error or code.code, make
        )

    def _row_limit(self, batch: Batch) -> list[Finding]:
        if self.over_row_limit_reported or batch.last_row() <= MAX_ROWS:
            return []
        self.over_row_limit_reported = True
        rows = [(batch.row_at(i), batch.line_at(i)) for i in range(batch.size)]
        rows += [(e.row, e.line) for e in batch.events]
        row, line = min((r, ln) for r, ln in rows if r > MAX_ROWS)
        code = codes.TOO_MANY_ROWS
        where = self.spec.where(self.file.pointer)

        def make() -> Diagnostic:
            return code.at(
                f"{self.shown} has more than {MAX_ROWS:,} data rows, HubSpot's limit per file; "
                f"row {row:,} is the first over it",
                hint="split the file and import the parts one after the other",
                spec=where,
                data=DataLocation(self.shown, line=line, row=row),
            )

        return [Finding(row, -1, code.code, code.severity, code.code, make)]

    # -- values --

    def _values(self, batch: Batch, frame: pl.DataFrame) -> list[Finding]:
        import polars as pl

        checked = [p for p in self.plans if p.check is not None]
        if not checked:
            return []
        exprs = []
        for plan in checked:
            col = pl.col(self.names[plan.index])
            nonempty = col.str.len_bytes() > 0
            if not self.fast or plan.accept is None:
                needs = nonempty
            else:
                from specc.data.values import FAST_PATH_MAX_CHARS

                short = col.str.len_chars() <= FAST_PATH_MAX_CHARS
                if plan.accept == "":
                    needs = nonempty & ~short
                else:
                    needs = nonempty & ~(short & col.str.contains(plan.accept))
            exprs.append(needs.alias(self.names[plan.index]))
        needs_frame = frame.select(exprs)
        findings: list[Finding] = []
        for plan in checked:
            name = self.names[plan.index]
            typed = batch.typed.get(plan.index, {})
            at = needs_frame[name].arg_true()
            if len(at):
                texts = frame[name].gather(at).to_list()
                findings.extend(self._check_texts(batch, plan, at.to_list(), texts, typed))
            if typed:
                findings.extend(self._check_typed(batch, plan, typed))
        return findings

    def _check_texts(
        self,
        batch: Batch,
        plan: ColumnPlan,
        indices: list[int],
        texts: list[str],
        typed: dict[int, Any],
    ) -> Iterator[Finding]:
        assert plan.check is not None
        cache: dict[str, Any] = {}
        for i, text in zip(indices, texts, strict=True):
            if i in typed:
                continue  # judged as the typed cell it is
            if text in cache:
                problem = cache[text]
            else:
                problem = cache[text] = plan.check(text)
            if problem is not None:
                yield self._value_finding(batch, plan, i, text, problem)

    def _check_typed(
        self, batch: Batch, plan: ColumnPlan, typed: dict[int, Any]
    ) -> Iterator[Finding]:
        assert plan.check_typed is not None
        for i in sorted(typed):
            problem = plan.check_typed(typed[i])
            if problem is not None:
                yield self._value_finding(
                    batch, plan, i, batch.columns[plan.index][i].as_py(), problem
                )

    def _value_finding(
        self, batch: Batch, plan: ColumnPlan, i: int, text: str, problem: Any
    ) -> Finding:
        severity = problem.severity or problem.code.severity
        code: Code = problem.code

        def make() -> Diagnostic:
            return code.at(
                problem.message,
                hint=problem.hint,
                severity=severity,
                spec=plan.where,
                data=self._location(batch, i, plan.index, text),
            )

        return Finding(
            batch.row_at(i), plan.index, code.code, severity, code.hubspot_error or code.code, make
        )

    # -- rows --

    def _row_rules(self, batch: Batch, frame: pl.DataFrame) -> list[Finding]:
        import polars as pl

        from specc.data.values.base import STRIP_CHARS

        blank_class = "^[" + "".join(_class_escape(ch) for ch in STRIP_CHARS) + "]*$"
        blanks = frame.select([pl.col(n).str.contains(blank_class).alias(n) for n in self.names])
        blank_row = pl.all_horizontal(self.names)
        exprs: list[pl.Expr] = [blank_row.alias("blank_row")]
        objects = list(self.objects.items())
        for k, (_, indices) in enumerate(objects):
            exprs.append(
                (pl.all_horizontal([self.names[j] for j in indices]) & ~blank_row).alias(f"o{k}")
            )
        rules = blanks.select(exprs)
        findings: list[Finding] = []
        empty_objects: dict[str, pl.Series] = {}
        for at in rules["blank_row"].arg_true().to_list():
            findings.append(self._blank_row(batch, at))
        for k, (oid, indices) in enumerate(objects):
            empty = rules[f"o{k}"]
            empty_objects[oid] = empty
            for at in empty.arg_true().to_list():
                findings.append(self._empty_object(batch, at, oid, indices[0]))
        for oid, indices, why in self.required:
            missing = blanks.select(
                (pl.all_horizontal([self.names[j] for j in indices])).alias("m")
            )["m"]
            missing = missing & ~rules["blank_row"] & ~empty_objects[oid]
            for at in missing.arg_true().to_list():
                findings.append(self._missing_required(batch, at, indices[0], why))
        return findings

    def _blank_row(self, batch: Batch, i: int) -> Finding:
        code = codes.BLANK_ROW
        row, line = batch.row_at(i), batch.line_at(i)

        def make() -> Diagnostic:
            return code.at(
                f"row {row} is blank",
                hint="delete the row",
                spec=self.spec.where(self.file.pointer),
                data=DataLocation(self.shown, line=line, row=row),
            )

        return Finding(row, -1, code.code, code.severity, code.hubspot_error or code.code, make)

    def _empty_object(self, batch: Batch, i: int, oid: str, j: int) -> Finding:
        code = codes.EMPTY_OBJECT
        obj = self.catalog.object(oid)
        name = obj.name if obj is not None else oid
        columns = [self.plans[k].column.name for k in self.objects[oid]]

        def make() -> Diagnostic:
            return code.at(
                f"every {name} column is blank in row {batch.row_at(i)} "
                f"({', '.join(columns[:5])}{', ...' if len(columns) > 5 else ''})",
                hint=f"fill at least the {name} identifier or name, or leave the row out",
                spec=self.plans[j].where,
                data=self._location(batch, i, j, ""),
            )

        return Finding(
            batch.row_at(i), j, code.code, code.severity, code.hubspot_error or code.code, make
        )

    def _missing_required(self, batch: Batch, i: int, j: int, why: str) -> Finding:
        code = codes.MISSING_REQUIRED_VALUE

        def make() -> Diagnostic:
            return code.at(
                f"{self.plans[j].column.name} is blank, and {why}",
                hint="fill the cell, or import the row as an update of an existing record",
                spec=self.plans[j].where,
                data=self._location(batch, i, j, ""),
            )

        return Finding(
            batch.row_at(i), j, code.code, code.severity, code.hubspot_error or code.code, make
        )

    # -- duplicates --

    def _duplicates(self, batch: Batch, frame: pl.DataFrame) -> list[Finding]:
        import polars as pl

        from specc.data.values.base import STRIP_CHARS

        findings: list[Finding] = []
        for plan in self.plans:
            if plan.dedupe is None:
                continue
            name = self.names[plan.index]
            key = pl.col(name).str.strip_chars(STRIP_CHARS)
            if plan.caseless:
                key = key.str.to_lowercase()
            rows = (
                pl.Series("row", batch.rows, dtype=pl.Int64)
                if batch.rows is not None
                else (
                    pl.int_range(
                        batch.first_row, batch.first_row + batch.size, dtype=pl.Int64, eager=True
                    )
                )
            )
            lines = (
                pl.Series("line", batch.lines, dtype=pl.Int64)
                if batch.lines is not None
                else (
                    pl.int_range(
                        batch.first_line, batch.first_line + batch.size, dtype=pl.Int64, eager=True
                    )
                )
            )
            cells = (
                frame.select(key.alias("k"))
                .with_columns(
                    pl.int_range(0, pl.len(), dtype=pl.Int64).alias("i"),
                    rows.alias("row"),
                    lines.alias("line"),
                )
                .filter(pl.col("k") != "")
            )
            firsts = cells.filter(pl.col("k").is_first_distinct())
            seen = self.seen.get(plan.index)
            if seen is not None:
                earlier = seen
                joined = cells.join(earlier, on="k", how="left", suffix="_first")
                new = firsts.join(earlier, on="k", how="anti")
            else:
                joined = cells.with_columns(
                    pl.lit(None, dtype=pl.Int64).alias("row_first"),
                    pl.lit(None, dtype=pl.Int64).alias("line_first"),
                )
                new = firsts
            in_batch = firsts.select(
                "k", pl.col("row").alias("row_batch"), pl.col("line").alias("line_batch")
            )
            joined = joined.join(in_batch, on="k", how="left")
            repeats = joined.filter(
                pl.col("row_first").is_not_null() | (pl.col("row") != pl.col("row_batch"))
            ).with_columns(
                pl.coalesce("row_first", "row_batch").alias("first_row"),
                pl.coalesce("line_first", "line_batch").alias("first_line"),
            )
            for i, first_row, first_line in repeats.select(
                "i", "first_row", "first_line"
            ).iter_rows():
                findings.append(self._duplicate(batch, plan, i, first_row, first_line))
            # HubSpot takes no more rows than its limit, so values past it need no memory.
            if batch.first_row <= MAX_ROWS and len(new):
                fresh = new.select("k", "row", "line").rename(
                    {"row": "row_first", "line": "line_first"}
                )
                self.seen[plan.index] = fresh if seen is None else pl.concat([seen, fresh])
        return findings

    def _duplicate(
        self, batch: Batch, plan: ColumnPlan, i: int, first_row: int, first_line: int
    ) -> Finding:
        assert plan.dedupe is not None
        code = plan.dedupe
        text = batch.columns[plan.index][i].as_py()

        def make() -> Diagnostic:
            return code.at(
                f"{_quoted(text)} is repeated: row {first_row} (line {first_line}) has it already",
                hint="merge the rows, or correct the value that is wrong",
                spec=plan.where,
                data=self._location(batch, i, plan.index, text),
            )

        return Finding(
            batch.row_at(i),
            plan.index,
            code.code,
            code.severity,
            code.hubspot_error or code.code,
            make,
        )


def _quoted(text: str) -> str:
    return '"' + shorten(text, 60) + '"'


def _class_escape(ch: str) -> str:
    """A character inside a regex character class, in Rust's syntax."""
    if ch in "\\]^-[&~":
        return "\\" + ch
    if ch.isprintable() and ch != " ":
        return ch
    return f"\\x{{{ord(ch):X}}}"


def check_data_file(
    spec: Spec, data_file: DataFile, catalog: Catalog, options: Options, *, fast: bool = True
) -> RowsResult:
    """One file's rows (whatever the header checks said)."""
    return FileCheck(spec, data_file, catalog, options, fast=fast).run()
