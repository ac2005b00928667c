"""Unit tests of the header check (SPC300-SPC308): reading only the header, and comparing it."""

from __future__ import annotations

from pathlib import Path

import pytest
from rules_support import codes_of, col, csv_file, make_spec

from specc.diagnostics import Diagnostic, Severity
from specc.rules.headers import check_headers
from specc.tables.header import (
    MAX_HEADER_BYTES,
    HeaderProblem,
    read_csv_header,
    read_spreadsheet_header,
)


def write(tmp_path: Path, data: bytes | str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def check(tmp_path: Path, data: bytes | str, names: list[str], **kw: object) -> list[Diagnostic]:
    name = str(kw.pop("name", "data.csv"))
    path = write(tmp_path, data, name)
    columns = [col(n, None, ignore=True) for n in names]
    file = csv_file(columns, name=name, path=path, **kw)  # type: ignore[arg-type]
    return check_headers(make_spec(file))


# --- reading --------------------------------------------------------------------------------


def test_csv_header_with_and_without_bom(tmp_path: Path) -> None:
    assert read_csv_header(write(tmp_path, "a,b,c\r\n1,2,3\r\n")) == ["a", "b", "c"]
    assert read_csv_header(write(tmp_path, b"\xef\xbb\xbfa,b\n1,2\n")) == ["a", "b"]


def test_csv_header_quoting_and_a_quoted_newline(tmp_path: Path) -> None:
    path = write(tmp_path, 'Name,"Street, no.","Notes\nmore","""Quoted"""\nx,y,z,w\n')
    assert read_csv_header(path) == ["Name", "Street, no.", "Notes\nmore", '"Quoted"']


def test_csv_header_ignores_bad_bytes_below_it(tmp_path: Path) -> None:
    body = b"Email,Name\n" + b"x@y.com,Caf\xe9\n" * 100_000  # Latin-1 rows, 1.5 MB
    assert read_csv_header(write(tmp_path, body)) == ["Email", "Name"]


def test_csv_header_not_utf8_is_a_problem(tmp_path: Path) -> None:
    with pytest.raises(HeaderProblem, match="not UTF-8: byte 0xE9"):
        read_csv_header(write(tmp_path, b"Pr\xe9nom,Nom\n"))
    with pytest.raises(HeaderProblem, match="UTF-16"):
        read_csv_header(write(tmp_path, "Email,Name\n".encode("utf-16")))
    with pytest.raises(HeaderProblem, match="spreadsheet"):
        read_csv_header(write(tmp_path, b"PK\x03\x04rest-of-a-zip"))


def test_csv_header_with_an_unclosed_quote_stops_reading(tmp_path: Path) -> None:
    path = write(tmp_path, b'"Email,Name\n' + b"x" * (MAX_HEADER_BYTES + 10))
    with pytest.raises(HeaderProblem, match="a quote opens a header cell and does not close"):
        read_csv_header(path)


def test_an_endless_first_line_is_called_what_it_is(tmp_path: Path) -> None:
    path = write(tmp_path, b"Email," + b"x" * (MAX_HEADER_BYTES + 10) + b"\n1,2\n")
    with pytest.raises(HeaderProblem, match="runs past 1 MiB without a line break"):
        read_csv_header(path)
    path = write(tmp_path, b'"Email",' * (MAX_HEADER_BYTES // 8 + 10) + b"\n")
    with pytest.raises(HeaderProblem, match="runs past 1 MiB with quoted cells"):
        read_csv_header(path)


def test_a_binary_file_named_csv_is_not_read_as_a_header(tmp_path: Path) -> None:
    with pytest.raises(HeaderProblem, match="NUL bytes \\(the first at byte 0\\): a binary file"):
        read_csv_header(write(tmp_path, b"\0" * (3 * MAX_HEADER_BYTES)))
    with pytest.raises(HeaderProblem, match="NUL bytes \\(the first at byte 4\\)"):
        read_csv_header(write(tmp_path, b"\x7fELF\0\0\x02\n"))


def test_empty_csv_has_no_header(tmp_path: Path) -> None:
    assert read_csv_header(write(tmp_path, b"")) is None
    assert read_csv_header(write(tmp_path, b"\n1,2\n")) is None


# --- comparing ------------------------------------------------------------------------------


def test_identical_header_is_clean(tmp_path: Path) -> None:
    assert check(tmp_path, "Email,Phone\nx,y\n", ["Email", "Phone"]) == []


def test_missing_file(tmp_path: Path) -> None:
    file = csv_file([col("Email", "email")], path=tmp_path / "nope.csv", name="nope.csv")
    [d] = check_headers(make_spec(file))
    assert (d.code, d.hubspot_error) == ("SPC300", "FILE_NOT_FOUND")
    assert d.data is not None and d.data.file == "nope.csv"


def test_swapped_columns_are_named(tmp_path: Path) -> None:
    [d] = check(tmp_path, "Phone,Email,Name\n", ["Email", "Phone", "Name"])
    assert d.code == "SPC303"
    assert "columns 'Email' and 'Phone' are swapped" in d.message
    [d] = check(tmp_path, "C,B,A\n", ["A", "B", "C"])
    assert "'A' and 'C' are swapped" in d.message


def test_moved_column_says_where_it_goes(tmp_path: Path) -> None:
    [d] = check(tmp_path, "B,C,A\n", ["A", "B", "C"])
    assert d.code == "SPC303"
    assert "'A' is 1st in `columns` but 3rd" in d.message
    assert "after 'C'" in (d.hint or "")
    assert d.spec is not None and d.spec.pointer == "/files/0/columns/A"
    assert d.data is not None and (d.data.line, d.data.column) == (1, "A")


def test_missing_and_extra_columns(tmp_path: Path) -> None:
    found = check(tmp_path, "Email,Phone,Company\n", ["Email", "Fax Number", "Phone"])
    assert sorted(codes_of(found)) == ["SPC301", "SPC302"]
    missing = next(d for d in found if d.code == "SPC301")
    extra = next(d for d in found if d.code == "SPC302")
    assert "'Fax Number'" in missing.message
    assert "'Company'" in extra.message and extra.hubspot_error == "INCORRECT_NUMBER_OF_COLUMNS"


def test_renamed_column_suggests_the_header(tmp_path: Path) -> None:
    [d] = check(tmp_path, "E-mail,Phone\n", ["Email", "Phone"])
    assert d.code == "SPC301" and "did you mean 'E-mail'" in (d.hint or "")


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("Email ,Phone", "spaces around it"),
        ("email,Phone", "letter case differs"),
        ("E\u200bmail,Phone", "zero-width space (U+200B)"),
        ("\ufeffEmail,Phone", "U+FEFF"),
        ("First\u00a0Name,Phone", "non-breaking space (U+00A0)"),
    ],
)
def test_near_misses_are_explained(tmp_path: Path, header: str, words: str) -> None:
    expected = ["First Name" if "First" in header else "Email", "Phone"]
    # A BOM inside the text would be taken for the file's own: put one row before the header.
    data = header + "\n"
    if header.startswith("\ufeff"):
        data = "\ufeff" + data  # the file's BOM is stripped, the second one stays in the name
    [d] = check(tmp_path, data, expected)
    assert d.code == "SPC304"
    assert words in d.message
    assert d.severity is Severity.ERROR


def test_empty_header_cell_from_a_trailing_comma(tmp_path: Path) -> None:
    [d] = check(tmp_path, "Email,Phone,\n", ["Email", "Phone"])
    assert d.code == "SPC302" and "empty header" in d.message


def test_semicolon_separated_file_is_recognised(tmp_path: Path) -> None:
    [d] = check(tmp_path, "Email;Phone;Name\n", ["Email", "Phone", "Name"])
    assert d.code == "SPC301" and "';'" in d.message


def test_without_header_only_the_count_is_compared(tmp_path: Path) -> None:
    assert check(tmp_path, "a@b.c,123\n", ["Email", "Phone"], has_header=False) == []
    [d] = check(tmp_path, "a@b.c,123,x\n", ["Email", "Phone"], has_header=False)
    assert (d.code, d.hubspot_error) == ("SPC305", "INCORRECT_NUMBER_OF_COLUMNS")


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    assert codes_of(check(tmp_path, "", ["Email"])) == ["SPC308"]


def test_many_differences_are_summed_up(tmp_path: Path) -> None:
    header = ",".join(f"h{n}" for n in range(30))
    found = check(tmp_path, header + "\n", [f"spec column {n}" for n in range(30)])
    assert len(found) <= 2 * 11


# --- spreadsheets ---------------------------------------------------------------------------


def test_spreadsheet_header_and_sheet_count(tmp_path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Email", "Year", 2024, None, None])
    sheet.append(["a@b.c", 1, 2, None, None])
    workbook.create_sheet("Notes")
    path = tmp_path / "data.xlsx"
    workbook.save(path)
    header = read_spreadsheet_header(path)
    assert header is not None
    assert header.cells == ["Email", "Year", "2024"]
    assert header.sheets == ["Sheet", "Notes"]
    file = csv_file(
        [col(n, None, ignore=True) for n in ("Email", "Year", "2024")], name="data.xlsx", path=path
    )
    [d] = check_headers(make_spec(file))
    assert (d.code, d.hubspot_error) == ("SPC306", "INVALID_SHEET_COUNT")


def test_damaged_spreadsheet_is_unreadable(tmp_path: Path) -> None:
    path = write(tmp_path, b"not a zip", "data.xlsx")
    file = csv_file([col("Email", "email")], name="data.xlsx", path=path)
    [d] = check_headers(make_spec(file))
    assert (d.code, d.hubspot_error) == ("SPC307", "INVALID_SPREADSHEET")
