"""The findings limiter: the spec's allows, every error counted, the first few shown in row
order (errors before warnings), memory bounded, and an unreadable file's row findings
forgotten."""

from __future__ import annotations

from collections import Counter

from specc.codes import data as data_codes
from specc.codes import rows as codes
from specc.data.limit import Finding, FindingsLimit
from specc.diagnostics import DataLocation, Result, Severity, SpecLocation
from specc.findings import Allowed

FILE = SpecLocation("spec.yaml", 3, 5, "/files/0")
EMAIL = SpecLocation("spec.yaml", 6, 9, "/files/0/columns/0")


def finding(row: int, code: object = data_codes.INVALID_EMAIL, at: SpecLocation = EMAIL) -> Finding:
    return Finding(
        row=row,
        column=0,
        code=code,  # type: ignore[arg-type]
        severity=code.severity,  # type: ignore[attr-defined]
        message=f"bad email in row {row}",
        hint=None,
        spec=at,
        line=row + 1,
        column_name="Email",
        value="x",
    )


def test_the_first_findings_by_row_are_shown_and_every_error_counted() -> None:
    limit = FindingsLimit("data.csv", FILE, Allowed(), max_shown=3)
    for start in (5000, 0, 2500):  # batches need not come in row order (repeats come last)
        limit.add([finding(row) for row in range(start, start + 2500)])
    shown = limit.diagnostics()
    assert [d.data.row for d in shown[:3] if d.data] == [0, 1, 2]
    assert shown[3].code == codes.MORE_NOT_SHOWN.code
    assert "7,497 more problems in data.csv not shown (7,497 errors)" in shown[3].message
    assert dict(limit.counts) == {"INVALID_EMAIL": 7500}
    assert len(limit.failing) == 7500
    assert len(limit.kept) <= 3  # never more than 2 * max(limit, 1000) held on the way


def test_errors_are_shown_before_warnings_that_would_fill_the_limit() -> None:
    """A thousand odd phone numbers at the top of a file must not hide the rows HubSpot would
    fail further down: the errors are kept first, then warnings, each in row order."""
    limit = FindingsLimit("data.csv", FILE, Allowed(), max_shown=3)
    limit.add([finding(row, data_codes.PHONE_FORMAT) for row in range(0, 2500)])
    limit.add([finding(row) for row in (4000, 3000)])
    limit.add([finding(row, data_codes.PHONE_FORMAT) for row in range(2500, 5000)])
    shown = limit.diagnostics()
    assert [(d.code, d.data.row) for d in shown[:3] if d.data] == [
        ("SPC430", 0),
        ("SPC401", 3000),
        ("SPC401", 4000),
    ]
    assert "4,999 more problems in data.csv not shown (4,999 warnings)" in shown[3].message


def test_what_the_spec_allows_is_neither_shown_nor_counted() -> None:
    by_column = Allowed(by_pointer={"/files/0/columns/0": frozenset({"SPC401"})})
    limit = FindingsLimit("data.csv", FILE, by_column, max_shown=10)
    elsewhere = SpecLocation("spec.yaml", 7, 9, "/files/0/columns/1")
    code = data_codes.INVALID_EMAIL
    assert code.code == "SPC401"
    limit.add([finding(1), finding(2, at=elsewhere)])
    assert [d.spec.pointer for d in limit.diagnostics() if d.spec] == ["/files/0/columns/1"]
    assert dict(limit.counts) == {"INVALID_EMAIL": 1}


def test_an_unreadable_file_keeps_only_what_was_said_of_the_whole_file() -> None:
    limit = FindingsLimit("data.csv", FILE, Allowed(), max_shown=10)
    too_large = codes.FILE_TOO_LARGE.at("too large", spec=FILE, data=DataLocation("data.csv"))
    limit.file_diagnostic(too_large)
    limit.add([finding(1), finding(2)])
    limit.forget_rows()
    assert limit.diagnostics() == [too_large]
    assert not limit.failing
    assert sum(limit.counts.values()) == 1
    assert too_large.severity is Severity.ERROR


def test_a_result_whose_errors_are_all_past_the_limit_is_not_ok() -> None:
    """Exit code and `ok` count every error, shown or not (a library caller may keep none)."""
    limit = FindingsLimit("data.csv", FILE, Allowed(), max_shown=0)
    limit.add([finding(row) for row in range(3)])
    result = Result(limit.diagnostics(), errors_by_type=Counter(dict(limit.counts)))
    assert result.errors == 0 and result.error_total == 3
    assert not result.ok() and result.exit_code() == 1
