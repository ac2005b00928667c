"""CSV files, read in bounded chunks: a fast path on Arrow's parser and an exact path on `csv`.

The rules (RFC 4180, as HubSpot documents nothing finer): comma-separated, cells may be quoted
with `"` and then hold commas, quotes (doubled) and line breaks; UTF-8 with or without a BOM.
`line` is the physical line where a row starts (the header is line 1; line breaks are `\\n`,
`\\r\\n` and a lone `\\r`), `row` the 1-based data row. Completely empty lines are skipped
(they are not rows); a row with the wrong number of cells, or with quoting the rules do not
allow, becomes a `RowEvent`.

**The exact path** is the definition: Python's `csv` module (strict quoting) over the file's
lines. It is simple and handles everything, at the speed of the `csv` module.

**The fast path** cuts the file into chunks of about 8 MB that end on a row boundary and hands
each to Arrow's multi-threaded CSV parser, several times faster than `csv`. It is used only
where it provably reads the same cells as the exact path:

- a chunk whose quotes are not all well placed (a quote inside an unquoted cell, text after a
  closing quote) sends the rest of the file to the exact path, since its row boundaries can
  no longer be found by counting quotes;
- a chunk with a lone `\\r`, an empty line between rows, or a short or long row that quotes
  could hide is read by the exact path alone;
- short and long rows in chunks without quotes are found line by line;
- the number of rows Arrow returns is checked against the line breaks the chunk holds.

Tests compare both paths on random files. Bytes that are not UTF-8 and NUL bytes end the file
with a `FileProblem` at the first bad byte, the same one on both paths.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
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
_AROUND_QUOTES = [44, 10, 13, 34]

Item = Batch | FileProblem


# --- what both paths share ------------------------------------------------------------------


def count_breaks(data: bytes) -> int:
    """Physical line breaks in `data`: `\\n`, `\\r\\n` and a lone `\\r` each count once."""
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


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


def _cut(data: bytes) -> int:
    """Just after the last `\\n` outside quotes (an even number of quotes before it); 0: none."""
    end = data.rfind(b"\n")
    if end < 0 or b'"' not in data:
        return end + 1
    before = data.count(b'"', 0, end)
    while before % 2:
        previous = data.rfind(b"\n", 0, end)
        if previous < 0:
            return 0
        before -= data.count(b'"', previous, end)
        end = previous
    return end + 1


def quotes_well_placed(chunk: bytes) -> bool:
    """Every quote opens a cell (after , or a line break), closes one (before , or a line
    break, or the end), or is half of a doubled quote inside a quoted cell.

    Counted in order, quotes alternate opening and closing; a doubled quote inside a cell is
    a closing quote directly followed by an opening one, which the two tests allow.
    """
    import polars as pl
    import pyarrow as pa

    raw = pl.from_arrow(pa.Array.from_buffers(pa.uint8(), len(chunk), [None, pa.py_buffer(chunk)]))
    assert isinstance(raw, pl.Series)
    at = (raw == 34).arg_true()
    opens = at.gather_every(2)
    closes = at.gather_every(2, offset=1)
    opens = opens.filter(opens > 0)
    closes = closes.filter(closes < len(chunk) - 1)
    return bool(
        raw.gather(opens - 1).is_in(_AROUND_QUOTES).all()
        and raw.gather(closes + 1).is_in(_AROUND_QUOTES).all()
    )


def _has_lone_cr(chunk: bytes) -> bool:
    return b"\r" in chunk and chunk.count(b"\r") != chunk.count(b"\r\n")


def _has_empty_line(chunk: bytes) -> bool:
    return b"\n\n" in chunk or b"\n\r\n" in chunk or chunk.startswith((b"\n", b"\r\n"))


class _FastReader:
    def __init__(self, f: IO[bytes], ncols: int) -> None:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        self.f = f
        self.ncols = ncols
        self.names = [f"c{j}" for j in range(ncols)]
        self.invalid: list[Any] = []
        self.read_options = pacsv.ReadOptions(column_names=self.names, use_threads=True)
        self.convert_options = pacsv.ConvertOptions(
            column_types={name: pa.string() for name in self.names},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        )
        self.parse_plain = self._parse_options(newlines_in_values=False)
        self.parse_quoted = self._parse_options(newlines_in_values=True)

    def _parse_options(self, *, newlines_in_values: bool) -> Any:
        import pyarrow.csv as pacsv

        def keep_aside(row: Any) -> str:
            self.invalid.append(row)
            return "skip"

        return pacsv.ParseOptions(
            newlines_in_values=newlines_in_values,
            invalid_row_handler=keep_aside,
            ignore_empty_lines=True,
        )

    def batches(self, offset: int, first_line: int, first_row: int) -> Iterator[Item]:
        f = self.f
        f.seek(offset)
        carry = b""
        line, row = first_line, first_row
        while True:
            block = f.read(CHUNK_BYTES)
            data = carry + block if carry else block
            if not data:
                return
            if b"\0" in block:
                # A NUL ends the file wherever it is; report the first bad byte before it.
                problem = _problem(data, offset, line)
                assert problem is not None
                yield problem
                return
            if block:
                cut = _cut(data)
                if cut == 0:
                    carry = data
                    if len(carry) > MAX_ROW_BYTES:
                        yield from exact_batches(f, offset, line, row, self.ncols)
                        return
                    continue
            else:
                cut = len(data)
            chunk, carry = data[:cut], data[cut:]
            if b'"' in chunk and not quotes_well_placed(chunk):
                yield from exact_batches(f, offset, line, row, self.ncols)
                return
            items = self._chunk(chunk, offset, line, row)
            for item in items:
                yield item
                if isinstance(item, FileProblem):
                    return
                if any(e.fatal for e in item.events):
                    return
                row = max(row, item.last_row() + 1)
            offset += cut
            line += count_breaks(chunk)

    def _chunk(self, chunk: bytes, offset: int, line: int, row: int) -> list[Item]:
        def exact() -> list[Item]:
            return _exact_chunk(chunk, offset, line, row, self.ncols)

        quoted = b'"' in chunk
        if quoted and chunk.count(b'"') % 2:
            return exact()  # a quote that never closes, at the end of the file
        # Empty lines after the chunk's last row hold no rows: leave them out.
        stripped = chunk.rstrip(b"\r\n")
        if not stripped:
            return []
        tail = chunk[len(stripped) :]
        body = chunk
        if count_breaks(tail) > 1:
            body = stripped + (tail[:2] if tail.startswith(b"\r\n") else tail[:1])
        if _has_lone_cr(body) or _has_empty_line(body):
            return exact()
        table = self._parse(body, quoted)
        if table is None:
            problem = _problem(chunk, offset, line)
            return [problem] if problem is not None else exact()
        invalid, self.invalid = self.invalid, []
        size = table.num_rows
        trailing = 0 if body.endswith(b"\n") else 1
        breaks = body.count(b"\n")
        columns = [table.column(j) for j in range(self.ncols)]
        done = offset + len(chunk)
        if not quoted:
            if invalid:
                return self._with_short_and_long_rows(chunk, body, columns, offset, line, row)
            if breaks + trailing != size:
                return exact()
            return [Batch(columns, first_row=row, first_line=line, bytes_done=done)]
        if invalid:
            return exact()  # quotes could hide where the row with the wrong cell count is
        if breaks + trailing == size:
            return [Batch(columns, first_row=row, first_line=line, bytes_done=done)]
        inside = _breaks_inside_cells(table)
        if breaks - sum(inside) + trailing != size:
            return exact()
        lines = []
        at = line
        for count in inside:
            lines.append(at)
            at += 1 + count
        return [Batch(columns, first_row=row, first_line=line, lines=lines, bytes_done=done)]

    def _parse(self, body: bytes, quoted: bool) -> Any:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        self.invalid = []
        try:
            return pacsv.read_csv(
                pa.py_buffer(body),
                read_options=self.read_options,
                parse_options=self.parse_quoted if quoted else self.parse_plain,
                convert_options=self.convert_options,
            )
        except (pa.ArrowInvalid, pa.ArrowException):
            return None

    def _with_short_and_long_rows(
        self, chunk: bytes, body: bytes, columns: list[Any], offset: int, line: int, row: int
    ) -> list[Item]:
        """A chunk without quotes where Arrow set rows aside: one line is one row, so the rows
        with the wrong number of commas are found by counting them line by line."""
        raw_lines = body.split(b"\n")
        if raw_lines and raw_lines[-1] == b"":
            raw_lines.pop()
        events: list[RowEvent] = []
        kept: list[int] = []
        for i, raw in enumerate(raw_lines):
            text = raw[:-1] if raw.endswith(b"\r") else raw
            if text.count(b",") == self.ncols - 1:
                kept.append(i)
                continue
            try:
                cells = text.decode("utf-8").split(",")
            except UnicodeDecodeError:  # Arrow checks the UTF-8 of the rows it keeps only
                problem = _problem(chunk, offset, line)
                assert problem is not None
                return [problem]
            events.append(RowEvent("cells", line + i, row + i, tuple(cells)))
        if len(kept) != len(columns[0]):
            return _exact_chunk(chunk, offset, line, row, self.ncols)
        return [
            Batch(
                columns,
                first_row=row + kept[0] if kept else row,
                first_line=line + kept[0] if kept else line,
                rows=[row + i for i in kept],
                lines=[line + i for i in kept],
                events=events,
                bytes_done=offset + len(chunk),
            )
        ]


def _breaks_inside_cells(table: Any) -> list[int]:
    """Per row, the line breaks its quoted cells hold (no lone \\r reaches here)."""
    import polars as pl

    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    counts = frame.select(
        pl.sum_horizontal(pl.all().str.count_matches("\n", literal=True)).alias("n")
    )
    return [int(v) for v in counts["n"].to_list()]


# --- the entry point ------------------------------------------------------------------------


def read_csv(
    path: Path, ncols: int, has_header: bool = True, *, fast: bool = True
) -> Iterator[Item]:
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
            yield from _FastReader(f, ncols).batches(offset, first_line, 1)
        else:
            yield from exact_batches(f, offset, first_line, 1, ncols)
