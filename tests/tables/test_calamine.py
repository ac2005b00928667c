"""The spreadsheet reader: sheet rows as lines, typed cells, empty rows, damaged files; and
the .xlsx writer of --rejects, read back by calamine."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from specc.codes import rows as codes
from specc.data.rejects import XlsxRejects
from specc.spec.model import Column, DataFile
from specc.tables.batch import Batch, FileProblem
from specc.tables.calamine import _batches, read_spreadsheet
from specc.tables.write import column_letters


def rows_of(items: Iterator[Batch | FileProblem]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if isinstance(item, FileProblem):
            out.append(("problem", item.kind, item.line))
            continue
        found = [("row", item.row_at(i), item.line_at(i), item.cells(i)) for i in range(item.size)]
        found += [("set aside", e.row, e.line, e.cells) for e in item.events]
        out += sorted(found, key=lambda r: r[1])
    return out


def test_sheet_rows_are_lines_and_empty_rows_are_skipped() -> None:
    sheet = iter(
        [
            ["", "", ""],
            ["Email", "Score", ""],
            ["a@x.com", 1.0, ""],
            ["", None, ""],
            ["b@x.com", 2.5, "extra"],
            ["c@x.com", "", ""],
        ]
    )
    assert rows_of(_batches(sheet, 2, True, 100, 6)) == [
        ("row", 1, 3, ["a@x.com", 1.0]),
        ("set aside", 2, 5, ("b@x.com", 2.5, "extra")),
        ("row", 3, 6, ["c@x.com", ""]),
    ]


def test_a_sheet_that_breaks_while_read_ends_the_file() -> None:
    def sheet() -> Iterator[list[Any]]:
        yield ["Email"]
        yield ["a@x.com"]
        raise ValueError("bad zip entry")

    assert rows_of(_batches(sheet(), 1, True, 100, 3)) == [
        ("row", 1, 2, ["a@x.com"]),
        ("problem", "spreadsheet", 3),
    ]
    assert codes.UNREADABLE_SPREADSHEET.hubspot_error == "INVALID_SPREADSHEET"


def test_not_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "data.xlsx"
    path.write_bytes(b"Email\na@x.com\n")
    assert [i.kind for i in read_spreadsheet(path, 1) if isinstance(i, FileProblem)] == [
        "spreadsheet"
    ]


def test_unreadable_spreadsheet_diagnostic() -> None:
    """SPC454 through the engine, for a sheet that fails after its header was read."""
    from specc.data.check import FileCheck
    from specc.data.limit import FindingsLimit
    from specc.findings import Allowed

    check = FileCheck.__new__(FileCheck)
    check.shown = "data.xlsx"
    check.found = FindingsLimit("data.xlsx", None, Allowed(), 1000)  # type: ignore[arg-type]
    assert check._file_problem(FileProblem("spreadsheet", 7, None, "bad zip entry"))
    (d,) = check.found.diagnostics()
    assert (d.code, d.hubspot_error, d.data.line if d.data else None) == (
        "SPC454",
        "INVALID_SPREADSHEET",
        7,
    )
    assert dict(check.found.counts) == {"INVALID_SPREADSHEET": 1}


def test_xlsx_rejects_read_back(tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    data_file = DataFile(
        pointer="/files/0",
        path=tmp_path / "in.xlsx",
        shown_path="in.xlsx",
        file_name="in.xlsx",
        format="SPREADSHEET",
        object_type_id="0-1",
        has_header=True,
        columns=tuple(Column(n, f"/files/0/columns/{n}", "0-1", "x") for n in "ABCDEFG"),
    )
    temp = tmp_path / "out.tmp"
    target = tmp_path / "out.xlsx"
    rejects = XlsxRejects(temp, target, data_file)
    cells = [
        "text & <tags> \x01",
        2.5,
        True,
        date(2024, 2, 29),
        datetime(2024, 2, 29, 14, 30),
        time(12, 0),
        timedelta(hours=36),
    ]
    rejects.write_row(cells)
    rejects.commit()
    rows = list(CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).iter_rows())
    assert rows[0] == list("ABCDEFG")
    assert rows[1][:6] == [
        "text & <tags> \x01",  # written as Excel's _x0001_, read back as it was
        2.5,
        True,
        date(2024, 2, 29),
        datetime(2024, 2, 29, 14, 30),
        time(12, 0),
    ]
    assert rows[1][6] == timedelta(hours=36)
    assert not temp.exists()


def test_column_letters() -> None:
    assert [column_letters(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]
