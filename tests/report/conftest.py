"""Results built by hand: the reporters only format, so they are tested apart from the stages."""

from __future__ import annotations

import pytest

from specc.diagnostics import DataLocation, Diagnostic, Result, Severity, SpecLocation

SPEC_TEXT = """\
specc: 1
name: November event leads
files:
  - path: leads.csv
    object: contacts
    columns:
      Email: {property: emial}
"""


@pytest.fixture
def mixed_result() -> Result:
    """One spec error with a hint, one data-row warning, one whole-file info, one bare error."""
    result = Result(files=1, rows_checked=1000, sources={"imports/leads.yaml": SPEC_TEXT})
    result.extend(
        [
            Diagnostic(
                "SPC200",
                Severity.ERROR,
                'contacts have no property "emial"',
                hint='did you mean "email"?',
                hubspot_error="PROPERTY_DEFINITION_NOT_FOUND",
                spec=SpecLocation("imports/leads.yaml", 7, 25, "/files/0/columns/Email/property"),
            ),
            Diagnostic(
                "SPC300",
                Severity.WARNING,
                "not-an-email is not a valid email address",
                hubspot_error="INVALID_EMAIL",
                spec=SpecLocation("imports/leads.yaml", 7, 7, "/files/0/columns/Email"),
                data=DataLocation("imports/leads.csv", 42, 41, "Email", "not-an-email"),
            ),
            Diagnostic(
                "SPC202",
                Severity.INFO,
                "the file could not be confirmed",
                data=DataLocation("imports/leads.csv"),
            ),
            Diagnostic("SPC001", Severity.ERROR, "something without a place"),
        ]
    )
    return result
