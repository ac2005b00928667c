"""What HubSpot users observed for concrete values (`../shared/realworld/observed-errors.md`),
checked through `check` with the bundled catalog, as a user's one-column file would be.

An observation over the imports API or HubSpot's import tool pins specc's verdict: a row
error HubSpot reported is an error here, a value it accepted is clean. The values the
sources leave open (no report of what an import does with them) are warnings, never errors:
a false error on a clean file costs as much as a missed one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from specc.diagnostics import Severity
from specc.pipeline import check
from specc.run import Options


@dataclass(frozen=True)
class Observed:
    object: str
    property: str
    value: str
    expect: tuple[str, str] | None  # (code, severity) specc gives, or None: clean
    source: str
    date_format: str = "MONTH_DAY_YEAR"


OBSERVED = {
    # Import tool: the display label is accepted (the post's recommended form).
    "lifecycle-label": Observed(
        "contacts",
        "lifecyclestage",
        "Marketing Qualified Lead",
        None,
        "https://blog.import2.com/explained-setting-the-lifecycle-stage-when-importing-into-hubspot/",
    ),
    # Import tool: an abbreviation is an error there; an account may add such an option, so
    # without a snapshot specc warns (and suggests the internal value).
    "lifecycle-abbreviation": Observed(
        "contacts",
        "lifecyclestage",
        "MQL",
        ("SPC412", "warning"),
        "https://blog.import2.com/explained-setting-the-lifecycle-stage-when-importing-into-hubspot/",
    ),
    # KB "Import data to checkbox properties": True/Yes/False/No are accepted.
    "checkbox-yes": Observed(
        "deals",
        "hs_cross_sell_opportunity",
        "Yes",
        None,
        "https://knowledge.hubspot.com/crm-setup/import-data-to-checkbox-properties",
    ),
    "checkbox-false": Observed(
        "deals",
        "hs_cross_sell_opportunity",
        "False",
        None,
        "https://knowledge.hubspot.com/crm-setup/import-data-to-checkbox-properties",
    ),
    # Same article: a leading semicolon appends to a multiple checkboxes property.
    "checkboxes-append": Observed(
        "contacts",
        "hs_buying_role",
        ";BUDGET_HOLDER;CHAMPION",
        None,
        "https://knowledge.hubspot.com/crm-setup/import-data-to-checkbox-properties",
    ),
    # Objects API: Unix seconds were read as milliseconds (and refused there, not midnight).
    "timestamp-in-seconds": Observed(
        "deals",
        "closedate",
        "1635535865",
        ("SPC422", "warning"),
        "https://github.com/HubSpot/hubspot-api-php/issues/74",
    ),
    # Unknown for imports (searched, not found): warnings, never a predicted row error.
    "thousands-separator": Observed(
        "deals", "amount", "1,000.50", ("SPC443", "warning"), "observed-errors.md: not found"
    ),
    "currency-symbol": Observed(
        "deals", "amount", "$15,000", ("SPC443", "warning"), "observed-errors.md: not found"
    ),
    "iso-date-time-under-ymd": Observed(
        "contacts",
        "closedate",
        "2023-01-05T10:00:00Z",
        ("SPC420", "warning"),
        "observed-errors.md: not found",
        date_format="YEAR_MONTH_DAY",
    ),
    "iso-date-time-under-mdy": Observed(
        "deals",
        "closedate",
        "2021-10-29T19:31:05Z",
        ("SPC444", "warning"),
        "observed-errors.md: not found",
    ),
    # Values HubSpot's rules refuse (documented): errors.
    "email-with-display-name": Observed(
        "contacts",
        "email",
        "Oliver <oliver@kideod.biz> Contact Info.",
        ("SPC401", "error"),
        "https://legacydocs.hubspot.com/docs/faq/how-does-hubspot-validate-email-addresses",
    ),
    "not-a-number": Observed(
        "deals",
        "amount",
        "about 300",
        ("SPC404", "error"),
        "https://developers.hubspot.com/docs/guides/api/crm/properties",
    ),
}

IDENTIFIER = {"contacts": ("Email", "email", "a@example.com"), "deals": ("Name", "dealname", "D")}


def _check(case: Observed, work: Path) -> list[tuple[str, str]]:
    """The data diagnostics of a file holding the value in a column of its own (after the
    record's identifier, unless the value is the identifier)."""
    key_column, key_property, key_value = IDENTIFIER[case.object]
    id_flag = ", id: true" if case.object == "contacts" else ""
    quoted = '"' + case.value.replace('"', '""') + '"'
    if case.property == key_property:
        columns = f"      Value: {{property: {case.property}{id_flag}}}\n"
        header, row = "Value", quoted
    else:
        columns = (
            f"      {key_column}: {{property: {key_property}{id_flag}}}\n"
            f"      Value: {{property: {case.property}}}\n"
        )
        header, row = f"{key_column},Value", f"{key_value},{quoted}"
    (work / "spec.yaml").write_text(
        f"specc: 1\nname: observed\ndate_format: {case.date_format}\n"
        f"files:\n  - path: data.csv\n    object: {case.object}\n    columns:\n{columns}",
        encoding="utf-8",
    )
    (work / "data.csv").write_text(f"{header}\n{row}\n", encoding="utf-8")
    result = check([work / "spec.yaml"], Options(cwd=work))
    spec_errors = [d for d in result.diagnostics if d.data is None and d.severity is Severity.ERROR]
    assert spec_errors == [], "the spec itself must be fine for the value to be judged"
    return [
        (d.code, d.severity.value)
        for d in result.diagnostics
        if d.data is not None and d.severity is not Severity.INFO
    ]


@pytest.mark.parametrize("name", OBSERVED)
def test_specc_says_what_users_saw_hubspot_do(name: str, tmp_path: Path) -> None:
    case = OBSERVED[name]
    found = _check(case, tmp_path)
    expected = [case.expect] if case.expect else []
    assert found == expected, f"{case.value!r} ({case.source})"
