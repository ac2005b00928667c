"""The header of an .xlsx workbook, read without reading its rows.

`specc lint` runs as a pre-commit hook, so it must not parse a 1,048,576-row sheet to learn
its first row. An .xlsx file is a zip of XML parts: xl/workbook.xml lists the sheets,
xl/_rels/workbook.xml.rels says which part holds the first one, and that part is parsed as a
stream, stopping at the end of row 1. Shared strings (xl/sharedStrings.xml) are streamed only
up to the highest index the header uses.

The values are those python-calamine gives for the same row (`to_python(skip_empty_area=
False, nrows=1)`): the header is row 1 even when it is empty and data starts lower, a cell
missing between two others is "", a `<t>` without xml:space="preserve" loses its leading
and trailing ASCII whitespace, `_xHHHH_` escapes are decoded, an error cell is "".
Typed cells come out as calamine gives them: numbers as floats, booleans, a number styled
as a date or time as a date, datetime or time (a duration format, [h]:mm, as a timedelta),
in the workbook's 1900 or 1904 date system, ISO dates of `t="d"` cells parsed, a formula's
cached value. Whatever this reader does not handle the way calamine does (strict OOXML,
chart sheets first, XML that expat refuses...) raises `Unsupported`, and the caller may ask
calamine instead, which parses the whole sheet (headers.py allows that for small workbooks
only). `Unreadable` is for what no reader should go on with: a damaged zip, a DTD, a part
that decompresses past its cap (a zip bomb).
"""

from __future__ import annotations

import datetime as dt
import math
import posixpath
import re
import zipfile
import zlib
from bisect import bisect_left
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_SPACE = "http://www.w3.org/XML/1998/namespace space"

# Decompressed bytes read from one part before giving up: far beyond any real header, far
# below what a zip bomb expands to. Shared strings get more room: the header's strings may
# come after many others when the header was edited after the data.
MAX_PART_BYTES = 64 << 20
MAX_SHARED_STRINGS_BYTES = 256 << 20
_CHUNK = 1 << 16
MAX_COLUMNS = 16_384  # XFD, Excel's last column

_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]+)")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# What Rust's f64 parser (calamine's) accepts; Python's float() also takes spaces and "_".
_NUMBER = re.compile(
    r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)", re.I
)
# Built-in number formats calamine (python-calamine 0.9) reads as dates and times (14-22
# m/d/yy, h:mm...; 27-36 and 50-58, the East Asian date formats; 45 mm:ss, 47 mmss.0) and
# as a duration (46, [h]:mm:ss); every other built-in id is a plain number.
_DATE_FORMATS = frozenset({*range(14, 23), *range(27, 37), 45, 47, *range(50, 59)})
_DURATION_FORMATS = frozenset({46})
_ISO_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_TIME = re.compile(r"\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?")

CellValue = str | float | bool | dt.date | dt.time | dt.timedelta


class Unsupported(Exception):
    """The workbook uses something this reader leaves to python-calamine."""


class Unreadable(Exception):
    """The workbook is damaged or hostile; the message says how."""


@dataclass
class ReadStats:
    """How much was read, for tests that check the reader stopped after the header."""

    rows_parsed: int = 0
    sheet_bytes: int = 0
    shared_strings_parsed: int = 0  # the index reached in the shared strings
    shared_strings_read: int = 0  # of which expat parsed (the others were left out)


class _Done(Exception):
    """Raised by a parser handler once it has what it needs."""


def read_xlsx_header(
    path: Path, stats: ReadStats | None = None
) -> tuple[list[CellValue], list[str]]:
    """Row 1 of the first sheet (column A onwards, "" for no value) and all sheet names."""
    from specc.inputs import open_input  # regular files only, opened without blocking

    stats = stats or ReadStats()
    with open_input(path) as fh:
        if fh.read(4) != b"PK\x03\x04":
            raise Unsupported("not a zip file")  # .xls, or something calamine will name
        fh.seek(0)
        try:
            archive = zipfile.ZipFile(fh)
        except zipfile.BadZipFile as exc:
            raise Unsupported(str(exc)) from None
        with archive:
            return _Workbook(archive, stats).header()


class _Workbook:
    def __init__(self, archive: zipfile.ZipFile, stats: ReadStats) -> None:
        self.archive = archive
        self.stats = stats
        self.names = set(archive.namelist())
        self.date1904 = False

    def header(self) -> tuple[list[CellValue], list[str]]:
        sheets = self._sheets()
        if not sheets:
            return [], []
        relations = self._relations()
        first_id = sheets[0][1]
        kind, target = relations.get(first_id, ("", ""))
        if not kind.endswith("/worksheet"):
            raise Unsupported(f"the first sheet is a {kind.rsplit('/', 1)[-1] or 'missing part'}")
        row = _FirstRow(self, relations)

        def count(read: int) -> None:
            self.stats.sheet_bytes = read

        self._parse(
            self._part(target),
            MAX_PART_BYTES,
            root=f"{MAIN} worksheet",
            start=row.start,
            end=row.end,
            data=row.data,
            count=count,
        )
        return row.values(), [name for name, _ in sheets]

    # --- parts ---------------------------------------------------------------------------

    def _part(self, target: str) -> str:
        """A relationship target as a zip member name (targets are relative to xl/)."""
        name = target[1:] if target.startswith("/") else posixpath.normpath("xl/" + target)
        if name not in self.names:
            raise Unsupported(f"no part {name}")
        return name

    def _parse(
        self,
        name: str,
        cap: int,
        *,
        root: str,
        start: Callable[[str, dict[str, str]], None],
        end: Callable[[str], None] | None = None,
        data: Callable[[str], None] | None = None,
        count: Callable[[int], None] | None = None,
        transform: Callable[[bytes], bytes] | None = None,
    ) -> None:
        """Stream one part through expat until a handler raises _Done or the part ends;
        `transform` may leave bytes out before expat sees them (see _SkipStrings)."""
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

        def refuse_dtd(*_: object) -> None:
            raise Unreadable(f"{name} declares a DTD, which spreadsheets never need")

        def check_root(tag: str, attrs: dict[str, str]) -> None:
            # Strict OOXML (purl.oclc.org namespaces) and anything else unexpected: calamine.
            if tag != root:
                raise Unsupported(f"{name}'s root is not {root.replace(' ', '}')}")
            parser.StartElementHandler = start
            start(tag, attrs)

        parser.StartDoctypeDeclHandler = refuse_dtd
        parser.EntityDeclHandler = refuse_dtd
        parser.StartElementHandler = check_root
        if end is not None:
            parser.EndElementHandler = end
        if data is not None:
            parser.CharacterDataHandler = data
        read = 0
        try:
            with self.archive.open(name) as part:
                while True:
                    chunk = part.read(_CHUNK)
                    read += len(chunk)
                    if count is not None:
                        count(read)
                    if read > cap:
                        raise Unreadable(f"{name} runs past {cap >> 20} MiB before the header ends")
                    parser.Parse(chunk if transform is None else transform(chunk), not chunk)
                    if not chunk:
                        return
        except _Done:
            return
        except expat.ExpatError as exc:
            # calamine's XML reader is more lenient (it takes &#12;, for one): let it judge.
            raise Unsupported(f"{name}: {exc}") from None
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
            raise Unreadable(f"{name} is damaged: {exc}") from None

    def _sheets(self) -> list[tuple[str, str]]:
        """(name, relationship id) of every sheet, in workbook order (hidden ones too); notes
        the workbook's date system on the way."""
        if "xl/workbook.xml" not in self.names:
            raise Unsupported("no xl/workbook.xml")  # .xlsb, .ods...
        sheets: list[tuple[str, str]] = []

        def start(tag: str, attrs: dict[str, str]) -> None:
            if tag == f"{MAIN} sheet":
                sheets.append((attrs.get("name", ""), attrs.get(f"{OFFICE_REL} id", "")))
            elif tag == f"{MAIN} workbookPr":
                self.date1904 = attrs.get("date1904", "").lower() in ("1", "true")

        def end(tag: str) -> None:
            if tag == f"{MAIN} sheets":
                raise _Done

        self._parse(
            "xl/workbook.xml", MAX_PART_BYTES, root=f"{MAIN} workbook", start=start, end=end
        )
        return sheets

    def _relations(self) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, target) of the workbook's own parts."""
        name = "xl/_rels/workbook.xml.rels"
        if name not in self.names:
            raise Unsupported(f"no {name}")
        relations: dict[str, tuple[str, str]] = {}

        def start(tag: str, attrs: dict[str, str]) -> None:
            if tag == f"{PACKAGE_REL} Relationship" and attrs.get("TargetMode") != "External":
                relations[attrs.get("Id", "")] = (attrs.get("Type", ""), attrs.get("Target", ""))

        self._parse(name, MAX_PART_BYTES, root=f"{PACKAGE_REL} Relationships", start=start)
        return relations

    def related_part(self, relations: dict[str, tuple[str, str]], kind: str) -> str:
        """The part of relationship type `kind` ("sharedStrings", "styles")."""
        for rel_type, target in relations.values():
            if rel_type == f"{OFFICE_REL}/{kind}":
                return self._part(target)
        default = f"xl/{kind}.xml"
        if default in self.names:
            return default
        raise Unsupported(f"no {kind} part")

    def shared_strings(self, part: str, wanted: set[int]) -> dict[int, str]:
        """The shared strings at the `wanted` indexes, reading no further than the last."""
        last = max(wanted)
        found: dict[int, str] = {}
        text = _RichText()
        index = 0

        skip = _SkipStrings(wanted)

        def start(tag: str, attrs: dict[str, str]) -> None:
            nonlocal index
            if tag == f"{MAIN} si":
                if skip.order:
                    index = skip.order.popleft()  # the strings before it were left out
                self.stats.shared_strings_read += 1
                text.reset()
            else:
                text.start(tag, attrs)

        def end(tag: str) -> None:
            nonlocal index
            if tag == f"{MAIN} si":
                if index in wanted:
                    found[index] = text.value()
                index += 1
                self.stats.shared_strings_parsed = index
                if index > last:
                    raise _Done
            else:
                text.end(tag)

        self._parse(
            part,
            MAX_SHARED_STRINGS_BYTES,
            root=f"{MAIN} sst",
            start=start,
            end=end,
            data=text.data,
            transform=skip,
        )
        if index <= last:
            raise Unsupported(f"{part} has {index} strings, the header uses #{last}")
        return found

    def number_formats(self, part: str) -> tuple[list[int], dict[int, str]]:
        """Each cell style's number format id, and the formats the workbook defines itself."""
        formats: list[int] = []
        custom: dict[int, str] = {}
        in_cell_xfs = False

        def start(tag: str, attrs: dict[str, str]) -> None:
            nonlocal in_cell_xfs
            if tag == f"{MAIN} numFmt":
                custom[_integer(attrs.get("numFmtId", ""))] = attrs.get("formatCode", "")
            elif tag == f"{MAIN} cellXfs":
                in_cell_xfs = True
            elif tag == f"{MAIN} xf" and in_cell_xfs:
                formats.append(_integer(attrs.get("numFmtId", "0")))

        def end(tag: str) -> None:
            if tag == f"{MAIN} cellXfs":
                raise _Done

        self._parse(part, MAX_PART_BYTES, root=f"{MAIN} styleSheet", start=start, end=end)
        return formats, custom


class _SkipStrings:
    """Hands expat only the shared strings the header uses: its strings may come after
    millions of others (a header edited after the data was written, or a file built so),
    and expat with Python handlers takes minutes over them. The <si> start tags are counted
    as bytes (text holds no "<"; in UTF-8 no other byte is "<"), so what is left out always
    runs from one <si> to another. Where that count could be fooled (a comment, CDATA, a
    processing instruction, a namespace prefix) nothing more is left out: expat reads on.

    Called with each chunk of the part (b"" last); returns what expat must see. `order`
    holds the index of each <si> handed on, in order (after `fallback`, they count on).
    """

    _TAGS = (b"<si>", b"<si ", b"<si/", b"<si\t", b"<si\n", b"<si\r")
    _FOOLING = (b"<!", b"<?", b":si")
    MAX_PENDING = 8 << 20  # one shared string's XML (65,536 characters, runs, escapes)

    def __init__(self, wanted: set[int]) -> None:
        self.wanted = sorted(wanted)
        self.index = 0  # the index of the <si> that `pending` starts with
        self.pending = b""
        self.started = False  # past the part's start, up to its first <si>
        self.fallback = False
        self.order: deque[int] = deque()

    def __call__(self, chunk: bytes) -> bytes:
        if self.fallback:
            return chunk
        data = self.pending + chunk if self.pending else chunk
        self.pending = b""
        out = b""
        if not self.started:
            first = self._first_tag(data)
            if first < 0:
                if chunk and len(data) < self.MAX_PENDING:
                    self.pending = data
                    return b""
                return self._read_on(data)
            out, data = data[:first], data[first:]
            self.started = True
        if any(marker in data for marker in self._FOOLING):
            return out + self._read_on(data)
        # `data` starts with string `self.index`; the last string in it may go on.
        count = sum(data.count(tag) for tag in self._TAGS)
        whole = count if not chunk else count - 1
        low = bisect_left(self.wanted, self.index)
        high = bisect_left(self.wanted, self.index + whole)
        if low < high:  # a string the header uses starts here: where each one starts
            starts = sorted(m.start() for t in self._TAGS for m in re.finditer(re.escape(t), data))
            for wanted in self.wanted[low:high]:
                k = wanted - self.index
                out += data[starts[k] : starts[k + 1] if k + 1 < len(starts) else len(data)]
                self.order.append(wanted)
        if chunk:
            last = max(data.rfind(tag) for tag in self._TAGS)
            if len(data) - last > self.MAX_PENDING:
                raise Unreadable(f"a shared string runs past {self.MAX_PENDING >> 20} MiB")
            self.pending = data[last:]
            self.index += whole
        return out

    def _read_on(self, data: bytes) -> bytes:
        self.fallback = True
        self.order.append(self.index)
        return data

    def _first_tag(self, data: bytes) -> int:
        found = [at for tag in self._TAGS if (at := data.find(tag)) >= 0]
        return min(found) if found else -1


def _integer(text: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise Unsupported(f"not a whole number: {text[:20]!r}")
    return int(text)


def _column(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


class _RichText:
    """The text of a shared string (<si>) or an inline string (<is>), as calamine joins it:
    every <t> directly inside or inside a run (<r>), not the phonetic guides (<rPh>); each
    <t> without xml:space="preserve" trimmed of ASCII whitespace; _xHHHH_ escapes decoded."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.parts: list[str] = []
        self.chunks: list[str] | None = None  # inside a <t>
        self.preserve = False
        self.phonetic = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{MAIN} rPh":
            self.phonetic += 1
        elif tag == f"{MAIN} t" and not self.phonetic:
            self.chunks = []
            self.preserve = attrs.get(XML_SPACE) == "preserve"

    def data(self, chunk: str) -> None:
        if self.chunks is not None:
            self.chunks.append(chunk)

    def end(self, tag: str) -> None:
        if tag == f"{MAIN} rPh":
            self.phonetic -= 1
        elif tag == f"{MAIN} t" and self.chunks is not None:
            text = "".join(self.chunks)
            self.parts.append(text if self.preserve else text.strip(" \t\r\n"))
            self.chunks = None

    def value(self) -> str:
        return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), "".join(self.parts))


class _FirstRow:
    """Handlers that collect row 1 of a worksheet and stop at its end."""

    def __init__(self, workbook: _Workbook, relations: dict[str, tuple[str, str]]) -> None:
        self.workbook = workbook
        self.relations = relations
        self.cells: dict[int, tuple[str, str | None, str]] = {}  # column -> (type, style, text)
        self.row = 0  # the row being read; 0 before the first
        self.in_first_row = False
        self.column = -1
        self.cell: tuple[str, str | None] | None = None
        self.value: list[str] | None = None  # text of the cell's <v>
        self.inline: _RichText | None = None
        self.formats: tuple[list[int], dict[int, str]] | None = None  # read for styled numbers

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{MAIN} row":
            self.workbook.stats.rows_parsed += 1
            self.row = _integer(attrs["r"]) if "r" in attrs else self.row + 1
            if self.row != 1:
                raise _Done  # row 1 has no element: it is empty
            self.in_first_row = True
        elif not self.in_first_row:
            return
        elif tag == f"{MAIN} c":
            ref = attrs.get("r")
            if ref is None:
                self.column += 1
            else:
                match = _CELL_REF.fullmatch(ref)
                if match is None or match.group(2) != "1":
                    raise Unsupported(f"cell {ref[:20]!r} in row 1")
                self.column = _column(match.group(1))
            if self.column >= MAX_COLUMNS:
                raise Unsupported(f"cell {ref!r} past the last column")
            self.cell = (attrs.get("t", "n"), attrs.get("s"))
        elif self.cell is None:
            return
        elif tag == f"{MAIN} v":
            self.value = []
        elif tag == f"{MAIN} is":
            self.inline = _RichText()
        elif self.inline is not None:
            self.inline.start(tag, attrs)

    def data(self, chunk: str) -> None:
        if self.value is not None:
            self.value.append(chunk)
        elif self.inline is not None:
            self.inline.data(chunk)

    def end(self, tag: str) -> None:
        if tag == f"{MAIN} sheetData" or (tag == f"{MAIN} row" and self.in_first_row):
            raise _Done
        if self.cell is None:
            return
        kind, style = self.cell
        if tag == f"{MAIN} c":
            self.cell = None
        elif tag == f"{MAIN} v" and self.value is not None:
            text = "".join(self.value)
            if kind != "inlineStr" and text:  # an empty <v/> is an empty cell, whatever type
                self.cells[self.column] = (kind, style, text)
            self.value = None
        elif tag == f"{MAIN} is" and self.inline is not None:
            if kind == "inlineStr":
                self.cells[self.column] = (kind, style, self.inline.value())
            self.inline = None
        elif self.inline is not None:
            self.inline.end(tag)

    def values(self) -> list[CellValue]:
        """Row 1 from column A to its last cell, as calamine's Python values."""
        if not self.cells:
            return []
        strings = self._shared_strings()
        row: list[CellValue] = [""] * (max(self.cells) + 1)  # calamine fills gaps with ""
        for column, (kind, style, text) in self.cells.items():
            row[column] = self._value(kind, style, text, strings)
        return row

    def _shared_strings(self) -> dict[int, str]:
        wanted = {_integer(text) for kind, _, text in self.cells.values() if kind == "s"}
        if not wanted:
            return {}
        part = self.workbook.related_part(self.relations, "sharedStrings")
        return self.workbook.shared_strings(part, wanted)

    def _value(self, kind: str, style: str | None, text: str, strings: dict[int, str]) -> CellValue:
        if kind == "s":
            return strings[_integer(text)]
        if kind in ("str", "inlineStr"):
            return text  # a formula's cached text, or an inline string
        if kind == "e":
            return ""  # python-calamine shows an error cell (#N/A, #REF!...) as empty
        if kind == "b" and text in ("0", "1"):
            return text == "1"
        if kind == "n" and _NUMBER.fullmatch(text):
            number = float(text)
            kind_of_format = "number" if style is None else self._format_kind(_integer(style))
            if kind_of_format == "date" and math.isfinite(number):
                return _excel_date(number, self.workbook.date1904)
            if kind_of_format == "duration" and math.isfinite(number):
                return _excel_duration(number)
            return number
        if kind == "d":
            return _iso_date(text)
        # Unknown types, odd booleans and numbers.
        raise Unsupported(f"cell type {kind!r} with value {text[:20]!r}")

    def _format_kind(self, index: int) -> str:
        """How calamine reads a number of cell style `index`: "date", "duration", "number"."""
        if self.formats is None:
            part = self.workbook.related_part(self.relations, "styles")
            self.formats = self.workbook.number_formats(part)
        formats, custom = self.formats
        if index >= len(formats):
            raise Unsupported(f"cell style {index} is not defined")
        number_format = formats[index]
        if number_format in custom:
            return _custom_format_kind(custom[number_format])
        if number_format in _DATE_FORMATS:
            return "date"
        if number_format in _DURATION_FORMATS:
            return "duration"
        return "number"


def _custom_format_kind(code: str) -> str:
    """How calamine reads a number in a custom format: "date" when the format's first
    section shows a date or time part (d, m, y, h, s, AM/PM outside quotes, escapes and
    [brackets]), "duration" for [h], [mm], [ss]..., else "number" (its
    detect_custom_number_format, followed step by step)."""
    escaped = quoted = am = hms = False
    brackets = 0
    previous = " "
    for ch in code:
        if escaped:
            escaped = False
        elif ch in "_\\":
            escaped = True
        elif quoted:
            quoted = ch != '"'
        elif ch == '"':
            quoted = True
        elif ch == ";":
            return "number"  # the first section decides
        elif ch == "[":
            brackets += 1
        elif ch == "]" and brackets == 1 and hms:
            return "duration"
        elif ch == "]":
            brackets = max(0, brackets - 1)
        elif ch in "aA" and not am and not brackets:
            am = True
        elif not brackets and ((am and ch in "pm/PM") or (not am and ch in "dmhysDMHYS")):
            return "date"
        elif not (hms and ch.lower() == previous.lower()):
            hms = previous == "[" and ch in "mhsMHS"
        previous = ch
    return "number"


def _round(value: float) -> int:
    """Rust's f64::round, which calamine uses: halves away from zero."""
    return math.floor(value + 0.5) if value >= 0 else -math.floor(-value + 0.5)


def _excel_date(value: float, date1904: bool) -> CellValue:
    """A serial date as python-calamine gives it: a time below 1, a date for a whole number,
    else a datetime; to the millisecond. Serials before 1900-03-01 count Excel's phantom
    1900-02-29 as calamine does; a date past year 9999 stays a number."""
    epoch = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    days = value + 1 if not date1904 and value < 60 else value
    try:
        moment = epoch + dt.timedelta(milliseconds=_round(days * 86_400_000))
    except OverflowError:
        if value < 1 and days * 86_400_000 <= _I64_MIN:
            # calamine's i64 of milliseconds saturates there, and chrono panics on it.
            raise Unreadable(_out_of_calendar(f"a date serial of {value:g} days")) from None
        if value < 1:
            raise Unsupported(f"a time of serial {value!r}") from None
        return value
    if value < 1:
        return moment.time()
    if value == math.floor(value):
        return moment.date()
    return moment


def _excel_duration(value: float) -> dt.timedelta:
    try:
        return dt.timedelta(milliseconds=_round(value * 86_400_000))
    except OverflowError:
        # Past Python's timedelta (a billion days); python-calamine panics from 10^8 days.
        raise Unreadable(_out_of_calendar(f"a duration of {value:g} days")) from None


# The lowest i64: calamine's milliseconds of a serial date saturate to it, which chrono's
# TimeDelta refuses with a panic.
_I64_MIN = -(2.0**63)


def _out_of_calendar(what: str) -> str:
    """What python-calamine's panic on such a cell reads as (specc.tables.calamine), told
    without letting its Rust code panic: the panic's report reaches the terminal."""
    from specc.tables.calamine import PANICKED

    return f"{PANICKED} ({what})"


def _iso_date(text: str) -> CellValue:
    """A `t="d"` cell: an ISO 8601 date, time or both, which calamine parses; anything else
    it shows as the text."""
    try:
        if (match := _ISO_DATETIME.fullmatch(text)) is not None:
            return dt.datetime.fromisoformat(f"{match.group(1)}T{match.group(2)}")
        if _ISO_DATE.fullmatch(text):
            return dt.date.fromisoformat(text)
        if _ISO_TIME.fullmatch(text):
            return dt.time.fromisoformat(text)
    except ValueError:
        raise Unsupported(f"a date cell {text[:30]!r}") from None
    return text
