"""The streamed .xlsx reader gives what python-calamine gives.

specc read every workbook with python-calamine before `specc.tables.xlsx` existed: calamine
is the reference. Hypothesis writes workbooks part by part (text with XML-special, unicode
and whitespace characters, numbers, booleans, errors, dates under several styles, formulas'
cached values, inline and rich strings, empty and sparse rows, cells and rows without `r`,
the header not on row 1 nor in column A) and both readers must yield the same rows, read in
chunks of a few hundred bytes so that every chunk boundary is crossed. The vectorised chunk
parser must agree with the exact one wherever it accepts a chunk.

The one difference on purpose: an event's cells run to the row's last cell with a value,
where calamine pads them to the sheet's widest row; rows are compared without trailing "".
"""

from __future__ import annotations

import math
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from time import sleep
from typing import Any
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from specc.tables import xlsx as streamed
from specc.tables import xlsx_parts
from specc.tables.batch import Batch, FileProblem
from specc.tables.calamine import PANICKED, read_spreadsheet
from specc.tables.cells import is_utf8
from specc.tables.xlsx import read_xlsx
from specc.tables.xlsx_cells import (
    TYPED_DATE,
    TYPED_DATETIME,
    TYPED_MIDNIGHT,
    TYPED_NUMBER,
    TYPED_OTHER,
    TypedCells,
    exact_cells,
    fast_cells,
)
from specc.tables.xlsx_parts import DATETIME, OTHER, TIMEDELTA, custom_format_kind

ROOT = Path(__file__).resolve().parents[2]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# --- writing workbooks ----------------------------------------------------------------------


def column_name(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def write(
    path: Path,
    rows: bytes,
    strings: list[bytes] | None = None,
    styles: str | None = None,
    date1904: bool = False,
    prolog: bytes = b"",
) -> Path:
    """A workbook of one sheet whose sheetData holds `rows` (raw XML); `strings`: the raw
    <si> items of xl/sharedStrings.xml."""
    rels = [f'<Relationship Id="rId1" Type="{DOC}/worksheet" Target="worksheets/sheet1.xml"/>']
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{DOC}">'
            + ('<workbookPr date1904="1"/>' if date1904 else "")
            + '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        if strings is not None:
            archive.writestr(
                "xl/sharedStrings.xml",
                f'<?xml version="1.0"?><sst xmlns="{MAIN}">'.encode()
                + b"".join(strings)
                + b"</sst>",
            )
        if styles is not None:
            archive.writestr("xl/styles.xml", styles)
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{RELS}">'
            + "".join(rels)
            + "</Relationships>",
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{MAIN}">'.encode()
            + prolog
            + b"<sheetData>"
            + rows
            + b"</sheetData></worksheet>",
        )
    return path


def styles_xml(custom: list[str], formats: list[int]) -> str:
    """Custom number formats 164, 165... and cell styles using `formats` (ids)."""
    codes = "".join(
        f'<numFmt numFmtId="{164 + i}" formatCode="{escape(code, {chr(34): "&quot;"})}"/>'
        for i, code in enumerate(custom)
    )
    xfs = "".join(f'<xf numFmtId="{f}"/>' for f in formats)
    return (
        f'<?xml version="1.0"?><styleSheet xmlns="{MAIN}"><numFmts>{codes}</numFmts>'
        f"<cellXfs>{xfs}</cellXfs></styleSheet>"
    )


# --- what a reader yields, comparable ---------------------------------------------------------


def _same(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    return (type(value).__name__, value)


def rows_of(items: Iterable[Batch | FileProblem]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if isinstance(item, FileProblem):
            out.append(("problem", item.kind))
            continue
        found = []
        for i in range(item.size):
            cells = tuple(_same(c) for c in item.cells(i))
            texts = tuple(column[i].as_py() for column in item.columns)
            found.append((item.row_at(i), item.line_at(i), "row", cells, texts))
        for event in item.events:
            cells = list(event.cells)
            while cells and cells[-1] == "":
                cells.pop()
            found.append((event.row, event.line, event.kind, tuple(_same(c) for c in cells), ()))
        out.extend(sorted(found, key=lambda r: r[0]))
    return out


class CalaminePanicked(Exception):
    """python-calamine's Rust code panicked (a duration too long for chrono): the reader
    reports the sheet as broken (PANICKED); there is nothing to compare with."""


def both(path: Path, ncols: int, has_header: bool = True) -> tuple[list[Any], list[Any]]:
    items = list(read_spreadsheet(path, ncols, has_header))
    for item in items:
        if isinstance(item, FileProblem) and (item.detail or "").startswith(PANICKED):
            raise CalaminePanicked(item.detail)
    return rows_of(items), rows_of(read_xlsx(path, ncols, has_header))


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Chunks of a few hundred bytes: every boundary between rows gets crossed."""
    monkeypatch.setattr(streamed, "CHUNK", 300)
    monkeypatch.setattr(xlsx_parts, "CHUNK", 200)
    yield


# --- generated sheets ---------------------------------------------------------------------------

_CHARS = st.sampled_from(
    [
        *"abcXYZ019 .,;-_@",
        *["<", ">", "&", '"', "'", "é", "ß", "中", "😀", "\t", "\n", "\r", "\u00a0", "\u2003"],
        *["_x000D_", "_x0041_", "_X0041_", "_x00", "&amp;"],
    ]
)
TEXTS = st.lists(_CHARS, max_size=6).map("".join)


def xml_text(text: str, raw_gt: bool) -> str:
    """`text` as XML character data: & and < escaped, CR as a reference (a raw CR would be
    read as a line end), > raw or escaped."""
    out = text.replace("&", "&amp;").replace("<", "&lt;").replace("\r", "&#13;")
    return out if raw_gt else out.replace(">", "&gt;")


@dataclass
class Sheet:
    strings: list[bytes] = field(default_factory=list)
    rows: list[bytes] = field(default_factory=list)


NUMBERS = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.floats(-1e15, 1e15, allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["0", "-0", "1.5", "45000", "45000.25", "0.5", "1E+20", "1e-7", "2958466"]),
)
SMALL_NUMBERS = st.floats(-1e6, 1e6, allow_nan=False).map(repr)
STYLES = st.integers(-1, 7)  # -1: no s attribute


@st.composite
def cells(draw: st.DrawFn, sheet: Sheet) -> str:
    """One <c> element after its `r`: its other attributes and its content (a shared
    string is added to `sheet.strings`)."""
    kind = draw(st.sampled_from(["s", "s", "s", "n", "n", "b", "e", "str", "inline", "empty", "d"]))
    style = draw(STYLES)
    s = f' s="{style}"' if style >= 0 else ""
    raw_gt = draw(st.booleans())
    if kind == "s":
        text = draw(TEXTS)
        shape = draw(st.sampled_from(["plain", "preserve", "rich", "phonetic"]))
        body = xml_text(text, raw_gt)
        if shape == "plain":
            item = f"<si><t>{body}</t></si>"
        elif shape == "preserve":
            item = f'<si><t xml:space="preserve">{body}</t></si>'
        elif shape == "rich":
            second = f'<r><rPr><b/></rPr><t xml:space="preserve"> {body}</t></r>'
            item = f"<si><r><t>{body}</t></r>{second}</si>"
        else:
            item = f'<si><t>{body}</t><rPh sb="0" eb="1"><t>ph</t></rPh></si>'
        sheet.strings.append(item.encode())
        return f'{s} t="s"><v>{len(sheet.strings) - 1}</v></c>'
    if kind == "n":
        # Durations (styles 3 and 5) of 10^8 days and more make calamine's Rust panic.
        value = draw(NUMBERS if style not in (3, 5) else SMALL_NUMBERS)
        typed = draw(st.sampled_from(["", ' t="n"']))
        formula = draw(st.sampled_from(["", "<f>A1+1</f>", '<f t="shared" si="0"/>']))
        return f"{s}{typed}>{formula}<v>{value}</v></c>"
    if kind == "b":
        return f'{s} t="b"><v>{draw(st.sampled_from(["0", "1"]))}</v></c>'
    if kind == "e":
        return f'{s} t="e"><v>{draw(st.sampled_from(["#N/A", "#DIV/0!", "#REF!"]))}</v></c>'
    if kind == "str":
        text = xml_text(draw(TEXTS), raw_gt)
        return f'{s} t="str"><f>CONCAT(A1)</f><v>{text}</v></c>'
    if kind == "inline":
        text = xml_text(draw(TEXTS), raw_gt)
        shape = draw(
            st.sampled_from(["<t>{}</t>", '<t xml:space="preserve">{}</t>', "<r><t>{}</t></r>"])
        )
        return f'{s} t="inlineStr"><is>{shape.format(text)}</is></c>'
    if kind == "d":
        value = draw(st.sampled_from(["2020-01-02", "2020-01-02T03:04:05", "12:30:00", "nope"]))
        return f'{s} t="d"><v>{value}</v></c>'
    return f"{s}/>" if draw(st.booleans()) else f"{s}></c>"


@st.composite
def sheets(draw: st.DrawFn) -> tuple[Sheet, int]:
    """A sheet (rows in order, some sparse, some blank) and the number of columns read."""
    sheet = Sheet()
    row = 0  # the row before (1-based), as calamine counts rows without r
    first_column = draw(st.sampled_from([0, 0, 0, 1, 2]))
    for _ in range(draw(st.integers(1, 9))):
        # A row without r is the one after the row before it; cells' r say the same.
        numbered = draw(st.integers(0, 9)) > 0
        row = row + 1 + (draw(st.sampled_from([0, 0, 0, 1, 2])) if numbered else 0)
        col = first_column + draw(st.sampled_from([0, 0, 0, 1]))
        parts = []
        for _ in range(draw(st.integers(0, 6))):
            if col > first_column + 7:
                break
            rest = draw(cells(sheet))
            with_r = draw(st.integers(0, 9)) > 0
            ref = f' r="{column_name(col)}{row}"' if with_r else ""
            parts.append(f"<c{ref}{rest}")
            col += 1 + draw(st.sampled_from([0, 0, 0, 1, 3]))
        attrs = f' r="{row}"' if numbered else ""
        attrs += draw(st.sampled_from(["", ' spans="1:5"', ' ht="15" customHeight="1"']))
        sheet.rows.append(f"<row{attrs}>{''.join(parts)}</row>".encode())
    return sheet, draw(st.integers(1, 5))


STYLE_CODES = [
    "yyyy-mm-dd",
    "[h]:mm",
    "0.00",
    '"Date: "yyyy',
    "h:mm AM/PM",
    "#,##0*y",
    "mm:ss.0",
]
STYLE_IDS = [0, 14, 22, 46, 164, 165, 166, 2]


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sheets(), st.booleans(), st.booleans())
def test_generated_workbooks_read_as_calamine_reads_them(
    tmp_path: Path, small_chunks: None, drawn: tuple[Sheet, int], header: bool, date1904: bool
) -> None:
    sheet, ncols = drawn
    path = write(
        tmp_path / "w.xlsx",
        b"".join(sheet.rows),
        sheet.strings,
        styles_xml(STYLE_CODES, STYLE_IDS),
        date1904=date1904,
    )
    try:
        calamine, mine = both(path, ncols, header)
    except CalaminePanicked:
        assume(False)
        return
    if calamine and calamine[-1][0] == "problem":
        # calamine fails the whole sheet; the streamed reader fails where the damage is.
        assert mine and mine[-1][0] == "problem", mine
        return
    assert mine == calamine


# --- the two chunk parsers --------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(sheets())
def test_the_fast_parser_reads_what_the_exact_one_reads(drawn: tuple[Sheet, int]) -> None:
    sheet, _ = drawn
    data = b"".join(sheet.rows)
    fast = fast_cells(data)
    exact = exact_cells(data, 0)
    if fast is not None:
        assert fast.frame.to_dicts() == exact.frame.to_dicts()
        assert fast.next_row == exact.next_row


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["", ' t="s"', ' s="1"', ' s="1" t="s"', "/", ' t="n"']) | TEXTS))
def test_tag_forms_are_told_apart_exactly(texts: list[str]) -> None:
    """However many distinct forms (compared one by one up to a few, hashed beyond), each
    text gets the index of its own form."""
    import polars as pl

    from specc.tables.xlsx_cells import _distinct

    found = _distinct(pl.Series(texts, dtype=pl.String))
    assert found is not None
    index, samples = found
    assert len(set(samples)) == len(samples) == len(set(texts))
    assert [samples[i] for i in index.to_list()] == texts


def test_the_fast_parser_reads_what_spreadsheet_programs_write() -> None:
    rows = (
        b'<row r="1" spans="1:3" x14ac:dyDescent="0.25"><c r="A1" t="s"><v>0</v></c>'
        b'<c r="B1" s="2"><v>45000.5</v></c><c r="C1" s="1" t="s"><v>1</v></c></row>'
        b'<row r="3"><c r="A3" t="str"><f>A1&amp;B1</f><v>a &amp; b</v></c><c r="B3" s="1"/>'
        b'<c r="C3" t="inlineStr"><is><t xml:space="preserve"> x </t></is></c></row>'
        b'<row r="4"><c r="AA4"><f t="shared" si="0"/><v>3</v></c></row>'
    )
    fast = fast_cells(rows)
    assert fast is not None
    assert fast.frame.to_dicts() == exact_cells(rows, 0).frame.to_dicts()
    assert fast.next_row == 4


@pytest.mark.parametrize(
    "rows",
    [
        b'<row r="1"><c t="s"><v>0</v></c></row>',  # a cell without r
        b'<row r="1"><c r="A1"><v>1</v><extLst/></c></row>',  # an element calamine refuses
        b'<row r="1"><c r="A1" t="inlineStr"><is><r><t>a</t></r></is></c></row>',  # rich text
        b"<row r='1'><c r='A1'><v>1</v></c></row>",  # single quotes
        b'<row r="1"><!-- note --><c r="A1"><v>1</v></c></row>',  # a comment
        b'<row r="1"><?pi x?><c r="A1"><v>1</v></c></row>',  # a processing instruction
        b'<row r="1"><c r="A1" t="str"><v><![CDATA[a]]></v></c></row>',  # CDATA
        b'<row r="1"><c r="A2"><v>1</v></c></row>',  # a cell outside its row
        b'<row r="1"><c r="A1"><v>a&amp;b</v></c></row>',  # an entity in a number
        b'<row r="1"><c r="A1"/><c r="B1"><v>1</v></c></row><row><c r="A2"><v>2</v></c></row>',
        b'<row r="1"><c r="A1"/><v>1</v></c></row>',  # a <v> after a closed cell
        b'<row r="1"><c r="A1" t="str"><v>\xed\xa0\x80</v></c></row>',  # a UTF-8 surrogate
        b'<row r="1"><c r="A1" t="str"><v>\xc3</v></c></row>',  # a cut character
    ],
)
def test_the_fast_parser_declines_what_it_cannot_prove(rows: bytes) -> None:
    assert fast_cells(rows) is None


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from([b"a", b"\xc3\xa9", b"\xc3", b"\xa9", b"\xed\xa0\x80", b"\xc0\x80"])
        | st.binary(max_size=4),
        max_size=6,
    ).map(b"".join)
)
def test_utf8_is_checked_as_python_decodes(data: bytes) -> None:
    try:
        data.decode("utf-8")
        decodes = True
    except UnicodeDecodeError:
        decodes = False
    assert is_utf8(data) == decodes


_ITEM_TEXTS = st.lists(
    st.sampled_from([*"ab é中 \t", "&amp;", "&lt;", "&#13;", "_x0041_", ">", "\n", "<", "]]>"]),
    max_size=5,
).map("".join)
_ITEMS = st.lists(
    st.tuples(_ITEM_TEXTS, st.sampled_from(["<t>", '<t xml:space="preserve">', "<t >"])).map(
        lambda item: f"<si>{item[1]}{item[0]}</t></si>"
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(_ITEMS, st.sampled_from(["", " ", "\n"]))
def test_plain_shared_strings_read_as_expat_reads_them(items: list[str], between: str) -> None:
    """Where the Arrow path accepts a chunk of shared strings, it reads what expat reads."""
    data = between.join(items).encode()
    try:
        expected = xlsx_parts._exact_items(data)
    except xlsx_parts.Damaged:
        assume(False)
    plain = xlsx_parts._plain_strings(data)
    if plain is not None:
        assert plain.to_list() == expected
    assert xlsx_parts._strings_chunk(data).to_list() == expected


# --- styles and dates ---------------------------------------------------------------------------

FORMAT_CHARS = st.sampled_from([*'yYmMdDhHsSaApP/:;_\\*"[]0#,.-@ E+', "AM/PM", "[h]", "[mm]"])


@settings(max_examples=150, deadline=None)
@given(st.lists(FORMAT_CHARS, min_size=1, max_size=8).map("".join))
def test_custom_formats_show_dates_where_calamine_sees_dates(
    tmp_path_factory: Any, code: str
) -> None:
    from python_calamine import CalamineWorkbook

    path = tmp_path_factory.mktemp("f") / "f.xlsx"
    write(
        path,
        b'<row r="1"><c r="A1" s="1"><v>45000.5</v></c></row>',
        None,
        styles_xml([code], [0, 164]),
    )
    value = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[0][0]
    expected = (
        TIMEDELTA
        if isinstance(value, timedelta)
        else DATETIME
        if isinstance(value, datetime)
        else OTHER
    )
    assert custom_format_kind(code) == expected


@settings(max_examples=120, deadline=None)
@given(
    st.one_of(
        st.floats(-5, 3e6, allow_nan=False, allow_infinity=False),
        st.integers(-10, 3_000_000).map(float),
        st.sampled_from([0.0, 0.5, 59.0, 60.0, 61.0, 0.999999999999, 45000.99999999999]),
    ),
    st.sampled_from([1, 2, 3]),
    st.booleans(),
)
def test_dates_and_durations_convert_as_python_calamine_converts_them(
    tmp_path_factory: Any, value: float, style: int, date1904: bool
) -> None:
    path = tmp_path_factory.mktemp("d") / "d.xlsx"
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        f'<row r="2"><c r="A2" s="{style}"><v>{value!r}</v></c></row>'
    )
    write(path, rows.encode(), [b"<si><t>h</t></si>"], styles_xml([], [0, 14, 22, 46]), date1904)
    try:
        calamine, mine = both(path, 1)
    except CalaminePanicked:
        assume(False)
        return
    assert mine == calamine


# --- whole workbooks ------------------------------------------------------------------------------


def test_the_example_workbook() -> None:
    (path,) = (ROOT / "examples" / "association-labels").glob("*.xlsx")
    calamine, mine = both(path, 4)
    assert mine == calamine and mine


def test_a_header_right_of_column_a_and_a_cell_further_left_below(
    tmp_path: Path, small_chunks: None
) -> None:
    """calamine's rows start at the leftmost column any cell uses, wherever that cell is:
    the streamed reader reads the sheet once more to find it."""
    rows = b"".join(
        [
            b'<row r="2"><c r="C2" t="inlineStr"><is><t>h</t></is></c>'
            b'<c r="D2" t="inlineStr"><is><t>i</t></is></c></row>'
        ]
        + [
            f'<row r="{r}"><c r="C{r}"><v>{r}</v></c><c r="D{r}"><v>1</v></c></row>'.encode()
            for r in range(3, 40)
        ]
        + [b'<row r="40"><c r="A40" t="inlineStr"><is><t>note</t></is></c></row>']
    )
    path = write(tmp_path / "left.xlsx", rows)
    calamine, mine = both(path, 4)
    assert mine == calamine
    assert mine[0][3] == (("str", ""), ("str", ""), ("float", 3.0), ("float", 1.0))


def test_rows_out_of_order_end_the_sheet_after_the_rows_before(
    tmp_path: Path, small_chunks: None
) -> None:
    rows = b"".join(
        [f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>'.encode() for r in range(1, 60)]
        + [b'<row r="5"><c r="A5"><v>5</v></c></row>']
    )
    path = write(tmp_path / "order.xlsx", rows)
    mine = list(read_xlsx(path, 1))
    assert isinstance(mine[-1], FileProblem) and "row 5 comes after row" in mine[-1].detail
    read = [b.line_at(i) for b in mine if isinstance(b, Batch) for i in range(b.size)]
    assert read == list(range(2, len(read) + 2)) and len(read) > 10


def damaged_midway(path: Path, strings: list[bytes] | None) -> Path:
    """A workbook of 399 one-cell rows whose sheet's compressed bytes are overwritten halfway:
    its first rows read, then the zip stream breaks."""
    rows = b"".join(
        f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>'.encode() for r in range(1, 400)
    )
    write(path, rows, strings)
    damage_part(path, "xl/worksheets/sheet1.xml")
    return path


def damage_part(path: Path, name: str) -> None:
    """Overwrite 8 bytes halfway into the compressed data of the workbook's part `name`."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
    data = bytearray(path.read_bytes())
    middle = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    data[middle : middle + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))


def test_a_sheet_damaged_midway_yields_its_first_rows_then_a_problem(
    tmp_path: Path, small_chunks: None
) -> None:
    path = damaged_midway(tmp_path / "broken.xlsx", None)
    items = list(read_xlsx(path, 1))
    assert isinstance(items[-1], FileProblem) and items[-1].kind == "spreadsheet"
    assert any(isinstance(i, Batch) and i.size for i in items)


@pytest.fixture
def slow_strings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Shared strings that take a while to read: the reader scans the sheet ahead meanwhile,
    up to SCAN_AHEAD chunks (or the sheet's end, or its damage)."""
    real = streamed._shared_strings

    def slow(*args: Any) -> Any:
        sleep(0.3)
        return real(*args)

    monkeypatch.setattr(streamed, "_shared_strings", slow)
    yield


def test_chunks_scanned_while_the_strings_load_read_as_calamine_reads_them(
    tmp_path: Path, small_chunks: None, slow_strings: None
) -> None:
    strings = [f"<si><t>s{i}</t></si>".encode() for i in range(50)]
    rows = "".join(
        f'<row r="{r}"><c r="A{r}" t="s"><v>{r % 50}</v></c><c r="B{r}"><v>{r}</v></c>'
        + (f'<c r="D{r}" t="str"><v>x</v></c>' if r % 7 == 0 else "")  # an event
        + "</row>"
        for r in range(1, 120)
    ).encode()
    path = write(tmp_path / "ahead.xlsx", rows, strings)
    expected, got = both(path, 2)
    assert got == expected
    reader = streamed._SheetReader(path, 2, True, None)
    try:
        reader.first_batches()
        assert len(reader.ahead) == streamed.SCAN_AHEAD  # the sheet was scanned ahead
    finally:
        reader.close()


def test_damage_met_while_scanning_ahead_comes_after_the_rows_before_it(
    tmp_path: Path, small_chunks: None, slow_strings: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(streamed, "SCAN_AHEAD", 1000)  # far enough to meet the damage
    path = damaged_midway(tmp_path / "broken.xlsx", [b"<si><t>a</t></si>"])
    items = list(read_xlsx(path, 1))
    assert isinstance(items[-1], FileProblem) and items[-1].kind == "spreadsheet"
    assert "Zip error" in (items[-1].detail or "")
    assert any(isinstance(i, Batch) and i.size for i in items)


def test_what_this_reader_does_not_read_goes_to_calamine(tmp_path: Path) -> None:
    """A prefixed (strict-style) sheet, a DTD, no shared strings part: calamine reads them."""
    rows = b'<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c></x:row>'
    path = write(tmp_path / "prefixed.xlsx", rows)
    calamine, mine = both(path, 1, has_header=False)
    assert mine == calamine


def test_the_workbook_is_opened_as_a_regular_input_and_closed_after(tmp_path: Path) -> None:
    """The reader opens the file through specc.inputs (a FIFO is refused at once, never
    waited on) and lets it go once the rows are read."""
    import os

    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    items = list(read_xlsx(fifo, 1))
    assert [type(item) for item in items] == [FileProblem]
    assert "FIFO" in items[0].detail

    path = write(tmp_path / "plain.xlsx", b'<row r="1"><c r="A1"><v>1</v></c></row>')

    def open_on_path() -> list[str]:
        folder = Path("/proc/self/fd")
        found = []
        for fd in os.listdir(folder):
            try:
                found.append(os.readlink(folder / fd))
            except OSError:
                continue
        return [target for target in found if target == str(path)]

    reader = read_xlsx(path, 1, has_header=False)
    assert isinstance(next(reader), Batch)
    assert open_on_path()  # held while the rows are read
    list(reader)
    assert not open_on_path()


def test_a_shared_string_index_past_the_end_is_a_problem(tmp_path: Path) -> None:
    path = write(
        tmp_path / "index.xlsx",
        b'<row r="1"><c r="A1" t="s"><v>3</v></c></row>',
        [b"<si><t>a</t></si>"],
    )
    calamine, mine = both(path, 1)
    assert calamine == mine == [("problem", "spreadsheet")]


def test_typed_cells_keep_their_python_types(tmp_path: Path) -> None:
    rows = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>h</t></is></c>'
        b'<c r="B1" t="inlineStr"><is><t>i</t></is></c></row>'
        b'<row r="2"><c r="A2" s="1"><v>45000</v></c><c r="B2" t="b"><v>1</v></c></row>'
        b'<row r="3"><c r="A3" s="2"><v>45000.5</v></c><c r="B3"><v>441234567890</v></c></row>'
    )
    path = write(tmp_path / "typed.xlsx", rows, None, styles_xml([], [0, 14, 22]))
    batches = [b for b in read_xlsx(path, 2) if isinstance(b, Batch)]
    cells = [c for b in batches for i in range(b.size) for c in b.cells(i)]
    assert cells == [date(2023, 3, 15), True, datetime(2023, 3, 15, 12), 441234567890.0]
    texts = [b.columns[j][i].as_py() for b in batches for i in range(b.size) for j in range(2)]
    assert texts == ["2023-03-15", "TRUE", "2023-03-15 12:00:00", "4.41235E+11"]


def _typed_kind(value: Any) -> int:
    """What the reader must say a typed cell is (`TypedCells.kind`), from its Python value."""
    if isinstance(value, float):
        return TYPED_NUMBER
    if isinstance(value, datetime):
        return TYPED_MIDNIGHT if value.time() == time(0) else TYPED_DATETIME
    if isinstance(value, date):
        return TYPED_DATE
    return TYPED_OTHER


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sheets(), st.booleans(), st.booleans())
def test_typed_cells_column_wise_are_the_typed_cells(
    tmp_path: Path, small_chunks: None, drawn: tuple[Sheet, int], header: bool, date1904: bool
) -> None:
    """What `prepare` gets column-wise (`typed=`) is `Batch.typed`, cell for cell: the same
    rows, each cell's kind as its Python value says, a number cell's value."""
    sheet, ncols = drawn
    path = write(
        tmp_path / "w.xlsx",
        b"".join(sheet.rows),
        sheet.strings,
        styles_xml(STYLE_CODES, STYLE_IDS),
        date1904=date1904,
    )

    def prepare(columns: list[Any], typed: dict[int, TypedCells]) -> dict[int, TypedCells]:
        return typed

    for batch in read_xlsx(path, ncols, header, prepare=prepare):
        if not isinstance(batch, Batch) or batch.prepared is None:
            continue  # a problem, or calamine's reading (which prepares nothing)
        given = batch.prepared
        assert sorted(given) == sorted(batch.typed)
        for j, cells in given.items():
            values = batch.typed[j]
            assert cells.at.to_list() == sorted(values)
            kinds = [_typed_kind(values[i]) for i in sorted(values)]
            assert cells.kind.to_list() == kinds
            numbers = [values[i] if isinstance(values[i], float) else None for i in sorted(values)]
            assert [_same(n) for n in cells.number.to_list()] == [_same(n) for n in numbers]


def test_typed_cells_of_dates_at_midnight_and_with_a_time(tmp_path: Path) -> None:
    """A day count with a fraction that rounds to midnight is a datetime at midnight, not a
    date (python-calamine's types), and the checks are told so."""
    rows = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>h</t></is></c></row>'
        b'<row r="2"><c r="A2" s="1"><v>45000</v></c></row>'
        b'<row r="3"><c r="A3" s="1"><v>45000.000000001</v></c></row>'
        b'<row r="4"><c r="A4" s="1"><v>45000.5</v></c></row>'
        b'<row r="5"><c r="A5"><v>2.5</v></c></row>'
        b'<row r="6"><c r="A6" t="b"><v>1</v></c></row>'
    )
    path = write(tmp_path / "typed.xlsx", rows, None, styles_xml([], [0, 14]))

    def prepare(columns: list[Any], typed: dict[int, TypedCells]) -> dict[int, TypedCells]:
        return typed

    (batch,) = [b for b in read_xlsx(path, 1, prepare=prepare) if isinstance(b, Batch)]
    assert [batch.typed[0][i] for i in range(5)] == [
        date(2023, 3, 15),
        datetime(2023, 3, 15),
        datetime(2023, 3, 15, 12),
        2.5,
        True,
    ]
    cells = batch.prepared[0]
    assert cells.kind.to_list() == [
        TYPED_DATE,
        TYPED_MIDNIGHT,
        TYPED_DATETIME,
        TYPED_NUMBER,
        TYPED_OTHER,
    ]
    assert cells.number.to_list() == [None, None, None, 2.5, None]


# --- bounds ---------------------------------------------------------------------------------------


def test_rows_of_cells_far_apart_are_refused_not_spelled_out(tmp_path: Path) -> None:
    """A cell at XFD makes its row 16,384 cells long once the cells between count (as in
    calamine's rectangle): many such rows are a FileProblem, not gigabytes of tuples, and
    never handed to calamine."""
    rows = b"".join(
        f'<row r="{r}"><c r="A{r}"><v>1</v></c><c r="XFD{r}"><v>1</v></c></row>'.encode()
        for r in range(1, 3000)
    )
    path = write(tmp_path / "far.xlsx", rows)
    items = list(read_xlsx(path, 1))
    assert isinstance(items[-1], FileProblem) and "cells far apart" in items[-1].detail
    assert all(len(e.cells) <= 16_384 for b in items if isinstance(b, Batch) for e in b.events)


def test_one_row_with_a_far_cell_is_read(tmp_path: Path) -> None:
    rows = b'<row r="1"><c r="A1"><v>1</v></c></row><row r="9"><c r="XFD9"><v>2</v></c></row>'
    path = write(tmp_path / "corner.xlsx", rows)
    (batch,) = list(read_xlsx(path, 1))
    assert isinstance(batch, Batch)
    (event,) = batch.events
    assert (event.line, len(event.cells), event.cells[-1]) == (9, 16_384, 2.0)


def test_workbook_problem_for_a_streamed_reader(tmp_path: Path) -> None:
    """Streamed, a sheet is not measured (no rectangle is built): cells far apart pass,
    while shared strings (held whole) and a declared range the size cannot hold do not."""
    from specc.data.workbook_limits import workbook_problem

    corner = write(
        tmp_path / "corner.xlsx",
        b'<row r="1"><c r="A1"><v>1</v></c></row>'
        b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
    )
    assert "17,179,869,184 cells" in (workbook_problem(corner) or "")
    assert workbook_problem(corner, streamed=True) is None

    strings = write(
        tmp_path / "strings.xlsx",
        b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
        [b"<si><t>%d</t></si>" % i for i in range(1_200_000)],
    )
    assert "shared strings" in (workbook_problem(strings, streamed=True) or "")

    declared = write(
        tmp_path / "declared.xlsx",
        b'<row r="1"><c r="A1"><v>1</v></c></row>',
        prolog=b'<dimension ref="A1:XFD1048576"/>',
    )
    assert "declares a used range" in (workbook_problem(declared, streamed=True) or "")


def test_damaged_shared_strings_of_an_empty_sheet_go_to_calamine_as_before(
    tmp_path: Path,
) -> None:
    """The strings load in the background; a sheet with no row never resolves a cell, and
    must still meet their damage (calamine then judges the workbook, as it did when the
    strings were read first)."""
    strings = [f"<si><t>text number {i}</t></si>".encode() for i in range(2000)]
    path = write(tmp_path / "empty.xlsx", b"", strings)
    damage_part(path, "xl/sharedStrings.xml")
    reader = streamed._SheetReader(path, 1, True, None)
    try:
        with pytest.raises(xlsx_parts.Damaged):
            reader.first_batches()
    finally:
        reader.close()
    calamine = list(read_spreadsheet(path, 1, True))
    assert [type(i) for i in calamine] == [FileProblem]
    assert list(read_xlsx(path, 1)) == calamine
