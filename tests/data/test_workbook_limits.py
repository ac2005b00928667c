"""workbook_problem: real workbooks pass, workbooks built to exhaust a reader do not, fast."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from workbook_support import (
    inline_row,
    shared_strings_xml,
    sheet_xml,
    understate_sizes,
    write_workbook,
)

from specc.data.workbook_limits import (
    MAX_ENTRIES,
    _beyond,
    _greater_letters,
    _greater_number,
    cells_allowed,
    workbook_problem,
)

HEADER = inline_row(1, ["First Name", "Email"])


def _value_rows(rows: int, columns: int, *, references: bool) -> bytes:
    """`rows` rows (from row 2) of `columns` numeric cells."""
    if not references:
        return (b"<row>" + b"<c><v>1</v></c>" * columns + b"</row>") * rows
    out = []
    for r in range(2, rows + 2):
        cells = "".join(f'<c r="{_name(j)}{r}"><v>{r}</v></c>' for j in range(1, columns + 1))
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out).encode()


def _name(column: int) -> str:
    name = ""
    while column:
        column, rest = divmod(column - 1, 26)
        name = chr(65 + rest) + name
    return name


def _timed(path: Path) -> str | None:
    start = time.monotonic()
    problem = workbook_problem(path)
    assert time.monotonic() - start < 10
    return problem


# --- what passes ------------------------------------------------------------------------------


def test_an_openpyxl_workbook_passes(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["First Name", "Email", "Signed up"])
    for i in range(2_000):
        sheet.append([f"Ann {i}", f"ann{i}@example.com", 45_000 + i])
    book.save(tmp_path / "real.xlsx")
    assert workbook_problem(tmp_path / "real.xlsx") is None


def test_the_most_compressible_real_sheet_passes(tmp_path: Path) -> None:
    # Every cell the same value, still with its own reference: about 16x, 0.5 cells a byte.
    path = write_workbook(
        tmp_path / "same.xlsx",
        sheet_xml(HEADER + _value_rows(20_000, 20, references=True), "A1:T20001"),
        level=9,
    )
    assert workbook_problem(path) is None


def test_a_sheet_whose_dimension_understates_its_cells_passes(tmp_path: Path) -> None:
    # Apache POI's streaming writer declares A1 whatever the sheet holds; calamine ignores it.
    path = write_workbook(
        tmp_path / "poi.xlsx", sheet_xml(HEADER + _value_rows(5_000, 5, references=True), "A1")
    )
    assert workbook_problem(path) is None


def test_references_with_leading_zeros_are_read_as_numbers(tmp_path: Path) -> None:
    rows = b'<row r="2"><c r="A0000002"><v>1</v></c><c r="B002"><v>1</v></c></row>' * 50
    path = write_workbook(tmp_path / "zeros.xlsx", sheet_xml(HEADER + rows))
    assert _timed(path) is None


def test_what_is_not_a_zip_or_not_whole_is_left_to_the_reader(tmp_path: Path) -> None:
    (tmp_path / "text.xlsx").write_text("First Name,Email\n", encoding="utf-8")
    assert workbook_problem(tmp_path / "text.xlsx") is None
    whole = write_workbook(tmp_path / "whole.xlsx", sheet_xml(HEADER))
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole.read_bytes()[:300])
    assert workbook_problem(cut) is None


# --- what does not ----------------------------------------------------------------------------


def test_a_highly_compressed_sheet_is_refused_by_its_declared_size(tmp_path: Path) -> None:
    # The bomb: 100,000 x 200 cells in about a megabyte.
    path = write_workbook(
        tmp_path / "bomb.xlsx",
        sheet_xml([HEADER, *[_value_rows(1_000, 200, references=False)] * 100]),
        level=9,
    )
    assert path.stat().st_size < 3 << 20
    problem = _timed(path)
    assert problem is not None and "over 100 times its size" in problem


def test_zip_headers_that_understate_the_sizes_are_caught_while_inflating(
    tmp_path: Path,
) -> None:
    path = write_workbook(
        tmp_path / "liar.xlsx",
        sheet_xml([HEADER, *[_value_rows(1_000, 200, references=False)] * 100]),
        level=9,
    )
    understate_sizes(path)
    with zipfile.ZipFile(path) as archive:  # the declared sizes alone look harmless
        assert sum(info.file_size for info in archive.infolist()) < 10_000
    problem = _timed(path)
    assert problem is not None and "inflates past the 1,000 bytes its zip header declares" in (
        problem
    )


def test_two_cells_far_apart_are_refused(tmp_path: Path) -> None:
    # calamine builds the rectangle between them: 17 billion cells, and the process aborts.
    corner = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    path = write_workbook(tmp_path / "corners.xlsx", sheet_xml(HEADER + corner))
    problem = _timed(path)
    assert problem is not None and "17,179,869,184 cells" in problem


def test_a_far_cell_hidden_in_the_middle_of_a_row_is_found(tmp_path: Path) -> None:
    row = b'<row r="2"><c r="A2"><v>1</v></c><c r="ZZ900000"><v>1</v></c>' + b'<c r="B2"/></row>'
    path = write_workbook(tmp_path / "hidden.xlsx", sheet_xml(HEADER + row, "A1:B2"))
    problem = _timed(path)
    assert problem is not None and "span about" in problem


@pytest.mark.parametrize(
    "cell", [b'<c r="XFE1"><v>1</v></c>', b'<c r="A1048577"><v>1</v></c>', b"<c r='AAAA1'/>"]
)
def test_a_cell_beyond_the_grid_is_refused(tmp_path: Path, cell: bytes) -> None:
    path = write_workbook(tmp_path / "beyond.xlsx", sheet_xml(b'<row r="1">' + cell + b"</row>"))
    problem = _timed(path)
    assert problem is not None and "beyond the last one a sheet can have" in problem


def test_a_declared_dimension_beyond_the_grid_or_the_file_is_refused(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "grid.xlsx", sheet_xml(HEADER, "A1:XFD1048577"))
    problem = workbook_problem(path)
    assert problem is not None and "beyond a sheet's last cell" in problem
    path = write_workbook(tmp_path / "huge.xlsx", sheet_xml(HEADER, "A1:ZZ1000000"))
    problem = workbook_problem(path)
    assert problem is not None and "declares a used range of 702,000,000 cells" in problem


def test_cells_without_references_are_placed_as_calamine_places_them(tmp_path: Path) -> None:
    # A row of 5,000 cells without a reference, and a last row far down: each row of the
    # rectangle is 5,000 cells wide.
    wide = b"<row>" + b"<c><v>1</v></c>" * 5_000 + b"</row>"
    far = b'<row r="900000"><c r="A900000"><v>1</v></c></row>'
    path = write_workbook(tmp_path / "loose.xlsx", sheet_xml(wide + far))
    problem = _timed(path)
    assert problem is not None and "span about" in problem


def test_prefixed_elements_are_measured_too(tmp_path: Path) -> None:
    far = (
        f'<x:row xmlns:x="{"http://schemas.openxmlformats.org/spreadsheetml/2006/main"}" '
        'r="1000000"><x:c r="ZZ1000000"><x:v>1</x:v></x:c></x:row>'
    ).encode()
    path = write_workbook(tmp_path / "prefixed.xlsx", sheet_xml(HEADER + far))
    problem = workbook_problem(path)
    assert problem is not None and "span about" in problem


def test_a_reference_written_with_spaces_is_refused(tmp_path: Path) -> None:
    spaced = b'<row r="2"><c r = "XFD1048576"><v>1</v></c></row>'
    path = write_workbook(tmp_path / "spaced.xlsx", sheet_xml(HEADER + spaced))
    problem = workbook_problem(path)
    assert problem is not None and "r = ..." in problem


def test_more_shared_strings_than_cells_are_refused(tmp_path: Path) -> None:
    strings = [
        b"".join(b"<si><t>s%d</t></si>" % i for i in range(k, k + 10_000))
        for k in range(0, 2_000_000, 10_000)
    ]
    header = b'<row r="1"><c r="A1" t="s"><v>1999999</v></c></row>'
    path = write_workbook(
        tmp_path / "strings.xlsx", sheet_xml(header), shared_strings=shared_strings_xml(strings)
    )
    problem = _timed(path)
    assert problem is not None and "2,000,000 shared strings" in problem


def test_a_zip_of_too_many_parts_is_refused_before_its_directory_is_read(
    tmp_path: Path,
) -> None:
    path = write_workbook(
        tmp_path / "parts.xlsx",
        sheet_xml(HEADER),
        parts={f"xl/media/p{i}.bin": b"" for i in range(MAX_ENTRIES)},
        level=1,
    )
    problem = workbook_problem(path)
    assert problem is not None and f"{MAX_ENTRIES + 5:,} parts" in problem


# --- the patterns that find references outside the box ----------------------------------------


@pytest.mark.parametrize("limit", [1, 9, 10, 99, 100, 4095, 99_999, 100_000, 1_048_576])
def test_greater_number_matches_exactly_the_larger_numbers(limit: int) -> None:
    import re

    pattern = re.compile(b"(?:" + _greater_number(limit) + b")")
    for n in {0, 1, limit - 1, limit, limit + 1, limit * 10, limit * 10 + 7, 10**7}:
        assert bool(pattern.fullmatch(str(n).encode())) == (n > limit), n


@pytest.mark.parametrize("limit", ["A", "Z", "AA", "AZ", "GR", "ZZ", "XFD"])
def test_greater_letters_matches_exactly_the_later_columns(limit: str) -> None:
    import re

    pattern = re.compile(b"(?:" + _greater_letters(limit) + b")")

    def number(name: str) -> int:
        n = 0
        for ch in name:
            n = n * 26 + ord(ch) - 64
        return n

    names = "A B Z AA AB AZ BA GQ GR GS HA ZZ AAA XFC XFD XFE ZZZ AAAA"
    for name in names.split():
        assert bool(pattern.fullmatch(name.encode())) == (number(name) > number(limit)), name


def test_the_box_patterns_see_both_quotes_and_lower_case() -> None:
    patterns = _beyond(10, 2)
    for text in [b'r="C1"', b"r='C1'", b'r="c1"', b'r="A11"', b"r='B11'"]:
        assert any(p.search(text) for p in patterns), text
    for text in [b'r="B10"', b"r='A1'", b'r="b10"']:
        assert not any(p.search(text) for p in patterns), text


# --- the streamed reader's shared strings -------------------------------------------------------


def _many_strings(tmp_path: Path) -> Path:
    strings = [
        b"".join(b"<si><t>s%d</t></si>" % i for i in range(k, k + 10_000))
        for k in range(0, 2_000_000, 10_000)
    ]
    header = b'<row r="1"><c r="A1" t="s"><v>1999999</v></c></row>'
    return write_workbook(
        tmp_path / "strings.xlsx", sheet_xml(header), shared_strings=shared_strings_xml(strings)
    )


def test_a_shared_strings_bomb_is_refused_for_the_streamed_reader_alike(tmp_path: Path) -> None:
    """Its declared size could hold more strings than its sheet's cells: counted as they
    inflate, in bounded memory, and refused as before (the bound: the cells the sheet's
    compressed size may hold)."""
    import tracemalloc

    path = _many_strings(tmp_path)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("xl/sharedStrings.xml").file_size > 40 << 20
    tracemalloc.start()
    try:
        streamed = workbook_problem(path, streamed=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    with zipfile.ZipFile(path) as archive:
        cells = cells_allowed(archive.getinfo("xl/worksheets/sheet1.xml").compress_size)
    assert streamed is not None
    assert streamed.startswith(f"it holds 2,000,000 shared strings for {cells:,} cells: ")
    assert peak < 24 << 20  # chunks, never the 40 MB part


def test_shared_strings_within_their_declared_bound_are_left_to_the_streamed_reader(
    tmp_path: Path,
) -> None:
    """The streamed reader inflates the shared strings anyway: workbook_problem does not when
    their declared size cannot hold too many. A part lying about that size is not inflated
    past it by the reader either, which refuses the workbook (calamine's check, whole)."""
    from specc.tables.batch import FileProblem
    from specc.tables.table import Table

    strings = [
        b"".join(b"<si><t>name %d</t></si>" % i for i in range(k, k + 10_000))
        for k in range(0, 600_000, 10_000)
    ]
    header = b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    path = write_workbook(
        tmp_path / "liar.xlsx",
        sheet_xml([header, _value_rows(40_000, 10, references=True)]),
        shared_strings=shared_strings_xml(strings),
    )
    assert workbook_problem(path, streamed=True) is None
    # Past the first 4 MiB that tell the part's kind (a lie below that is caught there).
    understate_sizes(path, 6_000_000, only="xl/sharedStrings.xml")
    with zipfile.ZipFile(path) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml").compress_size
        assert archive.getinfo("xl/sharedStrings.xml").compress_size > 1 << 20
    assert cells_allowed(sheet) > (6_000_000 + 2) // 3
    assert workbook_problem(path, streamed=True) is None  # not inflated: the lie unseen
    whole = workbook_problem(path)
    assert whole is not None and "inflates past the 5.7 MiB its zip header declares" in whole
    items = list(Table.at(path).batches(2))
    assert len(items) == 1 and isinstance(items[0], FileProblem)
    assert items[0].detail == f"it was not opened: {whole}"
