"""A workbook whose header row makes python-calamine panic.

A header cell styled as a date and holding -1e15 days is beyond the streaming header reader
(`xlsx_header` leaves such a serial to python-calamine), and python-calamine's Rust code
panics on it: pyo3 raises PanicException, a BaseException that `except Exception` lets through
as a traceback. The header reader reports it as the broken spreadsheet it is, as
`specc.tables.calamine` does for the rows (commit c41aa06).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from panic_workbooks import PANICKING_CELL, workbook_with_header

from specc.pipeline import lint
from specc.run import Options
from specc.tables.header import HeaderProblem, read_header

BEYOND_ANY_CALENDAR = "a cell holds a date or duration out of any calendar's range"


def test_a_header_cell_that_makes_calamine_panic_is_a_broken_spreadsheet(tmp_path: Path) -> None:
    path = workbook_with_header(tmp_path / "leads.xlsx", PANICKING_CELL)
    with pytest.raises(HeaderProblem) as problem:
        read_header(path, "SPREADSHEET")
    assert problem.value.message.startswith(f"cannot read the spreadsheet: {BEYOND_ANY_CALENDAR}")
    assert problem.value.hint is not None and "save it again" in problem.value.hint


def test_the_same_header_with_a_real_date_reads(tmp_path: Path) -> None:
    """The control: the same workbook with a date in range reads, as calamine shows it."""
    path = workbook_with_header(tmp_path / "leads.xlsx", '<c r="B1" s="1"><v>45000</v></c>')
    header = read_header(path, "SPREADSHEET")
    assert header is not None
    assert header.cells == ["Email", "2023-03-15"]
    assert header.sheets == ["Leads"]


def test_lint_reports_the_panicking_workbook_at_its_path(tmp_path: Path) -> None:
    workbook_with_header(tmp_path / "leads.xlsx", PANICKING_CELL)
    (tmp_path / "spec.yaml").write_text(
        "specc: 1\nname: Leads\noperations:\n  contacts: create\nfiles:\n"
        "  - path: leads.xlsx\n    object: contacts\n    columns:\n"
        "      Email: {property: email, id: true}\n"
    )
    result = lint([tmp_path / "spec.yaml"], Options(cwd=tmp_path, environ={}))
    broken = [d for d in result.diagnostics if BEYOND_ANY_CALENDAR in d.message]
    assert len(broken) == 1, [d.message for d in result.diagnostics]
    (found,) = broken
    assert found.code == "SPC307" and found.severity.value == "error"
    assert found.data is not None and found.data.file == "leads.xlsx"
    assert result.exit_code(strict=False) == 1
