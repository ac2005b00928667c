"""`fix_spec`: the fixed copy of a spec's data files, in one streamed pass per file.

For each data file whose header pairs with the spec's columns, the rows are read in batches
by `specc.tables` and each batch is checked by the file's own plan, as `check` checks it
(`specc.data.plan`, `specc.data.row_checks`; the checks that only repeat a row's problem
elsewhere, repeated identifiers and blank required cells, fix nothing and are left out).
The cells it reports (errors and warnings the spec does not allow) get `specc.fix.values`'
rules; the batch's fixes are written at once and forgotten, so memory holds a batch however
many cells are bad, and every change goes to the `ChangeLog` spool.

- CSV: lines with no change are copied byte for byte (`csv_copy.LineCopier`); a record with
  a change is written again from the cells the reader read, once its bytes are confirmed to
  be that record. A file in Windows-1252 or separated by `;`/tabs is first converted.
- Spreadsheets (.xlsx, .xls): rewritten as a one-sheet .xlsx (`specc.tables.write`) with
  every cell at its row; cells keep their type, a fixed cell becomes text. A `.xls` file's
  copy is `<name>.xlsx`, and the spec's copy leads there.

Every copy is written beside its final name and renamed over it when complete. The copy
is checked as `specc check` would check it: what is left is what the user still has to
fix. When every file is CSV, UTF-8 and separated by commas (the usual spec), that check
runs as the copies are written, on the batches read with the fixed cells in them, so no
copy is read again; else, or when such a check could differ from one that reads the copy,
the copy is read and checked last. Nothing here prints.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from specc.catalog.model import Catalog
from specc.data.check import FileCheck, RowsCheck, RowsResult, check_rows, header_broken
from specc.data.plan import ColumnPlan, FilePlan, plan_file
from specc.data.row_checks import BatchCheck, Prepared
from specc.data.values import Kind, TextCheck, kind_of
from specc.data.values.base import STRIP_CHARS, Problem
from specc.diagnostics import Diagnostic, Result, Severity
from specc.errors import InputError, UsageError
from specc.findings import Allowed
from specc.fix import csv_copy
from specc.fix.changes import Change, ChangeLog
from specc.fix.values import DELIMITER, ENCODING, WHITESPACE, OwnerEmails, propose
from specc.run import Loaded, Options
from specc.spec.model import DataFile, Spec
from specc.tables.batch import Batch, FileProblem
from specc.tables.table import Table

# Proposals remembered per column (the same bad value is judged once), then forgotten.
REMEMBERED = 1 << 16
# Fixes: batch index -> column index -> (before, after, rule).
BatchFixes = dict[int, dict[int, tuple[str, str, str]]]
# The same, column by column: column index -> (batch indices, rising; befores; afters).
ColumnFixes = dict[int, tuple[list[int], list[str], list[str]]]


@dataclass
class Fixed:
    """What `fix_spec` did: the changes, the spec copy, and `check` of the copy (`left`)."""

    changes: ChangeLog = field(default_factory=ChangeLog)
    left: Result = field(default_factory=Result)
    spec_copy: Path | None = None

    def __enter__(self) -> Fixed:
        return self

    def __exit__(self, *exc: object) -> None:
        self.changes.close()  # the spool of changes, once they have been read


def fix_spec(spec_path: Path, out_dir: Path, options: Options, *, force: bool = False) -> Fixed:
    """Write the fixed copy of `spec_path`'s data files and the spec into `out_dir`.

    Raises UsageError when `out_dir` holds a source or a file it would replace (without
    `force`), InputError when a source cannot be read. A spec that does not load is not
    copied: its diagnostics are `left`."""
    from specc.pipeline import check_one, load_spec, static_checks, take_loaded

    fixed = Fixed()
    loaded = load_spec(spec_path, options)
    if loaded.spec is None or loaded.has_errors:
        take_loaded(fixed.left, loaded)
        return fixed
    spec = loaded.spec
    catalog, linted = static_checks(spec)
    names = {f.pointer: copy_name(f, _rewritable(f, linted)) for f in spec.files}
    out = _prepare_out(spec, out_dir, force, names)
    # The original spec's folder stays an allowed root: its catalog may live there.
    final_options = replace(
        options, data_roots=(*options.data_roots, spec.source.parent), rejects=None
    )
    if _streamable(spec, linted, options):
        fixed.spec_copy = out_dir / spec.source.name  # as the user named the folder
        fixed.left = _fix_streamed(loaded, catalog, out, out_dir, names, final_options, fixed)
        return fixed

    for data_file in spec.files:
        target = out / names[data_file.pointer]
        shown = str(out_dir / names[data_file.pointer])  # as the check of the copy shows it
        if data_file.format == "CSV" and data_file.path.is_file():
            fixer = FileFixer(spec, data_file, catalog, options, fixed.changes, shown)
            fixer.fix_csv(target, header_ok=_rewritable(data_file, linted))
            continue
        if not _rewritable(data_file, linted):
            _copy_as_is(data_file, target)
            continue
        fixer = FileFixer(spec, data_file, catalog, options, fixed.changes, shown)
        if not fixer.fix_sheet(target):
            # The workbook could not be read to its end: the copy is the file as it is.
            names[data_file.pointer] = data_file.file_name
            _copy_as_is(data_file, out / data_file.file_name)
    from specc.fix.spec_copy import write_spec_copy

    spec_copy = out / spec.source.name
    write_spec_copy(loaded.text, spec, spec_copy, out, names)
    fixed.spec_copy = out_dir / spec.source.name  # as the user named the folder
    final = load_spec(spec_copy, final_options)
    if final.spec is None or final.has_errors:
        raise InputError(f"the copy of the spec at {spec_copy} does not load")
    fixed.left = check_one(final, final_options)
    return fixed


def _streamable(spec: Spec, linted: list[Diagnostic], options: Options) -> bool:
    """Whether every data file is a CSV file, UTF-8 and separated by commas, whose rows
    pair with the spec's columns, all of them checked: then each copy is checked as it is
    written (`FileFixer.fix_and_check_csv`), not read again once written."""
    if options.rows is not None or spec.checks.rows is not None:
        return False  # the check of the copy stops early; the fix does not
    for data_file in spec.files:
        if data_file.format != "CSV" or not _rewritable(data_file, linted):
            return False
        shown = data_file.shown_path
        if csv_copy.whole_file(data_file.path, shown, data_file) != ("utf-8", ","):
            return False
    return True


def _fix_streamed(
    loaded: Loaded,
    catalog: Catalog,
    out: Path,
    out_dir: Path,
    names: dict[str, str],
    final_options: Options,
    fixed: Fixed,
) -> Result:
    """Every file fixed and its copy checked as it is written; `check` of the copy (read
    again only when that check could differ from it, see `fix_and_check_csv`).

    The spec's copy comes first, as the check of the copies needs it; it is removed again
    when a data file's copy cannot be written."""
    from specc.catalog.load import load_catalog
    from specc.fix.spec_copy import write_spec_copy
    from specc.pipeline import check_one, load_spec

    spec = loaded.spec
    assert spec is not None
    spec_copy = out / spec.source.name
    write_spec_copy(loaded.text, spec, spec_copy, out, names)
    try:
        final = load_spec(spec_copy, final_options)
        if final.spec is None or final.has_errors:
            raise InputError(f"the copy of the spec at {spec_copy} does not load")
        final_catalog, _ = load_catalog(final.spec)
        checked: list[RowsResult | None] = []
        for data_file, copy_file in zip(spec.files, final.spec.files, strict=True):
            target = out / names[data_file.pointer]
            shown = str(out_dir / names[data_file.pointer])
            fixer = FileFixer(spec, data_file, catalog, final_options, fixed.changes, shown)
            checked.append(
                fixer.fix_and_check_csv(target, final.spec, copy_file, final_catalog, final_options)
            )
    except BaseException:
        spec_copy.unlink(missing_ok=True)
        raise
    rows = [result for result in checked if result is not None]
    if len(rows) < len(checked):
        return check_one(final, final_options)
    return check_one(final, final_options, rows=_rows_as_written(rows))


def _rows_as_written(rows: list[RowsResult]) -> RowsCheck:
    """`check_spec`'s check of the copies' rows: the rows of each file as checked while
    written (`rows`, in the spec's order), unless a copy's header turns out not to pair with
    the spec, when the copies are read and checked again as `check` would."""

    def rows_of(
        spec: Spec, catalog: Catalog, options: Options, linted: list[Diagnostic]
    ) -> RowsResult:
        if any(not f.path.is_file() or header_broken(f, linted) for f in spec.files):
            return check_rows(spec, catalog, options, linted)
        return RowsResult.merged(rows)

    return rows_of


def copy_name(data_file: DataFile, rewritten: bool) -> str:
    """The copy's file name: the source's, but a spreadsheet rewritten is an .xlsx."""
    name = data_file.file_name
    if data_file.format == "SPREADSHEET" and rewritten:
        return str(Path(name).with_suffix(".xlsx"))
    return name


def _rewritable(data_file: DataFile, linted: list[Diagnostic]) -> bool:
    """Whether the file's rows can be read and paired with the spec's columns."""
    if not data_file.path.is_file() or header_broken(data_file, linted):
        return False
    table = Table(data_file.path, data_file.format, data_file.has_header)
    return table.too_large() is None


def _copy_as_is(data_file: DataFile, target: Path) -> None:
    if not data_file.path.is_file():
        return  # missing: the check of the copy says so, as check does
    from specc.tables.write import replacing

    with (
        csv_copy.open_source(data_file.path, data_file.shown_path) as source,
        replacing(target) as temp,
        open(temp, "wb") as sink,
    ):
        shutil.copyfileobj(source, sink)


def _prepare_out(spec: Spec, out_dir: Path, force: bool, names: dict[str, str]) -> Path:
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir} is not a folder", hint="give -o a folder for the copies")
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir.resolve()
    sources = [spec.source, *(f.path for f in spec.files)]
    if spec.catalog_path is not None:
        sources.append(spec.catalog_path)
    real_sources = {source.resolve() for source in sources}
    for source in sources:
        if source.resolve().parent == out:
            raise UsageError(
                f"{out_dir} holds {source.name}, a source of the spec; fix never writes over "
                "its sources",
                hint="write the fixed copy into another folder",
            )
    # A spreadsheet's copy may be named otherwise than its source; its source name is
    # checked too (it is the copy's name when the workbook cannot be read).
    wanted = [*names.values(), spec.source.name]
    possible = {*wanted, *(f.file_name for f in spec.files)}
    seen: set[str] = set()
    for name in wanted:
        if name in seen:
            raise UsageError(
                f"two files of the spec are named {name}; their copies would share "
                f"{out_dir / name}",
                hint="rename one of the data files",
            )
        seen.add(name)
    for name in sorted(possible):
        target = out / name
        if target.resolve() in real_sources:
            raise UsageError(
                f"{out_dir / name} leads to a source of the spec; fix never writes over "
                "its sources",
                hint="write the fixed copy into another folder",
            )
        if target.exists() and not force:
            raise UsageError(
                f"{out_dir / name} exists; fix keeps existing files",
                hint="pass --force to replace them, or write into an empty folder",
            )
    return out


# --- one column -------------------------------------------------------------------------------


class ColumnFixer:
    """What a cell of one column becomes: `propose`'s rule for the property's kind, or for
    an owner, pipeline or stage (the account's lists) whitespace only and owners by email."""

    def __init__(
        self, plan: ColumnPlan, catalog: Catalog, date_format: str, allowed: Allowed
    ) -> None:
        from specc.data.values.account import account_check

        column, prop, check = plan.column, plan.prop, plan.check
        assert prop is not None and check is not None and column.object_type_id is not None
        column_type = None
        if column.id:
            column_type = (
                "HUBSPOT_OBJECT_ID" if column.property == "hs_object_id" else "HUBSPOT_ALTERNATE_ID"
            )
        oid = column.object_type_id
        self.name = column.name
        self.prop = prop
        self.check: TextCheck = check
        self.check_typed = plan.check_typed
        self.allowed = allowed
        self.pointer = plan.where.pointer
        self.date_format = date_format
        self.kind: Kind | None = kind_of(prop, column_type=column_type, object_type_id=oid)
        if account_check(prop, catalog, oid) is not None:
            self.kind = None  # the account's lists, not the property's options
        self.owners: OwnerEmails | None = None
        if prop.names_owners and catalog.is_snapshot and catalog.owners:
            self.owners = OwnerEmails(catalog.owners)
        self.known: dict[str, tuple[str, str] | None] = {}

    def _reported(self, problem: Problem | None) -> bool:
        """Whether `check` reports a cell with this problem (an error or a warning the
        spec does not allow)."""
        if problem is None or problem.effective_severity is Severity.INFO:
            return False
        return not self.allowed.allows(problem.code.code, self.pointer)

    def text(self, raw: str) -> tuple[str, str] | None:
        """(after, rule) for a text cell, or None: a cell `check` reports gets its kind's
        rule; one it accepts only the owner rule."""
        if raw in self.known:
            return self.known[raw]
        found = None
        if not raw.strip(STRIP_CHARS):
            pass  # blank: no value (the row rules see to blank rows)
        elif self._reported(self.check(raw)):
            found = self._fix(raw, reported=True)
        elif self.owners is not None:
            found = self.owners.rewrite(raw, self.check)
        if len(self.known) >= REMEMBERED:
            self.known.clear()
        self.known[raw] = found
        return found

    def typed(self, value: Any, raw: str) -> tuple[str, str] | None:
        """(after, rule) for a typed spreadsheet cell (`raw`: its text) its typed check
        reports, or None."""
        if self.check_typed is None or not self._reported(self.check_typed(value)):
            return None
        return self._fix(raw, reported=False)

    def _fix(self, raw: str, *, reported: bool) -> tuple[str, str] | None:
        if self.owners is not None:
            return self.owners.rewrite(raw, self.check)
        if self.kind is None:
            value = raw.strip(STRIP_CHARS)
            return (value, WHITESPACE) if value != raw and self.check(value) is None else None
        return propose(self.kind, self.prop, raw, self.check, self.date_format, reported=reported)


# --- one file ---------------------------------------------------------------------------------


class FileFixer:
    """One data file: its batches checked by its plan, the reported cells fixed, the copy
    written (CSV or .xlsx), every change logged under `shown` (the copy's path)."""

    def __init__(
        self,
        spec: Spec,
        data_file: DataFile,
        catalog: Catalog,
        options: Options,
        changes: ChangeLog,
        shown: str,
    ) -> None:
        self.spec = spec
        self.file = data_file
        self.options = options
        self.changes = changes
        self.shown = shown
        plan = plan_file(spec, data_file, catalog)
        self.rows = BatchCheck(_value_plan(plan))
        # Whether the last copy was written as its batches were read (every record rewritten
        # where planned, no file problem): `fix_and_check_csv` trusts its check only then.
        self.as_planned = True
        self.allowed = Allowed.of(spec)
        self.fixers = {
            p.index: ColumnFixer(p, catalog, spec.date_format, self.allowed)
            for p in plan.columns
            if p.check is not None and p.prop is not None and p.column.object_type_id is not None
        }
        self.owner_columns = [j for j, f in self.fixers.items() if f.owners is not None]

    # -- what to change --

    def batch_fixes(self, batch: Batch) -> BatchFixes:
        """The fixes of one batch's cells: those `check` reports, and owners by email.

        The cells are judged as `check` judges them (`specc.data.row_checks`): the ones the
        plan's fast tests do not clear (`Prepared.needs`, worked out in the reader's
        threads) by the column's exact check, typed spreadsheet cells by its typed check;
        a cell is reported when that finds an error or a warning the spec does not allow.
        Only its fix is kept: no finding is made of it."""
        prepared = batch.prepared
        if not isinstance(prepared, Prepared):
            prepared = self.rows.prepare(batch.columns)
        return self.fixes_of(batch.columns, prepared, batch.typed)

    def fixes_of(
        self,
        columns: list[Any],
        prepared: Prepared,
        typed_cells: dict[int, dict[int, Any]],
        by_column: ColumnFixes | None = None,
    ) -> BatchFixes:
        """`batch_fixes` of a batch's columns and what `prepare` found in them; the text
        cells' fixes also column by column into `by_column`, when given."""
        import pyarrow as pa
        import pyarrow.compute as pc

        fixes: BatchFixes = {}
        for j, fixer in self.fixers.items():
            column = columns[j]
            typed = typed_cells.get(j, {})
            if j in self.owner_columns:
                texts = column.to_pylist()
                at: list[int] = list(range(len(texts)))
            else:
                at = prepared.needs.get(j, [])
                texts = pc.take(column, pa.array(at, pa.int64())).to_pylist() if at else []
            rows: list[int] = []
            befores: list[str] = []
            afters: list[str] = []
            for i, text in zip(at, texts, strict=True):
                if i in typed:
                    continue  # below
                found = fixer.text(text)
                if found is not None:
                    fixes.setdefault(i, {})[j] = (text, *found)
                    rows.append(i)
                    befores.append(text)
                    afters.append(found[0])
            if by_column is not None and rows:
                by_column[j] = (rows, befores, afters)  # rising rows: `at` rises
            for i, value in typed.items():
                text = column[i].as_py()
                found = fixer.typed(value, text)
                if found is not None:
                    fixes.setdefault(i, {})[j] = (text, *found)
        return fixes

    def _batches(
        self, table: Table, prepare: Callable[[list[Any]], Prepared] | None = None
    ) -> Iterator[Batch | FileProblem]:
        items = table.batches(len(self.file.columns), prepare=prepare or self.rows.prepare)
        total = table.path.stat().st_size
        try:
            for item in items:
                yield item
                if isinstance(item, Batch) and self.options.progress is not None:
                    self.options.progress(self.file.shown_path, min(item.bytes_done, total), total)
        finally:
            items.close()

    def _log(self, line: int, cells: dict[int, tuple[str, str, str]]) -> None:
        add = self.changes.add_cell
        for j, (before, after, rule) in sorted(cells.items()):
            add(self.shown, line, self.fixers[j].name, before, after, rule)

    # -- CSV --

    def fix_csv(self, target: Path, *, header_ok: bool) -> None:
        """Write the fixed copy at `target`. `header_ok`: the header pairs with the spec's
        columns (else the rows are fixed only when the file, decoded and split on its own
        delimiter, has the spec's column names)."""
        from specc.tables.write import replacing

        source, shown = self.file.path, self.file.shown_path
        encoding, delimiter = csv_copy.whole_file(source, shown, self.file)
        with replacing(target) as temp:
            if encoding is None:  # NUL bytes or no known encoding: check says so
                with csv_copy.open_source(source, shown) as raw, open(temp, "wb") as sink:
                    shutil.copyfileobj(raw, sink)
                return
            if encoding != "utf-8" or delimiter != ",":
                converted = temp.with_name(temp.name + ".utf8")
                try:
                    with open(converted, "wb") as sink:
                        csv_copy.convert(source, shown, sink, encoding, delimiter)
                    if encoding != "utf-8":
                        self.changes.add(
                            Change(self.shown, None, None, encoding, "utf-8", ENCODING)
                        )
                    if delimiter != ",":
                        self.changes.add(Change(self.shown, None, None, delimiter, ",", DELIMITER))
                    if header_ok or self._names_match(converted):
                        self._fix_csv_rows(converted, temp)
                    else:
                        shutil.copyfile(converted, temp)
                finally:
                    converted.unlink(missing_ok=True)
            elif header_ok:
                self._fix_csv_rows(source, temp)
            else:
                with csv_copy.open_source(source, shown) as raw, open(temp, "wb") as sink:
                    shutil.copyfileobj(raw, sink)

    def _names_match(self, converted: Path) -> bool:
        """Whether the converted file's header names the spec's columns, in order."""
        if not self.file.has_header:
            return False
        header = Table(converted, "CSV").header()
        names = [c.name.strip().casefold() for c in self.file.columns]
        return header is not None and [c.strip().casefold() for c in header.cells] == names

    def _fix_csv_rows(self, source: Path, temp: Path) -> None:
        """Write the fixed copy of `source` (UTF-8, comma-separated) at `temp`."""
        for _ in self._copied_batches(source, temp, self.rows.prepare, for_check=False):
            pass

    def _write_csv_rows(
        self, batch: Batch, fixes: BatchFixes, copier: csv_copy.LineCopier, rows: csv_copy.RowText
    ) -> bool:
        """Copy up to each record with fixes and write it fixed; False when one was not
        (the file ended early, or its bytes are not the record the reader read) or a fix
        changed a cell's line breaks (the lines after it would move)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        indices = sorted(fixes)
        taken = pa.array(indices, pa.int64())
        columns = [pc.take(column, taken).to_pylist() for column in batch.columns]
        as_planned = True
        for k, i in enumerate(indices):
            line = batch.line_at(i)
            copier.copy_to(line)
            if copier.line != line:
                return False  # the file ended early (it changed while read): no more fixes
            raw, _ = copier.take_record()
            before = [column[k] for column in columns]
            text = raw.decode("utf-8")
            ending = csv_copy.line_ending(text)
            body = text[: len(text) - len(ending)]
            bom = "\ufeff" if line == 1 and body.startswith("\ufeff") else ""
            body = body[len(bom) :]
            if rows.text(before) != body and csv_copy.split(body) != before:
                copier.sink.write(raw)  # not the record the reader read: left as it is
                as_planned = False
                continue
            after = list(before)
            for j, (_, value, _) in fixes[i].items():
                after[j] = value
            written = bom + rows.text(after) + ending
            # A record of as many lines as it replaces keeps the lines after it.
            as_planned = as_planned and _breaks(written) == _breaks(text)
            copier.sink.write(written.encode("utf-8"))
            self._log(line, fixes[i])
        return as_planned

    # -- CSV, checked as it is written --

    def fix_and_check_csv(
        self, target: Path, spec: Spec, data_file: DataFile, catalog: Catalog, options: Options
    ) -> RowsResult | None:
        """Write the fixed copy of this UTF-8, comma-separated file at `target` while its
        rows are checked as `check` checks the copy (`data_file`: the copy's, in `spec`,
        the copy of the spec): the copy's rows are the batches read, with the fixed cells
        in them, so the copy is not read again. None when that check could differ from
        one that reads the copy (a record not rewritten as planned, a file problem, a file
        near HubSpot's limits, whose size and parts count): the caller checks the copy."""
        from specc.tables.parts import FileLimits
        from specc.tables.write import replacing

        self.as_planned = True
        # The copy's check reads its size and header from the source while the copy is
        # written: the header is copied byte for byte, the size is checked against the
        # limits below.
        as_source = replace(data_file, path=self.file.path)
        with replacing(target) as temp:
            check = _CopyCheck(
                spec,
                as_source,
                catalog,
                replace(options, progress=None),  # the fixer shows its own
                lambda prepare: self._copied_batches(self.file.path, temp, prepare, for_check=True),
            )
            checked = check.run()
        limits = FileLimits.from_environ(options.environ)
        sizes = (self.file.path.stat().st_size, target.stat().st_size)
        if not self.as_planned or any(limits.over(checked.rows_checked, n) for n in sizes):
            return None
        return checked

    def _copied_batches(
        self,
        source: Path,
        temp: Path,
        prepare: Callable[[list[Any]], Prepared],
        *,
        for_check: bool,
    ) -> Iterator[Batch | FileProblem]:
        """The batches of `source`, its fixed copy written at `temp` as they go; the rest
        of the file is copied as it is after a file problem (the check of the copy says
        why). `for_check`: the batches are the copy's rows, the fixed cells in them and
        `prepare`d for the check of the copy."""
        rows = csv_copy.RowText()
        table = Table(source, "CSV", self.file.has_header)
        with (
            csv_copy.open_source(source, self.file.shown_path) as raw,
            open(temp, "wb", buffering=1 << 20) as sink,
        ):
            copier = csv_copy.LineCopier(raw, sink)
            for item in self._batches(table, prepare):
                if isinstance(item, FileProblem):
                    self.as_planned = False
                    copier.copy_rest()
                    yield item
                    return
                prepared = item.prepared
                if not isinstance(prepared, Prepared):
                    prepared = prepare(item.columns)
                # The fixes are found here, a batch at a time (in the reader's threads,
                # those of the batches read ahead would be held in memory too).
                by_column: ColumnFixes = {}
                fixes = self.fixes_of(item.columns, prepared, item.typed, by_column)
                if fixes:
                    if not self._write_csv_rows(item, fixes, copier, rows):
                        self.as_planned = False
                    if for_check:
                        fixed = _with_fixes(item.columns, by_column)
                        prepared = _prepared_after(prepared, by_column) or prepare(fixed)
                        item.columns = fixed
                self.changes.flush()
                item.prepared = prepared
                yield item
            copier.copy_rest()

    # -- spreadsheets --

    def fix_sheet(self, target: Path) -> bool:
        """Write the workbook's first sheet, fixed, as a one-sheet .xlsx at `target`;
        False (nothing written, no change logged) when it cannot be read to its end."""
        from specc.tables.write import XlsxWriter, replacing

        table = Table(self.file.path, self.file.format, self.file.has_header)
        header = table.header()
        sheet = header.sheets[0] if header is not None and header.sheets else "Sheet1"
        try:
            with replacing(target) as temp:
                writer = XlsxWriter(temp, sheet=sheet[:31] or "Sheet1")
                try:
                    if self.file.has_header and header is not None:
                        writer.row(header.cells, at=1)
                    for item in self._batches(table):
                        if isinstance(item, FileProblem):
                            raise _Unreadable
                        fixes = self.batch_fixes(item)
                        for line, cells in _sheet_rows(item, fixes):
                            writer.row(cells, at=line)
                        for i in sorted(fixes):
                            self._log(item.line_at(i), fixes[i])
                        self.changes.flush()
                except BaseException:
                    writer.abort()
                    raise
                writer.close()
        except _Unreadable:
            self.changes.forget(self.shown)
            return False
        return True


class _Unreadable(Exception):
    """The workbook cannot be read to its end (its copy is the file as it is)."""


def _sheet_rows(batch: Batch, fixes: BatchFixes) -> list[tuple[int, list[Any]]]:
    """The batch's rows in sheet order as (sheet row, cells): typed cells as they are,
    fixed cells as the text written, rows with cells past the header's as read."""
    columns = [column.to_pylist() for column in batch.columns]
    rows: list[tuple[int, int, list[Any]]] = []
    for i in range(batch.size):
        cells: list[Any] = [column[i] for column in columns]
        for j, typed in batch.typed.items():
            if i in typed:
                cells[j] = typed[i]
        for j, (_, after, _) in fixes.get(i, {}).items():
            cells[j] = after
        rows.append((batch.row_at(i), batch.line_at(i), cells))
    for event in batch.events:
        rows.append((event.row, event.line, list(event.cells)))
    rows.sort(key=lambda row: row[0])
    return [(line, cells) for _, line, cells in rows]


def _value_plan(plan: FilePlan) -> FilePlan:
    """The plan for `prepare` without what finds nothing to fix: the identifier keys (kept
    for the whole file, to find repeats), blank required cells and the stage rules."""
    return replace(
        plan,
        columns=tuple(replace(column, dedupe=None) for column in plan.columns),
        required=(),
        stage_rules=(),
    )


def _breaks(text: str) -> tuple[int, int]:
    return text.count("\n"), text.count("\r")


def _prepared_after(prepared: Prepared, by_column: ColumnFixes) -> Prepared | None:
    """What `prepare` would find in the fixed columns, from what it found in the read ones,
    when the fixes change nothing but the values (else None: prepare them again).

    Of a `Prepared`, a check uses the cells the exact checks must see (`needs`), the
    identifier keys and the blank cells (the lengths and matches only lead to `needs`).
    Every value fix writes is one its column's exact check accepts (`ColumnFixer` asks it),
    so a fixed cell is taken out of `needs`: checked, it would find nothing. A fix keeps
    blank cells blank and the others not (fix leaves blank cells alone), and an
    identifier's key when it only trims the value (the key is the value trimmed); any
    other fix of an identifier column changes its key."""
    needs = dict(prepared.needs)
    for j, (rows, befores, afters) in by_column.items():
        if not all(after.strip(STRIP_CHARS) for after in afters):
            return None
        if j in prepared.keys and any(
            after.strip(STRIP_CHARS) != before.strip(STRIP_CHARS)
            for before, after in zip(befores, afters, strict=True)
        ):
            return None
        if j in needs:
            fixed = set(rows)
            needs[j] = [i for i in needs[j] if i not in fixed]
    return replace(prepared, needs=needs)


def _with_fixes(columns: list[Any], by_column: ColumnFixes) -> list[Any]:
    """The columns with the fixed cells replaced (the columns of the copy's rows)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    fixed = list(columns)
    for j, (rows, _, afters) in by_column.items():
        column = columns[j]
        if isinstance(column, pa.ChunkedArray):
            column = column.combine_chunks()
        mask = [False] * len(column)
        for i in rows:
            mask[i] = True
        values = pa.array(afters, column.type)  # in the order of `rows`, which rise
        fixed[j] = pc.replace_with_mask(column, pa.array(mask, pa.bool_()), values)
    return fixed


class _CopyCheck(FileCheck):
    """`FileCheck` of a fixed copy, its batches handed over by the fixer as it writes them
    (`batches_of(prepare)`) instead of read from the copy."""

    def __init__(
        self,
        spec: Spec,
        data_file: DataFile,
        catalog: Catalog,
        options: Options,
        batches_of: Callable[[Callable[[list[Any]], Prepared]], Iterator[Batch | FileProblem]],
    ) -> None:
        super().__init__(spec, data_file, catalog, options, fast=True)
        self.batches_of = batches_of

    def _read(self, *, prepared: bool = True) -> Generator[Batch | FileProblem, None, None]:
        # The batches come prepared, all of them: the copy is checked so only without
        # --rejects (whose pass reads unprepared) and without a row limit (_streamable).
        assert prepared and self.row_limit is None
        yield from self.batches_of(self.rows.prepare)
