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

A chunk is checked for UTF-8 and parsed by Arrow, and its line breaks, lone `\\r` and the
rows of its quoted cells that hold line breaks found in one vectorised pass (`scan_breaks`),
all in the worker that parses it; the main thread only cuts the file (finding its few quotes
one by one) and numbers the lines as the chunks are finished in order.

Nothing process-wide is changed: `csv`'s limit on a cell (131,072 characters, the process's
own setting) is left alone, and a row holding a longer cell is split by `split_row`, which
reads it as `csv` would; the sandbox may read several files at once in threads.

Tests compare both paths on random files. Bytes that are not UTF-8 and NUL bytes end the file
with a `FileProblem` at the first bad byte, the same one on both paths.

**Rows too long to be rows.** HubSpot's cells hold at most 65,536 characters, so a row of N
columns has at most `max_row_bytes(N)` bytes. Neither path holds more than that of one row:
a longer one (a file with no line breaks, a quote that swallows the lines after it) is passed
over by `skip_row`, which scans on to where the row ends in bounded chunks, and becomes a
`RowEvent` of kind "long"; the rows after it are read as usual. Only a quote that never
closes before the end of the file ends the reading, as before.
"""

from __future__ import annotations

import contextlib
import csv
import io
import logging
import re
import sys
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from io import BufferedReader
from pathlib import Path
from typing import IO, Any

from specc.tables.batch import Batch, FileProblem, RowEvent, Runs
from specc.tables.cells import is_utf8

log = logging.getLogger(__name__)

BOM = b"\xef\xbb\xbf"
# The fast path's chunk size: large enough for Arrow's threads, small enough that the few
# chunks in flight stay far below the memory goal.
CHUNK_BYTES = 8 << 20
# HubSpot's cells hold at most 65,536 characters (UTF-16 units, as values.base's
# MAX_VALUE_LENGTH; not imported from there, which would load every value check). One unit
# is at most 3 bytes of UTF-8 (4 bytes make 2 units), a doubled quote 2, and a cell has two
# quotes around it and a comma after it.
MAX_CELL_CHARS = 65_536
MAX_CELL_BYTES = 3 * MAX_CELL_CHARS + 3
# A row longer than max_row_bytes(columns) cannot be one HubSpot imports. The floor keeps it
# above the fast path's chunks (so both paths find the same long rows), the cap bounds what
# one row may cost in memory whatever the column count (a legal row reaches it only with
# over 340 columns each holding 65,536 three-byte characters).
MIN_ROW_BYTES = 16 << 20
MAX_ROW_BYTES = 64 << 20
# The exact path hands over batches of this many rows.
EXACT_BATCH_ROWS = 20_000

# Bytes that may stand before an opening quote or after a closing one: , \n \r "
_AROUND_QUOTES = frozenset(b',\n\r"')
# Above this many quotes in a chunk, they are checked with Arrow rather than one by one.
_MANY_QUOTES = 20_000

Item = Batch | FileProblem
# A row as the exact path reads it: (line, row number, cells), or an event, or the end.
Record = tuple[int, int, list[str]] | RowEvent | FileProblem
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


def max_row_bytes(ncols: int) -> int:
    """The most bytes a row of `ncols` columns can hold and still be imported (see
    MAX_CELL_BYTES), with room for a line break and a BOM."""
    return min(MAX_ROW_BYTES, max(MIN_ROW_BYTES, ncols * MAX_CELL_BYTES + (64 << 10)))


# csv's error for a cell longer than its field limit (131,072 characters). The limit is the
# process's, so specc leaves it alone: a row with such a cell is split by `split_row`.
_FIELD_LIMIT_ERROR = "field larger than field limit"
_QUOTED_CELL = re.compile(r'"([^"]*(?:""[^"]*)*)"')
_PLAIN_CELL = re.compile(r"[^,\r\n]*")


def split_row(text: str) -> list[str]:
    """The cells of the row `text` (one record, up to its line break) as
    `csv.reader(strict=True)` reads them, raising csv.Error where csv would, but with no
    limit on a cell's length."""
    try:
        return next(csv.reader([text], strict=True), [])
    except csv.Error as exc:
        if _FIELD_LIMIT_ERROR not in str(exc):
            raise
    cells: list[str] = []
    at, end = 0, len(text)
    while True:
        if at < end and text[at] == '"':
            quoted = _QUOTED_CELL.match(text, at)
            if quoted is None:
                raise csv.Error("unexpected end of data")
            cells.append(quoted.group(1).replace('""', '"'))
            at = quoted.end()
            if at < end and text[at] not in ",\r\n":
                raise csv.Error("',' expected after '\"'")
        else:
            plain = _PLAIN_CELL.match(text, at)
            assert plain is not None  # it matches the empty string too
            cells.append(plain.group())
            at = plain.end()
        if at >= end or text[at] in "\r\n":
            return cells
        at += 1  # the comma


def split_record(text: str, delimiter: str = ",") -> list[str] | None:
    """The cells of `text` when it is exactly one record to `csv` (its default, lenient
    rules) with `delimiter` between cells; None when it is not (no record, several, or one
    csv refuses). For telling a file's delimiter from its header."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        return None
    return rows[0] if len(rows) == 1 else None


def _inside_quotes(text: str, inside: bool = False) -> bool:
    """Whether a record is inside a quoted cell at the end of `text`, which starts the
    record (or, `inside`, continues it inside quotes), quotes followed as csv follows them:
    one opens a cell only at the cell's start, a doubled one inside a cell is text."""
    closed_at = -2
    at = text.find('"')
    while at >= 0:
        if inside:
            inside = False  # closes the cell, or is the first of a doubled quote
            closed_at = at
        elif at == closed_at + 1:
            inside = True  # the second of a doubled quote
        elif at == 0 or text[at - 1] in ",\r\n":
            inside = True
        at = text.find('"', at + 1)
    return inside


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
        try:
            for cells in reader:
                if cells:
                    return start + consumed, taken + 1
        except csv.Error as exc:
            if _FIELD_LIMIT_ERROR in str(exc):
                # A header cell longer than csv reads: follow its quotes to the row's end.
                lead = len(prefix) - len(prefix.lstrip(b"\r\n"))
                header = skip_row(f, start + lead, 1 + count_breaks(prefix, lead), lenient=True)
                assert isinstance(header, Skipped)  # lenient: no FileProblem
                return header.end, header.line + header.breaks + (1 if header.at_eof else 0)
            if complete or size >= MAX_ROW_BYTES:
                return start + consumed, taken + 1
        if complete or size >= MAX_ROW_BYTES:
            return start + consumed, taken + 1  # no header at all: no rows either
        size *= 4


# --- rows too long to read ------------------------------------------------------------------


class _LongRow(Exception):
    """The row being read passes the row bound; `offset` and `line` are where the physical
    line that passed it starts (the row may have started before)."""

    def __init__(self, offset: int, line: int) -> None:
        self.offset = offset
        self.line = line


@dataclass(frozen=True)
class Skipped:
    """A row passed over by `skip_row`."""

    offset: int
    line: int
    end: int  # just after the row and its line break (or the end of the file)
    breaks: int  # the physical line breaks from `offset` to `end`
    quoted: bool  # a quote opens a cell in it
    closed: bool  # False: that quote never closes, and the row runs to the end of the file
    head: str  # its first characters, to show
    at_eof: bool = False  # it runs to the end of the file
    row: int = 0  # its row number, once a reader has numbered it

    def describe(self) -> str:
        """What the row is, for a message: "a single line of 1.0 GiB without a line break"."""
        size = _size(self.end - self.offset)
        lines = self.breaks + (1 if self.at_eof else 0)
        if lines <= 1 and not self.quoted:
            return f"a single line of {size} without a line break"
        if lines <= 1:
            return f"a single line of {size} with quoted cells"
        return f"{size} over {lines:,} lines joined by quotes"

    def event(self, row: int) -> RowEvent:
        span = (self.offset, self.end - self.offset)
        if not self.closed:
            return RowEvent(
                "parse", self.line, row, (), "a quote never closes", True, self.head, span
            )
        return RowEvent("long", self.line, row, (), self.describe(), False, self.head, span)

    def batch(self, row: int, ncols: int) -> Batch:
        return Batch(
            columns=_string_columns([[] for _ in range(ncols)]),
            first_row=row,
            first_line=self.line,
            rows=[],
            lines=[],
            events=[self.event(row)],
            bytes_done=self.end,
        )


def _size(count: int) -> str:
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= factor:
            return f"{count / factor:,.1f} {unit}"
    return f"{count:,} bytes"


_HEAD = 200  # bytes of a skipped row kept to show it
# Above this many quotes in a block, skip_row follows them column-wise (see _row_end).
_FEW_QUOTES = 64


def skip_row(
    f: IO[bytes], offset: int, line: int, *, lenient: bool = False
) -> Skipped | FileProblem:
    """Pass over the row that starts at `offset` (physical line `line`), reading on in
    chunks to its end: the first line break outside quotes. Holds one chunk at a time.

    Quotes are followed as `csv` reads them: one opens a cell only at the cell's start, a
    doubled one inside a cell is text. The bytes passed over are checked like the rest of
    the file: a NUL or a byte that is not UTF-8 ends it, as anywhere (FileProblem), unless
    `lenient`.
    """
    f.seek(offset)
    position = offset
    breaks = 0
    inside = False
    quoted = False
    before = ord("\n")  # the byte before the next block; a row starts after a line break
    closed_at = -2  # where the last closing quote was, relative to the block
    pending = b""  # the start of a UTF-8 sequence the last block cut in two
    head = b""
    while True:
        block = f.read(CHUNK_BYTES)
        if not block:
            if pending and not lenient:
                problem = _problem(pending, position - len(pending), line + breaks)
                if problem is not None:
                    return problem
            return Skipped(
                offset, line, position, breaks, quoted, not inside, _shown(head), at_eof=True
            )
        if len(head) < _HEAD:
            head += block[: _HEAD - len(head)]
        found, inside_after, opened, closed_at = _row_end(block, inside, before, closed_at)
        quoted = quoted or opened
        stop = len(block) if found < 0 else found + 1
        if found >= 0 and block[found] == 13 and stop < len(block) and block[stop] == 10:
            stop += 1
        region = block[:stop]
        data = pending + region if pending else region
        checked = _complete_utf8(data) if found < 0 else len(data)
        if not lenient:
            problem = _problem(
                data[:checked] if checked < len(data) else data,
                position - len(pending),
                line + breaks,
            )
            if problem is not None:
                return problem
        pending = data[checked:]
        if before == 13 and region.startswith(b"\n"):
            breaks -= 1  # the \r that ended the last block and this \n are one line break
        breaks += count_breaks(region)
        if found >= 0:
            end = position + stop
            if stop == len(block) and block[-1] == 13 and f.read(1) == b"\n":
                end += 1  # a \r\n cut in two
            return Skipped(offset, line, end, breaks, quoted, True, _shown(head))
        position += len(block)
        before = block[-1]
        closed_at -= len(block)
        inside = inside_after


def _shown(head: bytes) -> str:
    text = head.decode("utf-8", errors="replace")
    return text.split("\n", 1)[0].split("\r", 1)[0]


def _complete_utf8(data: bytes) -> int:
    """The length of `data` without a UTF-8 sequence cut short at its end."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:
            return len(data)
        if byte >= 0xC0:
            needed = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return len(data) - back if needed > back else len(data)
    return len(data)


def _row_end(
    block: bytes, inside: bool, before: int, closed_at: int
) -> tuple[int, bool, bool, int]:
    """(index of the first line break outside quotes or -1, inside quotes at the block's
    end, a quote opened a cell, where the last closing quote is) for a block read with
    `inside` quotes at its start, `before` the byte before it."""
    quotes = block.count(b'"')
    if not quotes:
        if inside:
            return -1, True, False, closed_at
        return _first_break(block, 0, len(block)), False, False, closed_at
    if quotes > _FEW_QUOTES:
        found, inside_after = _row_end_columnwise(block, inside)
        return found, inside_after, True, -2
    opened = False
    at = 0
    while True:
        quote = block.find(b'"', at)
        if not inside:
            found = _first_break(block, at, len(block) if quote < 0 else quote)
            if found >= 0:
                return found, False, opened, closed_at
        if quote < 0:
            return -1, inside, opened, closed_at
        if inside:
            inside = False  # closes the cell, or is the first of a doubled quote
            closed_at = quote
        elif quote == closed_at + 1:
            inside = True  # the second of a doubled quote: still inside
        elif (block[quote - 1] if quote else before) in b",\r\n":
            inside = opened = True  # opens a cell
        # else: a quote inside an unquoted cell is text, as csv reads it
        at = quote + 1


def _first_break(block: bytes, start: int, end: int) -> int:
    found = [i for i in (block.find(b"\n", start, end), block.find(b"\r", start, end)) if i >= 0]
    return min(found) if found else -1


def _row_end_columnwise(block: bytes, inside: bool) -> tuple[int, bool]:
    """_row_end for a block full of quotes, on Arrow kernels: every quote switches between
    inside and outside (a stray quote in an unquoted cell too: a row this long is not
    read as cells anyway, only passed over)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    raw = pa.Array.from_buffers(pa.uint8(), len(block), [None, pa.py_buffer(block)])
    quotes = pc.cumulative_sum(pc.cast(pc.equal(raw, 34), pa.int32()))
    outside = pc.equal(pc.bit_wise_and(quotes, 1), 1 if inside else 0)
    breaks = pc.or_(pc.equal(raw, 10), pc.equal(raw, 13))
    found = pc.index(pc.and_(breaks, outside), True).as_py()
    total = quotes[len(block) - 1].as_py()
    return int(found), inside != bool(total % 2)


# --- the exact path -------------------------------------------------------------------------


class _ExactRows:
    """Rows from `csv.reader` over lines, gathered into batches, stopping at a row longer
    than `max_row` bytes (`long` then says where it starts)."""

    def __init__(self, ncols: int, first_line: int, first_row: int, max_row: int) -> None:
        self.ncols = ncols
        self.first_line = first_line
        self.row = first_row
        self.max_row = max_row
        self.recent: list[str] = []  # the lines of the row being read, for broken rows
        self.bytes_done = 0
        # The line being handed to csv: its byte offset and length (set by the line source).
        self.line_offset = 0
        self.line_bytes = 0
        self.row_offset = 0  # where the row being read starts
        self.row_bytes = 0
        self.long: tuple[int, int] | None = None  # (offset, line) of a row too long to read
        self.start = 0  # the byte offset it reads from
        self.lenient = False  # bytes that are not UTF-8 read as U+FFFD, not a FileProblem

    def records(self, lines: Iterator[str]) -> Iterator[Record]:
        """Each row csv reads from `lines`: (line, row number, its cells) or a RowEvent for a
        row that cannot be parsed, numbered as the rows go; a FileProblem ends them. Stops
        at a row too long to read, which `long` then locates."""

        taken = 0  # the lines handed to csv so far

        def tracked() -> Iterator[str]:
            nonlocal taken
            for line in lines:
                if not self.recent:
                    self.row_offset = self.line_offset
                    self.row_bytes = 0
                self.row_bytes += self.line_bytes
                if self.row_bytes > self.max_row:
                    raise _LongRow(self.row_offset, -1)
                self.recent.append(line)
                taken += 1
                yield line

        source = tracked()
        reader = csv.reader(source, strict=True)
        while True:
            line = self.first_line + taken
            self.recent.clear()
            try:
                try:
                    cells = next(reader)
                except csv.Error as exc:
                    if _FIELD_LIMIT_ERROR not in str(exc):
                        raise
                    # A cell longer than csv's limit (which is the process's: specc leaves
                    # it alone). csv gave up inside the row; its lines are read on here and
                    # split by split_row, and a new reader starts after them.
                    reader = csv.reader(source, strict=True)
                    cells = self._past_field_limit(source)
            except StopIteration:
                return
            except _BadBytes as bad:
                yield bad.problem
                return
            except _LongRow as long:
                # The row started with the lines csv has taken so far, or is the long
                # line itself.
                self.long = (self.row_offset, line) if self.recent else (long.offset, line)
                return
            except csv.Error as exc:
                fatal = "unexpected end of data" in str(exc)
                raw = "".join(self.recent)
                yield RowEvent("parse", line, self.row, (), str(exc), fatal, raw)
                self.row += 1
                if fatal:
                    return
                continue
            if not cells:
                continue  # an empty line is not a row
            yield line, self.row, cells
            self.row += 1

    def _past_field_limit(self, source: Iterator[str]) -> list[str]:
        """The cells of the row in `recent`, whose lines are taken from `source` up to its
        end (a line break outside quotes); raises csv.Error where csv would."""
        inside = _inside_quotes("".join(self.recent))
        while inside:
            line = next(source, None)
            if line is None:
                raise csv.Error("unexpected end of data")
            inside = _inside_quotes(line, inside=True)
        return split_row("".join(self.recent))

    def run(self, lines: Iterator[str]) -> Iterator[Item]:
        """The records gathered into batches; rows of the wrong length become events."""
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

        for record in self.records(lines):
            if isinstance(record, FileProblem):
                # Nothing of the file counts then (see check.py), so no batch is owed.
                yield record
                return
            if isinstance(record, RowEvent):
                events.append(record)
            else:
                line, row, cells = record
                if len(cells) != self.ncols:
                    events.append(RowEvent("cells", line, row, tuple(cells)))
                else:
                    for column, cell in zip(columns, cells, strict=True):
                        column.append(cell)
                    rows.append(row)
                    row_lines.append(line)
            if len(rows) + len(events) >= EXACT_BATCH_ROWS:
                yield batch()
        if rows or events:
            yield batch()


def _lines_of(data: bytes, offset: int, rows: _ExactRows) -> Iterator[str]:
    """The lines of `data` (which starts at byte `offset`), decoded, each announced to
    `rows` with its offset and length before it is handed on."""
    for raw in data.splitlines(keepends=True):
        rows.line_offset = offset
        rows.line_bytes = len(raw)
        offset += len(raw)
        yield raw.decode("utf-8", errors="replace" if rows.lenient else "strict")


def _file_lines(f: IO[bytes], offset: int, first_line: int, rows: _ExactRows) -> Iterator[str]:
    """The lines of the file from `offset`, decoded; raises _BadBytes at the first bad byte,
    _LongRow when a line grows past the row bound before it ends."""
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
                if len(data) > rows.max_row:
                    raise _LongRow(offset, line)
                carry = data
                continue
        else:
            cut = len(data)
        piece, carry = data[:cut], data[cut:]
        problem = None if rows.lenient else _problem(piece, offset, line)
        if problem is not None:
            raise _BadBytes(problem)
        yield from _lines_of(piece, offset, rows)
        offset += cut
        line += count_breaks(piece)
        rows.bytes_done = offset


def exact_batches(
    f: IO[bytes], offset: int, first_line: int, first_row: int, ncols: int
) -> Iterator[Item]:
    """The rows from `offset` read with `csv`, in batches; a row too long to be one is
    passed over (skip_row) and reading goes on after it."""
    for rows in _stretches(f, offset, first_line, first_row, ncols):
        if isinstance(rows, _ExactRows):
            yield from rows.run(_file_lines(f, rows.start, rows.first_line, rows))
        elif isinstance(rows, Skipped):
            yield rows.batch(rows.row, ncols)
        else:
            yield rows


def text_rows(
    f: IO[bytes], offset: int, first_line: int, ncols: int, *, lenient: bool = False
) -> Iterator[Record | Skipped]:
    """The rows from `offset` as csv reads them, one by one and without Arrow (for `specc
    init` and the sandbox): (line, row number, cells), a RowEvent for a row that cannot be
    parsed, a Skipped row too long to read (the rows after it follow), a FileProblem last.
    `lenient`: bytes that are not UTF-8 are read as U+FFFD and end nothing."""
    for rows in _stretches(f, offset, first_line, 1, ncols, lenient=lenient):
        if isinstance(rows, _ExactRows):
            yield from rows.records(_file_lines(f, rows.start, rows.first_line, rows))
        else:
            yield rows


def _stretches(
    f: IO[bytes], offset: int, first_line: int, first_row: int, ncols: int, lenient: bool = False
) -> Iterator[_ExactRows | Skipped | FileProblem]:
    """The file from `offset` cut at its rows too long to read: a reader for each stretch
    between them (which the caller runs to its end before asking for the next), and each
    long row passed over."""
    max_row = max_row_bytes(ncols)
    row = first_row
    while True:
        rows = _ExactRows(ncols, first_line, row, max_row)
        rows.start = offset
        rows.lenient = lenient
        yield rows
        if rows.long is None:
            return
        start, line = rows.long
        skipped = skip_row(f, start, line, lenient=lenient)
        if isinstance(skipped, FileProblem):
            yield skipped
            return
        yield replace(skipped, row=rows.row)
        if not skipped.closed or skipped.at_eof:
            return
        offset, first_line, row = skipped.end, line + skipped.breaks, rows.row + 1


def _exact_chunk(
    chunk: bytes, base_offset: int, first_line: int, first_row: int, ncols: int
) -> list[Item]:
    problem = _problem(chunk, base_offset, first_line)
    if problem is not None:
        return [problem]
    # A chunk ends on a row boundary and is never longer than the row bound.
    rows = _ExactRows(ncols, first_line, first_row, max(len(chunk), max_row_bytes(ncols)))
    rows.bytes_done = base_offset + len(chunk)
    return list(rows.run(_lines_of(chunk, base_offset, rows)))


# --- the fast path --------------------------------------------------------------------------


# Up to this many quotes, count_quotes finds them one by one.
_WALKED_QUOTES = 256


def count_quotes(data: bytes | bytearray, start: int, end: int) -> int:
    """The quotes in `data[start:end]`. Most chunks hold a few quoted cells at most: finding
    them one by one runs at memchr's speed, where `bytes.count` of one byte reads every byte
    on its own (2 ms for 8 MB, on the thread that cuts the file); past `_WALKED_QUOTES` the
    rest are counted."""
    count = 0
    at = data.find(b'"', start, end)
    while at >= 0:
        count += 1
        if count == _WALKED_QUOTES:
            return count + data.count(b'"', at + 1, end)
        at = data.find(b'"', at + 1, end)
    return count


def _cut(data: bytes | bytearray, size: int) -> tuple[int, int]:
    """In `data[:size]`: (just after the last `\\n` outside quotes, the quotes before it);
    (0, 0): none. A line break is outside quotes when an even number of quotes comes before
    it."""
    end = data.rfind(b"\n", 0, size)
    if end < 0 or data.find(b'"', 0, end) < 0:
        return end + 1, 0
    before = count_quotes(data, 0, end)
    while before % 2:
        # Every line break between the last quote and `end` is inside quotes too: step back
        # quote by quote, not line by line (a long quoted cell may hold millions of lines).
        quote = data.rfind(b'"', 0, end)
        previous = data.rfind(b"\n", 0, quote)
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


def quote_layout(
    chunk: bytes | bytearray, end: int, quotes: int
) -> list[tuple[int, int]] | _Many | None:
    """For the chunk `chunk[:end]` holding `quotes` quotes: None when a quote is misplaced
    (see quotes_well_placed); else, for each quoted cell that holds line breaks, (the offset
    of its opening quote, how many). `MANY` when the chunk has so many quotes that they were
    checked column-wise, without finding those cells.

    Which row each such cell is in is worked out by the worker that parses the chunk
    (`scan_breaks`): counting the line breaks before it here would read most of the chunk
    again, one byte at a time, on the thread that cuts the file."""
    if quotes > _MANY_QUOTES:
        return MANY if _quotes_well_placed_columnwise(chunk[:end]) else None
    last = end - 1
    places: list[tuple[int, int]] = []
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
                places.append((opened, inside))
            opened = -1
        at = chunk.find(b'"', at + 1, end)
    return places


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


@dataclass(frozen=True)
class Scan:
    """What one pass over a chunk's bytes finds."""

    breaks: int  # physical line breaks: LF, CRLF and a lone CR each count once
    lone_cr: bool  # a CR not followed by LF (the exact path reads the chunk)
    # Row index in the chunk -> the line breaks inside its quoted cells (see quote_layout).
    spans: dict[int, int] = field(default_factory=dict)


def scan_breaks(raw: Any, places: Sequence[tuple[int, int]] = ()) -> Scan:
    """Line breaks and lone \\r of `raw` (an Arrow uint8 array over the chunk's bytes) in
    one vectorised pass, and the rows of the quoted cells that hold line breaks, `places`
    (quote_layout's offsets): a cell's row is the line breaks before it, less those inside
    the cells before it.

    polars releases the GIL, so a worker runs it beside the main thread's checks; counting
    \\n, \\r and \\r\\n with bytes.count took several passes on the main thread, and
    made a CRLF file cost 1.3x the same data with LF."""
    import polars as pl

    byte = pl.col("b")
    frame = pl.DataFrame({"b": pl.from_arrow(raw)})
    lf, cr, crlf = frame.select(
        (byte == 10).sum(),
        (byte == 13).sum().alias("cr"),
        ((byte == 13) & (byte.shift(-1) == 10)).sum().alias("crlf"),
    ).row(0)
    spans: dict[int, int] = {}
    if places:
        at_lf = frame.select(byte.eq(10).arg_true())["b"]
        offsets = pl.Series([offset for offset, _ in places], dtype=at_lf.dtype)
        before = at_lf.search_sorted(offsets, side="left")
        inside_before = 0
        for breaks_before, (_, inside) in zip(before.to_list(), places, strict=True):
            row = breaks_before - inside_before
            spans[row] = spans.get(row, 0) + inside
            inside_before += inside
    return Scan(lf + cr - crlf, cr != crlf, spans)


def _warm_up() -> None:
    """Import polars and Arrow's compute functions in a thread of their own: the import
    holds the GIL for about as long as Arrow takes to parse four chunks, and the workers
    parse the first ones meanwhile (Arrow's parser releases the GIL) instead of waiting for
    it before their first parse. A failed import is left for the scan to raise."""
    if "polars.dataframe" in sys.modules:
        return  # imported already (another file, the sandbox)

    def load() -> None:
        with contextlib.suppress(ImportError):
            import polars  # noqa: F401
            import pyarrow.compute  # noqa: F401

    threading.Thread(target=load, name="specc-import", daemon=True).start()


@dataclass
class _Parsed:
    """A worker's work on one chunk: the scan, and Arrow's table unless the scan says the
    chunk is not for Arrow (table None)."""

    scan: Scan
    table: Any = None
    aside: list[tuple[int | None, str]] = field(default_factory=list)
    prepared: Any = None


@dataclass
class _Chunk:
    """A stretch of the file that ends on a row boundary, and its parse in flight."""

    data: bytearray  # the chunk is data[:size]; what follows belongs to the next one
    size: int
    offset: int
    line: int = 0  # set once the chunks before it are finished (_FastReader.batches)
    body: int = 0  # data[:body] is the chunk without the empty lines at its end
    terminated: bool = False  # the body ends with a line break
    tail_breaks: int = 0  # the line breaks after the body (empty lines)
    breaks: int = 0  # all its line breaks, known once it is finished
    quoted: bool = False
    # quote_layout's quoted cells holding line breaks; None: not known (chunks full of
    # quotes).
    places: list[tuple[int, int]] | None = None
    exact: bool = False  # read it with the exact path
    parse: Future[_Parsed] | None = None
    skipped: Skipped | None = None  # no chunk: a row too long to read, passed over


@dataclass
class _Rest:
    """From here to the end, the file is read with the exact path."""

    offset: int


class _FastReader:
    """Chunks cut here, parsed by Arrow in worker threads (the parser releases the GIL), so
    the checks of one chunk overlap the parsing of the next ones.

    `WORKERS` chunks are in flight at once, one per core: four cost more memory (a peak of
    430 MiB against 350 on the benchmark's million rows) and more CPU time, for no gain
    once both cores are busy. The first two are parsed while polars is still being
    imported (`_warm_up`)."""

    WORKERS = 2

    def __init__(self, f: BufferedReader, ncols: int, prepare: Prepare | None = None) -> None:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        self.f = f
        self.shown = str(getattr(f, "name", "the file"))
        self.ncols = ncols
        self.max_row = max(max_row_bytes(ncols), CHUNK_BYTES)
        self.prepare = prepare
        self.spare: list[bytearray] = []  # read buffers no chunk uses any more
        self.names = [f"c{j}" for j in range(ncols)]
        # One thread per parse: Arrow then numbers the rows it sets aside, which says where
        # they are; the parallelism comes from parsing two chunks at once.
        self.read_options = pacsv.ReadOptions(
            column_names=self.names, use_threads=False, block_size=CHUNK_BYTES + (1 << 20)
        )
        # A chunk is parsed only once its bytes are known to be UTF-8 (`_utf8`), and Arrow
        # cuts cells only at ASCII bytes (comma, quote, CR, LF), so every cell is UTF-8
        # too: Arrow's own check of each cell would be a second pass (a fifth of the parse).
        self.convert_options = pacsv.ConvertOptions(
            column_types={name: pa.string() for name in self.names},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            check_utf8=False,
        )

    def batches(self, offset: int, first_line: int, first_row: int) -> Iterator[Item]:
        """The batches from `offset` on. A chunk's line breaks are counted by the worker
        that parses it, so the line a chunk starts on is known once the chunks before it are
        finished, which happens here, in order."""
        pending: deque[_Chunk] = deque()
        row = first_row
        line = first_line
        _warm_up()
        with ThreadPoolExecutor(self.WORKERS, thread_name_prefix="specc-csv") as pool:
            try:
                for step in self._chunks(offset):
                    if isinstance(step, _Chunk):
                        if not step.exact and step.body:
                            import pyarrow as pa

                            body = pa.py_buffer(step.data).slice(0, step.body)
                            step.parse = pool.submit(
                                self._parse, body, step.quoted, step.places or ()
                            )
                        pending.append(step)
                        if len(pending) <= self.WORKERS:
                            continue
                    while pending and (len(pending) > self.WORKERS or not isinstance(step, _Chunk)):
                        chunk = pending.popleft()
                        items = self._finished(chunk, row, line)
                        line += chunk.breaks
                        for item in items:
                            yield item
                            if isinstance(item, FileProblem) or any(e.fatal for e in item.events):
                                return
                            row = max(row, item.last_row() + 1)
                    if isinstance(step, FileProblem):
                        yield replace(step, line=line + (step.line or 0))
                        return
                    if isinstance(step, _Rest):
                        log.debug("%s: read with the csv module from line %d", self.shown, line)
                        yield from exact_batches(self.f, step.offset, line, row, self.ncols)
                        return
                while pending:
                    chunk = pending.popleft()
                    items = self._finished(chunk, row, line)
                    line += chunk.breaks
                    for item in items:
                        yield item
                        if isinstance(item, FileProblem) or any(e.fatal for e in item.events):
                            return
                        row = max(row, item.last_row() + 1)
            finally:
                for chunk in pending:
                    if chunk.parse is not None:
                        chunk.parse.cancel()

    def _chunks(self, offset: int) -> Iterator[_Chunk | _Rest | FileProblem]:
        """The file cut into chunks, each checked for what the fast path cannot read.

        Each read starts where the last chunk ended (the file is read once, with no copy to
        carry a row cut in two), into a buffer used again once its chunk is done: fresh
        memory for every read would cost the kernel more than the read itself.

        Line breaks are not counted here (see `batches`): the line numbers of a problem or
        a row passed over count from 0 at the chunk they are found in.
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
                problem = _problem(bytes(data[: nul + 1]), offset, 0)
                assert problem is not None
                yield problem
                return
            if at_end:
                cut, quotes = read, count_quotes(data, 0, read)
            else:
                cut, quotes = _cut(data, read)
                if cut == 0:  # no row ends in it: read more
                    if size < self.max_row:
                        self.spare.append(data)
                        size = min(2 * size, self.max_row)
                        continue
                    lone_cr = data.find(b"\r", 0, read) >= 0
                    self.spare.append(data)
                    if lone_cr:
                        # Lines may end in a lone \r, which _cut does not see: the exact
                        # path reads them (and passes over what is too long itself).
                        yield _Rest(offset)
                        return
                    skipped = skip_row(f, offset, 0)
                    if isinstance(skipped, FileProblem):
                        yield skipped
                        return
                    if skipped.closed and skipped.end - offset <= self.max_row:
                        # Not a long row: a quote inside an unquoted cell (text to csv) made
                        # every line break after it look quoted. The exact path reads on.
                        yield _Rest(offset)
                        return
                    yield _Chunk(bytearray(), 0, offset, skipped=skipped)
                    if not skipped.closed or skipped.at_eof:
                        return
                    offset, size = skipped.end, CHUNK_BYTES
                    continue
            size = CHUNK_BYTES
            layout: list[tuple[int, int]] | _Many | None = []
            if quotes:
                layout = quote_layout(data, cut, quotes)
                if layout is None:
                    yield _Rest(offset)
                    return
            planned = _plan_chunk(data, cut, offset, at_end, quotes)
            planned.places = None if isinstance(layout, _Many) else layout
            yield planned
            offset += cut

    def _buffer(self, size: int) -> bytearray:
        while self.spare:
            data = self.spare.pop()
            if len(data) >= size:
                return data
        return bytearray(size)

    def _finished(self, chunk: _Chunk, row: int, line: int) -> list[Item]:
        """`_finish` of the chunk that starts on `line`, which sets `chunk.breaks`; then the
        chunk's buffer is free for another read (Arrow copied what it parsed; rows set aside
        and problems hold copies)."""
        chunk.line = line
        items = self._finish(chunk, row)
        if chunk.parse is not None:
            chunk.parse = None
        if chunk.data:
            self.spare.append(chunk.data)
        return items

    def _parse(self, body: Any, quoted: bool, places: Sequence[tuple[int, int]]) -> _Parsed:
        """In a worker: Arrow's parse of the chunk, one pass over its bytes for its line
        breaks (`scan`), and `prepare` on its columns. A chunk that is not UTF-8 is not
        parsed (the exact path finds the bad byte), so the rows Arrow sets aside are always
        text; a chunk with a lone \\r is left to the exact path.

        The parse comes before the scan, which needs polars: the first chunks are parsed
        while polars is still being imported (`_warm_up`)."""
        import pyarrow as pa
        import pyarrow.csv as pacsv

        raw = pa.Array.from_buffers(pa.uint8(), len(body), [None, body])
        if not is_utf8(body):
            return _Parsed(scan_breaks(raw))
        aside: list[tuple[int | None, str]] = []

        def keep_aside(row: Any) -> str:
            aside.append((row.number, row.text))
            return "skip"

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
            return _Parsed(scan_breaks(raw), aside=aside)
        scan = scan_breaks(raw, places)
        if scan.lone_cr:
            return _Parsed(scan)
        if self.prepare is None:
            return _Parsed(scan, table, aside)
        return _Parsed(
            scan, table, aside, self.prepare([table.column(j) for j in range(self.ncols)])
        )

    def _finish(self, chunk: _Chunk, row: int) -> list[Item]:
        """Arrow's rows of a chunk, with their row and line numbers, or the exact path's
        when the numbers do not add up."""

        def exact() -> list[Item]:
            log.debug("%s: lines %d on read with the csv module", self.shown, chunk.line)
            return _exact_chunk(
                bytes(chunk.data[: chunk.size]), chunk.offset, chunk.line, row, self.ncols
            )

        if chunk.skipped is not None:
            skipped = replace(chunk.skipped, line=chunk.line + chunk.skipped.line)
            chunk.breaks = skipped.breaks
            return [skipped.batch(row, self.ncols)]
        if chunk.exact or not chunk.body:  # rare: counted here, on this thread
            chunk.breaks = count_breaks(chunk.data, chunk.size)
            return exact() if chunk.exact else []
        assert chunk.parse is not None
        parsed = chunk.parse.result()
        chunk.breaks = parsed.scan.breaks + chunk.tail_breaks
        if parsed.scan.lone_cr:
            return exact()
        table, aside, prepared = parsed.table, parsed.aside, parsed.prepared
        if table is None:
            problem = _problem(bytes(chunk.data[: chunk.size]), chunk.offset, chunk.line)
            return [problem] if problem is not None else exact()
        body_lines = parsed.scan.breaks + (0 if chunk.terminated else 1)
        records = table.num_rows + len(aside)
        # Record index -> the line breaks it holds inside quotes; the rows set aside.
        known = chunk.places is not None
        spans = dict(parsed.scan.spans)
        cells: dict[int, tuple[str, ...]] = {}
        for number, text in aside:
            if number is None:
                return exact()
            cells[number - 1] = tuple(split_row(text))
            if not known and "\n" in text:
                spans[number - 1] = text.count("\n")
        if not known and records + sum(spans.values()) != body_lines:
            kept = _kept(records, cells)
            for k, count in _breaks_inside_cells(table):
                spans[kept[k]] = count
        # Every physical line is a row's, or Arrow skipped an empty line: the exact path.
        if records + sum(spans.values()) != body_lines:
            return exact()
        rows: Runs | None = None
        lines: Runs | None = None
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
) -> tuple[Runs, Runs, dict[int, int]]:
    """(row numbers, start lines) of the records kept, and the start lines of those set
    aside, from the few records that are not one line each: held as runs of consecutive
    numbers, a few integers for each of those records rather than one for every row."""
    rows = Runs()
    lines = Runs()
    starts: dict[int, int] = {}
    shift = 0  # line breaks inside the records before the current segment
    previous = 0
    for r in sorted({*aside, *spans, records}):
        # Records previous..r-1 are plain rows of one line each.
        rows.run(first_row + previous, r - previous)
        lines.run(first_line + previous + shift, r - previous)
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


def _plan_chunk(data: bytearray, size: int, offset: int, at_end: bool, quotes: int) -> _Chunk:
    """What the fast path needs to know of the chunk `data[:size]` before Arrow parses it.
    `quotes`: its quotes; `at_end`: it ends the file (else it ends just after a row, by
    `_cut`). Its line breaks are counted in the worker (`scan_breaks`), but for the few
    bytes of empty lines after its last row."""
    planned = _Chunk(data, size, offset, quoted=quotes > 0)
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
    planned.body = end + terminator
    planned.terminated = terminator > 0
    planned.tail_breaks = count_breaks(tail, len(tail)) - count_breaks(tail, terminator)
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
    from specc.inputs import open_input

    with open_input(path) as f:
        start = data_start(f, has_header)
        if isinstance(start, FileProblem):
            yield start
            return
        offset, first_line = start
        if fast:
            assert isinstance(f, BufferedReader)
            yield from _FastReader(f, ncols, prepare).batches(offset, first_line, 1)
        else:
            yield from exact_batches(f, offset, first_line, 1, ncols)
