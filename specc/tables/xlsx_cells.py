"""The cells of a run of sheet rows, and their values, as python-calamine reads them.

A worksheet part is read in chunks of whole `<row>` elements. Each chunk becomes a table of
its cells that hold a value (calamine leaves out the empty ones: no value, an empty `<v>`, a
formula without a cached value), one row per cell:

    row, col   0-based position (from the cell's `r`, else the row's and the cell before)
    kind       SHARED (value: an index), NUMBER (no `t`), NUMBER_N (`t="n"`), BOOL, ERROR,
               TEXT (value: final text, `t="str"` or an inline string), ISO (`t="d"`)
    style      the cell style index, -1 when the cell has none
    value      the `<v>` text (for TEXT, the decoded string)

Two parsers make that table. `fast_cells` works on the chunk's bytes with vectorised
polars operations (no Python per cell) and declines, returning None, any chunk whose
layout it cannot prove it reads exactly: a tag it does not know, attributes it cannot see
whole, a cell without `r`, rich text, comments... `exact_cells` reads any chunk with expat,
one callback per element, as calamine's cell reader does. Tests compare both with calamine.

`resolve` then turns the table into what python-calamine gives: shared strings looked up,
numbers parsed (dates and durations where the cell's style shows them), booleans, errors
(shown as ""), each cell's text (`specc.tables.cells.cell_text`, the one rule) and whether
it is blank. A cell calamine refuses (an unknown `t`, a shared string index past the end,
`t="n"` holding no number...) raises SheetError with calamine's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from xml.parsers import expat

from specc.tables.cells import is_utf8
from specc.tables.xlsx_parts import (
    _DATE_MAX_MS,
    DATETIME,
    NUMBER,
    OTHER,
    TIMEDELTA,
    RichText,
    SharedStrings,
    Workbook,
    boolean,
    decode_escapes,
    excel_datetime,
    is_blank,
    is_error_value,
    iso_value,
)
from specc.tables.xml_scan import byte_series, spans
from specc.tables.xml_scan import tags as scan_tags

SHARED, NUMBER_PLAIN, NUMBER_N, BOOL, ERROR, TEXT, ISO = range(7)
NO_VALUE = 255  # a <v> that leaves its cell empty (an inline-string cell's)
_TYPE_KINDS = {
    "s": SHARED,
    "n": NUMBER_N,
    "b": BOOL,
    "e": ERROR,
    "str": TEXT,
    "d": ISO,
}
MAX_ROW = 1_048_576
MAX_COL = 16_384


class SheetError(Exception):
    """A cell python-calamine refuses, which fails the whole sheet there; `line`: the
    sheet row (1-based) when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class Cells:
    """The valued cells of consecutive rows, and calamine's row counter after them."""

    frame: Any  # pl.DataFrame: row, col, kind, style, value
    next_row: int


def empty_frame() -> Any:
    import polars as pl

    return pl.DataFrame(
        schema={
            "row": pl.Int64,
            "col": pl.Int64,
            "kind": pl.UInt8,
            "style": pl.Int64,
            "value": pl.String,
        }
    )


# --- references -------------------------------------------------------------------------------


def row_column(reference: str) -> tuple[int, int | None]:
    """A cell reference (`B7`, `b7`) as 0-based (row, column), as calamine's
    get_row_and_optional_column reads it (from the end: digits, then letters)."""
    row = col = 0
    power = 1
    reading_row = True
    for char in reversed(reference):
        code = ord(char)
        if 48 <= code <= 57:
            if not reading_row:
                raise SheetError(f"Numeric character is not allowed for column name, got {char}")
            row += (code - 48) * power
            power *= 10
        elif 65 <= code <= 90 or 97 <= code <= 122:
            if reading_row:
                if row == 0:
                    raise SheetError("Range is missing the expected row component.")
                power = 1
                reading_row = False
            col += ((code & ~32) - 64) * power
            power *= 26
        else:
            raise SheetError(f"Expecting alphanumeric character, got {code:X}")
    if row == 0:
        raise SheetError("Range is missing the expected row component.")
    if row > MAX_ROW or col > MAX_COL:
        raise SheetError(f"cell {reference[:20]} lies past the sheet's last cell")
    return row - 1, (col - 1 if col else None)


def _digits_or_zero(text: str) -> int:
    """What calamine's atoi_simd(...).unwrap_or(0) gives: the number when `text` is ASCII
    digits that fit, else 0."""
    if text.isascii() and text.isdigit() and len(text) <= 19:
        return int(text)
    return 0


# --- the exact parser ---------------------------------------------------------------------

_WRAP = b"<sheetData>"


def exact_cells(data: bytes, next_row: int) -> Cells:
    """The valued cells of `data` (whole rows of a sheetData), read by expat. `next_row`:
    calamine's row counter before them (0-based)."""
    import polars as pl

    state = _CellState(data, next_row)
    parser = expat.ParserCreate()
    parser.StartElementHandler = state.start
    parser.EndElementHandler = state.end
    parser.CharacterDataHandler = state.data
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    state.parser = parser
    try:
        parser.Parse(_WRAP, False)
        parser.Parse(data, False)
        parser.Parse(b"</sheetData>", True)
    except expat.ExpatError as exc:
        raise SheetError(f"Xml error: {exc}") from None
    if not state.found:
        return Cells(empty_frame(), state.row)
    frame = pl.DataFrame(state.found, schema=empty_frame().schema, orient="row")
    return Cells(frame, state.row)


class _CellState:
    """calamine's XlsxCellReader as expat handlers. Within a cell, each child element sets
    the value in turn (the last one wins): `<v>` by the cell's type, `<is>` an inline
    string, `<f>` none; any other child fails the sheet."""

    def __init__(self, data: bytes, next_row: int) -> None:
        self.source = data
        self.parser: Any = None
        self.row = next_row
        self.col = 0
        self.found: list[tuple[int, int, int, int, str]] = []
        self.cell: tuple[int, int, str | None, int] | None = None  # row, col, t, style
        self.depth = 0  # elements open inside the cell
        self.value: tuple[int, str] | None = None  # (kind, value); None: empty
        self.child = ""  # "v" or "f" while one is open
        self.text: list[str] = []
        self.raw: str | None = None  # a plain-typed <v>'s first text, as calamine reads it
        self.rich: RichText | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = tag.rpartition(":")[2]
        if self.cell is None:
            if name == "row" and "r" in attrs:
                self.row = row_column(attrs["r"])[0]
            elif name == "c":
                self._open_cell(attrs)
            return
        self.depth += 1
        if self.rich is not None:
            self.rich.start(name, attrs)
        elif self.child:
            pass  # markup inside <v> or <f>: calamine reads to the element's end
        elif name == "is":
            self.rich = RichText()
        elif name in ("v", "f"):
            self.child = name
            self.text = []
            self.raw = None
        else:
            raise SheetError("Expecting 'v, f, or is' node")

    def _open_cell(self, attrs: dict[str, str]) -> None:
        reference = attrs.get("r")
        if reference is not None:
            row, col = row_column(reference)
            if col is None:
                raise SheetError("Range is missing the expected column component.")
            self.col = col
        else:
            row, col = self.row, self.col
        style = attrs.get("s")
        self.cell = (row, col, attrs.get("t"), -1 if style is None else _digits_or_zero(style))
        self.depth = 0
        self.value = None

    def data(self, chunk: str) -> None:
        if self.rich is not None:
            self.rich.data(chunk)
        elif self.child == "v":
            if not self.text and self.raw is None:
                self.raw = self._raw_text()
            self.text.append(chunk)

    def _raw_text(self) -> str:
        """The undecoded text from here to the next markup or entity: what calamine parses
        a number, an index, a boolean or an error from."""
        at = self.parser.CurrentByteIndex - len(_WRAP)
        source = self.source
        if at < 0 or at >= len(source) or source[at] in b"&<":
            return ""
        stop = len(source)
        for mark in (b"<", b"&"):
            found = source.find(mark, at, stop)
            if found >= 0:
                stop = found
        try:
            return source[at:stop].decode("utf-8")
        except UnicodeDecodeError:
            raise SheetError("invalid UTF-8 in cell value") from None

    def end(self, tag: str) -> None:
        name = tag.rpartition(":")[2]
        if self.cell is None:
            if name == "row":
                self.row += 1
                self.col = 0
            return
        if self.depth == 0:
            if name == "c":
                self._close_cell()
            return
        self.depth -= 1
        if self.rich is not None:
            if self.depth == 0:
                self.value = (TEXT, self.rich.value())
                self.rich = None
            else:
                self.rich.end(name)
        elif self.depth == 0 and self.child:
            self.value = self._v_value() if self.child == "v" else None
            self.child = ""

    def _v_value(self) -> tuple[int, str] | None:
        assert self.cell is not None
        kind = self.cell[2]
        if kind in ("inlineStr", "is"):
            return None
        if kind in (None, "n", "s", "b", "e"):
            raw = self.raw or ""
            if not raw:
                return None
            return (NUMBER_PLAIN if kind is None else _TYPE_KINDS[kind], raw)
        text = "".join(self.text)
        if kind == "str":
            return (TEXT, decode_escapes(text))
        if kind == "d":
            return (ISO, text)
        raise SheetError(f"Unknown cell 't' attribute: \"{kind}\"")

    def _close_cell(self) -> None:
        assert self.cell is not None
        row, col, _, style = self.cell
        self.cell = None
        self.col += 1
        if self.value is not None:
            self.found.append((row, col, self.value[0], style, self.value[1]))


# --- the vectorised parser ------------------------------------------------------------------

_LT, _GT, _QUOTE, _SLASH, _SPACE = 60, 62, 34, 47, 32
# Tag kinds, by the two bytes after `<` (and the third, checked, for closing tags). Their
# letters spell the chunk, which must match _GRAMMAR: R <row>, Q <row/>, r </row>,
# C <c ...>, c </c>, V <v>, W <v/>, v </v>, F <f>, G <f/>, f </f>, I <is>, i </is>,
# T <t> or <t xml:space="preserve">, U <t/>, t </t>; X anything else.
_KINDS = "XRQrCcVWvFGfIiTUt"
_X, _R, _Q, _RC, _C, _CC, _V, _W, _VC, _F, _G, _FC, _I, _IC, _T, _U, _TC = range(17)
_CODES: dict[tuple[str, str], tuple[int, str]] = {
    # (first, second byte): (kind, the third byte it must have, "" for any)
    ("c", " "): (_C, ""),
    ("/", "c"): (_CC, ">"),
    ("v", ">"): (_V, ""),
    ("v", "/"): (_W, ">"),
    ("/", "v"): (_VC, ">"),
    ("r", "o"): (_R, "w"),
    ("/", "r"): (_RC, "o"),
    ("f", " "): (_F, ""),
    ("f", ">"): (_F, ""),
    ("f", "/"): (_G, ">"),
    ("/", "f"): (_FC, ">"),
    ("i", "s"): (_I, ">"),
    ("/", "i"): (_IC, "s"),
    ("t", ">"): (_T, ""),
    ("t", " "): (_T, ""),
    ("t", "/"): (_U, ">"),
    ("/", "t"): (_TC, ">"),
}
_GRAMMAR = r"^(?:Q|R(?:C(?:Ff|G)?(?:Vv|W|I(?:Tt|U)?i)?c|C)*r)*$"
_ATTRIBUTES = re.compile(r'((?: [a-zA-Z]{1,2}="[^"&<]*")*)(/?)')
_ATTRIBUTE = re.compile(r' ([a-zA-Z]{1,2})="([^"]*)"')
_PRESERVE = b'<t xml:space="preserve">'
_tables: tuple[Any, Any] | None = None


def _code_tables() -> tuple[Any, Any]:
    """(kind, required third byte) per two-byte code, as polars lookup tables."""
    global _tables
    if _tables is None:
        import polars as pl

        kinds = [_X] * 65536
        thirds = [0] * 65536
        for (first, second), (kind, third) in _CODES.items():
            code = ord(first) * 256 + ord(second)
            kinds[code] = kind
            thirds[code] = ord(third) if third else 0
        _tables = (pl.Series(kinds, dtype=pl.UInt8), pl.Series(thirds, dtype=pl.UInt8))
    return _tables


def _letter_table() -> Any:
    import polars as pl

    return pl.Series([ord(k) for k in _KINDS], dtype=pl.UInt8)


def fast_cells(data: bytes) -> Cells | None:
    """The valued cells of `data` (whole rows), or None when the chunk needs `exact_cells`.

    Requires: only the tags row, c, v, f, is, t, in the order calamine's reader expects
    (checked as a whole: the tags' letters must spell _GRAMMAR); every cell written
    `<c r="A1"` with a reference of letters then digits, its other attributes one or two
    letters long, double-quoted, then `>` or `/>` right before its first child; every row
    written `<row r="7"`; no comment, CDATA or processing instruction; entities and CR only
    in text values (decoded one value at a time)."""
    import polars as pl

    n = len(data)
    if n < 4 or n >= 1 << 31:
        return None
    # Comments, CDATA and processing instructions (`<!`, `<?`) need no search of their own:
    # their tags are of no known kind, so the grammar below refuses them.
    if not is_utf8(data):
        return None
    b = byte_series(data)
    tags = scan_tags(b)
    count = tags.height
    if count == 0:
        return None
    kinds_table, thirds_table = _code_tables()
    kind = kinds_table.gather(tags["code"])
    third = thirds_table.gather(tags["code"])
    if not ((third == 0) | (third == tags["b3"])).all():
        return None
    start = tags["L"]
    after = start.shift(-1, fill_value=n)  # where the next tag starts (the chunk's end)
    # Rows and formulas may be self-closing: `/>` right before the next tag.
    maybe_solo = (kind == _R) | (kind == _F)
    if maybe_solo.any():
        at = maybe_solo.arg_true()
        ends = after.gather(at)
        solo = (b.gather(ends - 1) == _GT) & (b.gather(ends - 2) == _SLASH)
        closed = pl.select(
            pl.when(pl.lit(kind.gather(at)) == _R).then(_Q).otherwise(_G).cast(pl.UInt8)
        ).to_series()
        kind = kind.scatter(at.filter(solo), closed.filter(solo))
    spelled = _letter_table().gather(kind).to_arrow().buffers()[1].to_pybytes()[:count]
    if not pl.Series([spelled.decode("ascii")]).str.contains(_GRAMMAR).item():
        return None
    is_row = (kind == _R) | (kind == _Q)
    rows = _row_numbers(data, b, start.filter(is_row), after.filter(is_row))
    if rows is None:
        return None
    numbers, digits = rows
    next_row = int(numbers[-1])
    cell_tags = (kind == _C).arg_true().cast(pl.Int64)
    if len(cell_tags) == 0:
        return Cells(empty_frame(), next_row)
    # Each cell's row: the row tags before it, counted.
    row_of = is_row.cum_sum().gather(cell_tags) - 1  # each cell comes after its row tag
    cells = _cell_tags(
        data, b, start, after, cell_tags, numbers.gather(row_of), digits.gather(row_of)
    )
    if cells is None:
        return None
    # Entities, CRs and _xHHHH_ escapes are looked for value by value only when the chunk
    # has any.
    # (A search for the byte first: a two-byte search of the whole chunk costs far more.)
    special = b"&" in data or b"\r" in data or (b"_" in data and b"_x" in data)
    # The grammar holds: every cell is `<c ...><v>...</v></c>` when there are as many <v>
    # as cells, no empty row and no other tag (see _cell_values).
    plain = (
        b"Q" not in spelled
        and int((kind == _V).sum()) == len(cell_tags)
        and count == 2 * len(numbers) + 4 * len(cell_tags)
    )
    frame = _cell_values(data, b, start, after, kind, cells, special, plain)
    if frame is None:
        return None
    return Cells(frame, next_row)


def _row_numbers(data: bytes, b: Any, starts: Any, stops: Any) -> tuple[Any, Any] | None:
    """The number of each row tag (as Int64, and as its digits), in order; None unless every
    row tag is `<row r="digits"...` (calamine reads only that r, and fails on a bad one).
    The last one is calamine's 0-based row counter after the chunk. `stops`: where the
    next tag starts."""
    import polars as pl

    if len(starts) == 0:
        return None
    top = len(b) - 1
    head = [b.gather((starts + k).clip(0, top)) for k in range(4, 8)]
    if not all((h == ord(c)).all() for h, c in zip(head, ' r="', strict=True)):
        return None
    digits = spans(data, starts + 8, stops).str.extract(r'^([0-9]{1,7})"', 1)
    if digits.null_count():
        return None
    number = digits.cast(pl.Int64)
    if (number == 0).any() or (number > MAX_ROW).any():
        return None
    return number, digits


def _cell_tags(
    data: bytes,
    b: Any,
    start: Any,
    after: Any,
    cell_tags: Any,
    row_numbers: Any,
    row_digits: Any,
) -> Any | None:
    """Per cell tag: its row and column (from `r`), style and type; None when a cell tag
    is written in a way this parser does not read. The references must be 1-3 letters
    then the number of the row they are in (as spreadsheet programs write them)."""
    import polars as pl

    at = start.gather(cell_tags)
    following = after.gather(cell_tags)
    top = len(b) - 1

    def byte(offsets: Any) -> Any:
        return b.gather(offsets.clip(0, top))

    head = pl.DataFrame(
        {
            "r": byte(at + 3),
            "eq": byte(at + 4),
            "q": byte(at + 5),
            "c0": byte(at + 6),
            "c1": byte(at + 7),
            "c2": byte(at + 8),
            "end": byte(following - 1),
            "n": row_digits.str.len_bytes().cast(pl.Int64),
        }
    )
    upper = [(pl.col(f"c{k}") & 0xDF).cast(pl.Int64) - 64 for k in range(3)]
    letter = [(u >= 1) & (u <= 26) for u in upper]
    head = head.select(
        ok=(pl.col("r") == ord("r"))
        & (pl.col("eq") == ord("="))
        & (pl.col("q") == _QUOTE)
        & letter[0]
        & (pl.col("end") == _GT),  # `>` right before the next tag
        nl=letter[0].cast(pl.Int64)
        + (letter[0] & letter[1]).cast(pl.Int64)
        + (letter[0] & letter[1] & letter[2]).cast(pl.Int64),
        col=pl.when(letter[0] & letter[1] & letter[2])
        .then((upper[0] * 26 + upper[1]) * 26 + upper[2])
        .when(letter[0] & letter[1])
        .then(upper[0] * 26 + upper[1])
        .otherwise(upper[0])
        - 1,
        n=pl.col("n"),
    )
    if not head["ok"].all():
        return None
    digits_at = at + 6 + head["nl"]
    quote = digits_at + head["n"]
    if not (byte(quote) == _QUOTE).all():
        return None
    if not (spans(data, digits_at, quote) == row_digits).all():
        return None  # a cell outside its row: the exact parser places it
    if (head["col"] >= MAX_COL).any():
        return None
    # The rest of the tag (` s="3" t="s"`, `/`...): few distinct ones, each read once.
    rest = spans(data, quote + 1, following - 1)
    decoded = _attribute_kinds(rest)
    if decoded is None:
        return None
    style, kind, raw, solo = decoded
    return pl.DataFrame(
        {
            "tag": cell_tags,
            "row": row_numbers - 1,
            "col": head["col"],
            "style": style,
            "vkind": kind,
            "raw": raw,
            "solo": solo,
        }
    )


# What a <v> holds, by the cell's `t`: its kind, and whether calamine reads it raw (up to
# its first entity, an empty one meaning no value); an inline string's <v> holds nothing.
_V_KINDS: dict[str | None, tuple[int, bool]] = {
    None: (NUMBER_PLAIN, True),
    "s": (SHARED, True),
    "n": (NUMBER_N, True),
    "b": (BOOL, True),
    "e": (ERROR, True),
    "d": (ISO, False),
    "str": (TEXT, False),
    "inlineStr": (NO_VALUE, False),
    "is": (NO_VALUE, False),
}


def _attribute_kinds(rest: Any) -> tuple[Any, Any, Any, Any] | None:
    """Style, value kind (_V_KINDS), raw flag and self-closing flag of each cell from the
    rest of its tag; None when one is not ` name="value"` pairs (and an optional `/`)
    with a type calamine knows. The few distinct rests are each read once."""
    import polars as pl

    distinct = _distinct(rest)
    if distinct is None:
        return None
    index, samples = distinct
    styles: list[int] = []
    kinds: list[int] = []
    raws: list[bool] = []
    solos: list[bool] = []
    for sample in samples:
        match = _ATTRIBUTES.fullmatch(sample)
        if match is None:
            return None
        pairs = _ATTRIBUTE.findall(match.group(1))
        found = dict(pairs)
        if len(found) != len(pairs) or "r" in found:
            return None
        t = found.get("t")
        if t not in _V_KINDS:
            return None
        style = found.get("s")
        styles.append(-1 if style is None else _digits_or_zero(style))
        kind, raw = _V_KINDS[t]
        kinds.append(kind)
        raws.append(raw)
        solos.append(match.group(2) == "/")
    return (
        pl.Series(styles, dtype=pl.Int64).gather(index),
        pl.Series(kinds, dtype=pl.UInt8).gather(index),
        pl.Series(raws, dtype=pl.Boolean).gather(index),
        pl.Series(solos, dtype=pl.Boolean).gather(index),
    )


# A sheet's cell tags take a few forms (` t="s"`, ` s="1"`, none): up to this many distinct
# ones are told apart by comparing with each, the rest by hashing.
_FEW_FORMS = 8


def _distinct(texts: Any) -> tuple[Any, list[str]] | None:
    """Each text's index (Int64) among the distinct texts, and those texts; None in the
    rare case that two different texts share a hash."""
    import polars as pl

    size = len(texts)
    index = pl.repeat(-1, size, dtype=pl.Int64, eager=True)
    left = pl.int_range(0, size, dtype=pl.Int64, eager=True)
    samples: list[str] = []
    while len(texts) and len(samples) < _FEW_FORMS:
        sample = texts[0]
        same = texts == sample
        index = index.scatter(left.filter(same), len(samples))
        samples.append(sample)
        left = left.filter(~same)
        texts = texts.filter(~same)
    if len(texts) == 0:
        return index, samples
    hashes = texts.hash()
    firsts = (
        pl.DataFrame({"h": hashes})
        .with_row_index("i")
        .unique(subset="h", keep="first", maintain_order=True)
    )
    more = texts.gather(firsts["i"]).to_list()
    found = hashes.replace_strict(
        firsts["h"], list(range(len(samples), len(samples) + len(more))), return_dtype=pl.Int64
    )
    samples += more
    if not (texts == pl.Series(samples, dtype=pl.String).gather(found)).all():
        return None  # two different texts with one hash
    return index.scatter(left, found), samples


def _cell_values(
    data: bytes,
    b: Any,
    start: Any,
    after: Any,
    kind: Any,
    cells: Any,
    special: bool,
    plain: bool = False,
) -> Any | None:
    """The value table: a cell's value is its last child (by the grammar: an optional
    formula, then a <v>, an empty <v/> or an inline string). `plain`: the chunk's tags
    spell rows of `<c ...><v>...</v></c>` and nothing else (the usual chunk): each cell's
    <v> is then its next tag, unless a cell tag closes itself (`<c .../><v>`, which the
    general path refuses)."""
    import polars as pl

    if plain and not cells["solo"].any():
        at = cells["tag"] + 1
        text = spans(data, start.gather(at) + 3, after.gather(at))
        part = _v_cells(cells.with_columns(value=text), special)
        return None if part is None else part.select("row", "col", "kind", "style", "value")

    # The letters cannot tell `<c .../>` from `<c ...>`: a self-closing cell must be
    # followed by the next cell or the row's end, an open one by its content or `</c>`.
    top = len(kind) - 1
    lit_kind = pl.lit(kind)
    cells = cells.with_columns(next=lit_kind.gather((pl.col("tag") + 1).clip(0, top)))
    cells = cells.with_columns(
        vtag=(
            pl.col("tag")
            + pl.when(pl.col("next") == _F).then(3).when(pl.col("next") == _G).then(2).otherwise(1)
        ).clip(0, top)
    ).with_columns(vk=lit_kind.gather(pl.col("vtag")))
    placed = (
        pl.when(pl.col("solo"))
        .then(pl.col("next").is_in([_C, _RC]))
        .otherwise(pl.col("vk").is_in([_V, _W, _I, _CC]))
    )
    if not cells.select(placed.all()).item():
        return None
    cells = cells.filter(~pl.col("solo"))
    if cells.height == 0:
        return empty_frame()
    out: list[Any] = []
    with_v = cells.filter(pl.col("vk") == _V)
    if with_v.height:
        text = spans(data, start.gather(with_v["vtag"]) + 3, after.gather(with_v["vtag"]))
        part = _v_cells(with_v.with_columns(value=text), special)
        if part is None:
            return None
        out.append(part)
    with_w = cells.filter(pl.col("vk") == _W)
    if with_w.height:
        part = _v_cells(with_w.with_columns(value=pl.lit("")), False)
        if part is None:
            return None
        out.append(part)
    with_is = cells.filter(pl.col("vk") == _I)
    if with_is.height:
        part = _inline_cells(data, start, after, kind, with_is, special)
        if part is None:
            return None
        out.append(part)
    if not out:
        return empty_frame()
    frame = pl.concat(out)
    if len(out) > 1:
        frame = frame.sort("tag")
    return frame.select("row", "col", "kind", "style", "value")


def _v_cells(frame: Any, special: bool) -> Any | None:
    """Cells whose value is a <v>: their kind by `t` (`vkind`). Empty raw ones are dropped
    as calamine drops them (`t="str"` and `t="d"` hold "" then); an inline-string cell's
    <v> leaves it empty."""
    import polars as pl

    value = pl.col("value")
    raw = pl.col("raw")
    if (
        special
        and frame.select(
            ((raw | (pl.col("vkind") == ISO)) & value.str.contains(r"[&\r]")).any()
        ).item()
    ):
        return None  # calamine reads these up to their first entity: the exact parser
    frame = frame.filter((pl.col("vkind") != NO_VALUE) & ~(raw & (value == "")))
    frame = frame.with_columns(kind=pl.col("vkind"), trim=pl.lit(False))
    if special:
        frame = _decode_text(frame)
    return frame.select("tag", "row", "col", "kind", "style", "value")


def _inline_cells(
    data: bytes, start: Any, after: Any, kind: Any, frame: Any, special: bool
) -> Any | None:
    """Cells holding an inline string: `<is><t>text</t></is>` (`<t xml:space="preserve">`
    kept as it is, a plain <t> trimmed), `<is><t/></is>`, `<is></is>`."""
    import polars as pl

    ttag = frame["vtag"] + 1
    tk = kind.gather(ttag)
    t_start = start.gather(ttag)
    t_end = after.gather(ttag)  # a <t> tag runs to its text, which runs to </t>
    has_text = tk == _T
    value = pl.Series("value", [""] * frame.height, dtype=pl.String)
    preserve = pl.Series([False] * frame.height)
    with_text = has_text.arg_true()
    if len(with_text):
        ts = t_start.gather(with_text)
        te = t_end.gather(with_text)
        tag_text = spans(data, ts, te)
        plain = tag_text.str.starts_with("<t>")
        kept = tag_text.str.starts_with(_PRESERVE.decode())
        if not (plain | kept).all():
            return None
        offset = pl.select(pl.when(pl.lit(kept)).then(len(_PRESERVE)).otherwise(3)).to_series()
        text = spans(data, ts + offset, te)
        value = value.scatter(with_text, text)
        preserve = preserve.scatter(with_text, kept)
    trim = has_text & ~preserve
    frame = frame.with_columns(value=value, kind=pl.lit(TEXT, dtype=pl.UInt8), trim=trim)
    plain_trim = pl.col("trim") & ~pl.col("value").str.contains(r"[&\r]")
    frame = frame.with_columns(
        value=pl.when(plain_trim)
        .then(pl.col("value").str.strip_chars(" \t\n"))
        .otherwise(pl.col("value"))
    )
    if special:
        frame = _decode_text(frame)
    return frame.select("tag", "row", "col", "kind", "style", "value")


def _decode_text(frame: Any) -> Any:
    """Text values: XML entities and line ends, then `_xHHHH_` escapes, decoded one value at
    a time where they occur (rarely); `trim`: trimmed of ASCII whitespace in between."""
    import polars as pl

    special = frame.select(
        ((pl.col("kind") == TEXT) & pl.col("value").str.contains(r"[&\r]|_x[0-9A-Fa-f]{4}_")).alias(
            "x"
        )
    ).to_series()
    if not special.any():
        return frame
    at = special.arg_true()
    values = frame["value"].gather(at).to_list()
    trims = frame["trim"].gather(at).to_list()
    decoded = [_decode_xml_text(v, t) for v, t in zip(values, trims, strict=True)]
    return frame.with_columns(value=frame["value"].scatter(at, decoded))


def _decode_xml_text(text: str, trim: bool) -> str:
    """Character data as an XML parser gives it (entities, CR LF as LF), trimmed of ASCII
    whitespace when `trim`, then with `_xHHHH_` escapes decoded."""
    if "&" in text or "\r" in text:
        parser = expat.ParserCreate()
        parts: list[str] = []
        parser.CharacterDataHandler = parts.append
        try:
            parser.Parse(b"<v>" + text.encode("utf-8") + b"</v>", True)
        except expat.ExpatError as exc:
            raise SheetError(f"Xml error: {exc}") from None
        text = "".join(parts)
    if trim:
        text = text.strip(" \t\n\r")
    return decode_escapes(text)


# --- values ---------------------------------------------------------------------------------


@dataclass
class Resolved:
    """The cells of a chunk with their values: `frame` has row, col, text (the one text
    rule), tid (index into `typed`, -1 for text cells), blank, and for the typed cells tk
    (TYPED_*: what kind of value) and num (a number cell's value, null elsewhere)."""

    frame: Any
    typed: list[Any]


# What a typed cell is, as far as the checks' column-wise tests need to know
# (`TypedCells.kind`): a number (its value in `num`), a date, a datetime at midnight, one
# with a time of day, or any other value (a boolean, a time, a duration...), which only its
# Python object tells.
TYPED_OTHER, TYPED_NUMBER, TYPED_DATE, TYPED_MIDNIGHT, TYPED_DATETIME = range(5)


@dataclass(frozen=True)
class TypedCells:
    """The typed cells of one column of a batch, column by column: what `Batch.typed` holds
    as Python objects, for tests that clear most of them without a Python call per cell."""

    at: Any  # pl.Series (Int64): each cell's row index in the batch, rising
    kind: Any  # pl.Series (UInt8): TYPED_*
    number: Any  # pl.Series (Float64): a TYPED_NUMBER cell's value, null for the others


def resolve(cells: Any, strings: SharedStrings, workbook: Workbook) -> Resolved:
    """The values of a cell table (see the module docstring), sorted by position, a later
    cell at the same position replacing the earlier one as in calamine's sheet."""
    import polars as pl

    frame = cells.with_row_index("i")
    parts: list[Any] = []
    typed: list[Any] = []

    def part(sub: Any, text: Any, tid: Any, blank: Any) -> None:
        parts.append(
            _typed_as(
                sub.select("i", "row", "col").with_columns(
                    text=text.cast(pl.String), tid=tid.cast(pl.Int64), blank=blank
                ),
                TYPED_OTHER,
            )
        )

    kinds = set(frame["kind"].unique().to_list())
    if SHARED in kinds:
        shared = frame.filter(pl.col("kind") == SHARED)
        # calamine's atoi: ASCII digits, anything else (a sign, a space, too many) is 0.
        index = (
            pl.when(pl.col("value").str.starts_with("+"))
            .then(0)
            .otherwise(pl.col("value").cast(pl.UInt64, strict=False).fill_null(0))
        )
        numbers = shared.select(index.alias("x"))["x"]
        top = numbers.max()
        if len(strings.texts) == 0 or top >= len(strings.texts):
            raise SheetError("Cell string index not found in shared strings table")
        part(shared, strings.texts.gather(numbers), pl.lit(-1), strings.blank.gather(numbers))
    if TEXT in kinds:
        text = frame.filter(pl.col("kind") == TEXT)
        part(text, text["value"], pl.lit(-1), is_blank(text["value"]))
    if ERROR in kinds:
        errors = frame.filter(pl.col("kind") == ERROR)
        for value in errors["value"].unique().to_list():
            if not is_error_value(value):
                raise SheetError(f"Unsupported cell error value '{value}'")
        part(errors, pl.lit(""), pl.lit(-1), pl.lit(True))
    if NUMBER_PLAIN in kinds or NUMBER_N in kinds:
        numbers = frame.filter(pl.col("kind").is_in([NUMBER_PLAIN, NUMBER_N]))
        _numbers(numbers, workbook, parts, typed)
    for kind, convert in ((BOOL, _bool_values), (ISO, _iso_values)):
        if kind not in kinds:
            continue
        sub = frame.filter(pl.col("kind") == kind)
        texts, tids = convert(sub["value"].to_list(), typed)
        text_series = pl.Series(texts, dtype=pl.String)
        tid_series = pl.Series(tids, dtype=pl.Int64)
        parts.append(
            _typed_of(
                sub.select("i", "row", "col").with_columns(
                    text=text_series,
                    tid=tid_series,
                    blank=(tid_series < 0) & is_blank(text_series),
                ),
                [typed[t] if t >= 0 else None for t in tids],
            )
        )
    if not parts:
        out = pl.DataFrame(
            schema={
                "row": pl.Int64,
                "col": pl.Int64,
                "text": pl.String,
                "tid": pl.Int64,
                "blank": pl.Boolean,
                "tk": pl.UInt8,
                "num": pl.Float64,
            }
        )
        return Resolved(out, typed)
    out = pl.concat(parts, how="vertical_relaxed")
    if len(parts) > 1:
        out = out.sort("i")
    key = out["row"] * MAX_COL + out["col"]
    if not (key.diff().drop_nulls() > 0).all():
        # Out of order, or one position twice: calamine's sheet holds the last one.
        out = out.sort("row", "col", "i")
        out = out.unique(subset=["row", "col"], keep="last", maintain_order=True)
    return Resolved(out.select("row", "col", "text", "tid", "blank", "tk", "num"), typed)


def _typed_as(frame: Any, kind: Any, number: Any = None) -> Any:
    """`frame` with the tk and num columns (see `Resolved`): `kind` a TYPED_* code or an
    expression, `number` the value of number cells (None: null)."""
    import polars as pl

    tk = kind.cast(pl.UInt8) if isinstance(kind, pl.Expr) else pl.lit(kind, pl.UInt8)
    num = pl.lit(None, pl.Float64) if number is None else number.cast(pl.Float64)
    return frame.with_columns(tk=tk, num=num)


def _typed_of(frame: Any, values: list[Any]) -> Any:
    """`frame` with the tk and num columns of cells converted one by one in Python, from
    their values (None for a text cell)."""
    import polars as pl

    return frame.with_columns(
        tk=pl.Series([_kind_of_value(v) for v in values], dtype=pl.UInt8),
        num=pl.Series([v if isinstance(v, float) else None for v in values], dtype=pl.Float64),
    )


def _kind_of_value(value: Any) -> int:
    """The TYPED_* code of a typed cell's value."""
    if isinstance(value, float):
        return TYPED_NUMBER
    if isinstance(value, datetime):
        return TYPED_MIDNIGHT if value.time() == time(0) else TYPED_DATETIME
    if isinstance(value, date):
        return TYPED_DATE
    return TYPED_OTHER


def _bool_values(values: list[str], typed: list[Any]) -> tuple[list[str], list[int]]:
    texts: list[str] = []
    tids: list[int] = []
    for value in values:
        found = boolean(value)
        if found is None:
            raise SheetError(f"Unrecognized boolean cell value: {value}")
        texts.append("TRUE" if found else "FALSE")
        tids.append(len(typed))
        typed.append(found)
    return texts, tids


def _iso_values(values: list[str], typed: list[Any]) -> tuple[list[str], list[int]]:
    from specc.tables.cells import cell_text

    texts: list[str] = []
    tids: list[int] = []
    for value in values:
        found = iso_value(value)
        if isinstance(found, str):
            texts.append(found)
            tids.append(-1)
        else:
            texts.append(cell_text(found))
            tids.append(len(typed))
            typed.append(found)
    return texts, tids


# Whole numbers as spreadsheets show them in General format: the digits, below 10^11.
_PLAIN_INTEGER = r"^-?(?:0|[1-9][0-9]{0,10})$"


def _format_of_style(workbook: Workbook) -> Any:
    """The cell format of each cell's style: OTHER for none, None for an undefined one."""
    import polars as pl

    style = pl.col("style")
    count = len(workbook.formats)
    defined = style.replace_strict(
        list(range(count)), workbook.formats, default=None, return_dtype=pl.Int64
    )
    return pl.when(style < 0).then(pl.lit(OTHER, pl.Int64)).otherwise(defined)


def _numbers(numbers: Any, workbook: Workbook, parts: list[Any], typed: list[Any]) -> None:
    """Number cells: parsed as Rust parses floats; shown in General format; those with a
    date or duration style as python-calamine converts them."""
    import polars as pl

    from specc.tables.cells import cell_text

    grammar = "^(?:" + NUMBER.pattern + ")$"
    numbers = numbers.with_columns(
        ok=pl.col("value").str.contains("(?i)" + grammar), fmt=_format_of_style(workbook)
    )
    bad = numbers.filter(~pl.col("ok"))
    if bad.height:
        refused = bad.filter(pl.col("kind") == NUMBER_N)
        if refused.height:
            raise SheetError("Parse float error: invalid float literal")
        parts.append(
            _typed_as(
                bad.select("i", "row", "col").with_columns(
                    text=bad["value"], tid=pl.lit(-1, pl.Int64), blank=is_blank(bad["value"])
                ),
                TYPED_OTHER,
            )
        )
    good = numbers.filter(pl.col("ok"))
    if not good.height:
        return
    dated = pl.col("fmt").is_in([DATETIME, TIMEDELTA])
    plain = good.filter(~dated.fill_null(False))
    if plain.height:
        floats = _floats(plain["value"])
        first = len(typed)
        typed.extend(floats.to_list())
        canonical = plain["value"].str.contains(_PLAIN_INTEGER) & (plain["value"] != "-0")
        text = plain["value"]
        odd = (~canonical).arg_true()
        if len(odd):
            shown = [cell_text(typed[first + i]) for i in odd.to_list()]
            text = text.scatter(odd, shown)
        parts.append(
            _typed_as(
                plain.select("i", "row", "col").with_columns(
                    text=text,
                    tid=pl.int_range(first, first + plain.height, dtype=pl.Int64),
                    blank=pl.lit(False),
                ),
                TYPED_NUMBER,
                floats,
            )
        )
    dates = good.filter(dated.fill_null(False))
    if dates.height:
        _dates(dates, workbook, parts, typed)


def _floats(texts: Any) -> Any:
    """Number texts (of the NUMBER grammar) as floats, as Rust parses them: `inf`, `NaN`,
    `1E5` in any case. Lower-cased only when polars does not read a text as it is (it
    reads the usual ones), which gives the same number where both read one."""
    import polars as pl

    floats = texts.cast(pl.Float64, strict=False)
    if floats.null_count() > texts.null_count():
        floats = texts.str.to_lowercase().cast(pl.Float64, strict=False)
    return floats


_EXCEL_EPOCH = datetime(1899, 12, 30)


def _dates(dates: Any, workbook: Workbook, parts: list[Any], typed: list[Any]) -> None:
    """Numbers in a date or duration format, as python-calamine converts them: dates and
    datetimes from 1900 on in polars, the rest (times, durations, values Python cannot
    hold) one distinct value at a time."""
    import polars as pl

    from specc.tables.cells import cell_text

    value = pl.col("f")
    days = value + 1462 if workbook.is_1904 else value
    days = pl.when(days < 60).then(days + 1).otherwise(days)
    ms = days * 86_400_000.0
    ms = (ms.abs() + 0.5).floor() * ms.sign()
    frame = dates.with_columns(f=_floats(dates["value"])).with_columns(ms=ms)
    simple = (
        (pl.col("fmt") == DATETIME)
        & (pl.col("f") >= 1)
        & (pl.col("ms") <= float(_DATE_MAX_MS))
        & pl.col("f").is_finite()
    )
    frame = frame.with_columns(simple=simple)
    vector = frame.filter(pl.col("simple"))
    if vector.height:
        moment = pl.lit(_EXCEL_EPOCH) + pl.duration(milliseconds=pl.col("ms").cast(pl.Int64))
        whole = pl.col("f") == pl.col("f").floor()
        # The epoch is a midnight: a moment is one when its milliseconds make whole days.
        midnight = pl.col("ms") % 86_400_000 == 0
        done = vector.with_columns(moment=moment, whole=whole, midnight=midnight)
        day = pl.col("moment").dt.strftime("%Y-%m-%d")
        if done["midnight"].all():
            text = day  # the usual column of dates: one strftime, not three
        else:
            text = (
                pl.when(pl.col("whole") | pl.col("midnight"))
                .then(day)
                .when(pl.col("ms") % 1000 != 0)
                .then(pl.col("moment").dt.strftime("%Y-%m-%d %H:%M:%S%.6f"))
                .otherwise(pl.col("moment").dt.strftime("%Y-%m-%d %H:%M:%S"))
            )
        done = done.with_columns(text=text)
        whole_rows = done["whole"]
        objects: list[Any] = []
        moments = done["moment"]
        first = len(typed)
        if whole_rows.all():
            objects = moments.dt.date().to_list()
        elif not whole_rows.any():
            objects = moments.to_list()
        else:
            as_dates = moments.dt.date().to_list()
            as_datetimes = moments.to_list()
            objects = [
                d if w else t
                for d, t, w in zip(as_dates, as_datetimes, whole_rows.to_list(), strict=True)
            ]
        typed.extend(objects)
        # A whole day count is a date; any other a datetime, which may still fall on
        # midnight once rounded to the millisecond.
        kind = (
            pl.when(pl.col("whole"))
            .then(TYPED_DATE)
            .when(pl.col("midnight"))
            .then(TYPED_MIDNIGHT)
            .otherwise(TYPED_DATETIME)
        )
        parts.append(
            _typed_as(
                done.select("i", "row", "col", "text", "whole", "midnight").with_columns(
                    tid=pl.int_range(first, first + done.height, dtype=pl.Int64),
                    blank=pl.lit(False),
                ),
                kind,
            ).select("i", "row", "col", "text", "tid", "blank", "tk", "num")
        )
    rest = frame.filter(~pl.col("simple"))
    if rest.height:
        texts: list[str] = []
        tids: list[int] = []
        seen: dict[tuple[str, int], tuple[str, Any]] = {}
        for text, fmt in zip(rest["value"].to_list(), rest["fmt"].to_list(), strict=True):
            found = seen.get((text, fmt))
            if found is None:
                converted = excel_datetime(float(text), fmt, workbook.is_1904)
                found = seen[(text, fmt)] = (cell_text(converted), converted)
            texts.append(found[0])
            tids.append(len(typed))
            typed.append(found[1])
        parts.append(
            _typed_of(
                rest.select("i", "row", "col").with_columns(
                    text=pl.Series(texts, dtype=pl.String),
                    tid=pl.Series(tids, dtype=pl.Int64),
                    blank=pl.lit(False),
                ),
                typed[tids[0] :],
            )
        )
