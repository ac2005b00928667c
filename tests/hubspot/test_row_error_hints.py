"""After an import, a row error gets the hint `specc check` gives for the same value (issue 12,
item 4): the spec's cell check of the column is run on the value HubSpot names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from specc.hubspot.row_errors import layouts_from_spec, map_errors
from specc.pipeline import check, load_spec
from specc.run import Options

SPEC = """\
specc: 1
name: Leads
date_format: DAY_MONTH_YEAR
files:
  - path: leads.csv
    object: contacts
    columns:
      Email: {property: email, id: true}
      Job change: hs_job_change_detected_date
      Followers: followercount
"""
DATA = (
    "Email,Job change,Followers\n"
    "grace@example,31/02/2026,many\n"
    "ada@example.com,01/02/2026,3\n"
    "ada@example.com,01/02/2026,4\n"
)


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "leads.yaml").write_text(SPEC, "utf-8")
    (tmp_path / "leads.csv").write_text(DATA, "utf-8")
    return tmp_path


def hubspot_error(error_type: str, line: int, column: int, value: str) -> dict[str, Any]:
    """An error as GET /crm/v3/imports/{id}/errors gives it: HubSpot's own short message."""
    return {
        "id": f"{line}-{column}",
        "errorType": error_type,
        "errorMessage": "Invalid value",
        "invalidValue": value,
        "knownColumnNumber": column,
        "sourceData": {"lineNumber": line, "fileId": 7},
    }


def test_row_errors_carry_the_hints_check_gives(work: Path) -> None:
    options = Options(cwd=work, environ={})
    assert check([Path("leads.yaml")], options).errors_by_type == {
        "INVALID_EMAIL": 1,
        "COULD_NOT_PARSE_DATE": 1,
        "COULD_NOT_PARSE_NUMBER": 1,
        "DUPLICATE_ALTERNATE_ID": 1,
    }
    loaded = load_spec(Path("leads.yaml"), options)
    assert loaded.spec is not None
    predicted = {
        (d.data.line, d.hubspot_error): d.hint
        for d in check([Path("leads.yaml")], options).diagnostics
        if d.data is not None and d.data.line
    }
    errors = [
        hubspot_error("INVALID_EMAIL", 2, 0, "grace@example"),
        hubspot_error("COULD_NOT_PARSE_DATE", 2, 1, "31/02/2026"),
        hubspot_error("COULD_NOT_PARSE_NUMBER", 2, 2, "many"),
        hubspot_error("DUPLICATE_ALTERNATE_ID", 4, 0, "ada@example.com"),
    ]
    found = {d.hubspot_error: d for d in map_errors(errors, layouts_from_spec(loaded.spec), ["7"])}
    for error_type in ("INVALID_EMAIL", "COULD_NOT_PARSE_DATE", "COULD_NOT_PARSE_NUMBER"):
        hint = found[error_type].hint
        assert hint is not None and hint == predicted[(2, error_type)], error_type
    assert found["INVALID_EMAIL"].hint == "write one address like jane.doe@example.com"
    # A repeated id is no cell's problem: the hint names the code that predicts it.
    assert found["DUPLICATE_ALTERNATE_ID"].hint == (
        "same alternate ID (email/domain/unique prop) appears in more than one row; "
        "`specc explain SPC461` says how to fix it"
    )


def test_a_value_check_finds_fine_keeps_hubspots_meaning(work: Path) -> None:
    """HubSpot may refuse what check accepts (an account rule check cannot see): no hint of
    check's then, only what helps: the type's meaning and the code to look up."""
    loaded = load_spec(Path("leads.yaml"), Options(cwd=work, environ={}))
    assert loaded.spec is not None
    (d,) = map_errors(
        [hubspot_error("INVALID_EMAIL", 3, 0, "ada@example.com")],
        layouts_from_spec(loaded.spec),
        ["7"],
    )
    assert d.hint == "not a valid email address; `specc explain SPC401` says how to fix it"
