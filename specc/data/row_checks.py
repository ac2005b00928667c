"""The checks of one batch of rows, run by the plan of its file (`specc.data.plan`).

Per batch, in compiled code first: each cell's byte length, option lookups and one polars
pass for the accept patterns and the identifier keys, and the typed tests of a spreadsheet's
typed cells (`prepare`, which the reader runs in its worker threads beside the parse of the
next chunk); then, on the main thread, the exact check of the few cells the fast tests do not
clear, the rules over two columns, and the row rules (a blank row, a blank object, a blank
required property on CREATE). Rows the reader could
not split into cells (`RowEvent`s) and rows past HubSpot's row limit become findings too.

Identifier columns keep two 64-bit hashes and the position of each value, a few bytes a row;
`repeats` groups them once the last batch is checked and names every value seen before.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from specc.codes import Code
from specc.codes import rows as codes
from specc.data.limit import Finding
from specc.data.plan import ColumnPlan, FilePlan
from specc.diagnostics import Severity, shorten
from specc.tables.batch import Batch, RowEvent
from specc.tables.cells import cell_text

if TYPE_CHECKING:
    import polars as pl

    from specc.data.values.typed import TypedFast
    from specc.tables.xlsx_cells import TypedCells

# HubSpot: "individual import files are limited to 1,048,576 rows or 512 MB".
MAX_ROWS = 1_048_576
# Two independent 64-bit hashes make a value's key: a false "repeated" needs both to collide.
_SEEDS = (0x5EC0_0001, 0x5EC0_0002)


@dataclass
class Prepared:
    """What `BatchCheck.prepare` finds in a batch's columns (see there)."""

    lengths: list[Any]  # per column, each cell's length in bytes
    matched: dict[int, Any] = field(default_factory=dict)  # column -> accept test per cell
    keys: dict[int, Any] = field(default_factory=dict)  # column -> polars frame h1, h2, at
    # Column -> the rows whose cell the fast tests do not clear (for the exact check).
    needs: dict[int, list[int]] = field(default_factory=dict)
    # Column -> the rows of its typed cells the typed tests do not clear (for the exact
    # typed check); a column not here has every typed cell checked exactly.
    typed_needs: dict[int, list[int]] = field(default_factory=dict)
    # Columns -> the rows where each of them is blank (the row rules' column sets).
    blank: dict[tuple[int, ...], list[int]] = field(default_factory=dict)


class BatchCheck:
    """The row checks of one file, batch after batch, by its plan."""

    def __init__(
        self, plan: FilePlan, max_rows: int | None = MAX_ROWS, hint: str | None = None
    ) -> None:
        """`max_rows`: HubSpot's row limit, past which rows are an error (SPC470, with
        `hint`) and need no keys; None for a file `specc import` sends in parts, whose rows
        all go to HubSpot."""
        self.plan = plan
        self.max_rows = max_rows
        self.limit_hint = hint or "split the file and import the parts one after the other"
        # The sets of columns the row rules ask "all blank?" of: the row, each object, each
        # requirement of a CREATE.
        blank_sets = {tuple(range(len(plan.columns)))}
        blank_sets.update(tuple(members) for members in plan.objects.values())
        blank_sets.update(tuple(need.columns) for need in plan.required)
        self.blank_sets = sorted(blank_sets)
        self.over_row_limit_reported = False
        # Per identifier column: the hashes of its values, batch by batch (see repeats).
        self.keys: dict[int, list[pl.DataFrame]] = {}
        self.numbering: list[_Numbering] = []

    def check(self, batch: Batch) -> list[Finding]:
        """Every problem of the batch's rows (a repeated identifier is found later, by
        `repeats`, once every batch is seen)."""
        findings = [self._event(event) for event in batch.events]
        findings.extend(self._row_limit(batch))
        if batch.size:
            prepared = batch.prepared
            if not isinstance(prepared, Prepared):
                prepared = self.prepare(batch.columns)
            self._remember_keys(batch, prepared)
            findings.extend(self._values(batch, prepared))
            for rule in self.plan.stage_rules:
                plan = self.plan.columns[rule.stage]
                findings.extend(
                    self._problem(batch, plan, i, text, problem)
                    for i, text, problem in rule.check(batch.columns)
                )
            findings.extend(self._row_rules(batch, prepared.blank))
        return findings

    def prepare(
        self, columns: list[Any], typed: Mapping[int, TypedCells] | None = None
    ) -> Prepared:
        """Everything about a batch that needs its cells only, not its row numbers, in
        compiled code: byte lengths, option lookups, one polars pass (its threads run the
        columns in parallel) for the accept patterns and the identifier keys, and from them
        the cells the exact checks must see and the blank cells the row rules count.
        `typed`: the batch's typed cells column by column (a spreadsheet reader's
        `TypedCells`, the same cells as `Batch.typed`), tested here too.

        Thread-safe: the readers run it in their worker threads, beside the parse of the
        next chunk, while this thread checks the previous batch."""
        from specc.data import columns as col

        prepared = self._match(columns)
        cleared = self._needs(prepared, typed or {})
        if typed and self.plan.fast:
            self._typed_needs(prepared, typed, cleared)
        blanks = col.Blanks(columns, prepared.lengths)
        prepared.blank = {members: blanks.where_all(members) for members in self.blank_sets}
        return prepared

    def _needs(self, prepared: Prepared, typed: Mapping[int, TypedCells]) -> dict[int, Any]:
        """Per checked column, the non-empty text cells the fast tests do not clear (the
        typed cells, when `typed` tells them, left to their typed check); returns, for the
        columns with typed cells, the cells whose text they clear (Arrow booleans)."""
        import pyarrow.compute as pc

        from specc.data import columns as col
        from specc.data.values import FAST_PATH_MAX_CHARS

        lengths = prepared.lengths
        matched = prepared.matched
        cleared: dict[int, Any] = {}
        for plan in self.plan.checked:
            j = plan.index
            nonempty = pc.greater(lengths[j], 0)
            # Byte lengths bound character lengths: a cell of at most that many bytes is
            # short enough for the accept pattern's promise.
            long = pc.greater(lengths[j], FAST_PATH_MAX_CHARS)
            if not self.plan.fast or plan.accept is None:
                needs = nonempty
            elif plan.accept == "":
                needs = pc.and_(nonempty, long)
            elif plan.literals is not None:
                needs = pc.and_(nonempty, pc.invert(matched[j]))
            else:
                needs = pc.and_(nonempty, pc.or_(long, pc.invert(matched[j])))
            cells = typed.get(j)
            if cells is not None:  # only typed cells ask what the text tests cleared
                cleared[j] = pc.and_(nonempty, pc.invert(needs))
                needs = pc.and_(needs, pc.invert(_marked(len(needs), cells.at)))
            prepared.needs[j] = col.indices(needs)
        return cleared

    def _typed_needs(
        self, prepared: Prepared, typed: Mapping[int, TypedCells], cleared: dict[int, Any]
    ) -> None:
        """Per checked column with typed cells whose typed check says what it surely
        accepts (`TypedFast`): the rows of the typed cells that does not cover."""
        from specc.data.values.typed import FastTyped

        for plan in self.plan.checked:
            cells = typed.get(plan.index)
            if cells is None or not isinstance(plan.check_typed, FastTyped):
                continue
            ok = typed_cleared(plan.check_typed.fast, cells, cleared[plan.index])
            prepared.typed_needs[plan.index] = cells.at.filter(~ok).to_list()

    def _match(self, columns: list[Any]) -> Prepared:
        """Byte lengths, the accept tests and the identifier keys of a batch's columns."""
        import polars as pl
        import pyarrow as pa
        import pyarrow.compute as pc

        from specc.data import columns as col
        from specc.data.values import accepts_ascii_case
        from specc.data.values.base import STRIP_CHARS

        prepared = Prepared([col.byte_lengths(c) for c in columns])
        for plan in self.plan.columns:
            if self.plan.fast and plan.check is not None and plan.literals is not None:
                prepared.matched[plan.index] = col.in_set(columns[plan.index], plan.literals)
        regexes = {
            p.index: p.accept
            for p in self.plan.columns
            if self.plan.fast and p.check is not None and p.accept and p.literals is None
        }
        dedupe = [p for p in self.plan.columns if p.dedupe is not None]
        if not regexes and not dedupe:
            return prepared
        # An identifier column of ASCII text (emails, domains, most ids) gets its keys from
        # Arrow's ASCII kernels, several times cheaper than polars' Unicode ones; for ASCII
        # text they are the same: only the ASCII strip characters can occur, and lower case
        # is ASCII lower case.
        ascii_keys = {
            p.index: _ascii_key(columns[p.index], caseless=p.caseless)
            for p in dedupe
            if pc.all(pc.string_is_ascii(columns[p.index])).as_py() is not False
        }
        used = sorted({*regexes, *(p.index for p in dedupe if p.index not in ascii_keys)})
        frame = pl.from_arrow(pa.table({f"c{j}": columns[j] for j in used}), rechunk=False)
        assert isinstance(frame, pl.DataFrame)
        exprs = [
            pl.col(f"c{j}").str.contains(pattern).alias(f"m{j}") for j, pattern in regexes.items()
        ]
        for plan in dedupe:
            if plan.index in ascii_keys:
                continue
            key = pl.col(f"c{plan.index}").str.strip_chars(STRIP_CHARS)
            if plan.caseless:
                key = key.str.to_lowercase()
            exprs.append(key.alias(f"k{plan.index}"))
        result = frame.lazy().select(exprs).collect() if exprs else pl.DataFrame()
        for j, pattern in regexes.items():
            matched = result[f"m{j}"]
            if accepts_ascii_case(pattern):
                matched = ascii_case_matches(frame[f"c{j}"], matched, pattern)
            prepared.matched[j] = matched.to_arrow()
        for plan in dedupe:
            ascii_key = ascii_keys.get(plan.index)
            keyed = result[f"k{plan.index}"] if ascii_key is None else ascii_key
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
        if (self.max_rows is not None and batch.first_row > self.max_rows) or not prepared.keys:
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
        plan = self.plan.columns[j]
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
            spec=self.plan.where,
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
                f"{len(self.plan.file.columns)}",
                "quote cells that hold commas, and give every row one cell per column",
                ",".join(cell_text(c) for c in event.cells),
            )
        if event.kind == "long":
            return self._whole_row(
                event.row,
                event.line,
                codes.ROW_TOO_LONG,
                f"row {event.row} is {event.detail}: longer than any row of "
                f"{len(self.plan.file.columns)} columns HubSpot can import (a cell holds at most "
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
        limit = self.max_rows
        if limit is None or self.over_row_limit_reported or batch.last_row() <= limit:
            return []
        self.over_row_limit_reported = True
        numbers = [(batch.row_at(i), batch.line_at(i)) for i in range(batch.size)]
        numbers += [(e.row, e.line) for e in batch.events]
        row, line = min((r, n) for r, n in numbers if r > limit)
        return [
            self._whole_row(
                row,
                line,
                codes.TOO_MANY_ROWS,
                f"{self.plan.file.shown_path} has more than {limit:,} data rows, HubSpot's "
                "limit per file; "
                f"row {row:,} is the first over it",
                self.limit_hint,
            )
        ]

    # -- values --

    def _values(self, batch: Batch, prepared: Prepared) -> list[Finding]:
        """Cells that are not plainly fine by their column's fast test, checked exactly."""
        import pyarrow.compute as pc

        findings: list[Finding] = []
        for plan in self.plan.checked:
            j = plan.index
            column = batch.columns[j]
            typed = batch.typed.get(j, {})
            at = prepared.needs[j]
            if at:
                texts = pc.take(column, at).to_pylist()
                findings.extend(self._check_texts(batch, plan, at, texts, typed))
            if not typed:
                continue
            judged: dict[tuple[type, Any], Any] = {}  # the same typed value, checked once
            check_typed = plan.check_typed
            assert check_typed is not None  # planned with `check`, for the same property
            typed_at = prepared.typed_needs.get(j)
            for i in sorted(typed) if typed_at is None else typed_at:
                value = typed[i]
                key = (type(value), value)
                if key in judged:
                    problem = judged[key]
                else:
                    problem = judged[key] = check_typed(value)
                if problem is not None:
                    findings.append(self._problem(batch, plan, i, column[i].as_py(), problem))
        return findings

    def _check_texts(
        self, batch: Batch, plan: ColumnPlan, at: list[int], texts: list[str], typed: dict[int, Any]
    ) -> Iterator[Finding]:
        from specc.data.values.base import STRIP_CHARS

        known: dict[str, Any] = {}  # the same bad value, checked once
        check = plan.check
        assert check is not None  # only checked columns get here
        for i, text in zip(at, texts, strict=True):
            if i in typed:
                continue  # judged as the typed cell it is
            if not text.strip(STRIP_CHARS):
                continue  # blank: no value (the row rules see to blank rows and objects)
            if text in known:
                problem = known[text]
            else:
                problem = known[text] = check(text)
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

    def _row_rules(self, batch: Batch, blank: dict[tuple[int, ...], list[int]]) -> list[Finding]:
        blank_rows = blank[tuple(range(len(self.plan.columns)))]
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
        for oid, members in self.plan.objects.items():
            empty = [i for i in blank[tuple(members)] if i not in skip]
            empty_objects[oid] = set(empty)
            name = self.plan.object_names[oid]
            names = [self.plan.columns[j].column.name for j in members]
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
        for need in self.plan.required:
            oid, members, why = need.object_type_id, need.columns, need.why
            findings.extend(
                self._cell(
                    batch,
                    i,
                    members[0],
                    codes.MISSING_REQUIRED_VALUE,
                    f"{self.plan.columns[members[0]].column.name} is blank, and {why}",
                    "fill the cell, or import the row as an update of an existing record",
                    value="",
                )
                for i in blank[tuple(members)]
                if i not in skip and i not in empty_objects[oid]
            )
        return findings

    # -- repeated identifiers --

    def repeats(self) -> list[Finding]:
        """Every value seen before in its column, at each repeat (not the first time), once
        every batch is checked. Forgets the keys it kept."""
        import polars as pl

        found: list[Finding] = []
        for j, parts in self.keys.items():
            plan = self.plan.columns[j]
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
                    if self.max_rows is not None and row > self.max_rows:
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
            found.extend(findings)
        self.forget()
        return found

    def forget(self) -> None:
        """Drop the identifier keys kept so far (the file cannot be read to its end)."""
        self.keys.clear()
        self.numbering.clear()

    def _cell_at(self, number: int, j: int, at: int) -> tuple[int, int, str]:
        """(row, line, text) of the cell at position `at` of column j in batch `number`."""
        numbering = self.numbering[number]
        row = numbering.rows[at] if numbering.rows is not None else numbering.first_row + at
        line = numbering.lines[at] if numbering.lines is not None else numbering.first_line + at
        text: str = numbering.cells[j][at].as_py()
        return row, line, text


def ascii_case_matches(cells: pl.Series, matched: pl.Series, pattern: str) -> pl.Series:
    """`matched` (whether each cell matches `pattern`, one for which `accepts_ascii_case`),
    with the ASCII cells it misses whose lower case matches: an address or a domain in
    capitals. Only the missed cells are lowered, usually a handful (the bad values). A
    non-ASCII cell is left out: Unicode lower case turns a Kelvin sign into a k."""
    missed = (~matched).fill_null(False)
    if not missed.any():
        return matched
    at = missed.arg_true()
    texts = cells.gather(at)
    lowered = (
        texts.str.len_bytes() == texts.str.len_chars()
    ) & texts.str.to_lowercase().str.contains(pattern)
    return matched.scatter(at.filter(lowered.fill_null(False)), True)


def typed_cleared(fast: TypedFast, cells: TypedCells, text_cleared: Any) -> pl.Series:
    """Which of a column's typed cells `fast` surely accepts (a Boolean per cell of
    `cells`); `text_cleared`: the column's cells whose text the fast text tests clear
    (Arrow booleans, one per row of the batch)."""
    import polars as pl

    from specc.tables.xlsx_cells import TYPED_DATE, TYPED_DATETIME, TYPED_MIDNIGHT, TYPED_NUMBER

    kind = pl.col("kind")
    number = pl.col("number")
    accepted = pl.lit(False)
    if fast.numbers is not None:
        low, high = fast.numbers
        # Bounds first: a NaN or an infinity is never between two finite numbers.
        numbers = (kind == TYPED_NUMBER) & number.is_finite() & number.is_between(low, high)
        if fast.whole:
            numbers &= number == number.floor()
        accepted |= numbers
    if fast.dates:
        accepted |= kind.is_in([TYPED_DATE, TYPED_MIDNIGHT])
    if fast.datetimes:
        accepted |= kind == TYPED_DATETIME
    frame = pl.DataFrame({"kind": cells.kind, "number": cells.number})
    if fast.by_text:
        text = pl.from_arrow(text_cleared)
        assert isinstance(text, pl.Series)
        frame = frame.with_columns(text=text.gather(cells.at))
        accepted &= pl.col("text")
    return frame.select(accepted.fill_null(False).alias("ok")).to_series()


def _marked(size: int, at: pl.Series) -> Any:
    """Arrow booleans, `size` of them, true at the indices `at`."""
    import polars as pl

    return pl.repeat(False, size, dtype=pl.Boolean, eager=True).scatter(at, True).to_arrow()


def _ascii_key(column: Any, *, caseless: bool) -> pl.Series:
    """The identifier key of each cell of an all-ASCII column, as `_match`'s polars
    expression makes it: without the strip characters around it, in lower case when
    `caseless`."""
    import polars as pl
    import pyarrow.compute as pc

    from specc.data.values.base import STRIP_CHARS

    key = pc.ascii_trim(column, "".join(c for c in STRIP_CHARS if c.isascii()))
    if caseless:
        key = pc.ascii_lower(key)
    series = pl.from_arrow(key)
    assert isinstance(series, pl.Series)
    return series


@dataclass(frozen=True)
class _Numbering:
    """What `_repeats` needs of a batch after it is gone: its numbering and the cells of
    its identifier columns."""

    first_row: int
    first_line: int
    rows: Sequence[int] | None
    lines: Sequence[int] | None
    cells: dict[int, Any]


def _quoted(text: str) -> str:
    return '"' + shorten(text, 60) + '"'
