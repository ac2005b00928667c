"""Clean values are never flagged: generated in every documented form, they must pass.

A false error on a clean file is as bad as a missed one, so these generators cover the
documented forms broadly (every date rendering in every order, numbers, emails and domains
from Hypothesis' own IANA-based strategies, record IDs, options), and one fuzz test makes
sure no input makes a check raise.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.provisional import domains
from values_support import make_property

from specc.data.values import checker_for, typed_checker_for
from specc.data.values.dates import ORDERS
from specc.data.values.tlds import top_level_domains

DATE = make_property({"name": "birthday", "type": "date", "fieldType": "date"})
DATETIME = make_property({"name": "seen", "type": "datetime", "fieldType": "date"})
NUMBER = make_property({"name": "amount", "type": "number", "fieldType": "number"})
EMAIL = make_property({"name": "email", "type": "string", "fieldType": "text"})
DOMAIN = make_property({"name": "domain", "type": "string", "fieldType": "text"})
RECORD_ID = make_property({"name": "hs_object_id", "type": "number", "fieldType": "number"})
PHONE = make_property({"name": "phone", "type": "string", "fieldType": "phonenumber"})

MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


@st.composite
def rendered_dates(draw: st.DrawFn) -> tuple[str, str]:
    """A real date written in one of the documented forms, with its dateFormat."""
    day = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
    date_format = draw(st.sampled_from(sorted(ORDERS)))
    sep = draw(st.sampled_from("/-."))
    name = MONTH_NAMES[day.month - 1]
    month = draw(
        st.sampled_from(
            [str(day.month), f"{day.month:02d}", name[:3], name, name.upper(), name[:3].lower()]
        )
    )
    year = draw(st.sampled_from([f"{day.year:04d}", f"{day.year % 100:02d}"]))
    if len(year) == 2 and day.month == 2 and day.day == 29:
        year = f"{day.year:04d}"  # 2-digit years are 20yy: 1900's Feb 29 would not exist
    dd = draw(st.sampled_from([str(day.day), f"{day.day:02d}"]))
    parts = {"y": year, "m": month, "d": dd}
    return sep.join(parts[p] for p in ORDERS[date_format]), date_format


@st.composite
def rendered_times(draw: st.DrawFn) -> str:
    """A time of day in a documented form: 24-hour or AM/PM, maybe seconds and an offset."""
    t = draw(st.times())
    twelve_hour = draw(st.booleans())
    h = (t.hour % 12 or 12) if twelve_hour else t.hour
    text = draw(st.sampled_from([str(h), f"{h:02d}"])) + f":{t.minute:02d}"
    if draw(st.booleans()):
        text += f":{t.second:02d}"
    if twelve_hour:
        marker = "AM" if t.hour < 12 else "PM"
        text += draw(st.sampled_from(["", " "])) + draw(st.sampled_from([marker, marker.lower()]))
    if draw(st.booleans()):
        text += draw(st.sampled_from(["", " "])) + draw(st.sampled_from("+-"))
        text += f"{draw(st.integers(0, 14)):02d}:" + draw(st.sampled_from(["00", "30", "45"]))
    return text


@settings(max_examples=500)
@given(rendered_dates())
def test_documented_dates_pass(rendered: tuple[str, str]) -> None:
    value, date_format = rendered
    assert checker_for(DATE, date_format=date_format)(value) is None
    assert checker_for(DATETIME, date_format=date_format)(value) is None


@settings(max_examples=500)
@given(rendered_dates(), rendered_times())
def test_documented_date_times_pass(rendered: tuple[str, str], time: str) -> None:
    value, date_format = rendered
    assert checker_for(DATETIME, date_format=date_format)(f"{value} {time}") is None


@given(st.datetimes(min_value=dt.datetime(1970, 5, 1), max_value=dt.datetime(2286, 1, 1)))
def test_millisecond_timestamps_pass(moment: dt.datetime) -> None:
    millis = int(moment.replace(tzinfo=dt.UTC).timestamp() * 1000)
    assert checker_for(DATETIME)(str(millis)) is None
    midnight = millis - millis % 86_400_000
    assert checker_for(DATE)(str(midnight)) is None


@given(st.decimals(min_value=-(10**9) + 1, max_value=10**9 - 1, places=6, allow_nan=False))
def test_plain_decimals_pass(number: object) -> None:
    text = format(number, "f")
    assert checker_for(NUMBER)(text) is None


@given(st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1))
def test_integers_pass(number: int) -> None:
    assert checker_for(NUMBER)(str(number)) is None


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_number_cells_pass(number: float) -> None:
    assert typed_checker_for(NUMBER)(number) is None


@settings(max_examples=300, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.emails())
def test_hypothesis_emails_pass(address: str) -> None:
    """Hypothesis writes RFC 5322 dot-atom addresses on IANA TLDs (its own bundled list)."""
    assume(address.rsplit(".", 1)[-1].lower() in top_level_domains())
    assert checker_for(EMAIL)(address) is None


@settings(max_examples=300, suppress_health_check=[HealthCheck.filter_too_much])
@given(domains())
def test_hypothesis_domains_pass(domain: str) -> None:
    assume(domain.rsplit(".", 1)[-1].lower() in top_level_domains())
    assert checker_for(DOMAIN)(domain) is None


@given(st.integers(min_value=1, max_value=2**63 - 1))
def test_record_ids_pass(number: int) -> None:
    assert checker_for(RECORD_ID)(str(number)) is None
    assert checker_for(RECORD_ID)(str(number).zfill(19)) is None
    if number < 2**53:
        assert typed_checker_for(RECORD_ID)(float(number)) is None


@given(st.from_regex(r"\+[1-9][0-9]{6,14}( ext[0-9]{1,5})?", fullmatch=True))
def test_e164_phones_pass(phone: str) -> None:
    assert checker_for(PHONE)(phone) is None


OPTION_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp", "Cf")),
    min_size=1,
    max_size=12,
)


@settings(max_examples=200)
@given(
    st.lists(st.tuples(OPTION_TEXT, OPTION_TEXT), min_size=1, max_size=8, unique_by=lambda o: o[1])
)
def test_every_option_spelling_passes(pairs: list[tuple[str, str]]) -> None:
    """Each option's value and label is accepted, unless it spells two options."""
    raw_options = [{"label": label, "value": value} for label, value in pairs]
    spellings: dict[str, set[int]] = {}
    for i, (label, value) in enumerate(pairs):
        spellings.setdefault(label, set()).add(i)
        spellings.setdefault(value, set()).add(i)
    for field_type in ("select", "checkbox"):
        prop = make_property(
            {
                "name": "pick",
                "type": "enumeration",
                "fieldType": field_type,
                "optionsComplete": True,
                "options": raw_options,
            }
        )
        check = checker_for(prop)
        for text, owners in spellings.items():
            if len(owners) > 1 or (field_type == "checkbox" and ";" in text):
                continue
            assert check(text) is None, (text, check(text))


ANY_PROPERTIES = [
    DATE, DATETIME, NUMBER, EMAIL, DOMAIN, RECORD_ID, PHONE,
    make_property({"name": "pct", "type": "number", "fieldType": "number",
                   "numberDisplayHint": "percentage"}),
    make_property({"name": "f", "type": "string", "fieldType": "file"}),
    make_property({"name": "b", "type": "bool", "fieldType": "booleancheckbox"}),
    make_property({"name": "s", "type": "enumeration", "fieldType": "select",
                   "optionsComplete": True, "options": [{"label": "A", "value": "a"}]}),
    make_property({"name": "c", "type": "enumeration", "fieldType": "checkbox",
                   "optionsListedComplete": True, "options": [{"label": "A", "value": "a"}]}),
    make_property({"name": "hs_additional_emails", "type": "enumeration",
                   "fieldType": "checkbox"}),
]  # fmt: skip

CELLS = st.one_of(
    st.text(),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.datetimes(),
    st.dates(),
    st.times(),
    st.timedeltas(),
)


@pytest.mark.parametrize("prop", ANY_PROPERTIES, ids=lambda p: p.name)
@settings(max_examples=300, deadline=None)
@given(cell=CELLS, date_format=st.sampled_from(sorted(ORDERS)))
def test_no_input_makes_a_check_raise(prop: object, cell: object, date_format: str) -> None:
    typed = typed_checker_for(prop, date_format=date_format)  # type: ignore[arg-type]
    problem = typed(cell)
    if problem is not None:
        assert problem.message and problem.code.code.startswith("SPC4")
    if isinstance(cell, str) and cell:
        problem = checker_for(prop, date_format=date_format)(cell)  # type: ignore[arg-type]
        assert problem is None or problem.message
