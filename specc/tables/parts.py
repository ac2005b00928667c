"""A CSV file over HubSpot's per-file limits, cut into parts of whole records.

HubSpot: "individual import files are limited to 1,048,576 rows or 512 MB, whichever is
reached first ... it's recommended to split your import into multiple requests". `specc import`
sends such a file as several imports, each the file's header followed by a run of consecutive
records, each run under both limits. `plan_parts` finds the runs in one streamed pass over
the file; `PartStream` reads one part (the header's bytes, then its byte range of the source)
as the upload sends it. Nothing is written to disk and no more than one chunk is held.

A record ends at a line break outside quotes (`\\n`, `\\r\\n`, or a lone `\\r`), as
`specc.tables.csv` reads it, so a quoted cell that holds line breaks is never cut. Quotes are
followed as Python's `csv` follows them: one opens a cell only at the cell's start, a doubled
one inside a cell is text. Where every quote of a chunk is well placed (the usual case) that
is the same as counting quotes, which is done column-wise; other chunks are followed quote by
quote. Completely empty lines are no rows (as `specc check` counts them), but they travel with
the part they are in.

`RecordScan` is the same scan fed in pieces: the sandbox counts an upload's rows with it as
the bytes arrive.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from specc.errors import InputError, UsageError

if TYPE_CHECKING:
    from collections.abc import Sequence

    import polars as pl

# HubSpot: "individual import files are limited to 1,048,576 rows or 512 MB". specc reads MB
# as MiB (2**20 bytes), as `specc check` always has (SPC471).
MAX_ROWS = 1_048_576
MAX_BYTES = 512 * 1024 * 1024
# For tests and dry runs: lower limits, read by specc (check, import) and by `specc sandbox`.
ROWS_ENV = "SPECC_MAX_FILE_ROWS"
BYTES_ENV = "SPECC_MAX_FILE_BYTES"
# A part's file leaves room under the byte limit for the rest of the request (the multipart
# headers and boundaries, the importRequest), in case HubSpot measures the request: at least
# 1/256 of the limit (2 MiB of 512 MiB), more when the importRequest is larger.
ENVELOPE_BYTES = 8 * 1024
# Bytes read from the file at a time while planning.
CHUNK = 8 << 20
# Bytes a fed RecordScan gathers before it scans them (fewer, larger vectorised passes).
FEED_STEP = 1 << 20


@dataclass(frozen=True)
class FileLimits:
    """HubSpot's per-file limits: data rows, and bytes of the file."""

    rows: int = MAX_ROWS
    bytes: int = MAX_BYTES

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> FileLimits:
        """The limits, lowered by SPECC_MAX_FILE_ROWS / SPECC_MAX_FILE_BYTES when set (for
        tests: HubSpot's own are the defaults). A value that is no positive whole number is a
        UsageError naming the variable."""
        return cls(_positive(environ, ROWS_ENV, MAX_ROWS), _positive(environ, BYTES_ENV, MAX_BYTES))

    def over(self, rows: int, size: int) -> bool:
        return rows > self.rows or size > self.bytes

    def part_bytes(self, request_bytes: int = 0) -> int:
        """The most file bytes one part may hold: the limit less room for the envelope (at
        most half of it: tests use limits of a few hundred bytes)."""
        room = max(self.bytes // 256, request_bytes + ENVELOPE_BYTES)
        return max(self.bytes - room, self.bytes // 2)


def _positive(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip().replace("_", "")
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1 or len(raw) > 18:
        raise UsageError(f"{name} must be a whole number above 0, got {raw!r}")
    return int(raw)


class PartsError(InputError):
    """The file cannot be cut into parts under the limits (a record larger than a part may
    be, a file that is not readable as CSV)."""


@dataclass(frozen=True)
class FilePart:
    """One part: the header, then the source's bytes [start, end) — whole records."""

    number: int  # 1-based
    start: int
    end: int
    rows: int  # data rows (empty lines are none)
    first_line: int  # the physical line of the source where the part's first record starts
    first_row: int  # the source's data row number of its first row


@dataclass(frozen=True)
class PartsPlan:
    """How a file is sent: one part when it is under both limits, else several."""

    path: Path
    header_end: int  # the header's bytes are [0, header_end): BOM, header row, its line break
    data_line: int  # the physical line where the data starts (in the source and in every part)
    size: int
    rows: int
    parts: tuple[FilePart, ...]
    sha256: str = ""  # of the bytes planned (hex): the parts are ranges of exactly these

    @property
    def split(self) -> bool:
        return len(self.parts) > 1

    def part_size(self, part: FilePart) -> int:
        return self.header_end + part.end - part.start

    def source_line(self, part: FilePart, line: int) -> int:
        """The source's line of line `line` of the part as uploaded (the header keeps its
        lines; data lines move by where the part starts)."""
        return line if line < self.data_line else line + part.first_line - self.data_line


@dataclass
class Stretch:
    """What one scanned stretch of bytes holds: each record that ends in it (the offset just
    past its line break, and the rows counted up to and with it) and each physical line
    break (the offset just past it)."""

    ends: pl.Series
    rows: pl.Series
    breaks: pl.Series
    lines_before: int  # physical lines before the stretch, counted from the first line


@dataclass
class RecordScan:
    """Record ends of a CSV byte stream fed in pieces; `rows` counts the non-empty records.

    `offset` is where the first byte fed lies in the file; `previous` is the byte before it (a
    line break at a record's start).
    """

    offset: int = 0
    previous: int = 10
    rows: int = 0
    inside: bool = False  # inside a quoted cell
    closed_last: bool = False  # the last byte scanned closed a quoted cell
    record_start: int = 0
    lines: int = 0  # physical line breaks scanned
    _pending: bytearray = field(default_factory=bytearray)

    def __post_init__(self) -> None:
        self.record_start = self.offset

    def feed(self, data: bytes) -> Stretch | None:
        """Take more bytes; scan them once enough are gathered (the last byte waits for the
        next, which tells whether a `\\r` ends a line or a quote closes a cell)."""
        self._pending.extend(data)
        if len(self._pending) < FEED_STEP:
            return None
        return self._scan(final=False)

    def finish(self) -> Stretch:
        """Scan what is left; a last record without a line break ends at the end."""
        return self._scan(final=True)

    def _scan(self, *, final: bool) -> Stretch:
        import polars as pl
        import pyarrow as pa

        count = len(self._pending) if final else len(self._pending) - 1
        buf = bytes([self.previous]) + bytes(self._pending)
        raw = pa.Array.from_buffers(pa.uint8(), len(buf), [None, pa.py_buffer(buf)])
        s = pl.Series(pl.from_arrow(raw))
        next_lf = (s.shift(-1) == 10).fill_null(False)
        in_region = pl.int_range(0, len(buf), dtype=pl.UInt32, eager=True)
        region = (in_region >= 1) & (in_region <= count)
        terminal = ((s == 10) | ((s == 13) & ~next_lf)) & region
        breaks = terminal.arg_true()
        quotes = ((s == 34) & region).arg_true()
        toggles, inside_after, closed_last = self._toggles(buf, s, quotes, count, final)
        inside0 = 1 if self.inside else 0
        if len(toggles):
            before = toggles.search_sorted(breaks, side="left").cast(pl.Int64)
            outside = ((before + inside0) % 2) == 0
        else:
            outside = pl.Series([not self.inside] * len(breaks), dtype=pl.Boolean)
        ends_local = breaks.filter(outside).cast(pl.Int64)
        # buf[i] lies at offset + i - 1 of the file; a record ends just past its line break.
        base = self.offset - 1
        ends = ends_local + base + 1
        crlf = (s.gather(ends_local) == 10) & (s.gather(ends_local - 1) == 13)
        content_end = ends_local + base - crlf.cast(pl.Int64)
        starts = ends.shift(1).fill_null(self.record_start)
        nonempty = (content_end > starts).cast(pl.Int64)
        rows = nonempty.cum_sum() + self.rows
        if final:
            end = self.offset + count
            last = int(ends[-1]) if len(ends) else self.record_start
            if end > last:  # a last record with no line break after it
                ends = pl.concat([ends, pl.Series([end], dtype=pl.Int64)])
                rows = pl.concat([rows, pl.Series([self.rows_in(rows) + 1], dtype=pl.Int64)])
        stretch = Stretch(ends, rows, breaks.cast(pl.Int64) + base + 1, self.lines)
        # Carry the state over to the next stretch.
        if len(ends):
            self.record_start = int(ends[-1])
            self.rows = int(rows[-1])
        self.inside = inside_after
        self.closed_last = closed_last
        self.lines += len(breaks)
        if count:
            self.previous = buf[count]
        self.offset += count
        del self._pending[:count]
        return stretch

    def rows_in(self, rows: pl.Series) -> int:
        return int(rows[-1]) if len(rows) else self.rows

    def _toggles(
        self, buf: bytes, s: pl.Series, quotes: pl.Series, count: int, final: bool
    ) -> tuple[pl.Series, bool, bool]:
        """The quotes that open or close a quoted cell, the state after the stretch, and
        whether its last byte closed a cell."""

        if not len(quotes):
            return quotes, self.inside, False
        first = 1 if self.inside else 0  # the first quote closes a cell when inside one
        opens = quotes.gather_every(2, offset=first)
        closes = quotes.gather_every(2, offset=1 - first)
        before_open = s.gather(opens - 1)
        # A close at the very end is fine when nothing follows; else its next byte decides.
        closes_inner = closes.filter(closes + 1 < len(buf))
        after_close = s.gather(closes_inner + 1)
        # Counting quotes reads what csv reads when each opens a cell or closes one (a doubled
        # quote is a close and an open, and may straddle two stretches).
        if _around_quotes(before_open) and _around_quotes(after_close):
            inside = (len(quotes) + first) % 2 == 1
            closed_last = not inside and int(quotes[-1]) == count
            return quotes, inside, closed_last
        return self._toggles_one_by_one(buf, quotes.to_list(), count)

    def _toggles_one_by_one(
        self, buf: bytes, quotes: Sequence[int], count: int
    ) -> tuple[pl.Series, bool, bool]:
        """csv's rule, quote by quote (a chunk with a quote inside an unquoted cell)."""
        import polars as pl

        inside = self.inside
        closed_at = 0 if self.closed_last else -2
        toggles: list[int] = []
        for at in quotes:
            if inside:
                inside = False
                closed_at = at
                toggles.append(at)
            elif at == closed_at + 1 or buf[at - 1] in (44, 10, 13):
                inside = True  # the second of a doubled quote, or a quote opening a cell
                toggles.append(at)
        return pl.Series(toggles, dtype=pl.UInt32), inside, closed_at == count and not inside


def _around_quotes(found: pl.Series) -> bool:
    """Whether every byte is one that may stand next to a well-placed quote: , \\n \\r \"."""
    fine = (found == 44) | (found == 10) | (found == 13) | (found == 34)
    return bool(fine.all())


def plan_parts(
    path: Path,
    has_header: bool,
    limits: FileLimits,
    *,
    request_bytes: int = 0,
    shown: str | None = None,
    roots: Sequence[Path] | None = None,
) -> PartsPlan:
    """The file's parts: one (the whole file) when it is under both limits, else runs of whole
    records, each with at most `limits.rows` data rows and `limits.part_bytes(request_bytes)`
    bytes with the header. One pass over the file, a chunk at a time, which also takes the
    digest of the bytes the parts are cut from."""
    import hashlib

    from specc.inputs import open_input
    from specc.tables.batch import FileProblem
    from specc.tables.csv import data_start

    shown = shown or str(path)
    max_bytes = limits.part_bytes(request_bytes)
    with open_input(path, roots=roots, shown=shown) as f:
        size = os.fstat(f.fileno()).st_size
        found = data_start(f, has_header)
        if isinstance(found, FileProblem):
            raise PartsError(f"{shown} cannot be cut into parts: {found.detail}")
        header_end, data_line = found
        if header_end >= max_bytes:
            raise PartsError(f"{shown}: its header alone is larger than a part may be")
        planner = _Planner(header_end, data_line, limits.rows, max_bytes - header_end, shown)
        f.seek(0)
        header = f.read(header_end)
        digest = hashlib.sha256(header)
        scan = RecordScan(offset=header_end, previous=header[-1] if header else 10)
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            stretch = scan.feed(chunk)
            if stretch is not None:
                planner.take(stretch)
        planner.take(scan.finish())
    rows, sha256 = scan.rows, digest.hexdigest()
    if not limits.over(rows, size):
        whole = FilePart(1, header_end, size, rows, data_line, 1)
        return PartsPlan(path, header_end, data_line, size, rows, (whole,), sha256)
    parts = planner.close(size, rows)
    return PartsPlan(path, header_end, data_line, size, rows, parts, sha256)


class _Planner:
    """Cuts greedily: each part takes records while both its rows and its bytes fit."""

    def __init__(
        self, data_start: int, data_line: int, max_rows: int, max_data_bytes: int, shown: str
    ) -> None:
        self.max_rows = max_rows
        self.max_data_bytes = max_data_bytes
        self.shown = shown
        self.data_line = data_line
        self.parts: list[FilePart] = []
        self.start = data_start  # where the current part starts
        self.start_rows = 0  # rows before it
        self.start_line = data_line
        self.last_end = data_start  # the end of the last record seen
        self.last_rows = 0
        self.last_line = data_line

    def take(self, stretch: Stretch) -> None:
        ends, rows = stretch.ends, stretch.rows
        while len(ends):
            fit_rows = rows.search_sorted(self.start_rows + self.max_rows, side="right")
            fit_bytes = ends.search_sorted(self.start + self.max_data_bytes, side="right")
            fit = min(int(fit_rows), int(fit_bytes))
            if fit >= len(ends):
                break
            if fit == 0:
                cut, cut_rows, cut_line = self.last_end, self.last_rows, self.last_line
            else:
                cut, cut_rows = int(ends[fit - 1]), int(rows[fit - 1])
                cut_line = self._line_at(stretch, cut)
            if cut <= self.start:
                raise PartsError(
                    f"{self.shown}: the record at line {self.start_line:,} is larger than a "
                    "part may be",
                    hint="check that every quote that opens a cell closes it",
                )
            self._cut(cut, cut_rows, cut_line)
            ends, rows = ends.slice(fit), rows.slice(fit)
        if len(stretch.ends):
            self.last_end = int(stretch.ends[-1])
            self.last_rows = int(stretch.rows[-1])
            self.last_line = self._line_at(stretch, self.last_end)

    def _line_at(self, stretch: Stretch, offset: int) -> int:
        """The physical line that starts at `offset` (just past a record's line break)."""
        passed = int(stretch.breaks.search_sorted(offset, side="right"))
        return self.data_line + stretch.lines_before + passed

    def _cut(self, end: int, rows: int, line: int) -> None:
        self.parts.append(
            FilePart(
                len(self.parts) + 1,
                self.start,
                end,
                rows - self.start_rows,
                self.start_line,
                self.start_rows + 1,
            )
        )
        self.start, self.start_rows, self.start_line = end, rows, line

    def close(self, size: int, rows: int) -> tuple[FilePart, ...]:
        if size <= self.start:
            return tuple(self.parts)
        last = self.parts[-1] if self.parts else None
        if last is not None and rows == self.start_rows:
            # Only empty lines are left: no import of nothing; they go with the last part.
            self.parts[-1] = FilePart(
                last.number, last.start, size, last.rows, last.first_line, last.first_row
            )
        else:
            self._cut(size, rows, self.start_line)
        return tuple(self.parts)


class PartStream(io.RawIOBase):
    """One part as the upload reads it: the header's bytes, then [start, end) of the source.

    Seekable, so httpx learns its length (for the Content-Length) without reading it; it has
    no `fileno`, which would make httpx take the whole source file's size instead.
    """

    def __init__(self, source: BinaryIO, header_end: int, start: int, end: int) -> None:
        super().__init__()
        self._source = source
        self._header_end = header_end
        self._start = start
        self._end = end
        self._length = header_end + end - start
        self._at = 0

    @classmethod
    def open(
        cls, plan: PartsPlan, part: FilePart, roots: Sequence[Path] | None = None
    ) -> PartStream:
        from specc.inputs import open_input

        source = open_input(plan.path, roots=roots)
        return cls(source, plan.header_end, part.start, part.end)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._at

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._at, io.SEEK_END: self._length}[whence]
        self._at = max(0, base + offset)
        return self._at

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(CHUNK), b""))
        size = min(size, self._length - self._at)
        if size <= 0:
            return b""
        if self._at < self._header_end:
            where = self._at
            size = min(size, self._header_end - self._at)  # a short read: the header only
        else:
            where = self._start + self._at - self._header_end
        self._source.seek(where)
        data = self._source.read(size)
        self._at += len(data)
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._source.close()
        super().close()


def count_rows(chunks: Any) -> int:
    """The non-empty records of a CSV byte stream, header included, fed chunk by chunk."""
    scan = RecordScan()
    for chunk in chunks:
        scan.feed(chunk)
    scan.finish()
    return scan.rows
