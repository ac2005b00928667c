"""Numbers written as a spreadsheet or a locale shows them (SPC443): whatever the text, the
check ends with a verdict, and the number its hint asks for is one the check accepts."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from specc.data.values.dates import DateCheck
from specc.data.values.numbers import NumberCheck, formatted_readings

CHECK = NumberCheck(None)
CURRENCIES = ["$", "€", "£", "USD", "EUR", "usd"]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789,.-+ $€EURSD%()'\u00a0", min_size=1, max_size=24))
def test_every_reading_offered_is_a_number_the_check_accepts(value: str) -> None:
    value = value.strip()
    if not value:
        return
    problem = CHECK(value)
    readings = formatted_readings(value)
    if problem is not None and problem.code.code == "SPC443":
        assert readings, value
    for reading in readings:
        again = CHECK(reading)
        assert again is None or again.code.code in ("SPC405", "SPC427"), (value, reading, again)


@settings(max_examples=300, deadline=None)
@given(
    number=st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False),
    currency=st.sampled_from(["", *CURRENCIES]),
    before=st.booleans(),
)
def test_a_grouped_amount_is_a_warning_that_reads_as_its_number(
    number: Decimal, currency: str, before: bool
) -> None:
    grouped = f"{number:,.2f}"
    if currency:
        grouped = f"{currency}{grouped}" if before else f"{grouped} {currency}"
    problem = CHECK(grouped)
    if "," not in grouped and not currency:
        assert problem is None, grouped
        return
    assert problem is not None and problem.code.code == "SPC443", (grouped, problem)
    assert problem.effective_severity.value == "warning"
    assert any(Decimal(r) == number for r in formatted_readings(grouped)), grouped


@settings(max_examples=300, deadline=None)
@given(
    day=st.dates(),
    order=st.sampled_from(["MONTH_DAY_YEAR", "DAY_MONTH_YEAR"]),
    time=st.sampled_from(["", "T10:00:00Z", " 10:00", "T23:59:59+02:00"]),
)
def test_an_iso_date_under_another_order_is_a_warning(day: object, order: str, time: str) -> None:
    value = f"{day:%Y-%m-%d}{time}" if day.year >= 1000 else None  # type: ignore[attr-defined]
    if value is None:
        return
    problem = DateCheck(order, with_time=True)(value)
    assert problem is not None and problem.code.code == "SPC444", (value, problem)
    assert problem.effective_severity.value == "warning"
