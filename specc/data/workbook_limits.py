"""How large an .xlsx workbook may be, by what it holds, before specc refuses to open it.

A workbook is a zip of XML parts, and python-calamine (which reads rows for `check`, `init`
and the sandbox) inflates its parts and builds the first sheet in memory as one dense
rectangle: a 1.4 MB file can hold 20 million cells (1.4 GiB once read), and two cells at A1
and XFD1048576 ask for a 512 GiB rectangle, which aborts the process. `workbook_problem`
looks at a workbook with the standard library only, in bounded memory, and says why it will
not be opened; every bound below lets a real workbook of HubSpot's largest size through
(HubSpot: "limited to 1,048,576 rows or 512 MB", fewer than 1,000 columns).

The figures the bounds come from (measured with openpyxl, 100,000 rows x 10 columns, and a
50 MB workbook of 100,000 x 200 cells; bench/README has no part in it):

- Sheet XML compresses 9x (realistic contacts) to 26x (every cell the same text); a whole
  workbook is never more compressed than its most compressed part. MAX_RATIO allows 100x.
- A sheet's compressed part holds at most 0.48 cells per byte (the same value in every
  cell: each cell still carries its own reference, A1, A2...). CELLS_PER_BYTE allows 4.
- Excel's grid is 1,048,576 rows by 16,384 columns (XFD); HubSpot's row limit is the same
  number, so no cell of a workbook it imports lies outside the grid.
- A shared string is stored once and used by at least one cell, so a workbook has no more
  shared strings than cells in its sheets' used areas.

What is counted is what calamine would build: every part is inflated here (stopping as soon
as a part inflates past the size its zip header declares: headers can lie), and each
worksheet's used area is taken from its cell references (A1, XFD7...) and row numbers, not
from the `<dimension>` it declares, which calamine ignores and which may lie either way
(the declared one is bounded too). Cells written without a reference take the next column,
as calamine places them.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from specc.inputs import InputRefused, open_input

GRID_ROWS = 1_048_576
GRID_COLUMNS = 16_384  # XFD
MAX_ENTRIES = 10_000  # a workbook has tens of parts; one per sheet, image, table...
MAX_RATIO = 100
# Small parts compress far better than whole sheets do (one long repeated value, a style
# table): a workbook may always inflate to this much, whatever its size.
RATIO_SLACK = 8 << 20
CELLS_PER_BYTE = 4
AREA_SLACK = 1 << 20  # cells: a 32 MiB rectangle in calamine, whatever the part's size
SHARED_STRINGS_SLACK = 1 << 16
# A tag (its name and attributes) longer than this is no spreadsheet's.
MAX_TAG_BYTES = 1 << 20
# Bytes before a part's first element (declaration, comments) beyond which it is refused:
# its kind could not be told without reading on.
MAX_PROLOG_BYTES = 1 << 16

_CHUNK = 4 << 20
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_STORED, _DEFLATED = 0, 8

_ROOT = re.compile(rb"<(?![?!])(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_ROW_TAGS = (re.compile(rb"<row(?=[\s/>])[^>]*>"), re.compile(rb":row(?=[\s/>])[^>]*>"))
_ROW_NUMBER = re.compile(rb"\sr\s*=\s*[\"']\s*([0-9]+)")
# A cell tag without a reference: no attributes, or a first attribute that is not r (real
# writers put r first; a cell with r elsewhere is only counted twice, which is safe).
_LOOSE_CELLS = (
    re.compile(rb"<c(?:/?>|\s+(?!r\s*=)[A-Za-z_])"),
    re.compile(rb":c(?:/?>|\s+(?!r\s*=)[A-Za-z_])"),
)
# `r = "A1"` is valid XML that the reference patterns below would not see.
_SPACED_R = re.compile(rb"r\s+=|r=\s")
_REFERENCE = re.compile(rb"([A-Za-z]*)([0-9]+)")
_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\b[^>]*?\sref\s*=\s*[\"']([^\"']*)[\"']")
# Every <si> (prefixed or not) starts with one of these; no other tag of a shared strings
# part does. Two passes over the bytes, where a pass per exact form took four times longer.
_SHARED_STRING_TAGS = (b"<si", b":si")


@dataclass
class _Sheet:
    """What one worksheet part holds, as far as calamine's rectangle goes."""

    name: str
    compressed: int
    rows: int = 0  # the highest row number seen (row tags, and rows without one)
    last_row: int = 0  # the number of the row tag read last
    row_tags: int = 0
    box_rows: int = 1  # every cell reference seen lies within box_rows x box_columns
    box_columns: int = 1
    loose_in_row: int = 0  # cells without a reference in the row being read
    most_loose: int = 0  # the most of them in one row
    declared: tuple[int, int] | None = None  # the <dimension>'s last row and column
    problem: str | None = None
    _patterns: tuple[re.Pattern[bytes], ...] | None = field(default=None)

    def area(self) -> int:
        rows = max(self.rows, self.box_rows)
        columns = self.box_columns + (1 + self.most_loose if self.most_loose else 0)
        return rows * columns


class _Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _open(path: Path) -> BinaryIO:
    return open_input(path)  # regular files only, opened without blocking


def workbook_problem(path: Path, streamed: bool = False) -> str | None:
    """Why the .xlsx workbook at `path` is too large to open, or None.

    None also for what is not a zip (an .xls file, a CSV) and for a zip too damaged to
    measure: the reader that opens it then says what is wrong. Reads the file once, in
    chunks; holds a few MiB at most.

    `streamed`: for a reader that streams the sheets (specc.tables.xlsx) and builds no
    rectangle; only the shared strings are held whole. The sheets are then not measured
    (nor inflated past their root: zipfile stops a part at the size its header declares),
    and the shared strings are bounded by the cells the sheets' compressed size can hold.
    Nor are the shared strings inflated when their declared size cannot hold more than
    that bound (`most_shared_strings`): the reader inflates them anyway, stopping at the
    declared size as zipfile does, and a 1,000,000-row workbook's 75 MB of them took a
    quarter of a second to inflate twice. A part that declares more is counted as before.
    """
    try:
        with _open(path) as fh:
            return _Workbook(fh).problem(streamed)
    except _Refused as refused:
        return refused.reason
    except InputRefused as refused:
        # A FIFO or a device is never a workbook, and no reader may wait on it; a missing
        # or unreadable file is the reader's to report.
        return f"the file {refused.reason}" if refused.kind == "not_regular" else None
    except OSError:
        return None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, struct.error):
        return None


def declared_size(path: Path) -> int | None:
    """The bytes a workbook's parts declare once inflated (its zip headers, which may lie:
    workbook_problem checks them); None when it is not a zip or cannot be measured."""
    try:
        with _open(path) as fh:
            workbook = _Workbook(fh)
            infos = workbook.infos()
    except (
        _Refused,
        InputRefused,
        OSError,
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        struct.error,
    ):
        return None
    return None if infos is None else sum(info.file_size for info in infos)


class _Workbook:
    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        fh.seek(0, 2)
        self.size = fh.tell()

    def infos(self) -> list[zipfile.ZipInfo] | None:
        """The zip's entries, once their count is known to be sane; None: not a zip."""
        self.fh.seek(0)
        if self.fh.read(4) != b"PK\x03\x04":
            return None
        entries = _entry_count(self.fh, self.size)
        if entries is None:
            return None
        if entries > MAX_ENTRIES:
            raise _Refused(
                f"the zip holds {entries:,} parts; a workbook has tens (specc's bound is "
                f"{MAX_ENTRIES:,})"
            )
        with zipfile.ZipFile(self.fh) as archive:
            return archive.infolist()

    def problem(self, streamed: bool = False) -> str | None:
        infos = self.infos()
        if infos is None:
            return None
        declared = sum(info.file_size for info in infos)
        allowed = MAX_RATIO * self.size + RATIO_SLACK
        if declared > allowed:
            raise _Refused(
                f"its parts declare {_size(declared)} once inflated, in a file of "
                f"{_size(self.size)}: over {MAX_RATIO} times its size, which no real "
                "workbook reaches (a zip bomb?)"
            )
        sheets: list[_Sheet] = []
        shared_strings = 0
        unread: list[zipfile.ZipInfo] = []  # shared strings parts known by their head only
        for info in infos:
            kind, found = self._measure(info, head_of_sheets=streamed)
            if kind == "worksheet":
                assert isinstance(found, _Sheet)
                sheets.append(found)
            elif kind == "sst" and found is None:
                unread.append(info)
            elif kind == "sst":
                assert isinstance(found, int)
                shared_strings += found
        area = 0
        for sheet in sheets:
            _judge(sheet, measured=not streamed)
            area += cells_allowed(sheet.compressed) if streamed else sheet.area()
        if shared_strings + sum(most_shared_strings(i) for i in unread) > (
            area + SHARED_STRINGS_SLACK
        ):
            # Too large to be sure of from the declared sizes: counted, as for other readers.
            for info in unread:
                _, found = self._measure(info)
                assert isinstance(found, int)
                shared_strings += found
        if shared_strings > area + SHARED_STRINGS_SLACK:
            raise _Refused(
                f"it holds {shared_strings:,} shared strings for {area:,} cells: each string "
                "is stored once for the cells that use it, so there can be no more of them "
                "than cells"
            )
        return None

    # --- one part ------------------------------------------------------------------------

    def _measure(
        self, info: zipfile.ZipInfo, head_of_sheets: bool = False
    ) -> tuple[str, _Sheet | int | None]:
        """Inflate one part, counting; measure it when it is a worksheet or shared strings
        (`head_of_sheets`: a worksheet or shared strings only as far as its kind is known,
        for the streamed reader)."""
        if info.flag_bits & 0x1:
            return "", None  # encrypted: no reader will get far
        if info.compress_type not in (_STORED, _DEFLATED):
            raise _Refused(
                f"part {info.filename[:80]} uses zip compression method {info.compress_type}; "
                "spreadsheet programs write deflate only"
            )
        self.fh.seek(info.header_offset)
        header = self.fh.read(_LOCAL_HEADER.size)
        if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
            return "", None
        name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
        start = info.header_offset + _LOCAL_HEADER.size + name_length + extra_length
        self.fh.seek(start)
        remaining = max(0, min(info.compress_size, self.size - start))
        inflate = zlib.decompressobj(-15) if info.compress_type == _DEFLATED else None
        reader = _PartReader(info, head_of_sheets)
        inflated = 0
        pending = b""
        while True:
            if inflate is not None and inflate.unconsumed_tail:
                out = inflate.decompress(inflate.unconsumed_tail, _CHUNK)
            else:
                raw = self.fh.read(min(_CHUNK, remaining)) if remaining else b""
                remaining -= len(raw)
                if inflate is None:
                    out = raw
                elif raw:
                    out = inflate.decompress(raw, _CHUNK)
                else:
                    out = inflate.flush()
            inflated += len(out)
            if inflated > info.file_size:
                raise _Refused(
                    f"part {info.filename[:80]} inflates past the {_size(info.file_size)} its "
                    "zip header declares (a zip bomb?)"
                )
            done = not out and (
                inflate is None or inflate.eof or (not remaining and not inflate.unconsumed_tail)
            )
            if out:
                pending = reader.feed(pending + out)
                if head_of_sheets and reader.kind in ("worksheet", "sst"):
                    break
            if done:
                reader.feed(pending, last=True)
                break
        return reader.kind, reader.result()


class _PartReader:
    """Tells a part's kind from its root element, then measures worksheets and shared
    strings as their bytes stream by (the bytes are never parsed as XML here)."""

    def __init__(self, info: zipfile.ZipInfo, head_of_sheets: bool = False) -> None:
        self.name = info.filename
        # a worksheet or shared strings: its kind only, not measured
        self.head_of_sheets = head_of_sheets
        self.kind: str = ""
        self.sheet: _Sheet | None = None
        self.shared_strings = 0
        self.compressed = info.compress_size
        self.seen = 0

    def result(self) -> _Sheet | int | None:
        if self.kind == "worksheet":
            return self.sheet
        if self.kind == "sst":
            return None if self.head_of_sheets else self.shared_strings
        return None

    def feed(self, data: bytes, last: bool = False) -> bytes:
        """Measure `data` up to its last complete tag; return the rest, for the next call."""
        if self.kind == "":
            head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
            if not head.startswith(b"<"):
                self.kind = "other"  # not XML: an image, a binary part
                return b""
            match = _ROOT.search(data, 0, MAX_PROLOG_BYTES)
            if match is None:
                if len(data) < MAX_PROLOG_BYTES and not last:
                    return data
                raise _Refused(
                    f"part {self.name[:80]} has no element in its first "
                    f"{MAX_PROLOG_BYTES >> 10} KiB"
                )
            self.kind = match.group(1).decode("ascii", "replace")
            if self.kind == "worksheet":
                self.sheet = _Sheet(self.name, self.compressed)
        if self.kind == "sst" and self.head_of_sheets:
            return b""  # counted only if its declared size leaves a doubt (`problem`)
        if self.kind == "worksheet" and self.head_of_sheets:
            assert self.sheet is not None
            declared = _DIMENSION.search(data, 0, MAX_PROLOG_BYTES * 4)
            if declared is not None:
                self.sheet.declared = _last_cell(declared.group(1))
            return b""
        if self.kind not in ("worksheet", "sst"):
            return b""
        cut = len(data) if last else _safe_cut(data, self.name)
        if self.kind == "sst":
            self.shared_strings += sum(data.count(tag, 0, cut) for tag in _SHARED_STRING_TAGS)
        else:
            assert self.sheet is not None
            _measure_sheet(self.sheet, data, cut, first=self.seen == 0)
        self.seen += cut
        return data[cut:]


def _safe_cut(data: bytes, name: str) -> int:
    """Where `data` can be cut without splitting a tag: after its last `>`, or before a `<`
    that opens a tag not closed yet."""
    close = data.rfind(b">")
    opening = data.rfind(b"<")
    if opening > close:
        if len(data) - opening > MAX_TAG_BYTES:
            raise _Refused(f"part {name[:80]} holds a tag longer than {MAX_TAG_BYTES >> 20} MiB")
        return opening
    return len(data)


def _measure_sheet(sheet: _Sheet, data: bytes, end: int, *, first: bool) -> None:
    if first:
        declared = _DIMENSION.search(data, 0, min(end, MAX_PROLOG_BYTES * 4))
        if declared is not None:
            sheet.declared = _last_cell(declared.group(1))
    # Rows: each row tag's number, or the one after the last (as calamine numbers them).
    starts: list[int] = []
    for pattern in _ROW_TAGS:
        for match in pattern.finditer(data, 0, end):
            starts.append(match.start())
            sheet.row_tags += 1
            if sheet.row_tags > GRID_ROWS:
                raise _Refused(f"{sheet.name[:80]} has more than {GRID_ROWS:,} rows")
            number = _ROW_NUMBER.search(match.group())
            sheet.last_row = _number(number.group(1)) if number else sheet.last_row + 1
            sheet.rows = max(sheet.rows, sheet.last_row)
    starts.sort()
    # Cells without a reference, per row: they extend a row past its last reference.
    loose = sorted(m.start() for p in _LOOSE_CELLS for m in p.finditer(data, 0, end))
    if loose:
        counts: dict[int, int] = {}  # rows started in `data` before the cell -> cells
        for at in loose:
            row = bisect_right(starts, at)
            counts[row] = counts.get(row, 0) + 1
        for row, count in counts.items():
            total = count + (sheet.loose_in_row if row == 0 else 0)
            sheet.most_loose = max(sheet.most_loose, total)
        sheet.loose_in_row = counts.get(len(starts), 0) + (0 if starts else sheet.loose_in_row)
    elif starts:
        sheet.loose_in_row = 0
    for match in _SPACED_R.finditer(data, 0, end):
        if data.rfind(b"<", 0, match.start()) > data.rfind(b">", 0, match.start()):
            raise _Refused(
                f"{sheet.name[:80]} writes a cell reference as `r = ...`, which no spreadsheet "
                "program does; specc cannot measure it"
            )
    _grow_box(sheet, data, end)


def _grow_box(sheet: _Sheet, data: bytes, end: int) -> None:
    """Find every cell reference outside the box, growing the box (by half at least, so
    that a sheet written in order needs few passes) until none is left.

    Matching only references beyond the box keeps this fast: on a sheet in order, the
    patterns match a few dozen times in all, not once per cell."""
    at = 0
    while True:
        if sheet._patterns is None:
            sheet._patterns = _beyond(sheet.box_rows, sheet.box_columns)
        first = end
        for pattern in sheet._patterns:
            found = pattern.search(data, at, first)
            if found is not None:
                first = found.start()
        if first == end:
            return
        reference = _REFERENCE.match(data, first + 3)
        assert reference is not None  # every pattern starts with r=" and a reference
        row, column = _number(reference.group(2)), _column(reference.group(1))
        if row > GRID_ROWS or column > GRID_COLUMNS:
            raise _Refused(
                f"{sheet.name[:80]} has a cell at {reference.group()[:20].decode('ascii')}, "
                f"beyond the last one a sheet can have (XFD{GRID_ROWS})"
            )
        if row <= sheet.box_rows and column <= sheet.box_columns:
            at = reference.end()  # written with leading zeros (A007): inside after all
            continue
        if row > sheet.box_rows:
            sheet.box_rows = min(GRID_ROWS, max(row, sheet.box_rows * 3 // 2))
        if column > sheet.box_columns:
            sheet.box_columns = min(GRID_COLUMNS, max(column, sheet.box_columns * 3 // 2))
        sheet._patterns = None
        at = first


def _beyond(rows: int, columns: int) -> tuple[re.Pattern[bytes], ...]:
    """Patterns that match an `r="..."` attribute (either quote) whose row is over `rows`
    or whose column is over `columns`. Four simple patterns run faster than one that
    joins them: each fails at once on a reference inside the box."""
    over_row = rb"[A-Za-z]{0,3}+(?:" + _greater_number(rows) + rb")"
    over_column = rb"(?i:" + _greater_letters(_letters(columns)) + rb")[0-9]"
    return tuple(
        re.compile(rb"r=" + quote + body + end)
        for quote in (b'"', b"'")
        for body, end in ((over_row, quote), (over_column, b""))
    )


def _greater_number(limit: int) -> bytes:
    """A pattern for the decimal numbers over `limit` (leading zeros count as digits, which
    only makes it match more)."""
    digits = str(limit)
    options = [rb"[0-9]{%d,}" % (len(digits) + 1)]
    for i, digit in enumerate(digits):
        if digit != "9":
            rest = len(digits) - i - 1
            options.append(
                digits[:i].encode() + b"[%d-9]" % (int(digit) + 1) + (b"[0-9]{%d}" % rest)
            )
    return b"|".join(options)


def _greater_letters(limit: str) -> bytes:
    """A pattern for the column names after `limit` (A < Z < AA < ZZ < AAA)."""
    options = [rb"[A-Za-z]{%d,}" % (len(limit) + 1)]
    for i, letter in enumerate(limit):
        if letter != "Z":
            rest = len(limit) - i - 1
            options.append(
                limit[:i].encode()
                + b"[%s-Z]" % chr(ord(letter) + 1).encode()
                + (b"[A-Za-z]{%d}" % rest)
            )
    return b"|".join(options)


def _letters(column: int) -> str:
    """Column number (1-based) -> its name: 1 -> A, 27 -> AA."""
    name = ""
    while column:
        column, rest = divmod(column - 1, 26)
        name = chr(65 + rest) + name
    return name


def _reference(text: bytes) -> tuple[int, int]:
    """(row, column), 1-based, of a reference like XFD12 (a bare number: column 0); past
    the grid, just past it."""
    match = _REFERENCE.fullmatch(text)
    if match is None:
        return 0, 0
    return _number(match.group(2)), _column(match.group(1))


def _number(digits: bytes) -> int:
    digits = digits.lstrip(b"0") or b"0"
    return GRID_ROWS + 1 if len(digits) > 9 else int(digits)


def _column(letters: bytes) -> int:
    if len(letters) > 3:
        return GRID_COLUMNS + 1
    column = 0
    for letter in letters.upper():
        column = column * 26 + letter - 64
    return column


def _last_cell(ref: bytes) -> tuple[int, int]:
    """The last row and column of a `<dimension ref="A1:K200">` (or of a single cell)."""
    last = ref.split(b":")[-1].replace(b"$", b"").strip()
    match = _REFERENCE.fullmatch(last)
    if match is None:
        return 0, 0
    return _number(match.group(2)), _column(match.group(1))


def most_shared_strings(info: zipfile.ZipInfo) -> int:
    """The most shared strings a part of the size `info` declares can be counted to hold:
    each is counted at a `<si` or `:si`, three bytes that no other one overlaps, and no
    reader inflates a part past its declared size (zipfile stops there, `_measure`
    refuses)."""
    return (info.file_size + 2) // 3


def cells_allowed(compressed: int) -> int:
    """The cells a worksheet part of `compressed` bytes may span (rows x columns)."""
    return CELLS_PER_BYTE * compressed + AREA_SLACK


def _judge(sheet: _Sheet, measured: bool = True) -> None:
    """Refuse a sheet whose used range (declared, or `measured` from its cells) is too
    large for its size."""
    allowed = cells_allowed(sheet.compressed)
    if measured and sheet.rows > GRID_ROWS:
        raise _Refused(f"{sheet.name[:80]} has rows past row {GRID_ROWS:,}, a sheet's last")
    if sheet.declared is not None:
        rows, columns = sheet.declared
        if rows > GRID_ROWS or columns > GRID_COLUMNS:
            raise _Refused(
                f"{sheet.name[:80]} declares a used range down to row {rows:,} and column "
                f"{columns:,}, beyond a sheet's last cell (XFD{GRID_ROWS})"
            )
        if rows * columns > allowed:
            raise _Refused(
                f"{sheet.name[:80]} declares a used range of {rows * columns:,} cells "
                f"({rows:,} rows x {columns:,} columns) in {_size(sheet.compressed)}; real "
                f"sheets hold under one cell per byte (specc's bound: {CELLS_PER_BYTE})"
            )
    area = sheet.area() if measured else 0
    if area > allowed:
        raise _Refused(
            f"{sheet.name[:80]}'s cells span about {area:,} cells (rows x columns) in "
            f"{_size(sheet.compressed)}; a reader builds that whole rectangle in memory, and "
            f"real sheets hold under one cell per byte (specc's bound: {CELLS_PER_BYTE})"
        )


def _entry_count(fh: BinaryIO, size: int) -> int | None:
    """The number of entries the zip's end record declares, read before anything else (a
    central directory of millions of entries would fill memory as zipfile reads it)."""
    tail_size = min(size, (1 << 16) + 22)
    fh.seek(size - tail_size)
    tail = fh.read(tail_size)
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or len(tail) - end < 22:
        return None
    (entries,) = struct.unpack_from("<H", tail, end + 10)
    if entries != 0xFFFF:
        return int(entries)
    locator = tail.rfind(b"PK\x06\x07", 0, end)
    if locator < 0 or end - locator < 20:
        return None
    (offset,) = struct.unpack_from("<Q", tail, locator + 8)
    if offset + 56 > size:
        return None
    fh.seek(offset)
    record = fh.read(56)
    if record[:4] != b"PK\x06\x06":
        return None
    (total,) = struct.unpack_from("<Q", record, 32)
    return int(total)


def _size(count: int) -> str:
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= factor:
            return f"{count / factor:,.1f} {unit}"
    return f"{count:,} bytes"
