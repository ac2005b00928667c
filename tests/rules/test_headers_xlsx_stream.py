"""The streaming .xlsx header reader gives what python-calamine gives, and reads only row 1.

Each workbook is read twice: by the streaming reader (xlsx_header) and by python-calamine
(the reader it replaces for .xlsx, still used for .xls and as the fallback); the header values
and the sheet names must be the same.
"""

from __future__ import annotations

import math
import sys
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rules_support import col, csv_file, make_spec

from specc.rules.headers import check_headers
from specc.tables import header as headers
from specc.tables import xlsx_header
from specc.tables.cells import cell_text
from specc.tables.header import HeaderProblem, _calamine_first_row, read_spreadsheet_header
from specc.tables.xlsx_header import ReadStats, Unsupported, read_xlsx_header

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def without_trailing_blanks(values: list[object]) -> list[object]:
    """calamine pads row 1 with "" to the width of the whole sheet; the reader stops at the
    row's last cell. The header check drops trailing blanks either way."""
    values = list(values)
    while values and values[-1] == "":
        values.pop()
    return values


def same_as_calamine(path: Path) -> list[str]:
    """The streamed header, after checking it equals calamine's; as header cells."""
    values, sheets = read_xlsx_header(path)
    expected = _calamine_first_row(path)
    assert expected is not None
    values = without_trailing_blanks(values)  # type: ignore[assignment]
    expected_values = without_trailing_blanks(expected[0])
    expected_sheets = expected[1]
    assert sheets == expected_sheets
    assert len(values) == len(expected_values), (values, expected_values)
    for got, want in zip(values, expected_values, strict=True):
        assert type(got) is type(want), (values, expected_values)
        assert got == want or (isinstance(got, float) and math.isnan(got) and math.isnan(want))
    header = read_spreadsheet_header(path)
    assert header is not None
    return header.cells


def save(workbook: object, tmp_path: Path, name: str = "book.xlsx") -> Path:
    path = tmp_path / name
    workbook.save(path)  # type: ignore[attr-defined]
    return path


def book(*rows: list[object]) -> object:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    return workbook


# A workbook written part by part, for what openpyxl does not write (inline strings,
# phonetic runs, cells without references, strict OOXML, DTDs...).
CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/></Types>'
)
PACKAGE_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="/xl/sharedStrings.xml"/></Relationships>'
)


def handmade(
    tmp_path: Path,
    sheet_data: str,
    strings: list[str] = (),
    *,
    ns: str = MAIN,  # type: ignore[assignment]
    prolog: str = "",
    sheets: str = '<sheet name="Data" sheetId="1" r:id="rId1"/>',
) -> Path:
    path = tmp_path / "handmade.xlsx"
    rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{ns}" xmlns:r="{rel_ns}"><sheets>{sheets}'
            "</sheets></workbook>",
        )
        archive.writestr(
            "xl/sharedStrings.xml",
            f'<?xml version="1.0"?><sst xmlns="{ns}">{"".join(strings)}</sst>',
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<?xml version="1.0"?>{prolog}<worksheet xmlns="{ns}"><sheetData>{sheet_data}'
            "</sheetData></worksheet>",
        )
    return path


# --- the same values as calamine -------------------------------------------------------------


def test_shared_strings_numbers_booleans_and_several_sheets(tmp_path: Path) -> None:
    workbook = book(
        ["Email", "Year", 2024, 1.5, True, False, -0.25, 1e20, None, None], ["a@b.c", 1, 2]
    )
    workbook.create_sheet("Notes")
    hidden = workbook.create_sheet("Hidden")
    hidden.sheet_state = "hidden"
    path = save(workbook, tmp_path)
    cells = same_as_calamine(path)
    assert cells == [
        "Email",
        "Year",
        "2024",
        "1.5",
        "TRUE",
        "FALSE",
        "-0.25",
        "1E+20",  # the General format, as every reader of specc shows a typed cell
    ]
    assert read_xlsx_header(path)[1] == ["Sheet", "Notes", "Hidden"]


def test_gaps_are_empty_cells_and_leading_columns_count(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["B1"], sheet["D1"], sheet["G1"], sheet["A2"] = "Email", "Name", 7, "x"
    assert same_as_calamine(save(workbook, tmp_path)) == ["", "Email", "", "Name", "", "", "7"]


def test_an_empty_first_row_is_an_empty_header(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active["A3"] = "Email"
    path = save(workbook, tmp_path)
    assert same_as_calamine(path) == []
    file = csv_file([col("Email", "email")], name="book.xlsx", path=path)
    assert [d.code for d in check_headers(make_spec(file))] == ["SPC308"]


def test_an_empty_sheet(tmp_path: Path) -> None:
    assert same_as_calamine(save(openpyxl.Workbook(), tmp_path)) == []


def test_rich_text_and_unicode(tmp_path: Path) -> None:
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    rich = CellRichText(["Fir", TextBlock(InlineFont(b=True), "st "), "Name"])
    path = save(
        book([rich, "Prénom\u00a0", "電子メール", "e\u0301", " pad ", "a\u200bb", "🙂"]), tmp_path
    )
    assert same_as_calamine(path)[:3] == ["First Name", "Prénom\u00a0", "電子メール"]


def test_inline_strings_phonetic_runs_escapes_and_trimming(tmp_path: Path) -> None:
    strings = [
        "<si><t>  trimmed \n</t></si>",
        '<si><t xml:space="preserve">  kept  </t></si>',
        "<si><r><t>Ja</t></r><r><rPr><b/></rPr><t>pan</t></r><rPh><t>ジャ</t></rPh></si>",
        "<si><t>a_x000D_b_x005f_x0041_</t></si>",
        "<si><t>&#13;a&amp;b&#10;</t></si>",
        "<si/>",
    ]
    row = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c>'
        '<c r="F1" t="s"><v>5</v></c>'
        '<c r="G1" t="inlineStr"><is><r><t xml:space="preserve">in </t></r><r><t> line </t></r>'
        "</is></c>"
        '<c r="H1" t="str"><f>A1</f><v> formula </v></c><c r="I1" t="e"><v>#N/A</v></c>'
        '<c r="J1" t="s"/><c r="K1"><v>1E-3</v></c><c r="M1" t="b"><v>1</v></c></row>'
        '<row r="2"><c r="A2"><v>1</v></c></row>'
    )
    assert same_as_calamine(handmade(tmp_path, row, strings)) == [
        "trimmed",
        "  kept  ",
        "Japan",
        "a\rb_x0041_",
        "a&b",
        "",
        "in line",
        " formula ",
        "",
        "",
        "0.001",
        "",
        "TRUE",
    ]


def test_cells_and_rows_without_references(tmp_path: Path) -> None:
    row = (
        '<row><c t="inlineStr"><is><t>A</t></is></c><c><v>2</v></c><c><f>0</f><v/></c></row>'
        "<row><c><v>3</v></c></row>"
    )
    assert same_as_calamine(handmade(tmp_path, row)) == ["A", "2"]


def test_cells_out_of_order_and_repeated(tmp_path: Path) -> None:
    row = '<row r="1"><c r="C1"><v>1</v></c><c r="A1"><v>2</v></c><c r="A1"><v>3</v></c></row>'
    assert same_as_calamine(handmade(tmp_path, row)) == ["3", "", "1"]


def test_dates_and_styled_numbers_are_streamed(tmp_path: Path) -> None:
    import datetime

    workbook = book(["When", datetime.date(2024, 1, 2), 3, datetime.datetime(2024, 1, 2, 10, 30)])
    workbook.active["C1"].number_format = "0.00"
    path = save(workbook, tmp_path)
    assert same_as_calamine(path) == ["When", "2024-01-02", "3", "2024-01-02 10:30:00"]


@pytest.mark.parametrize(
    ("value", "number_format"),
    [
        (45000, "mm-dd-yy"),
        (45000.5, "m/d/yy h:mm"),
        (0.5, "h:mm"),
        (1.5, "h:mm:ss"),
        (59, "mm-dd-yy"),
        (60, "mm-dd-yy"),
        (61, "mm-dd-yy"),
        (-0.5, "mm-dd-yy"),
        (45000.999999999, "yyyy-mm-dd hh:mm:ss"),
        (45000.123456789, "yyyy-mm-dd hh:mm:ss"),
        (0.99999999, "h:mm"),
        (2958465.5, "mm-dd-yy"),
        (2958466, "mm-dd-yy"),
        (1e20, "d"),
        (1.25, "[h]:mm:ss"),
        (-2.5, "[h]:mm:ss"),
        (2.5, "[mm]:ss"),
        (0.01, "mm:ss"),
        (45000, "[$-409]mmmm d, yyyy"),
        (45000, '"Year "0'),
        (45000, "[Red]0.00"),
        (45000, "0;[Red]yyyy"),
        (45000, "AM/PM"),
        (45000, "_d0"),
        (45000, "\\d0"),
        (45000, "General"),
        (45000, "@"),
        (45000, "0.00%"),
        (45000, "B1yyyy"),
    ],
)
def test_a_number_in_any_format_reads_as_calamine_reads_it(
    tmp_path: Path, value: float, number_format: str
) -> None:
    workbook = book(["Email", value])
    workbook.active["B1"].number_format = number_format
    same_as_calamine(save(workbook, tmp_path))


def test_the_1904_date_system(tmp_path: Path) -> None:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    workbook = book(["Email", 0, 1000.25, 0.5])
    workbook.epoch = CALENDAR_MAC_1904
    for cell in ("B1", "C1", "D1"):
        workbook.active[cell].number_format = "mm-dd-yy"
    assert same_as_calamine(save(workbook, tmp_path)) == [
        "Email",
        "00:00:00",
        "1906-09-27 06:00:00",
        "12:00:00",
    ]


def test_iso_date_cells_formulas_and_booleans(tmp_path: Path) -> None:
    row = (
        '<row r="1"><c r="A1" t="d"><v>2024-01-02T10:00:00</v></c>'
        '<c r="B1" t="d"><v>2024-01-02</v></c><c r="C1" t="d"><v>10:00:00.5</v></c>'
        '<c r="D1" t="d"><v>2024-01-02T10:00:00Z</v></c>'
        '<c r="E1"><f>1+1</f><v>2</v></c><c r="F1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>'
        '<c r="G1" t="b"><f>TRUE()</f><v>1</v></c><c r="H1" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
        '<c r="I1" t="inlineStr"><is><t>Email</t></is></c></row>'
    )
    assert same_as_calamine(handmade(tmp_path, row)) == [
        "2024-01-02 10:00:00",
        "2024-01-02",
        "10:00:00.500000",
        "2024-01-02T10:00:00Z",
        "2",
        "ab",
        "TRUE",
        "",
        "Email",
    ]


# Format codes from the characters calamine's detection looks at.
FORMAT_CODE = st.text(alphabet=list('0#.,;[]"\\_dmhysDMHYSaApP/:@ -eE%$Red'), max_size=10)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FORMAT_CODE, st.sampled_from([0.25, 1.0, 45000.5, -3.0]))
def test_any_custom_format_reads_as_calamine_reads_it(number_format: str, value: float) -> None:
    workbook = book(["Email", value])
    workbook.active["B1"].number_format = number_format
    with tempfile.TemporaryDirectory() as folder:
        path = save(workbook, Path(folder))
        try:
            expected = _calamine_first_row(path)
        except Exception:  # calamine refuses some (a duration out of range)
            return
        assert expected is not None
        values, _ = read_xlsx_header(path)
        assert without_trailing_blanks(values) == without_trailing_blanks(expected[0])
        assert [type(v) for v in values] == [type(v) for v in expected[0][: len(values)]]


def test_odd_files_are_left_to_calamine(tmp_path: Path) -> None:
    strict = handmade(
        tmp_path,
        '<row r="1"><c r="A1"><v>1</v></c></row>',
        ns="http://purl.oclc.org/ooxml/spreadsheetml/main",
    )
    with pytest.raises(Unsupported, match="root"):
        read_xlsx_header(strict)
    chart_first = openpyxl.Workbook()
    chart_first.create_chartsheet("Chart", 0)
    path = save(chart_first, tmp_path, "chart.xlsx")
    with pytest.raises(Unsupported, match="chartsheet"):
        read_xlsx_header(path)
    header = read_spreadsheet_header(path)
    assert header is not None and header.sheets == ["Chart", "Sheet"] and header.cells == []
    not_a_zip = tmp_path / "old.xlsx"
    not_a_zip.write_bytes(b"\xd0\xcf\x11\xe0 an OLE2 (.xls) file")
    with pytest.raises(Unsupported):
        read_xlsx_header(not_a_zip)


# --- reading only the header -----------------------------------------------------------------

BIG_ROWS = 200_000
BIG_HEADER = ["Email", "First Name", "Last Name", "Company"]


@pytest.fixture(scope="module")
def big_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200,000 rows of four shared strings each, written as XML directly (openpyxl would
    take many seconds); the header's strings come first in the shared string table."""
    path = tmp_path_factory.mktemp("big") / "big.xlsx"
    strings = [f"<si><t>{s}</t></si>" for s in BIG_HEADER]
    rows = [
        '<row r="1">'
        + "".join(f'<c r="{c}1" t="s"><v>{n}</v></c>' for n, c in enumerate("ABCD"))
        + "</row>"
    ]
    for r in range(2, BIG_ROWS + 2):
        base = len(strings)
        strings += [
            f"<si><t>user{r}@example.com</t></si>",
            f"<si><t>First{r}</t></si>",
            f"<si><t>Last{r}</t></si>",
            f"<si><t>Company {r}</t></si>",
        ]
        rows.append(
            f'<row r="{r}">'
            + "".join(f'<c r="{c}{r}" t="s"><v>{base + n}</v></c>' for n, c in enumerate("ABCD"))
            + "</row>"
        )
    tmp = Path(tempfile.mkdtemp())
    made = handmade(tmp, "".join(rows), strings)
    made.replace(path)
    return path


def test_a_big_sheet_is_read_only_up_to_its_first_row(big_workbook: Path) -> None:
    stats = ReadStats()
    values, sheets = read_xlsx_header(big_workbook, stats)
    assert (values, sheets) == (BIG_HEADER, ["Data"])
    assert stats.rows_parsed == 1
    assert stats.sheet_bytes <= 1 << 16  # one chunk of the sheet's XML
    assert stats.shared_strings_parsed == len(BIG_HEADER)
    with zipfile.ZipFile(big_workbook) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 100 * stats.sheet_bytes


def test_an_empty_first_row_stops_at_the_next_row(big_workbook: Path, tmp_path: Path) -> None:
    stats = ReadStats()
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(2, 50_000))
    assert read_xlsx_header(handmade(tmp_path, rows), stats) == ([], ["Data"])
    assert stats.rows_parsed == 1


def _never_calamine(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path: Path) -> None:
        raise AssertionError("python-calamine parsed the whole sheet")

    monkeypatch.setattr(headers, "_calamine_first_row", refuse)


def test_a_typed_first_cell_of_a_big_sheet_is_streamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _never_calamine(monkeypatch)
    styles = (
        f'<?xml version="1.0"?><styleSheet xmlns="{MAIN}"><cellXfs count="2"><xf numFmtId="0"/>'
        '<xf numFmtId="14"/></cellXfs></styleSheet>'
    )
    first = '<row r="1"><c r="A1" s="1"><v>45000</v></c><c r="B1" t="b"><v>0</v></c></row>'
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(2, 100_000))
    path = handmade(tmp_path, first + rows)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/styles.xml", styles)
    stats = ReadStats()
    values, _ = read_xlsx_header(path, stats)
    assert [cell_text(v) for v in values] == ["2023-03-15", "FALSE"]
    assert stats.rows_parsed == 1
    header = read_spreadsheet_header(path)
    assert header is not None and header.cells == ["2023-03-15", "FALSE"]


def test_a_big_workbook_the_stream_cannot_read_is_not_parsed_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _never_calamine(monkeypatch)
    monkeypatch.setattr(headers, "MAX_WHOLE_SHEET_BYTES", 1 << 20)
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(2, 100_000))
    path = handmade(
        tmp_path,
        '<row r="1"><c r="A1"><v>1</v></c></row>' + rows,
        ns="http://purl.oclc.org/ooxml/spreadsheetml/main",  # strict OOXML: not streamed
    )
    with pytest.raises(HeaderProblem, match=r"without reading its whole sheet .* too much"):
        read_spreadsheet_header(path)
    assert spreadsheet_codes(path) == ["SPC307"]


def test_shared_strings_before_the_header_are_passed_over(tmp_path: Path) -> None:
    strings = [f"<si><t>s{i}</t></si>" for i in range(300_000)] + ["<si><t>Email</t></si>"]
    header = '<row r="1"><c r="A1" t="s"><v>300000</v></c><c r="B1" t="s"><v>7</v></c></row>'
    path = handmade(tmp_path, header, strings)
    stats = ReadStats()
    values, _ = read_xlsx_header(path, stats)
    assert values == ["Email", "s7"]
    # Only the two strings the header uses were parsed; the 299,999 others were counted.
    assert (stats.shared_strings_parsed, stats.shared_strings_read) == (300_001, 2)
    assert same_as_calamine(path) == ["Email", "s7"]


def test_shared_strings_with_comments_are_parsed_not_counted(tmp_path: Path) -> None:
    # A comment could hide a "<si>" from a byte count: expat reads on from there instead.
    strings = [f"<si><t>s{i}</t></si>" for i in range(30_000)]
    strings.insert(20_000, "<!-- <si><t>fake</t></si> -->")
    strings.append("<si><t>Email</t></si>")
    header = '<row r="1"><c r="A1" t="s"><v>30000</v></c></row>'
    assert same_as_calamine(handmade(tmp_path, header, strings)) == ["Email"]
    stats = ReadStats()
    read_xlsx_header(handmade(tmp_path, header, strings), stats)
    # Counted up to the chunk that holds the comment, parsed by expat from there.
    assert 10_000 < stats.shared_strings_read < 20_000


# --- damaged and hostile files ---------------------------------------------------------------


def spreadsheet_codes(path: Path) -> list[str]:
    file = csv_file([col("Email", "email")], name=path.name, path=path)
    return [d.code for d in check_headers(make_spec(file))]


def test_a_dtd_is_refused(tmp_path: Path) -> None:
    prolog = '<!DOCTYPE worksheet [<!ENTITY x "xxxxxxxxxx">]>'
    path = handmade(tmp_path, '<row r="1"><c r="A1" t="str"><v>&x;</v></c></row>', prolog=prolog)
    with pytest.raises(xlsx_header.Unreadable, match="DTD"):
        read_xlsx_header(path)
    assert spreadsheet_codes(path) == ["SPC307"]


def test_a_zip_bomb_stops_at_the_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_header, "MAX_PART_BYTES", 1 << 20)
    huge = "x" * (4 << 20)  # a header cell of 4 MiB that deflates to a few KiB
    path = handmade(
        tmp_path, f'<row r="1"><c r="A1" t="inlineStr"><is><t>{huge}</t></is></c></row>'
    )
    assert path.stat().st_size < 64 << 10
    with pytest.raises(xlsx_header.Unreadable, match="runs past 1 MiB"):
        read_xlsx_header(path)
    assert spreadsheet_codes(path) == ["SPC307"]


def test_malformed_xml_is_unreadable(tmp_path: Path) -> None:
    path = handmade(tmp_path, '<row r="1"><c r="A1"><v>1</v></row>')
    with pytest.raises(Unsupported):
        read_xlsx_header(path)  # calamine judges it, and cannot read it either
    assert spreadsheet_codes(path) == ["SPC307"]


def test_an_xlsx_is_checked_without_python_calamine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = save(book(["Email"]), tmp_path)
    monkeypatch.setitem(sys.modules, "python_calamine", None)
    assert spreadsheet_codes(path) == []


# --- any header --------------------------------------------------------------------------------

# Text openpyxl can write: no C0 controls but tab and newlines; spaces, escapes, non-ASCII.
HEADER_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list(" \t\n\r_x0041AZaz&<>\"'\u00a0\u200b\ufeff\u3000é")),
        st.characters(min_codepoint=0x20, max_codepoint=0x2FFFF, exclude_categories=("Cs",)),
    ),
    max_size=12,
).filter(lambda text: not text.startswith("="))  # openpyxl would write a formula
HEADER_VALUE = st.one_of(
    HEADER_TEXT,
    st.none(),
    st.booleans(),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(HEADER_VALUE, max_size=8))
def test_any_header_reads_as_calamine_reads_it(header: list[object]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = save(book(header, ["data"]), Path(folder))
        cells = same_as_calamine(path)
    expected = [cell_text(v) for v in header]
    while expected and not expected[-1].strip():
        expected.pop()
    assert len(cells) == len(expected)
