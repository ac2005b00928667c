"""The parts of an .xlsx workbook around its rows, read as python-calamine reads them.

calamine (0.37, in python-calamine) is the reference: specc read every workbook with it
before the streamed reader existed, and tests/tables compares the two on generated
workbooks. What it does, and so what this module does:

- the first sheet is the first `<sheet>` of xl/workbook.xml; its part is the target of the
  relationship its `r:id` names in xl/_rels/workbook.xml.rels ("/xl/x" and "xl/x" as they
  are, any other target below xl/); part names are matched ignoring ASCII case;
- xl/styles.xml and xl/sharedStrings.xml are read from those fixed names;
- a cell style shows dates when its number format is built in as one (ids 14-22, 45, 47;
  46 is a duration) or is a custom format whose first section has a date or time token
  outside quotes and brackets (`[h]`, `[mm]`, `[s]` make it a duration); a custom format
  with the id of a built-in one replaces it;
- a shared string is every `<t>` of its `<si>` that is not a phonetic guide (`<rPh>`),
  joined, each trimmed of ASCII whitespace unless `xml:space="preserve"`, then `_xHHHH_`
  escapes decoded.

Whatever this module does not read the way calamine does raises `Unsupported`: the caller
then lets python-calamine read the workbook, as specc always did.
"""

from __future__ import annotations

import math
import re
import zipfile
import zlib
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, BinaryIO
from xml.parsers import expat

# Cell formats, as calamine classes them.
OTHER, DATETIME, TIMEDELTA = 0, 1, 2

# Decompressed bytes of a small part (workbook, relationships, styles) read at most.
MAX_SMALL_PART = 64 << 20
# Decompressed bytes handled at a time when a part is streamed: the sheet's rows, and (a
# quarter of it) the shared strings, read into strings held whole, whose transient tables
# are better kept small.
CHUNK = 4 << 20

_X_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_BUILTIN_FORMATS = {
    **{str(i): DATETIME for i in (*range(14, 23), 45, 47)},
    "46": TIMEDELTA,
}
# Every character Python's str.strip() removes: a cell is blank when only these remain.
PY_WHITESPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
_ASCII_WHITESPACE = " \t\n\r"
_ERRORS = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"})


class Unsupported(Exception):
    """The workbook has something this reader leaves to python-calamine."""


class Damaged(Exception):
    """A part of the workbook cannot be read: its zip data or its XML is broken."""


@dataclass
class Workbook:
    """Where the first sheet's rows are, and what is needed to read its cells. `archive`
    stays open on the file `open_workbook` opened, for the parts read after it; `close`
    lets both go."""

    path: Path
    sheet: zipfile.ZipInfo
    formats: list[int]  # per cell style (`s`): OTHER, DATETIME or TIMEDELTA
    is_1904: bool
    strings: zipfile.ZipInfo | None
    archive: zipfile.ZipFile
    names: dict[str, zipfile.ZipInfo] = field(default_factory=dict)

    def close(self) -> None:
        handle = self.archive.fp
        self.archive.close()
        if handle is not None:
            handle.close()

    def format_of(self, style: int) -> int | None:
        """The cell format of style `style` (-1: none given); None for an undefined style,
        which calamine reads as a plain number."""
        if style < 0:
            return OTHER
        return self.formats[style] if style < len(self.formats) else None


def open_workbook(path: Path) -> Workbook:
    """The first sheet of the .xlsx at `path`, with its styles (shared strings are read by
    `read_shared_strings`), the file opened through `specc.inputs.open_input` (a regular
    file; InputRefused otherwise). The caller closes it (`Workbook.close`). Raises
    Unsupported for anything calamine should read."""
    from specc.inputs import open_input

    handle = open_input(path)
    try:
        return _open_workbook(path, handle)
    except BaseException:
        handle.close()
        raise


def _open_workbook(path: Path, handle: BinaryIO) -> Workbook:
    if handle.read(4) != b"PK\x03\x04":
        raise Unsupported("not a zip file")
    handle.seek(0)
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError) as exc:
        raise Unsupported(str(exc)) from None
    try:
        names: dict[str, zipfile.ZipInfo] = {}
        for info in archive.infolist():
            names.setdefault(info.filename.lower(), info)
        relations = _relations(archive, names)
        sheets, is_1904 = _sheets(archive, names)
        formats = _formats(archive, names)
        return _first_sheet(path, archive, names, relations, sheets, is_1904, formats)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError) as exc:
        archive.close()
        raise Unsupported(str(exc)) from None
    except (NotImplementedError, RuntimeError) as exc:  # a compression method or encryption
        archive.close()
        raise Unsupported(str(exc)) from None
    except BaseException:
        archive.close()
        raise


def _first_sheet(
    path: Path,
    archive: zipfile.ZipFile,
    names: dict[str, zipfile.ZipInfo],
    relations: dict[str, str],
    sheets: list[str],
    is_1904: bool,
    formats: list[int],
) -> Workbook:
    if not sheets:
        raise Unsupported("the workbook lists no sheet")
    target = relations.get(sheets[0])
    if target is None:
        raise Unsupported("the first sheet's relationship is missing")
    if target.startswith("/xl/"):
        part = target[1:]
    elif target.startswith("xl/"):
        part = target
    else:
        part = "xl/" + target
    if part.split("/")[1:2] != ["worksheets"]:
        raise Unsupported("the first sheet is not a worksheet")
    sheet = names.get(part.lower())
    if sheet is None:
        raise Unsupported(f"no part {part}")
    strings = names.get("xl/sharedstrings.xml")
    return Workbook(path, sheet, formats, is_1904, strings, archive, names)


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _read_small(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > MAX_SMALL_PART:
        raise Unsupported(f"{info.filename} is larger than {MAX_SMALL_PART >> 20} MiB")
    with archive.open(info) as part:
        return part.read(MAX_SMALL_PART + 1)


def _parse(
    data: bytes,
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None] | None = None,
) -> None:
    """Run expat over a whole small part (element names as written, prefixes included)."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_: object) -> None:
        raise Unsupported("a part declares a DTD")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise Unsupported(f"XML: {exc}") from None


def _relations(archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo]) -> dict[str, str]:
    info = names.get("xl/_rels/workbook.xml.rels")
    if info is None:
        raise Unsupported("no xl/_rels/workbook.xml.rels")
    found: dict[str, str] = {}

    def start(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) == "Relationship":
            found[attrs.get("Id", "")] = attrs.get("Target", "")

    _parse(_read_small(archive, info), start)
    return found


def _sheets(archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo]) -> tuple[list[str], bool]:
    """The relationship ids of the sheets, in workbook order, and the 1904 date system."""
    info = names.get("xl/workbook.xml")
    if info is None:
        raise Unsupported("no xl/workbook.xml")
    ids: list[str] = []
    is_1904 = False

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal is_1904
        if _local(tag) == "sheet":
            ids.append(attrs.get("r:id", attrs.get("relationships:id", "")))
        elif tag == "workbookPr" and "date1904" in attrs:
            is_1904 = attrs["date1904"] in ("1", "true")

    _parse(_read_small(archive, info), start)
    return ids, is_1904


def _formats(archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo]) -> list[int]:
    info = names.get("xl/styles.xml")
    if info is None:
        return []
    custom: dict[str, str] = {}
    formats: list[int] = []
    inside = ""  # "numFmts" or "cellXfs" while in one

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal inside
        name = _local(tag)
        if not inside and name in ("numFmts", "cellXfs"):
            inside = name
        elif inside == "numFmts" and name == "numFmt":
            code = attrs.get("formatCode", "")
            if code:
                custom[attrs.get("numFmtId", "")] = code
        elif inside == "cellXfs" and name == "xf":
            number = attrs.get("numFmtId")
            if number is None:
                formats.append(OTHER)
            elif number in custom:
                formats.append(custom_format_kind(custom[number]))
            else:
                formats.append(_BUILTIN_FORMATS.get(number, OTHER))

    def end(tag: str) -> None:
        nonlocal inside
        if _local(tag) == inside:
            inside = ""

    _parse(_read_small(archive, info), start, end)
    return formats


def custom_format_kind(code: str) -> int:
    """OTHER, DATETIME or TIMEDELTA for a custom number format, as calamine decides: the
    first date/time token outside quotes and brackets makes a date (`a` of AM/PM followed by
    `p`, `m` or `/` too); a bracketed elapsed unit (`[h]`, `[mm]`, `[s]`) a duration; `\\`,
    `_` and `*` make the next character a literal; only the first section (up to `;`)
    counts."""
    escaped = quoted = ampm = hms = False
    brackets = 0
    previous = " "
    for char in code:
        if escaped:
            escaped = False
        elif char in "_\\*":
            escaped = True
        elif quoted:
            if char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char == ";":
            return OTHER
        elif char == "[":
            brackets = min(brackets + 1, 255)
        elif char == "]" and brackets == 1 and hms:
            return TIMEDELTA
        elif char == "]":
            brackets = max(brackets - 1, 0)
        elif char in "aA" and not ampm and brackets == 0:
            ampm = True
        elif brackets == 0 and (char in "pmM/P" if ampm else char in "dmhysDMHYS"):
            return DATETIME
        elif not (hms and char.lower() == previous.lower()):
            hms = previous == "[" and char in "mhsMHS"
        previous = char
    return OTHER


# --- cell values ---------------------------------------------------------------------------

_EPOCH = datetime(1899, 12, 30)
_DAY_MS = 86_400_000.0
_DATE_MIN_MS = (datetime(1, 1, 1) - _EPOCH) // timedelta(milliseconds=1)
_DATE_MAX_MS = (datetime(9999, 12, 31, 23, 59, 59, 999000) - _EPOCH) // timedelta(milliseconds=1)
_TIMEDELTA_MAX_MS = timedelta.max // timedelta(milliseconds=1)
# About the days from 1899 to the ends of chrono's calendar (years -262143 to 262142).
_CHRONO_DAYS = 95_000_000
# What Rust's float parser (calamine's) accepts; Python's float() also takes spaces and "_".
NUMBER = re.compile(
    r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)", re.I
)


def round_ms(days: float) -> int | None:
    """`days` in milliseconds, rounded half away from zero as Rust's f64::round does; None
    when it does not fit in 64 bits."""
    ms = days * _DAY_MS
    if not math.isfinite(ms) or abs(ms) >= 2.0**63:
        return None
    return math.floor(abs(ms) + 0.5) * (1 if ms >= 0 else -1)


def excel_datetime(value: float, kind: int, is_1904: bool) -> Any:
    """A number in a date or duration format as python-calamine gives it: a time below 1,
    a date for whole numbers, a datetime otherwise, a timedelta for durations; the number
    itself when Python cannot hold the result."""
    if kind == TIMEDELTA:
        ms = round_ms(value)
        if ms is None or abs(ms) > _TIMEDELTA_MAX_MS:
            return value
        return timedelta(milliseconds=ms)
    days = value + 1462 if is_1904 else value
    if days < 60:
        days += 1  # Excel's 1900 leap year that was not: serial 60 is 1900-02-29
    ms = round_ms(days)
    if value < 1.0:
        # A time of day: any date chrono can hold will do (Python's years need not).
        if ms is None or abs(days) > _CHRONO_DAYS:
            return value
        rest = ms % 86_400_000
        return time(rest // 3_600_000, rest // 60_000 % 60, rest // 1000 % 60, rest % 1000 * 1000)
    if ms is None or not _DATE_MIN_MS <= ms <= _DATE_MAX_MS:
        return value
    moment = _EPOCH + timedelta(milliseconds=ms)
    if value == math.trunc(value):
        return moment.date()
    return moment


def iso_value(text: str) -> Any:
    """A `t="d"` cell: its ISO 8601 text as a date, time or datetime, or the text."""
    for parse in (date.fromisoformat, time.fromisoformat, datetime.fromisoformat):
        try:
            found = parse(text)
        except ValueError:
            continue
        if isinstance(found, datetime | time) and found.tzinfo is not None:
            return text
        return found
    return text


def boolean(text: str) -> bool | None:
    """A `t="b"` cell's value, None when calamine refuses it."""
    stripped = text.strip()
    if stripped in ("1", "true", "TRUE", "True"):
        return True
    if stripped in ("0", "false", "FALSE", "False"):
        return False
    return None


def is_error_value(text: str) -> bool:
    return text in _ERRORS


def decode_escapes(text: str) -> str:
    """`_xHHHH_` escapes (how OOXML writes characters XML cannot hold) as characters."""
    if "_x" not in text:
        return text
    return _X_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


class RichText:
    """The text of a shared string (<si>) or an inline string (<is>), as calamine joins it:
    every <t> not inside a phonetic guide (<rPh>), each trimmed of ASCII whitespace unless
    xml:space="preserve", escapes decoded at the end. Fed by expat handlers (local names)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.chunks: list[str] | None = None  # inside a <t>
        self.preserve = False
        self.phonetic = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "rPh":
            self.phonetic += 1
        elif name == "t" and not self.phonetic and self.chunks is None:
            self.chunks = []
            self.preserve = attrs.get("xml:space") == "preserve"

    def data(self, text: str) -> None:
        if self.chunks is not None:
            self.chunks.append(text)

    def end(self, name: str) -> None:
        if name == "rPh":
            self.phonetic -= 1
        elif name == "t" and self.chunks is not None:
            text = "".join(self.chunks)
            self.parts.append(text if self.preserve else text.strip(_ASCII_WHITESPACE))
            self.chunks = None

    def value(self) -> str:
        return decode_escapes("".join(self.parts))


# --- shared strings --------------------------------------------------------------------------


@dataclass
class SharedStrings:
    """The shared strings (one polars String Series) and which of them are blank (only
    whitespace, as Python's str.strip() sees it), worked out once for every cell that
    uses them."""

    texts: Any
    blank: Any

    @classmethod
    def of(cls, texts: Any) -> SharedStrings:
        return cls(texts, is_blank(texts))


def is_blank(texts: Any) -> Any:
    """Whether each text holds only whitespace (Python's idea of it: str.strip())."""
    return texts.str.strip_chars(PY_WHITESPACE) == ""


_PRESERVE = '<t xml:space="preserve">'


def read_shared_strings(workbook: Workbook, pool: Executor | None = None) -> SharedStrings:
    """The shared strings, compact (no Python object per string). `pool`: threads that read
    chunks of the part side by side (at most a few chunks wait at a time). Raises Damaged
    for a part that cannot be inflated or parsed."""
    import polars as pl

    info = workbook.strings
    if info is None:
        return SharedStrings.of(pl.Series("strings", [], dtype=pl.String))
    parts: list[Any] = []
    waiting: deque[Future[Any]] = deque()
    try:
        for job, chunk in _strings_chunks(workbook, info):
            if pool is None:
                parts.append(_with_blanks(job, chunk))
                continue
            waiting.append(pool.submit(_with_blanks, job, chunk))
            while len(waiting) > 3:
                parts.append(waiting.popleft().result())
        while waiting:
            parts.append(waiting.popleft().result())
    finally:
        for future in waiting:
            future.cancel()
    if not parts:
        return SharedStrings.of(pl.Series("strings", [], dtype=pl.String))
    return SharedStrings(
        pl.concat([texts for texts, _ in parts], rechunk=True),
        pl.concat([blank for _, blank in parts], rechunk=True),
    )


def _with_blanks(job: Callable[[bytes], Any], chunk: bytes) -> tuple[Any, Any]:
    texts = job(chunk)
    return texts, is_blank(texts)


def _strings_chunks(
    workbook: Workbook, info: zipfile.ZipInfo
) -> Iterator[tuple[Callable[[bytes], Any], bytes]]:
    """The shared strings part in chunks of whole <si> items, each with how to read it."""
    try:
        with workbook.archive.open(info) as part:
            pending = b""
            started = False
            while True:
                raw = part.read(CHUNK // 4)
                data = pending + raw
                if not started:
                    at = _first_item(data)
                    if at < 0:
                        if not raw:
                            return
                        pending = data
                        continue
                    started = True
                    data = data[at:]
                cut = data.rfind(b"</si>") + 5
                if not raw:
                    # What follows the last </si> holds no string (</sst>), unless an
                    # item is self-closing or unclosed: expat reads that rest.
                    rest = data[max(cut, 0) :]
                    if cut > 4:
                        yield _strings_chunk, data[:cut]
                    if b"<si" in rest or b":si" in rest:
                        yield _exact_tail, rest
                    return
                if cut > 4:
                    yield _strings_chunk, data[:cut]
                    pending = data[cut:]
                else:
                    pending = data
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise Damaged(f"{info.filename}: {exc}") from None


def _first_item(data: bytes) -> int:
    """Where the first <si> of the shared strings starts (-1: not yet seen). A part that
    is not plain unprefixed SpreadsheetML is left to calamine."""
    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise Unsupported("the shared strings declare a DTD")
    root = re.search(rb"<([A-Za-z_][\w.-]*:)?sst[\s>/]", head)
    if root is None:
        if len(data) > 1 << 16:
            raise Unsupported("no <sst> element")
        return -1
    if root.group(1):
        raise Unsupported("prefixed shared strings")
    at = re.search(rb"<si[\s>/]", data[root.end() :])
    if at is None:
        end = data.find(b"</sst>", root.end())
        if end >= 0 or b"/>" in data[root.start() : root.end() + 64]:
            return len(data)  # no string at all
        return -1
    return root.end() + at.start()


def _strings_chunk(data: bytes) -> Any:
    """The strings of whole `<si>` items: those that are one plain `<t>` (the usual case)
    in polars, the rest (rich text, phonetic guides, anything else) by expat."""
    import polars as pl

    from specc.tables.cells import is_utf8
    from specc.tables.xml_scan import byte_series, spans, tags

    # _plain_strings proves every `<` of the chunk is one of its four tags: a comment, CDATA
    # or processing instruction (`<!`, `<?`, the slower search) only matters after it.
    plain = _plain_strings(data)
    if plain is not None:
        return plain
    if b"<!" in data or b"<?" in data:
        return pl.Series("strings", _exact_items(data), dtype=pl.String)
    if not is_utf8(data):
        try:
            data.decode("utf-8")  # for the decoder's words
        except UnicodeDecodeError as exc:
            raise Damaged(f"the shared strings are not UTF-8: {exc}") from None
    found = tags(byte_series(data + b"\0\0\0\0"))
    code, third = found["code"], found["b3"]
    start = found["L"]
    after = start.shift(-1, fill_value=len(data))
    item = (code == _SI) & (third == _GT)
    end = (code == _SI_END) & (third == ord("i"))
    opened = item.arg_true()
    closed = end.arg_true()
    if (
        len(opened) == 0
        or len(opened) != len(closed)
        or (found["code"] == _SI).sum() != len(opened)  # <si/> or <si attr>: expat
        or not (opened < closed).all()
        or not (closed.head(len(closed) - 1) < opened.tail(len(opened) - 1)).all()
    ):
        return pl.Series("strings", _exact_items(data), dtype=pl.String)
    top = found.height - 1
    t_tag = (opened + 1).clip(0, top)
    t_code = code.gather(t_tag)
    t_end = (opened + 2).clip(0, top)
    simple = (
        (closed - opened == 3)
        & ((t_code == _T_OPEN) | (t_code == _T_ATTR))
        & (code.gather(t_end) == _T_END)
        & (third.gather(t_end) == _GT)
    )
    values = pl.Series("strings", [None] * len(opened), dtype=pl.String)
    plain = simple.arg_true()
    if len(plain):
        t_start = start.gather(t_tag.gather(plain))
        t_stop = after.gather(t_tag.gather(plain))
        head = spans(data, t_start, t_stop)
        bare = head.str.starts_with("<t>")
        kept = head.str.starts_with(_PRESERVE)
        good = bare | kept
        if not good.all():
            simple = simple.scatter(plain.filter(~good), False)
            plain, bare, kept, t_start, t_stop = (
                x.filter(good) for x in (plain, bare, kept, t_start, t_stop)
            )
        offset = pl.select(pl.when(pl.lit(kept)).then(len(_PRESERVE)).otherwise(3)).to_series()
        text = spans(data, t_start + offset, t_stop)
        frame = pl.DataFrame({"text": text, "trim": bare})
        special = frame.select(
            pl.col("text").str.contains(r"[&\r]|_x[0-9A-Fa-f]{4}_").alias("x")
        ).to_series()
        trimmed = frame.select(
            pl.when(pl.col("trim"))
            .then(pl.col("text").str.strip_chars(" \t\n"))
            .otherwise(pl.col("text"))
        ).to_series()
        if special.any():
            at = special.arg_true()
            redo = [
                _character_data(t, trim)
                for t, trim in zip(
                    text.gather(at).to_list(), bare.gather(at).to_list(), strict=True
                )
            ]
            trimmed = trimmed.scatter(at, redo)
        values = values.scatter(plain, trimmed)
    rest = (~simple).arg_true()
    if len(rest):
        pieces = spans(data, start.gather(opened.gather(rest)), after.gather(closed.gather(rest)))
        exact = _exact_items("".join(pieces.to_list()).encode("utf-8"))
        if len(exact) != len(rest):
            raise Damaged("the shared strings could not be split into items")
        values = values.scatter(rest, exact)
    return values


_KEPT_TAG = '<t xml:space="preserve"'
_ITEM_END = b"</t></si>"


def _plain_strings(data: bytes) -> Any | None:
    """The strings of a chunk where every item is `<si><t>text</t></si>` or its
    xml:space="preserve" form, one right after the other, and no text holds a line end:
    each `</t></si>` becomes a line end and Arrow's CSV parser splits the lines at `>`.
    None for any other chunk. Proven by the parse: every line must have exactly three
    fields (two `>`), the first `<si` and the second `<t` or its preserve form, and the
    chunk as many `<` as four per item (so no text holds one)."""
    import polars as pl
    import pyarrow as pa
    import pyarrow.csv as pacsv

    items = data.count(_ITEM_END)
    if items == 0 or b"\n" in data or b"\r" in data or data.count(b"<") != 4 * items:
        return None
    lines = data.replace(_ITEM_END, b"\n")
    try:
        table = pacsv.read_csv(
            pa.py_buffer(lines),
            read_options=pacsv.ReadOptions(
                column_names=["si", "t", "s"], use_threads=False, block_size=len(lines) + 1024
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=">", quote_char=False, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={"si": pa.string(), "t": pa.string(), "s": pa.string()},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None  # not three fields a line, or not UTF-8: the slower path says so
    if table.num_rows != items:
        return None
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    tag = pl.col("t")
    kept = tag == _KEPT_TAG
    if not frame.select(((pl.col("si") == "<si") & (kept | (tag == "<t"))).all()).item():
        return None
    frame = frame.select(
        pl.col("s"),
        kept=kept,
        text=pl.when(kept).then(pl.col("s")).otherwise(pl.col("s").str.strip_chars(" \t")),
    )
    texts = frame["text"].alias("strings")
    special = texts.str.contains(r"&|_x[0-9A-Fa-f]{4}_")
    if special.any():
        # Entities (and escapes) are rare: each such string again, from its raw text.
        at = special.arg_true()
        raw = frame["s"].gather(at).to_list()
        preserved = frame["kept"].gather(at).to_list()
        texts = texts.scatter(
            at,
            [_character_data(t, not k) for t, k in zip(raw, preserved, strict=True)],
        )
    return texts


def _character_data(text: str, trim: bool) -> str:
    """A <t>'s raw text as calamine reads it: entities decoded, line ends normalised,
    trimmed of ASCII whitespace when `trim`, then `_xHHHH_` escapes decoded."""
    if "&" in text or "\r" in text:
        values = _exact_items(
            b"<si><t" + (b">" if trim else b' xml:space="preserve">') + text.encode() + b"</t></si>"
        )
        return values[0]
    return decode_escapes(text.strip(_ASCII_WHITESPACE) if trim else text)


_SI = ord("s") * 256 + ord("i")
_SI_END = ord("/") * 256 + ord("s")
_T_OPEN = ord("t") * 256 + ord(">")
_T_ATTR = ord("t") * 256 + ord(" ")
_T_END = ord("/") * 256 + ord("t")
_GT = ord(">")


def _exact_tail(data: bytes) -> Any:
    """The strings after the last `</si>` (self-closing items), up to `</sst>`."""
    import polars as pl

    end = data.rfind(b"</")
    body = data[:end] if end >= 0 else data
    return pl.Series("strings", _exact_items(body), dtype=pl.String)


def _exact_items(data: bytes) -> list[str]:
    """The values of every <si> in `data` (whole items), read by expat."""
    values: list[str] = []
    text: RichText | None = None
    depth = 0

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal text, depth
        depth += 1
        name = _local(tag)
        if depth == 2 and name == "si":
            text = RichText()
        elif text is not None:
            text.start(name, attrs)

    def end(tag: str) -> None:
        nonlocal text, depth
        depth -= 1
        name = _local(tag)
        if depth == 1 and name == "si" and text is not None:
            values.append(text.value())
            text = None
        elif text is not None:
            text.end(name)

    def chars(chunk: str) -> None:
        if text is not None:
            text.data(chunk)

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        parser.Parse(b"<strings>", False)
        parser.Parse(data, False)
        parser.Parse(b"</strings>", True)
    except expat.ExpatError as exc:
        raise Damaged(f"the shared strings are not well-formed XML: {exc}") from None
    return values
