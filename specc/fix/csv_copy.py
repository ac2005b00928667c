"""A CSV file's bytes, copied into its fixed copy: whole-file rewrites and untouched lines.

`whole_file(path, data_file)` tells what the whole file needs: nothing, or decoding from
Windows-1252 and/or re-writing with commas (`convert` then writes that copy, record for
record, so each record keeps its line). `LineCopier` copies a file's bytes into the fixed
copy up to a physical line and hands out the record that starts there, for the fixer to
rewrite: every line no cell of which changes is copied byte for byte, in blocks, without
being split into lines in Python (a million-row file with a few fixes costs a byte copy).

Line breaks are counted as the readers count them (`\\n`, `\\r\\n`, a lone `\\r`); a record
runs over several lines while a quote is open. Every file is opened by the caller, through
`specc.inputs.open_input`.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, cast

from specc.spec.model import DataFile
from specc.tables.cells import is_utf8

BLOCK_BYTES = 8 << 20
# Breaks are counted this many bytes at a time when lines are passed over.
STRETCH_BYTES = 64 << 10
FEW_LINES = 64  # fewer lines to pass than this are searched one by one
HEADER_BLOCK_BYTES = 64 << 10
_BREAK = re.compile(rb"\r\n?|\n")


def open_source(path: Path, shown: str) -> IO[bytes]:
    from specc.inputs import open_input

    return open_input(path, shown=shown)


# --- whole files ------------------------------------------------------------------------------


def encoding_of(path: Path, shown: str) -> str | None:
    """ "utf-8", "windows-1252" (not UTF-8, but every byte a Windows-1252 character), or
    None (NUL bytes, or neither: left for `check` to report)."""
    ok = True
    kept = 0  # bytes of a character cut by the last block, moved to the buffer's start
    # Read into again and again (fresh memory costs more); room for a cut character.
    buffer = bytearray(max(BLOCK_BYTES, 16))
    with open_source(path, shown) as source, memoryview(buffer) as view:
        # open_input's file is a BufferedReader (typed as BinaryIO, which has no readinto).
        reader = cast(io.BufferedReader, source)
        while read := reader.readinto(view[kept:]):
            filled = kept + read
            if buffer.find(b"\x00", kept, filled) >= 0:
                return None
            cut = _character_start(buffer, filled)
            ok = ok and is_utf8(view[:cut])
            kept = filled - cut
            buffer[:kept] = buffer[cut:filled]
        if ok and is_utf8(view[:kept]):
            return "utf-8"
        source.seek(0)
        cp1252 = codecs.getincrementaldecoder("cp1252")("strict")
        try:
            while text := source.read(BLOCK_BYTES):
                cp1252.decode(text)
        except UnicodeDecodeError:
            return None
    return "windows-1252"


def _character_start(data: bytearray, end: int) -> int:
    """Where the last UTF-8 character of `data[:end]`, which may be cut short, starts (end
    when it ends with a whole ASCII one); a cut there splits no character."""
    for at in range(end - 1, max(end - 4, 0) - 1, -1):
        if data[at] < 0x80:
            return at + 1
        if data[at] >= 0xC0:  # not a continuation byte: a character's first
            return at
    return end  # no character starts in the last four bytes: not UTF-8 either way


def delimiter_of(header: str, data_file: DataFile) -> str:
    """`,` unless the first record splits into the spec's columns on `;` or a tab only."""
    names = [c.name.strip().casefold() for c in data_file.columns]
    if len(names) < 2 or len(split(header, ",")) != 1:
        return ","
    for delimiter in (";", "\t"):
        cells = split(header, delimiter)
        if len(cells) != len(names):
            continue
        if not data_file.has_header or [c.strip().casefold() for c in cells] == names:
            return delimiter
    return ","


def split(record: str, delimiter: str = ",") -> list[str]:
    from specc.tables.csv import split_record  # CSV is parsed in specc.tables only

    return split_record(record, delimiter) or []


def whole_file(path: Path, shown: str, data_file: DataFile) -> tuple[str | None, str]:
    """(the file's encoding, its delimiter); encoding None: unreadable, copied as it is."""
    encoding = encoding_of(path, shown)
    if encoding is None:
        return None, ","
    with open_source(path, shown) as source:
        # Small blocks: only the first record is wanted, not the first block's lines.
        first = next(records(source, HEADER_BLOCK_BYTES), (1, b""))[1]
    header = first.decode(encoding).removeprefix("\ufeff").rstrip("\r\n")
    return encoding, delimiter_of(header, data_file)


def convert(path: Path, shown: str, sink: IO[bytes], encoding: str, delimiter: str) -> None:
    """Write the file decoded to UTF-8 and separated by commas, record for record (each
    record keeps its line; one csv cannot split stays as it was, for `check` to report)."""
    rows = RowText()
    with open_source(path, shown) as source:
        for _, raw in records(source):
            text = raw.decode(encoding)
            if delimiter != ",":
                ending = line_ending(text)
                body = text[: len(text) - len(ending)]
                cells = split(body, delimiter)
                text = rows.text(cells) + ending if cells or not body else text
            sink.write(text.encode("utf-8"))


def records(source: IO[bytes], block_bytes: int | None = None) -> Iterator[tuple[int, bytes]]:
    """(first line number, raw bytes) of each record: lines joined while a quote is open;
    read `block_bytes` (default BLOCK_BYTES) at a time."""
    block_bytes = block_bytes or BLOCK_BYTES
    line = 1
    parts: list[bytes] = []
    quotes = 0
    start = 1
    carry = b""
    while True:
        block = source.read(block_bytes)
        data = carry + block
        if not data:
            break
        if block:
            # Never cut between \r and the \n that may follow it.
            cut = max(data.rfind(b"\n"), data.rfind(b"\r", 0, len(data) - 1)) + 1
            if cut == 0:
                carry = data
                continue
        else:
            cut = len(data)
        for raw in data[:cut].splitlines(keepends=True):
            if not parts:
                start = line
            parts.append(raw)
            quotes += raw.count(b'"')
            line += 1
            if quotes % 2 == 0:
                yield start, b"".join(parts)
                parts, quotes = [], 0
        carry = data[cut:]
        if not block:
            break
    if parts:
        yield start, b"".join(parts)


def line_ending(text: str) -> str:
    for end in ("\r\n", "\n", "\r"):
        if text.endswith(end):
            return end
    return ""


class RowText:
    """Cells as one CSV record, quoted as `csv` quotes (only where needed), no line end."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        # `csv` quotes a cell holding a character of the line terminator: with none, a
        # cell holding a line break would be written bare, and read back as two rows.
        self.writer = csv.writer(self.buffer, lineterminator="\r\n")

    def text(self, cells: list[str]) -> str:
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerow(cells)
        return self.buffer.getvalue()[:-2]


# --- untouched lines --------------------------------------------------------------------------


class LineCopier:
    """Copies `source` into `sink` up to a physical line (`copy_to`), hands out the record
    that starts there (`take_record`, not copied), and copies the rest (`copy_rest`).

    Holds one block of the file and the part of the previous one not yet passed."""

    def __init__(self, source: IO[bytes], sink: IO[bytes]) -> None:
        self.source = source
        self.sink = sink
        self.data = b""
        # data[:pos] is passed (copied or handed out); pos starts a line (but inside
        # `copy_to`, between blocks)
        self.pos = 0
        self.line = 1  # the physical line that starts at pos
        self.eof = False
        self.plain = True  # no lone \r in `data`: every line ends at a \n

    def _more(self) -> bool:
        """Read the next block after what is not yet passed; False at the end of the file."""
        if self.eof:
            return False
        block = self.source.read(BLOCK_BYTES)
        if not block:
            self.eof = True
            return False
        # What is not yet passed is joined to the block; `copy_to` leaves little or nothing
        # (joining a whole block to a whole tail costs a fresh copy of both).
        self.data = self.data[self.pos :] + block if self.pos < len(self.data) else block
        self.pos = 0
        # Counted once a block (counting at each search made a copy quadratic); `\r\n`,
        # slower to count than `\r`, only when there is a `\r`.
        returns = self.data.count(b"\r")
        self.plain = returns == 0 or returns == self.data.count(b"\r\n")
        return True

    def _searchable(self) -> int:
        """How much of `data` can be searched for line breaks: all of it but a final `\\r`
        whose `\\n` may be in the next block."""
        end = len(self.data)
        if not self.eof and self.data.endswith(b"\r"):
            end -= 1
        return end

    def _skip_lines(self, count: int) -> int:
        """Move past up to `count` line breaks from pos within the data read so far
        (without copying); the number passed."""
        data, pos, end = self.data, self.pos, self._searchable()
        passed = 0
        if self.plain:
            # Stretch by stretch, the breaks counted in C; the lines are searched one by one
            # only in the stretch that holds the last break wanted, or when there are few
            # to pass (fixes in rows one after the other: no stretch counted for each).
            start = pos  # the start of the last line reached
            while passed < count and pos < end:
                if count - passed <= FEW_LINES:
                    while passed < count and (at := data.find(b"\n", pos, end)) >= 0:
                        pos = start = at + 1
                        passed += 1
                    break
                stop = min(pos + STRETCH_BYTES, end)
                breaks = data.count(b"\n", pos, stop)
                if passed + breaks < count:
                    if breaks:
                        passed += breaks
                        start = data.rfind(b"\n", pos, stop) + 1
                    pos = stop
                    continue
                while passed < count:
                    pos = data.find(b"\n", pos, stop) + 1
                    passed += 1
                start = pos
            pos = start
        else:
            for match in _BREAK.finditer(data, pos, end):
                pos = match.end()
                passed += 1
                if passed == count:
                    break
        self.pos = pos
        self.line += passed
        return passed

    def copy_to(self, line: int) -> None:
        """Copy everything before physical line `line` that is not yet passed."""
        while self.line < line:
            start = self.pos
            self._skip_lines(line - self.line)
            if self.line == line:
                self.sink.write(memoryview(self.data)[start : self.pos])
                return
            # All that is read belongs before `line`: copied now (but a final `\r`, whose
            # `\n` may start the next block), so that the next block is not joined to it.
            # pos is then inside a line; the next break found ends it.
            end = self._searchable()
            self.sink.write(memoryview(self.data)[start:end])
            self.pos = end
            if not self._more() and self.pos == len(self.data):
                break  # the end of the file (a final `\r` held back is now searched)

    def take_record(self) -> tuple[bytes, int]:
        """The record starting at pos (its lines joined while a quote is open) and how many
        lines it spans; passed, not copied."""
        parts: list[bytes] = []
        quotes = 0
        lines = 0
        while True:
            start = self.pos
            if self._skip_lines(1) == 1:
                part = self.data[start : self.pos]
                parts.append(part)
                lines += 1
                quotes += part.count(b'"')
                if quotes % 2 == 0:
                    break
                continue
            # No line break in what is read: read more, or the last line has none.
            if self._more():
                continue
            rest = self.data[self.pos :]
            if rest:
                parts.append(rest)
                lines += 1
                self.pos = len(self.data)
            break
        return b"".join(parts), lines

    def copy_rest(self) -> None:
        self.sink.write(memoryview(self.data)[self.pos :])
        self.data = b""
        self.pos = 0
        while block := self.source.read(BLOCK_BYTES):
            self.sink.write(block)
        self.eof = True
