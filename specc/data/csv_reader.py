"""CSV files, read in bounded chunks: a fast path on Arrow's parser and an exact path on `csv`.

The rules (RFC 4180, as HubSpot documents nothing finer): comma-separated, cells may be quoted
with `"` and then hold commas, quotes (doubled) and line breaks; UTF-8 with or without a BOM.
`line` is the physical line where a row starts (the header is line 1; line breaks are `\\n`,
`\\r\\n` and a lone `\\r`), `row` the 1-based data row. Completely empty lines are skipped
(they are not rows); a row with the wrong number of cells, or with quoting the rules do not
allow, becomes a `RowEvent`.

**The exact path** is the definition: Python's `csv` module (strict quoting) over the file's
lines. It is simple and handles everything, at the speed of the `csv` module.

**The fast path** cuts the file into chunks of about 8 MB that end on a row boundary (a line
break after an even number of quotes) and hands them to Arrow's CSV parser, two chunks at a
time in worker threads, several times faster than `csv`. It is used only where it provably
reads the same cells as the exact path:

- a chunk whose quotes are not all well placed (a quote inside an unquoted cell, text after a
  closing quote) sends the rest of the file to the exact path, since its row boundaries can
  no longer be found by counting quotes;
- a chunk with a lone `\\r`, or a quote that never closes, is read by the exact path;
- rows with a wrong cell count come back from Arrow with their number in the chunk, so their
  lines are known; their cells are read again with `csv`;
- Arrow's rows plus the line breaks inside quotes must add up to the chunk's line breaks
  (Arrow skips empty lines silently): otherwise the chunk is read by the exact path.

Tests compare both paths on random files. Bytes that are not UTF-8 and NUL bytes end the file
with a `FileProblem` at the first bad byte, the same one on both paths.
"""

from __future__ import annotations

import csv
import sys
from collections import deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from io import BufferedReader
from pathlib import Path
from typing import IO, Any

from specc.data.batch import Batch, FileProblem, RowEvent

BOM = b"\xef\xbb\xbf"
# The fast path's chunk size: large enough for Arrow's threads, small enough that the few
# chunks in flight stay far below the memory goal.
CHUNK_BYTES = 8 << 20
# A row longer than this is not a row: a quote that never closes swallows the rest of the file.
MAX_ROW_BYTES = 64 << 20
# The exact path hands over batches of this many rows.
EXACT_BATCH_ROWS = 20_000

# Bytes that may stand before an opening quote or after a closing one: , \n \r "
_AROUND_QUOTES = frozenset(b',\n\r"')
# Above this many quotes in a chunk, they are checked with Arrow rather than one by one.
_MANY_QUOTES = 20_000

Item = Batch | FileProblem
# Work on a batch's columns that the fast path runs in its worker threads (Batch.prepared).
Prepare = Callable[[list[Any]], Any]


# --- what both paths share ------------------------------------------------------------------


def count_breaks(data: bytes | bytearray, end: int | None = None) -> int:
    """Physical line breaks in `data` (up to `end`): `\\n`, `\\r\\n` and a lone `\\r` each
    count once."""
    end = len(data) if end is None else end
    breaks = data.count(b"\n", 0, end)
    if data.find(b"\r", 0, end) >= 0:
        breaks += data.count(b"\r", 0, end) - data.count(b"\r\n", 0, end)
    return breaks


def first_bad_byte(data: bytes) -> tuple[int, str, str] | None:
    """(offset, kind, detail) of the first NUL byte or invalid UTF-8 in `data`, or None."""
    nul = data.find(b"\0")
    try:
        (data if nul < 0 else data[:nul]).decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start, "encoding", f"byte 0x{data[exc.start]:02X} ({exc.reason})"
    if nul >= 0:
        return nul, "nul", "byte 0x00"
    return None


def _problem(data: bytes, base_offset: int, first_line: int) -> FileProblem | None:
    found = first_bad_byte(data)
    if found is None:
        return None
    offset, kind, detail = found
    return FileProblem(kind, first_line + count_breaks(data[:offset]), base_offset + offset, detail)


@contextmanager
def _field_limit() -> Iterator[None]:
    # csv's limit is process-wide; raise it for the read (HubSpot cells reach 65,536
    # characters, csv's default stops at 131,072) and put it back after.
    old = csv.field_size_limit(MAX_ROW_BYTES)
    try:
        yield
    finally:
        csv.field_size_limit(old)


class _BadBytes(Exception):
    def __init__(self, problem: FileProblem) -> None:
        self.problem = problem


def _string_columns(columns: list[list[str]]) -> list[Any]:
    import pyarrow as pa

    return [pa.array(c, type=pa.string()) for c in columns]


# --- where the rows start -------------------------------------------------------------------


def data_start(f: IO[bytes], has_header: bool) -> tuple[int, int] | FileProblem:
    """(byte offset, physical line) of the first data row: after a BOM and the header row.

    Empty lines before the header are skipped, as everywhere. A header that cannot be read
    is the header checks' business; the rows are then read from after whatever it was.
    """
    f.seek(0)
    head = f.read(4)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return FileProblem("encoding", 1, 0, "a UTF-16 byte order mark")
    start = len(BOM) if head.startswith(BOM) else 0
    if not has_header:
        return start, 1
    size = 1 << 20
    while True:
        f.seek(start)
        prefix = f.read(size)
        complete = len(prefix) < size
        lines = prefix.splitlines(keepends=True)
        if not complete and lines:
            lines.pop()  # may be cut in the middle
        consumed = 0
        taken = 0

        def feed(lines: list[bytes] = lines) -> Iterator[str]:
            nonlocal consumed, taken
            for raw in lines:
                consumed += len(raw)
                taken += 1
                yield raw.decode("utf-8", errors="replace")

        reader = csv.reader(feed(), strict=True)
        with _field_limit():
            try:
                for cells in reader:
                    if cells:
                        return start + consumed, taken + 1
            except csv.Error:
                if complete or size >= MAX_ROW_BYTES:
                    return start + consumed, taken + 1
        if complete or size >= MAX_ROW_BYTES:
            return start + consumed, taken + 1  # no header at all: no rows either
        size *= 4


# --- the exact path -------------------------------------------------------------------------


class _ExactRows:
    """Rows from `csv.reader` over lines, gathered into batches."""

    def __init__(self, ncols: int, first_line: int, first_row: int) -> None:
        self.ncols = ncols
        self.first_line = first_line
        self.row = first_row
        self.recent: list[str] = []  # the lines of the row being read, for broken rows
        self.bytes_done = 0

    def run(self, lines: Iterator[str]) -> Iterator[Item]:
        def tracked() -> Iterator[str]:
            for line in lines:
                self.recent.append(line)
                yield line

        reader = csv.reader(tracked(), strict=True)
        columns: list[list[str]] = [[] for _ in range(self.ncols)]
        rows: list[int] = []
        row_lines: list[int] = []
        events: list[RowEvent] = []

        def batch() -> Batch:
            out = Batch(
                columns=_string_columns(columns),
                first_row=rows[0] if rows else self.row,
                first_line=row_lines[0] if row_lines else self.first_line,
                rows=list(rows),
                lines=list(row_lines),
                events=list(events),
                bytes_done=self.bytes_done,
            )
            for column in columns:
                column.clear()
            rows.clear()
            row_lines.clear()
            events.clear()
            return out

        with _field_limit():
            while True:
                line = self.first_line + reader.line_num
                self.recent.clear()
                try:
                    cells = next(reader)
                except StopIteration:
                    break
                except _BadBytes as bad:
                    # Nothing of the file counts then (see check.py), so no batch is owed.
                    yield bad.problem
                    return
                except csv.Error as exc:
                    fatal = "unexpected end of data" in str(exc) or "field larger" in str(exc)
                    events.append(
                        RowEvent("parse", line, self.row, (), str(exc), fatal, "".join(self.recent))
                    )
                    self.row += 1
                    if fatal:
                        break
                    continue
                if not cells:
                    continue  # an empty line is not a row
                if len(cells) != self.ncols:
                    events.append(RowEvent("cells", line, self.row, tuple(cells)))
                else:
                    for column, cell in zip(columns, cells, strict=True):
                        column.append(cell)
                    rows.append(self.row)
                    row_lines.append(line)
                self.row += 1
                if len(rows) + len(events) >= EXACT_BATCH_ROWS:
                    yield batch()
        if rows or events:
            yield batch()


def _lines_of(data: bytes) -> Iterator[str]:
    for raw in data.splitlines(keepends=True):
        yield raw.decode("utf-8")


def _file_lines(f: IO[bytes], offset: int, first_line: int, rows: _ExactRows) -> Iterator[str]:
    """The lines of the file from `offset`, decoded; raises _BadBytes at the first bad byte."""
    f.seek(offset)
    carry = b""
    line = first_line
    while True:
        block = f.read(CHUNK_BYTES)
        data = carry + block if carry else block
        if not data:
            return
        if block:
            # Cut after the last line break, but never between \r and a \n that may follow.
            cut = max(data.rfind(b"\n"), data.rfind(b"\r", 0, len(data) - 1)) + 1
            if cut == 0:
                carry = data
                continue
        else:
            cut = len(data)
        piece, carry = data[:cut], data[cut:]
        problem = _problem(piece, offset, line)
        if problem is not None:
            raise _BadBytes(problem)
        offset += cut
        line += count_breaks(piece)
        rows.bytes_done = offset
        yield from _lines_of(piece)


def exact_batches(
    f: IO[bytes], offset: int, first_line: int, first_row: int, ncols: int
) -> Iterator[Item]:
    rows = _ExactRows(ncols, first_line, first_row)
    yield from rows.run(_file_lines(f, offset, first_line, rows))


def _exact_chunk(
    chunk: bytes, base_offset: int, first_line: int, first_row: int, ncols: int
) -> list[Item]:
    problem = _problem(chunk, base_offset, first_line)
    if problem is not None:
        return [problem]
    rows = _ExactRows(ncols, first_line, first_row)
    rows.bytes_done = base_offset + len(chunk)
    return list(rows.run(_lines_of(chunk)))


# --- the fast path --------------------------------------------------------------------------


def _cut(data: bytes | bytearray, size: int) -> tuple[int, int]:
    """In `data[:size]`: (just after the last `\\n` outside quotes, the quotes before it);
    (0, 0): none. A line break is outside quotes when an even number of quotes comes before
    it."""
    end = data.rfind(b"\n", 0, size)
    if end < 0 or data.find(b'"', 0, end) < 0:
        return end + 1, 0
    before = data.count(b'"', 0, end)
    while before % 2:
        previous = data.rfind(b"\n", 0, end)
        if previous < 0:
            return 0, 0
        before -= data.count(b'"', previous, end)
        end = previous
    return end + 1, before


def quotes_well_placed(chunk: bytes) -> bool:
    """Every quote opens a cell (after , or a line break), closes one (before , or a line
    break, or the end), or is half of a doubled quote inside a quoted cell.

    Counted in order, quotes alternate opening and closing; a doubled quote inside a cell is
    a closing quote directly followed by an opening one, which the two tests allow.
    """
    return quote_layout(chunk, len(chunk), chunk.count(b'"')) is not None


def quote_layout(chunk: bytes | bytearray, end: int, quotes: int) -> dict[int, int] | _Many | None:
    """For the chunk `chunk[:end]` holding `quotes` quotes: None when a quote is misplaced
    (see quotes_well_placed); else, per row (0-based in the chunk) that holds line breaks
    inside quotes, how many. `MANY` when the chunk has so many quotes that they were checked
    column-wise, without counting those line breaks."""
    if quotes > _MANY_QUOTES:
        return MANY if _quotes_well_placed_columnwise(chunk[:end]) else None
    last = end - 1
    spans: dict[int, int] = {}
    scanned = 0  # line breaks are counted up to here
    breaks_before = 0  # line breaks before `scanned`
    inside_before = 0  # of which inside quotes
    opened = -1
    at = chunk.find(b'"', 0, end)
    while at >= 0:
        if opened < 0:
            if at and chunk[at - 1] not in _AROUND_QUOTES:
                return None
            opened = at
        else:
            if at < last and chunk[at + 1] not in _AROUND_QUOTES:
                return None
            inside = chunk.count(b"\n", opened, at)
            if inside:
                breaks_before += chunk.count(b"\n", scanned, opened)
                row = breaks_before - inside_before
                spans[row] = spans.get(row, 0) + inside
                breaks_before += inside
                inside_before += inside
                scanned = at
            opened = -1
        at = chunk.find(b'"', at + 1, end)
    return spans


class _Many:
    """The marker `quote_layout` returns for chunks full of quotes."""


MANY = _Many()


def _quotes_well_placed_columnwise(chunk: bytes | bytearray) -> bool:
    """quotes_well_placed for chunks full of quotes (every cell quoted), on Arrow kernels."""
    import pyarrow as pa
    import pyarrow.compute as pc

    raw = pa.Array.from_buffers(pa.uint8(), len(chunk), [None, pa.py_buffer(chunk)])
    at = pc.indices_nonzero(pc.equal(raw, 34))
    opens = at[::2]
    closes = at[1::2]
    opens = pc.filter(opens, pc.greater(opens, 0))
    closes = pc.filter(closes, pc.less(closes, len(chunk) - 1))
    around = pa.array(sorted(_AROUND_QUOTES), pa.uint8())
    before = pc.take(raw, pc.subtract(opens, 1))
    after = pc.take(raw, pc.add(closes, 1))
    return bool(
        pc.all(pc.is_in(before, value_set=around)).as_py() is not False
        and pc.all(pc.is_in(after, value_set=around)).as_py() is not False
    )


def _has_lone_cr(data: bytes | bytearray, end: int) -> bool:
    return data.find(b"\r", 0, end) >= 0 and data.count(b"\r", 0, end) != data.count(
        b"\r\n", 0, end
    )


@dataclass
class _Chunk:
    """A stretch of the file that ends on a row boundary, and its parse in flight."""

    data: bytearray  # the chunk is data[:size]; what follows belongs to the next one
    size: int
    offset: int
    line: int
    body: int = 0  # data[:body] is the chunk without the empty lines at its end
    body_lines: int = 0  # the physical lines the body holds
    quoted: bool = False
    # Row index -> line breaks inside its quotes; None: not known (chunks full of quotes).
    spans: dict[int, int] | None = None
    exact: bool = False  # read it with the exact path
    parse: Future[tuple[Any, list[tuple[int | None, str]], Any]] | None = None


@dataclass
class _Rest:
    """From here to the end, the file is read with the exact path."""

    offset: int
    line: int


class _FastReader:
    """Chunks cut here, parsed by Arrow in two worker threads (the parser releases the GIL),
    so the checks of one chunk overlap the parsing of the next ones."""

    WORKERS = 2

    def __init__(self, f: BufferedReader, ncols: int, prepare: Prepare | None = None) -> None:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        self.f = f
        self.ncols = ncols
        self.prepare = prepare
        self.spare: list[bytearray] = []  # read buffers no chunk uses any more
        self.names = [f"c{j}" for j in range(ncols)]
        # One thread per parse: Arrow then numbers the rows it sets aside, which says where
        # they are; the parallelism comes from parsing two chunks at once.
        self.read_options = pacsv.ReadOptions(
            column_names=self.names, use_threads=False, block_size=CHUNK_BYTES + (1 << 20)
        )
        self.convert_options = pacsv.ConvertOptions(
            column_types={name: pa.string() for name in self.names},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        )

    def batches(self, offset: int, first_line: int, first_row: int) -> Iterator[Item]:
        pending: deque[_Chunk] = deque()
        row = first_row
        with (
            _quiet_row_text_errors(),
            ThreadPoolExecutor(self.WORKERS, thread_name_prefix="specc-csv") as pool,
        ):
            try:
                for step in self._chunks(offset, first_line):
                    if isinstance(step, _Chunk):
                        if not step.exact and step.body:
                            import pyarrow as pa

                            body = pa.py_buffer(step.data).slice(0, step.body)
                            step.parse = pool.submit(self._parse, body, step.quoted)
                        pending.append(step)
                        if len(pending) <= self.WORKERS:
                            continue
                    while pending and (len(pending) > self.WORKERS or not isinstance(step, _Chunk)):
                        items = self._finished(pending.popleft(), row)
                        for item in items:
                            yield item
                            if isinstance(item, FileProblem) or any(e.fatal for e in item.events):
                                return
                            row = max(row, item.last_row() + 1)
                    if isinstance(step, FileProblem):
                        yield step
                        return
                    if isinstance(step, _Rest):
                        yield from exact_batches(self.f, step.offset, step.line, row, self.ncols)
                        return
                while pending:
                    for item in self._finished(pending.popleft(), row):
                        yield item
                        if isinstance(item, FileProblem) or any(e.fatal for e in item.events):
                            return
                        row = max(row, item.last_row() + 1)
            finally:
                for chunk in pending:
                    if chunk.parse is not None:
                        chunk.parse.cancel()

    def _chunks(self, offset: int, line: int) -> Iterator[_Chunk | _Rest | FileProblem]:
        """The file cut into chunks, each checked for what the fast path cannot read.

        Each read starts where the last chunk ended (the file is read once, with no copy to
        carry a row cut in two), into a buffer used again once its chunk is done: fresh
        memory for every read would cost the kernel more than the read itself.
        """
        f = self.f
        size = CHUNK_BYTES
        while True:
            f.seek(offset)
            data = self._buffer(size)
            with memoryview(data) as view:
                read = f.readinto(view[:size])
            if not read:
                self.spare.append(data)
                return
            at_end = read < size
            nul = data.find(b"\0", 0, read)
            if nul >= 0:
                # A NUL ends the file wherever it is; report the first bad byte before it.
                problem = _problem(bytes(data[: nul + 1]), offset, line)
                assert problem is not None
                yield problem
                return
            if at_end:
                cut, quotes = read, data.count(b'"', 0, read)
            else:
                cut, quotes = _cut(data, read)
                if cut == 0:  # no row ends in it: read more
                    self.spare.append(data)
                    if size >= MAX_ROW_BYTES:
                        yield _Rest(offset, line)
                        return
                    size *= 2
                    continue
            size = CHUNK_BYTES
            layout: dict[int, int] | _Many | None = {}
            if quotes:
                layout = quote_layout(data, cut, quotes)
                if layout is None:
                    yield _Rest(offset, line)
                    return
            breaks = count_breaks(data, cut)
            planned = _plan_chunk(data, cut, offset, line, breaks, at_end, quotes)
            planned.spans = None if isinstance(layout, _Many) else layout
            yield planned
            offset += cut
            line += breaks

    def _buffer(self, size: int) -> bytearray:
        while self.spare:
            data = self.spare.pop()
            if len(data) >= size:
                return data
        return bytearray(size)

    def _finished(self, chunk: _Chunk, row: int) -> list[Item]:
        """`_finish`, then the chunk's buffer is free for another read (Arrow copied what it
        parsed; rows set aside and problems hold copies)."""
        items = self._finish(chunk, row)
        if chunk.parse is not None:
            chunk.parse = None
        self.spare.append(chunk.data)
        return items

    def _parse(self, body: Any, quoted: bool) -> tuple[Any, list[tuple[int | None, str]], Any]:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        aside: list[tuple[int | None, str]] = []

        def keep_aside(row: Any) -> str:
            aside.append((row.number, row.text))
            return "skip"

        keep_aside.specc_row_handler = True  # type: ignore[attr-defined]

        options = pacsv.ParseOptions(
            newlines_in_values=quoted, invalid_row_handler=keep_aside, ignore_empty_lines=True
        )
        try:
            table = pacsv.read_csv(
                body,
                read_options=self.read_options,
                parse_options=options,
                convert_options=self.convert_options,
            )
        except (pa.ArrowInvalid, pa.ArrowException):
            return None, aside, None
        if self.prepare is None:
            return table, aside, None
        return table, aside, self.prepare([table.column(j) for j in range(self.ncols)])

    def _finish(self, chunk: _Chunk, row: int) -> list[Item]:
        """Arrow's rows of a chunk, with their row and line numbers, or the exact path's
        when the numbers do not add up."""

        def exact() -> list[Item]:
            return _exact_chunk(
                bytes(chunk.data[: chunk.size]), chunk.offset, chunk.line, row, self.ncols
            )

        if chunk.exact:
            return exact()
        if not chunk.body:
            return []
        assert chunk.parse is not None
        table, aside, prepared = chunk.parse.result()
        if table is None:
            problem = _problem(bytes(chunk.data[: chunk.size]), chunk.offset, chunk.line)
            return [problem] if problem is not None else exact()
        records = table.num_rows + len(aside)
        # Record index -> the line breaks it holds inside quotes; the rows set aside.
        spans = dict(chunk.spans) if chunk.spans is not None else {}
        cells: dict[int, tuple[str, ...]] = {}
        for number, text in aside:
            if number is None:
                return exact()
            cells[number - 1] = tuple(next(csv.reader([text], strict=True), []))
            if chunk.spans is None and "\n" in text:
                spans[number - 1] = text.count("\n")
        if chunk.spans is None and records + sum(spans.values()) != chunk.body_lines:
            kept = _kept(records, cells)
            for k, count in _breaks_inside_cells(table):
                spans[kept[k]] = count
        # Every physical line is a row's, or Arrow skipped an empty line: the exact path.
        if records + sum(spans.values()) != chunk.body_lines:
            return exact()
        rows: list[int] | None = None
        lines: list[int] | None = None
        events: list[RowEvent] = []
        if spans or cells:
            rows, lines, starts = _numbers(records, cells, spans, row, chunk.line)
            events = [RowEvent("cells", starts[r], row + r, cells[r]) for r in sorted(cells)]
        columns = [table.column(j) for j in range(self.ncols)]
        return [
            Batch(
                columns,
                first_row=row,
                first_line=chunk.line,
                rows=rows,
                lines=lines,
                events=events,
                bytes_done=chunk.offset + chunk.size,
                prepared=prepared,
            )
        ]


def _kept(records: int, aside: dict[int, Any]) -> list[int]:
    """Record indices 0..records-1 without those in `aside`, built range by range."""
    kept: list[int] = []
    previous = 0
    for r in sorted(aside):
        kept.extend(range(previous, r))
        previous = r + 1
    kept.extend(range(previous, records))
    return kept


def _numbers(
    records: int, aside: dict[int, Any], spans: dict[int, int], first_row: int, first_line: int
) -> tuple[list[int], list[int], dict[int, int]]:
    """(row numbers, start lines) of the records kept, and the start lines of those set
    aside, from the few records that are not one line each."""
    rows: list[int] = []
    lines: list[int] = []
    starts: dict[int, int] = {}
    shift = 0  # line breaks inside the records before the current segment
    previous = 0
    for r in sorted({*aside, *spans, records}):
        # Records previous..r-1 are plain rows of one line each.
        rows.extend(range(first_row + previous, first_row + r))
        lines.extend(range(first_line + previous + shift, first_line + r + shift))
        if r == records:
            break
        if r in aside:
            starts[r] = first_line + r + shift
        else:
            rows.append(first_row + r)
            lines.append(first_line + r + shift)
        shift += spans.get(r, 0)
        previous = r + 1
    return rows, lines, starts


@contextmanager
def _quiet_row_text_errors() -> Iterator[None]:
    """Keep Arrow from printing when a row it sets aside is not UTF-8.

    Arrow decodes the text of such a row before it calls the handler; when that fails it
    reports the error through `sys.unraisablehook` (which prints) and the parse fails, which
    is all specc needs to know: the exact path then finds the bad byte. Only that one report
    is silenced; every other goes to the hook that was there.
    """
    previous = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, UnicodeDecodeError) and getattr(
            unraisable.object, "specc_row_handler", False
        ):
            return
        previous(unraisable)

    sys.unraisablehook = hook
    try:
        yield
    finally:
        sys.unraisablehook = previous


def _breaks_inside_cells(table: Any) -> list[tuple[int, int]]:
    """(row index, line breaks) of the rows whose quoted cells hold line breaks (no lone
    \\r reaches here)."""
    import pyarrow.compute as pc

    total = None
    for column in table.columns:
        count = pc.count_substring(column, "\n")
        total = count if total is None else pc.add(total, count)
    if total is None:
        return []
    at = pc.indices_nonzero(total)
    if not len(at):
        return []
    return list(zip(at.to_pylist(), pc.take(total, at).to_pylist(), strict=True))


def _plan_chunk(
    data: bytearray, size: int, offset: int, line: int, breaks: int, at_end: bool, quotes: int
) -> _Chunk:
    """What the fast path needs to know of the chunk `data[:size]` before Arrow parses it.
    `breaks`: its line breaks; `quotes`: its quotes; `at_end`: it ends the file (else it
    ends just after a row, by `_cut`)."""
    planned = _Chunk(data, size, offset, line, quoted=quotes > 0)
    if at_end and quotes % 2:
        planned.exact = True  # a quote that never closes
        return planned
    # Empty lines after the chunk's last row hold no rows: leave them out.
    end = size
    while end and data[end - 1] in b"\r\n":
        end -= 1
    if not end:
        return planned  # nothing but empty lines
    tail = data[end:size]
    terminator = 2 if tail.startswith(b"\r\n") else min(1, len(tail))
    if len(tail) > terminator:
        breaks -= count_breaks(tail) - count_breaks(tail[:terminator])
    planned.body = end + terminator
    if _has_lone_cr(data, planned.body):
        planned.exact = True
        return planned
    planned.body_lines = breaks + (0 if terminator else 1)
    return planned


# --- the entry point ------------------------------------------------------------------------


def read_csv(
    path: Path,
    ncols: int,
    has_header: bool = True,
    *,
    fast: bool = True,
    prepare: Prepare | None = None,
) -> Generator[Item, None, None]:
    """The data rows of a CSV file with `ncols` columns, in batches.

    `fast=False` reads with the exact path only (tests compare the two).
    """
    with open(path, "rb") as f:
        start = data_start(f, has_header)
        if isinstance(start, FileProblem):
            yield start
            return
        offset, first_line = start
        if fast:
            yield from _FastReader(f, ncols, prepare).batches(offset, first_line, 1)
        else:
            yield from exact_batches(f, offset, first_line, 1, ncols)
