"""The fix list (`specc errors --format csv`): a reporter like the others, one row per problem."""

from __future__ import annotations

import csv
import io

from specc.diagnostics import DataLocation, Diagnostic, Result, Severity
from specc.report import REPORTER_BY_NAME, render
from specc.report.fix_list import FIX_LIST_HEADER


def _row_error(error_type: str, line: int, column: str, value: str | None) -> Diagnostic:
    return Diagnostic(
        "SPC520",
        Severity.ERROR,
        f'{error_type}: "{value}", with "quotes", commas and\na line break',
        hubspot_error=error_type,
        data=DataLocation("my leads.csv", line, line - 1, column, value),
    )


def test_csv_is_a_registered_reporter() -> None:
    assert "csv" in REPORTER_BY_NAME


def test_one_row_per_problem_grouped_by_error_type_then_line() -> None:
    result = Result(
        diagnostics=[
            _row_error("INVALID_EMAIL", 9, "Email", "x@"),
            _row_error("COULD_NOT_PARSE_DATE", 4, "Born", "31/02"),
            _row_error("INVALID_EMAIL", 3, "Email", "not-an-email"),
            Diagnostic(
                "SPC521",
                Severity.ERROR,
                "my leads.csv: FILE_TOO_LARGE",
                hubspot_error="FILE_TOO_LARGE",
                data=DataLocation("my leads.csv"),
            ),
        ]
    )
    rows = list(csv.reader(io.StringIO(render(result, "csv"))))
    assert tuple(rows[0]) == FIX_LIST_HEADER
    assert [(r[4], r[1], r[3], r[5]) for r in rows[1:]] == [
        ("COULD_NOT_PARSE_DATE", "4", "Born", "31/02"),
        ("FILE_TOO_LARGE", "", "", ""),  # a whole file: no line, row, column or value
        ("INVALID_EMAIL", "3", "Email", "not-an-email"),
        ("INVALID_EMAIL", "9", "Email", "x@"),
    ]
    # The message survives quoting whole, line break included.
    assert rows[1][6] == 'COULD_NOT_PARSE_DATE: "31/02", with "quotes", commas and\na line break'
    assert rows[1][2] == "3"  # the data row


def test_no_problems_is_the_header_alone() -> None:
    assert render(Result(), "csv") == ",".join(FIX_LIST_HEADER) + "\n"
