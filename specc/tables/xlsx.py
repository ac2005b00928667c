"""The rows of an .xlsx workbook's first sheet, streamed: memory stays flat whatever the
sheet's size, and the rows come out as python-calamine would give them.

python-calamine builds the whole sheet in memory before the first row can be read (818 MiB
for a sheet of 1,000,000 rows x 10 columns), and its rows become Python objects one cell at
a time. This reader inflates the sheet's XML from the zip a few MB at a time, cut after a
`</row>`, and reads each chunk with vectorised polars operations in three worker threads
(`specc.tables.xlsx_cells`): no Python object per cell, except the typed cells (numbers,
dates, booleans) the checks judge one by one. Shared strings are held as one polars String
Series, the one part of the workbook kept whole (its size is bounded before any reader
runs: specc.data.workbook_limits, `streamed=True`).

It yields what `specc.tables.calamine.read_spreadsheet` yields, row for row: Arrow string
columns with the one text rule (`specc.tables.cells.cell_text`), the typed cells beside
them, `line` the sheet row number, the header the first row holding a non-blank cell,
blank rows skipped, a row with non-blank cells beyond the header's columns a "cells" event.
The columns start where the sheet's used area does: the leftmost column any cell with a
value uses (read to the end of the sheet first when the header does not start in column A).

Differences, on purpose:
- an event's cells run to the row's last cell holding a value; calamine pads every row to
  the sheet's widest, which streaming cannot know and which miscounts the row's cells.
  Rows whose cells lie so far apart that spelling them out would take more cells than the
  sheet's size allows (calamine's rectangle was held to the same bound) end the sheet;
- a sheet damaged after its first rows (a broken zip stream, XML an XML parser refuses, a
  cell calamine refuses) yields the rows before the damage, then a FileProblem; calamine
  yields only the problem. Rows out of order (a row number lower than one read before,
  which no spreadsheet program writes) end the sheet the same way.

Anything unusual before the first rows are yielded (a workbook structure, a sheet prolog
or a first chunk this reader cannot read as calamine does) is left to calamine, as specc
always did, once the whole workbook has been measured for calamine's rectangle.
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from collections import deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from specc.data.workbook_limits import cells_allowed
from specc.errors import InputError
from specc.tables.batch import Batch, FileProblem, RowEvent, Runs, Typed
from specc.tables.xlsx_cells import (
    Cells,
    Resolved,
    SheetError,
    TypedCells,
    exact_cells,
    fast_cells,
    resolve,
    row_column,
)
from specc.tables.xlsx_parts import (
    CHUNK,
    Damaged,
    SharedStrings,
    Unsupported,
    Workbook,
    open_workbook,
    read_shared_strings,
)

# BatchCheck.prepare: called with a batch's columns and, as `typed`, its typed cells
# column by column.
Prepare = Callable[..., Any]
# Three reader threads on two cores: each spends much of a chunk waiting (for polars' own
# threads, which run its queries, or for the GIL between them), and a third keeps both cores
# busy meanwhile. Each costs about one chunk's working memory (~25 MiB); measured with
# `python bench/check_bench.py --xlsx`: 2 threads 1.10x calamine's read, 3 threads 0.97x.
WORKERS = 3
# A sheet is read up to this many decompressed bytes ahead looking for the end of a row.
MAX_PENDING = 256 << 20
# While the shared strings are read (~0.6 s of CPU for the benchmark's 75 MB, which left a
# core mostly idle), the reader threads scan up to this many chunks of the sheet ahead,
# which needs no string. Each costs a chunk and its cell table (~4 MiB of peak memory).
SCAN_AHEAD = 8
_SHEET_DATA = re.compile(rb"<([A-Za-z_][\w.-]*:)?sheetData(?=[\s/>])[^>]*>")
_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\b[^>]*?\sref\s*=\s*[\"']([^\"']*)[\"']")


def read_xlsx(
    path: Any, ncols: int, has_header: bool = True, prepare: Prepare | None = None
) -> Generator[Batch | FileProblem, None, None]:
    """The rows of the first sheet of the .xlsx at `path`, in batches of about a chunk's
    rows (see the module docstring). `prepare(columns)` runs in the worker threads on each
    batch's columns; its result is the batch's `prepared`."""
    reader: _SheetReader | None = None
    try:
        try:
            reader = _SheetReader(path, ncols, has_header, prepare)
            first = reader.first_batches()
        except _TooWide as refused:
            yield FileProblem("spreadsheet", refused.line, None, refused.detail)
            return
        except (Unsupported, Damaged, SheetError, _Refused, InputError):
            if reader is not None:
                reader.close()
                reader = None
            yield from _calamine(path, ncols, has_header)
            return
        yield from first
        yield from reader.rest()
    finally:
        if reader is not None:
            reader.close()


def _calamine(
    path: Any, ncols: int, has_header: bool
) -> Generator[Batch | FileProblem, None, None]:
    """python-calamine's rows, for what this reader leaves to it. calamine builds the whole
    sheet in memory, which `specc check` let through unmeasured (it measured the workbook
    for this reader): measure it first, as before any calamine read."""
    from specc.data.workbook_limits import workbook_problem
    from specc.tables.calamine import read_spreadsheet

    problem = workbook_problem(path)
    if problem is not None:
        yield FileProblem("spreadsheet", None, None, f"it was not opened: {problem}")
        return
    yield from read_spreadsheet(path, ncols, has_header)


class _Refused(Exception):
    """The streamed reader cannot go on the way calamine would: a FileProblem once rows
    have been yielded, calamine's own reading before."""

    def __init__(self, detail: str, line: int | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.line = line


class _TooWide(_Refused):
    """Rows whose cells lie far apart, spelled out cell by cell, would take more than the
    sheet's size allows: a FileProblem, never calamine (which builds the whole rectangle)."""


@dataclass
class _Chunk:
    """Whole rows of the sheet, with where the sheet stands once they are read."""

    data: bytes
    done: int  # decompressed bytes of the sheet part read so far
    work: Future[_Done | None] | None = None
    scan: Future[Cells | None] | None = None  # its fast_cells, when scanned ahead


@dataclass
class _Done:
    """What is kept of a chunk once read (the cell tables are let go at once): calamine's
    row counter after it, the first and last sheet rows (0-based) holding a value, its
    rows laid out."""

    next_row: int
    span: tuple[int, int] | None
    rows: _Rows | None

    @classmethod
    def of(cls, cells: Cells, resolved: Resolved, rows: _Rows | None) -> _Done:
        frame = resolved.frame
        span = (int(frame["row"][0]), int(frame["row"][-1])) if frame.height else None
        return cls(cells.next_row, span, rows)


@dataclass
class _Rows:
    """The rows of a chunk once the columns are known, numbered within the chunk."""

    # As runs of consecutive numbers, (first, count) each: a few integers a chunk where a
    # list would keep an object a row (the checks keep every batch's numbering).
    lines: list[tuple[int, int]]  # sheet row numbers (1-based) of the data rows
    seqs: list[tuple[int, int]]  # each data row's index among the chunk's non-blank rows
    columns: list[Any]  # pa.Array of strings per header column
    typed: dict[int, dict[int, Typed]]
    typed_cells: dict[int, TypedCells]  # the same cells, column-wise (for `prepare`)
    events: list[tuple[int, int, tuple[Any, ...]]]  # (seq, line, cells)
    count: int  # non-blank rows (data rows and events)
    spelled: int = 0  # the events' cells
    prepared: Any = None


@dataclass
class _Layout:
    """Where the columns are: the sheet's first used column, how many to read, and the
    rows to leave out (0-based, up to this one: the header, when there is one, and the
    blank rows before it)."""

    start: int
    ncols: int
    skip_through: int
    # Cells of rows set aside (events) a chunk may spell out, at least, and per byte of its
    # XML beyond: a cell far right of the rest makes every cell between count, as in
    # calamine's rectangle; a real row's cells take ten bytes of XML each, or more.
    event_cells: int = 1 << 20


@dataclass
class _State:
    next_row: int = 0  # calamine's row counter (for rows and cells without `r`)
    last_row: int = -1  # the highest sheet row (0-based) read so far
    rows_done: int = 0  # data rows numbered so far (events included)
    spelled: int = 0  # cells of events so far
    pending: list[Resolved] = field(default_factory=list)


class _SheetReader:
    def __init__(self, path: Any, ncols: int, has_header: bool, prepare: Prepare | None):
        self.path = path
        self.ncols = ncols
        self.has_header = has_header
        self.prepare = prepare
        self.workbook: Workbook = open_workbook(path)
        self.pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="specc-xlsx")
        # The shared strings: inflated in a thread, parsed in two more of their own (in
        # the reader threads, they would wait behind the scans ahead).
        self.strings_thread = ThreadPoolExecutor(1, thread_name_prefix="specc-xlsx-strings")
        self.strings_pool = ThreadPoolExecutor(2, thread_name_prefix="specc-xlsx-strings")
        self.ahead: deque[_Chunk | _Refused] = deque()  # chunks read while strings load
        try:
            handle = self.workbook.archive.fp
            self.size = os.fstat(handle.fileno()).st_size if handle is not None else 0
            self.total = max(1, self.workbook.sheet.file_size)
            # Calamine's rectangle was bounded by the sheet's compressed size; so are the
            # cells the events spell out here (the only cells not bounded by the header's
            # columns).
            self.allowed = cells_allowed(self.workbook.sheet.compress_size)
            # Its failure (Damaged, Unsupported...) is raised where the strings are first
            # needed, in `first_batches`.
            self.reading: Future[SharedStrings] = self.strings_thread.submit(
                _shared_strings, self.workbook, self.strings_pool
            )
        except BaseException:
            self.close()
            raise
        self.state = _State()
        self.layout: _Layout | None = None
        self.chunks = self._chunks()
        self.strings: SharedStrings  # set by first_batches, once read

    def _wait_for_strings(self) -> SharedStrings:
        """The shared strings, once read (raising what reading them raised): until then,
        the sheet's first chunks are read and scanned ahead (up to SCAN_AHEAD), which keeps
        the cores busy meanwhile."""
        while not self.reading.done() and len(self.ahead) < SCAN_AHEAD:
            if self.ahead and isinstance(self.ahead[-1], _Refused):
                break
            try:
                chunk = next(self.chunks, None)
            except _Refused as refused:
                # Raised when the reading gets there, after the chunks before it.
                self.ahead.append(refused)
                break
            if chunk is None:
                break
            chunk.scan = self.pool.submit(fast_cells, chunk.data)
            self.ahead.append(chunk)
        return self.reading.result()

    def _next_chunk(self) -> _Chunk | None:
        """The sheet's next chunk: one read ahead first, else the next one inflated."""
        if self.ahead:
            chunk = self.ahead.popleft()
            if isinstance(chunk, _Refused):
                raise chunk
            return chunk
        return next(self.chunks, None)

    # --- the chunks ---------------------------------------------------------------------

    def _chunks(self) -> Iterator[_Chunk]:
        """The sheetData's rows in chunks of about CHUNK decompressed bytes, each cut after
        a `</row>`. The prolog before <sheetData> is checked as calamine reads it."""
        try:
            with self.workbook.archive.open(self.workbook.sheet) as part:
                yield from self._cut(part)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise _Refused(f"Zip error: {exc}") from None

    def _cut(self, part: Any) -> Iterator[_Chunk]:
        done = 0
        buffer = b""
        # The prolog, up to <sheetData ...>.
        while True:
            raw = part.read(CHUNK)
            done += len(raw)
            buffer += raw
            found = _SHEET_DATA.search(buffer)
            if found is not None:
                break
            if not raw or len(buffer) > MAX_PENDING:
                raise Unsupported("no <sheetData> in the sheet")
        self._check_prolog(buffer[: found.start()])
        if found.group(0).endswith(b"/>"):
            return  # an empty sheet
        prefix = found.group(1) or b""
        end_row = b"</" + prefix + b"row>"
        end_data = b"</" + prefix + b"sheetData>"
        buffer = buffer[found.end() :]
        finished = False
        while True:
            stop = buffer.find(end_data)
            if stop >= 0:
                if stop:
                    yield _Chunk(buffer[:stop], done)
                return
            if finished:
                raise _Refused("Unexpected end of xml, expecting '</sheetData>'")
            cut = buffer.rfind(end_row)
            if cut >= 0 and len(buffer) >= CHUNK // 2:
                cut += len(end_row)
                yield _Chunk(buffer[:cut], done)
                buffer = buffer[cut:]
            elif len(buffer) > MAX_PENDING:
                raise _Refused(f"a row runs past {MAX_PENDING >> 20} MiB of XML")
            raw = part.read(CHUNK)
            done += len(raw)
            finished = not raw
            buffer += raw

    def _check_prolog(self, prolog: bytes) -> None:
        """calamine fails a sheet whose <dimension> it cannot parse; DTDs and odd roots are
        left to it."""
        if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
            raise Unsupported("the sheet declares a DTD")
        dimension = _DIMENSION.search(prolog)
        if dimension is None:
            return
        try:
            text = dimension.group(1).decode("utf-8")
            parts = text.split(":")
            if len(parts) > 2:
                raise Unsupported("a dimension of more than two cells")
            for part in parts:
                if row_column(part)[1] is None:
                    raise Unsupported("a dimension without a column")
        except (SheetError, UnicodeDecodeError):
            raise Unsupported("the sheet's dimension is not a range") from None

    # --- reading ------------------------------------------------------------------------

    def first_batches(self) -> list[Batch | FileProblem]:
        """Read chunks in this thread until the columns are known (the header found) and
        the first batch is ready. Any problem up to here goes to calamine instead."""
        out: list[Batch | FileProblem] = []
        strings: SharedStrings | None = None
        while (chunk := self._next_chunk()) is not None:
            cells = chunk.scan.result() if chunk.scan is not None else fast_cells(chunk.data)
            if cells is None:
                cells = exact_cells(chunk.data, self.state.next_row)
            if strings is None:  # the worker threads read the attribute from here on
                strings = self.strings = self._wait_for_strings()
            resolved = resolve(cells.frame, strings, self.workbook)
            self._in_order(_Done.of(cells, resolved, None).span)
            self.state.next_row = cells.next_row
            self.state.pending.append(resolved)
            if self.layout is None:
                self.layout = self._find_layout()
                if self.layout is None:
                    continue
            for held in self.state.pending:
                rows = _pivot(held, self.layout, len(chunk.data))
                if rows is not None:
                    if self.prepare is not None:
                        rows.prepared = self.prepare(rows.columns, typed=rows.typed_cells)
                    out.append(self._batch(rows, chunk.done))
            self.state.pending.clear()
            if out:
                return out
        if strings is None:
            self._wait_for_strings()  # an empty sheet: damaged shared strings are calamine's
        return out

    def _find_layout(self) -> _Layout | None:
        """Once a row holds a non-blank cell: the first column (the leftmost of any cell
        with a value in the sheet) and the rows to skip (the header, when there is one)."""
        import polars as pl

        pending = pl.concat([r.frame for r in self.state.pending])
        nonblank = pending.filter(~pl.col("blank"))
        if nonblank.height == 0:
            return None
        anchor = int(nonblank["row"][0])
        start = int(pending.filter(pl.col("row") <= anchor)["col"].min())
        if start > 0:
            start = min(start, self._leftmost_column())
        return _Layout(start, self.ncols, anchor if self.has_header else anchor - 1)

    def _leftmost_column(self) -> int:
        """The leftmost column any cell with a value uses, reading the whole sheet once
        more (only when the header does not start in column A)."""
        leftmost: int | None = None
        next_row = 0
        for chunk in self._chunks():
            cells = fast_cells(chunk.data) or exact_cells(chunk.data, next_row)
            next_row = cells.next_row
            if cells.frame.height:
                found = int(cells.frame["col"].min())
                leftmost = found if leftmost is None else min(leftmost, found)
        return leftmost or 0

    def _in_order(self, span: tuple[int, int] | None) -> None:
        if span is None:
            return
        first, last = span
        if first <= self.state.last_row:
            raise _Refused(
                f"row {first + 1} comes after row {self.state.last_row + 1}; spreadsheet "
                "programs write rows in order",
                first + 1,
            )
        self.state.last_row = last

    def rest(self) -> Iterator[Batch | FileProblem]:
        """The chunks after the first batches, read by the worker threads, in order."""
        if self.layout is None:
            return
        layout = self.layout
        pending: deque[_Chunk] = deque()
        try:
            while True:
                try:
                    chunk = self._next_chunk()
                except _Refused as refused:
                    yield from self._drain(pending)
                    yield FileProblem("spreadsheet", refused.line, None, refused.detail)
                    return
                if chunk is None:
                    break
                chunk.work = self.pool.submit(self._work, chunk.data, layout, chunk.scan)
                chunk.scan = None  # its cells are the work's now: not kept beside its result
                pending.append(chunk)
                # The chunks scanned ahead are queued at once (their scans were queued
                # before, so a worker waiting for one never waits for a later job); then
                # the queue goes back down to WORKERS chunks.
                while len(pending) >= WORKERS and not self.ahead:
                    problem = yield from self._finish(pending.popleft(), layout)
                    if problem:
                        return
            while pending:
                problem = yield from self._finish(pending.popleft(), layout)
                if problem:
                    return
        finally:
            for chunk in pending:
                if chunk.work is not None:
                    chunk.work.cancel()

    def close(self) -> None:
        """Stop the worker threads (the chunks still queued are dropped), then close the
        file."""
        self.pool.shutdown(wait=True, cancel_futures=True)
        # The strings' queued chunks first: their reader then stops at the next one.
        self.strings_pool.shutdown(wait=False, cancel_futures=True)
        self.strings_thread.shutdown(wait=True, cancel_futures=True)
        self.strings_pool.shutdown(wait=True)
        self.workbook.close()

    def _drain(self, pending: deque[_Chunk]) -> Iterator[Batch | FileProblem]:
        assert self.layout is not None
        while pending:
            problem = yield from self._finish(pending.popleft(), self.layout)
            if problem:
                return

    def _work(
        self, data: bytes, layout: _Layout, scan: Future[Cells | None] | None = None
    ) -> _Done | None:
        """A worker's part: parse (unless `scan`, queued before, did), resolve and lay out
        a chunk, and prepare its columns."""
        cells = scan.result() if scan is not None else fast_cells(data)
        if cells is None:
            return None
        resolved = resolve(cells.frame, self.strings, self.workbook)
        rows = _pivot(resolved, layout, len(data))
        if rows is not None and self.prepare is not None:
            rows.prepared = self.prepare(rows.columns, typed=rows.typed_cells)
        return _Done.of(cells, resolved, rows)

    def _finish(self, chunk: _Chunk, layout: _Layout) -> Generator[Batch | FileProblem, None, bool]:
        """Yield the chunk's batch; True when the sheet ended in a problem."""
        try:
            assert chunk.work is not None
            done = chunk.work.result()
            if done is None:
                cells = exact_cells(chunk.data, self.state.next_row)
                resolved = resolve(cells.frame, self.strings, self.workbook)
                rows = _pivot(resolved, layout, len(chunk.data))
                if rows is not None and self.prepare is not None:
                    rows.prepared = self.prepare(rows.columns, typed=rows.typed_cells)
                done = _Done.of(cells, resolved, rows)
            self._in_order(done.span)
            rows = done.rows
            self.state.next_row = done.next_row
            batch = None if rows is None else self._batch(rows, chunk.done)
        except SheetError as exc:
            yield FileProblem("spreadsheet", exc.line, None, str(exc))
            return True
        except _Refused as refused:
            yield FileProblem("spreadsheet", refused.line, None, refused.detail)
            return True
        if batch is not None:
            yield batch
        return False

    def _batch(self, rows: _Rows, done: int) -> Batch:
        self.state.spelled += rows.spelled
        if self.state.spelled > self.allowed:
            line = rows.events[0][1] if rows.events else None
            raise _TooWide(
                f"its rows with cells past the header's columns span more than "
                f"{self.allowed:,} cells, more than a sheet of "
                f"{self.workbook.sheet.compress_size:,} bytes holds (cells far apart)",
                line,
            )
        offset = self.state.rows_done
        self.state.rows_done += rows.count
        numbers = Runs()
        for first, count in rows.seqs:
            numbers.run(offset + first + 1, count)
        lines = Runs()
        for first, count in rows.lines:
            lines.run(first, count)
        events = [
            RowEvent("cells", line, offset + seq + 1, cells) for seq, line, cells in rows.events
        ]
        first_row = numbers[0] if numbers else (events[0].row if events else offset + 1)
        first_line = lines[0] if lines else (events[0].line if events else 0)
        return Batch(
            columns=rows.columns,
            first_row=first_row,
            first_line=first_line,
            rows=numbers,
            lines=lines,
            events=events,
            typed=rows.typed,
            bytes_done=self.size * min(done, self.total) // self.total,
            prepared=rows.prepared,
        )


def _shared_strings(workbook: Workbook, pool: ThreadPoolExecutor) -> SharedStrings:
    """The shared strings, inflated in this thread and parsed in `pool`'s, while the
    reader threads scan the sheet's first chunks."""
    import pyarrow as pa

    strings = read_shared_strings(workbook, pool)
    # Arrow's allocator keeps what reading them took; the sheet's chunks need less.
    pa.default_memory_pool().release_unused()
    return strings


def _pivot(resolved: Resolved, layout: _Layout, size: int) -> _Rows | None:
    """The resolved cells of a chunk as rows of `layout.ncols` columns: blank rows and the
    header (with what precedes it) left out, rows with non-blank cells past the last column
    set aside as events. None when no row is left."""
    import polars as pl
    import pyarrow as pa

    frame = resolved.frame
    if frame.height == 0:
        return None
    if frame["row"][0] <= layout.skip_through:  # cells are sorted by row
        frame = frame.filter(pl.col("row") > layout.skip_through)
        if frame.height == 0:
            return None
    ncols = layout.ncols
    frame = frame.with_columns(rel=pl.col("col") - layout.start)
    # Each cell's row group (cells are sorted by row), and per row: any non-blank cell,
    # any beyond the columns.
    frame = frame.with_columns(
        g=((pl.col("row") != pl.col("row").shift(1)).fill_null(True).cum_sum() - 1).set_sorted()
    )
    rows = frame.group_by("g", maintain_order=True).agg(
        pl.col("row").first(),
        nonblank=(~pl.col("blank")).any(),
        extra=((~pl.col("blank")) & (pl.col("rel") >= ncols)).any(),
        last=pl.col("rel").max(),
    )
    rows = rows.filter(pl.col("nonblank")).with_row_index("seq")
    if rows.height == 0:
        return None
    data_rows = rows.filter(~pl.col("extra")).with_row_index("k")
    typed_values = resolved.typed
    columns: list[Any] = []
    typed: dict[int, dict[int, Typed]] = {}
    typed_cells: dict[int, TypedCells] = {}
    count = data_rows.height
    if count:
        # Each cell's data row (-1: a blank row or an event), by its row group.
        groups = int(frame["g"][-1]) + 1
        k_of_group = pl.repeat(-1, groups, dtype=pl.Int64, eager=True).scatter(
            data_rows["g"], data_rows["k"].cast(pl.Int64)
        )
        cells = (
            frame.lazy()
            .select("rel", "text", "tid", "tk", "num", k=pl.lit(k_of_group).gather(pl.col("g")))
            .filter((pl.col("k") >= 0) & (pl.col("rel") < ncols))
            .collect()
        )
        by_column = {
            key[0] if isinstance(key, tuple) else key: part
            for key, part in cells.partition_by("rel", as_dict=True, maintain_order=True).items()
        }
        for j in range(ncols):
            part = by_column.get(j)
            if part is None:
                columns.append(pa.array([""] * count, type=pa.string()))
                continue
            if part.height == count:
                text = part["text"]
            else:
                text = pl.repeat("", count, dtype=pl.String, eager=True).scatter(
                    part["k"], part["text"]
                )
            columns.append(text.to_arrow().cast(pa.string()))
            with_type = part.select("k", "tid", "tk", "num").filter(pl.col("tid") >= 0)
            if with_type.height:
                typed_cells[j] = TypedCells(with_type["k"], with_type["tk"], with_type["num"])
                typed[j] = dict(
                    zip(
                        with_type["k"].to_list(),
                        [typed_values[t] for t in with_type["tid"].to_list()],
                        strict=True,
                    )
                )
    else:
        columns = [pa.array([], type=pa.string()) for _ in range(ncols)]
    events: list[tuple[int, int, tuple[Any, ...]]] = []
    wide = rows.filter(pl.col("extra"))
    spelled = int(wide["last"].sum()) + wide.height if wide.height else 0
    if spelled > max(layout.event_cells, size):
        raise _TooWide(
            f"its rows with cells past the header's columns span {spelled:,} cells in "
            f"{size:,} bytes of the sheet's XML (cells far apart); specc reads at most one "
            "such cell per byte",
            int(wide["row"][0]) + 1,
        )
    if wide.height:
        for seq, group, row, last in wide.select("seq", "g", "row", "last").iter_rows():
            cells_of = frame.filter(pl.col("g") == group)
            values: list[Any] = [""] * (last + 1)
            for rel, text, tid in cells_of.select("rel", "text", "tid").iter_rows():
                values[rel] = typed_values[tid] if tid >= 0 else text
            events.append((seq, row + 1, tuple(values)))
    return _Rows(
        lines=_runs(data_rows["row"] + 1),
        seqs=_runs(data_rows["seq"]),
        columns=columns,
        typed=typed,
        typed_cells=typed_cells,
        events=events,
        count=rows.height,
        spelled=spelled,
    )


def _runs(numbers: Any) -> list[tuple[int, int]]:
    """Rising whole numbers (a polars Series) as runs of consecutive ones: (first, count)."""
    import polars as pl

    size = len(numbers)
    if size == 0:
        return []
    value = pl.col("v")
    starts = (
        pl.DataFrame({"v": numbers.cast(pl.Int64)})
        .with_row_index("at")
        .filter((value.diff() != 1).fill_null(True))
    )
    at = starts["at"].to_list()
    counts = [end - start for start, end in zip(at, [*at[1:], size], strict=True)]
    return list(zip(starts["v"].to_list(), counts, strict=True))
