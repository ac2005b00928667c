"""Soundness of `specc fix`'s value rules (specc.fix.propose), proved on generated values:

- a value the exact check accepts is never changed;
- every value fix writes passes the exact check for its property, so fixing again changes
  nothing (idempotence);
- fix never writes a different date, number or option than the one it read.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from specc.catalog.model import Option, Property
from specc.data.values import checker_for, kind_of
from specc.data.values.base import STRIP_CHARS
from specc.data.values.choices import OptionIndex
from specc.data.values.dates import DATE_FORMATS, ORDERS, read_date
from specc.fix import date_readings, option_value, propose, read_number

OPTIONS = (Option("Hiking", "hiking"), Option("Jazz", "jazz"), Option("Chess Club", "CHESS"))
PROPERTIES = {
    "date": Property("d", "date", "date"),
    "datetime": Property("dt", "datetime", "date"),
    "number": Property("n", "number", "number", number_display_hint="unformatted"),
    "number?": Property("n2", "number", "number"),
    "percent": Property("p", "number", "number", number_display_hint="percentage"),
    "bool": Property(
        "b", "bool", "booleancheckbox", options=(Option("Yes", "true"), Option("No", "false"))
    ),
    "enum": Property("e", "enumeration", "radio", options=OPTIONS, options_complete=True),
    "checkbox": Property("c", "enumeration", "checkbox", options=OPTIONS, options_complete=True),
    "domain": Property("w", "string", "text", text_display_hint="domain_name"),
}

SPACES = st.sampled_from(["", " ", "  ", "\t", "\u00a0"])
DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
MONTH_NAMES = [
    "jan",
    "Feb",
    "MARCH",
    "apr",
    "May",
    "june",
    "Jul",
    "aug",
    "Sep",
    "oct",
    "Nov",
    "dec",
]


@st.composite
def written_dates(draw: st.DrawFn) -> str:
    d = draw(DATES)
    order = draw(st.sampled_from(list(ORDERS.values())))
    sep = draw(st.sampled_from("/-."))
    month = draw(st.sampled_from([str(d.month), f"{d.month:02d}", MONTH_NAMES[d.month - 1]]))
    year = draw(st.sampled_from([str(d.year), f"{d.year % 100:02d}"]))
    day = draw(st.sampled_from([str(d.day), f"{d.day:02d}"]))
    parts = {"y": year, "m": month, "d": day}
    text = sep.join(parts[r] for r in order)
    time = draw(
        st.sampled_from(["", " 00:00", "T00:00:00Z", " 14:30", "T09:05:07Z", "T23:59:00+0130"])
    )
    return text + time


@st.composite
def written_numbers(draw: st.DrawFn) -> str:
    whole = draw(st.integers(min_value=0, max_value=10**12))
    grouped = draw(st.booleans())
    text = f"{whole:,}" if grouped else str(whole)
    if draw(st.booleans()):
        text += "." + draw(st.from_regex(r"[0-9]{1,4}", fullmatch=True))
    symbol = draw(st.sampled_from(["", "$", "€", "USD ", " EUR"]))
    text = symbol + text if not symbol.startswith(" ") else text + symbol
    if draw(st.booleans()):
        text = "-" + text
    if draw(st.booleans()):
        text += "%"
    return text


OPTION_WORDS = st.sampled_from(
    ["hiking", "Hiking", "HIKING", "jazz", "Jazz", "chess club", "CHESS", "Chess Club", "golf", ""]
)


@st.composite
def written_options(draw: st.DrawFn) -> str:
    items = draw(st.lists(OPTION_WORDS, min_size=1, max_size=3))
    sep = draw(st.sampled_from([";", ",", ", ", " ; "]))
    return sep.join(items)


VALUES = {
    "date": written_dates(),
    "datetime": written_dates(),
    "number": written_numbers(),
    "number?": written_numbers(),
    "percent": written_numbers(),
    "bool": st.sampled_from(["Y", "n", "1", "0", "yes", "TRUE", "on", "maybe", "checked", "x"]),
    "enum": written_options(),
    "checkbox": written_options(),
    "domain": st.from_regex(
        r"(https?://)?(www\.)?[a-z]{1,8}\.(com|org|de|zz)(:[0-9]{2,4})?(/[a-z]{0,5})?\.?",
        fullmatch=True,
    ),
}


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, str, str]:
    name = draw(st.sampled_from(sorted(PROPERTIES)))
    value = draw(st.one_of(VALUES[name], st.text(max_size=12)))
    value = draw(SPACES) + value + draw(SPACES)
    return name, value, draw(st.sampled_from(DATE_FORMATS))


def _propose(name: str, value: str, date_format: str) -> tuple[str, str] | None:
    prop = PROPERTIES[name]
    check = checker_for(prop, date_format=date_format, snapshot=True)
    return propose(kind_of(prop), prop, value, check, date_format)


@settings(max_examples=600, deadline=None)
@given(cases())
def test_accepted_values_are_never_changed_and_fixes_pass_the_check(
    case: tuple[str, str, str],
) -> None:
    name, value, date_format = case
    prop = PROPERTIES[name]
    check = checker_for(prop, date_format=date_format, snapshot=True)
    proposed = propose(kind_of(prop), prop, value, check, date_format)
    if check(value) is None:
        assert proposed is None
        return
    if proposed is None:
        return
    after, rule = proposed
    assert after != value
    assert check(after) is None, (value, after, rule)
    # Idempotent: what fix writes, fix leaves.
    assert propose(kind_of(prop), prop, after, check, date_format) is None


@settings(max_examples=400, deadline=None)
@given(
    written_dates(), SPACES, st.sampled_from(DATE_FORMATS), st.sampled_from(["date", "datetime"])
)
def test_a_date_is_rewritten_only_into_its_one_reading(
    value: str, space: str, date_format: str, name: str
) -> None:
    proposed = _propose(name, space + value, date_format)
    if proposed is None or proposed[1] == "whitespace":
        return
    before_parts = _date_parts(value)
    readings = date_readings(before_parts)
    assert len(readings) == 1
    after_date = read_date(_date_parts(proposed[0]), ORDERS[date_format])
    assert after_date == next(iter(readings))


def _date_parts(text: str) -> tuple[str, str, str]:
    import re

    m = re.match(r"([0-9A-Za-z]+)[-/.]([0-9A-Za-z]+)[-/.]([0-9]+)", text)
    assert m is not None
    return m.group(1), m.group(2), m.group(3)


@settings(max_examples=400, deadline=None)
@given(written_numbers(), st.sampled_from(["number", "number?", "percent"]))
def test_a_number_is_rewritten_only_into_the_same_number(value: str, name: str) -> None:
    proposed = _propose(name, value, "MONTH_DAY_YEAR")
    if proposed is None:
        return
    after, rule = proposed
    read = read_number(value)
    assert read is not None
    number, percent = read
    assert Decimal(after) == (number / 100 if percent else number)
    assert rule == ("percent" if percent else "number")


@settings(max_examples=400, deadline=None)
@given(written_options(), st.sampled_from(["enum", "checkbox"]))
def test_an_option_is_rewritten_only_into_the_options_it_names(value: str, name: str) -> None:
    proposed = _propose(name, value, "MONTH_DAY_YEAR")
    if proposed is None:
        return
    index = OptionIndex(OPTIONS)
    after, rule = proposed
    value = value.strip(STRIP_CHARS)  # fix trims first
    separator = "," if rule == "checkbox-list" else ";"
    if separator == ";" and value.startswith(";") and after.startswith(";"):
        value, after = value[1:], after[1:]  # a leading ; appends, on both sides
    before_items = [option_value(i, index) for i in value.split(separator)]
    if name == "enum":
        before_items = [option_value(value, index)]
    assert None not in before_items
    assert after.split(";") == before_items


def test_two_readings_are_left() -> None:
    # 03/04/2026 is March 4 or April 3: under YEAR_MONTH_DAY nothing tells which.
    assert _propose("date", "03/04/2026", "YEAR_MONTH_DAY") is None
    # 1,200 is one thousand two hundred, or 1.2 with a decimal comma.
    assert _propose("number", "1,200", "MONTH_DAY_YEAR") is None
    # ISO has one reading in every order.
    assert _propose("date", "2026-03-04", "MONTH_DAY_YEAR") == ("03/04/2026", "date")
    assert _propose("date", "2026-03-04", "DAY_MONTH_YEAR") == ("04/03/2026", "date")
