"""The fast-path patterns: sound (whatever they match, the exact check accepts), written in
syntax that Python's `re` and Rust's `regex` (polars) read alike."""

from __future__ import annotations

import functools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from values_support import make_property

from specc.catalog.model import Property
from specc.data.values import (
    FAST_PATH_MAX_CHARS,
    accept_pattern,
    accepts_ascii_case,
    checker_for,
    kind_of,
)
from specc.data.values.dates import DATE_FORMATS
from specc.data.values.tlds import ascii_tlds, tld_pattern, top_level_domains

OPTIONS = [
    {"label": "Lead", "value": "lead"},
    {"label": "Q&A (1+2)", "value": "qa.[x]"},
    {"label": "a|b", "value": "a^b$"},
    {"label": "Ünïcødé", "value": "ünï"},
    {"label": " padded ", "value": "padded"},
    {"label": "x;y", "value": "xy"},
    {"label": "gold", "value": "g1"},
    {"label": "Gold tier", "value": "gold"},
    {"label": "Hidden", "value": "hid", "hidden": True},
    {"label": "{2,3}", "value": "\\d"},
    {"label": "straße", "value": "strasse"},
]

PROPERTIES: list[tuple[Property, str, str | None]] = []


def _add(raw: dict[str, object], *, column_type: str | None = None) -> None:
    prop = make_property(raw)
    formats = DATE_FORMATS if raw["type"] in ("date", "datetime") else ("MONTH_DAY_YEAR",)
    for date_format in formats:
        PROPERTIES.append((prop, date_format, column_type))


_add({"name": "birthday", "type": "date", "fieldType": "date"})
_add({"name": "seen", "type": "datetime", "fieldType": "date"})
_add({"name": "amount", "type": "number", "fieldType": "number"})
_add({"name": "pct", "type": "number", "fieldType": "number", "numberDisplayHint": "percentage"})
_add({"name": "prob", "type": "number", "fieldType": "number", "numberDisplayHint": "probability"})
_add({"name": "email", "type": "string", "fieldType": "text"})
_add({"name": "domain", "type": "string", "fieldType": "text"})
_add({"name": "phone", "type": "string", "fieldType": "phonenumber"})
_add({"name": "hs_object_id", "type": "number", "fieldType": "number"})
_add({"name": "legacy", "type": "string", "fieldType": "text"}, column_type="HUBSPOT_OBJECT_ID")
_add({"name": "contract", "type": "string", "fieldType": "file"})
_add({"name": "notes", "type": "string", "fieldType": "textarea"})
_add(
    {
        "name": "flag",
        "type": "bool",
        "fieldType": "booleancheckbox",
        "options": [{"label": "Ja", "value": "true"}, {"label": "Ñó", "value": "false"}],
    }
)
_add(
    {
        "name": "stage",
        "type": "enumeration",
        "fieldType": "select",
        "optionsComplete": True,
        "options": OPTIONS,
    }
)
_add({"name": "partial", "type": "enumeration", "fieldType": "select", "options": OPTIONS})
_add(
    {
        "name": "tags",
        "type": "enumeration",
        "fieldType": "checkbox",
        "optionsComplete": True,
        "options": OPTIONS,
    }
)
_add({"name": "owner", "type": "enumeration", "fieldType": "select", "externalOptions": True})
_add({"name": "hs_additional_domains", "type": "enumeration", "fieldType": "checkbox"})
_add({"name": "hs_additional_emails", "type": "enumeration", "fieldType": "checkbox"})

IDS = [f"{p.name}-{f}" for p, f, _ in PROPERTIES]


def _inner(pattern: str) -> str:
    assert pattern.startswith("^(?:") and pattern.endswith(")$")
    return pattern[4:-2]


@functools.cache
def _matching(pattern: str) -> st.SearchStrategy[str]:
    """Strings that fully match the pattern (built once: the TLD alternations are large)."""
    return st.from_regex(_inner(pattern), fullmatch=True)


def test_every_kind_has_a_pattern() -> None:
    kinds = {kind_of(p, column_type=c) for p, _, c in PROPERTIES}
    for prop, date_format, column_type in PROPERTIES:
        pattern = accept_pattern(prop, date_format=date_format, column_type=column_type)
        assert pattern is not None, prop.name
        re.compile(pattern)
    assert len(kinds) == 14


# Patterns with the ~1,500-way TLD alternation are slow to draw from; fewer examples there.
HEAVY = {"email", "domain", "hs_additional_domains", "hs_additional_emails"}
LIGHT_PROPERTIES = [p for p in PROPERTIES if p[0].name not in HEAVY]
HEAVY_PROPERTIES = [p for p in PROPERTIES if p[0].name in HEAVY]


def _assert_sound(
    prop: Property, date_format: str, column_type: str | None, data: st.DataObject
) -> None:
    pattern = accept_pattern(prop, date_format=date_format, column_type=column_type)
    assert pattern is not None
    value = data.draw(_matching(pattern), label="value")
    if len(value) > FAST_PATH_MAX_CHARS:
        return
    problem = checker_for(prop, date_format=date_format, column_type=column_type)(value)
    assert problem is None, f"{value!r} matches the fast path but gets {problem}"


@pytest.mark.parametrize(
    ("prop", "date_format", "column_type"),
    LIGHT_PROPERTIES,
    ids=[f"{p.name}-{f}" for p, f, _ in LIGHT_PROPERTIES],
)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_pattern_is_sound(
    prop: Property, date_format: str, column_type: str | None, data: st.DataObject
) -> None:
    _assert_sound(prop, date_format, column_type, data)


@pytest.mark.parametrize(
    ("prop", "date_format", "column_type"),
    HEAVY_PROPERTIES,
    ids=[p.name for p, _, _ in HEAVY_PROPERTIES],
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_host_pattern_is_sound(
    prop: Property, date_format: str, column_type: str | None, data: st.DataObject
) -> None:
    _assert_sound(prop, date_format, column_type, data)


def test_host_patterns_list_only_known_tlds() -> None:
    """The TLD trie matches the TLD set itself, so no example count is needed for it: every
    TLD, and none of the strings one character away from a TLD's prefix."""
    tlds = top_level_domains()
    assert ascii_tlds() and all(t in tlds and t.isascii() for t in ascii_tlds())
    assert {t for t in tlds if t.isascii()} == set(ascii_tlds())
    known = set(ascii_tlds())
    trie = re.compile(tld_pattern())
    near = {
        t[:i] + ch
        for t in known
        for i in range(len(t))
        for ch in "abcdefghijklmnopqrstuvwxyz0123456789-"
    }
    for text in known | near | {t + "a" for t in known} | {t.upper() for t in known}:
        assert (trie.fullmatch(text) is not None) == (text in known), text
    for prop, _, _ in HEAVY_PROPERTIES:
        pattern = accept_pattern(prop)
        assert pattern is not None and tld_pattern() in pattern
        assert accepts_ascii_case(pattern)
    assert not any(
        accepts_ascii_case(accept_pattern(p, date_format=f, column_type=c) or "")
        for p, f, c in LIGHT_PROPERTIES
    )


# Letters that Unicode case folding or lower-casing ties to ASCII ones: the long s, the
# Kelvin sign, the dotted and dotless i.
CONFUSABLES = "\u017f\u212a\u0130\u0131"


def _fast_test(pattern: str, values: list[str]) -> list[bool]:
    """What `specc check` clears without the exact check: the pattern, in polars, and for
    the host patterns the ASCII lower case of the values it misses."""
    import polars as pl

    from specc.data.row_checks import ascii_case_matches

    cells = pl.Series(values, dtype=pl.String)
    matched = cells.str.contains(pattern)
    if accepts_ascii_case(pattern):
        matched = ascii_case_matches(cells, matched, pattern)
    return matched.to_list()


@pytest.mark.parametrize(
    ("prop", "date_format", "column_type"),
    HEAVY_PROPERTIES,
    ids=[p.name for p, _, _ in HEAVY_PROPERTIES],
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_host_fast_test_in_any_case_is_sound(
    prop: Property, date_format: str, column_type: str | None, data: st.DataObject
) -> None:
    """A matching value with its letters' case changed, or one of them swapped for a letter
    Unicode ties to it: whatever the fast test clears, the exact check accepts; and the
    value in capitals is cleared."""
    pattern = accept_pattern(prop, date_format=date_format, column_type=column_type)
    assert pattern is not None
    value = data.draw(_matching(pattern), label="value")
    flips = data.draw(st.lists(st.booleans(), min_size=len(value), max_size=len(value)))
    varied = "".join(ch.swapcase() if flip else ch for ch, flip in zip(value, flips, strict=True))
    at = data.draw(st.integers(0, max(0, len(value) - 1)))
    swapped = value[:at] + data.draw(st.sampled_from(CONFUSABLES)) + value[at + 1 :]
    values = [value, value.upper(), varied, swapped, swapped.upper()]
    check = checker_for(prop, date_format=date_format, column_type=column_type)
    cleared = _fast_test(pattern, values)
    for v, fast in zip(values, cleared, strict=True):
        if fast:
            assert check(v) is None, f"{v!r} is cleared by the fast test but gets {check(v)}"
    assert cleared[:3] == [True, True, True]


@pytest.mark.parametrize("value", ["a@example.\u017fe", "jane@EXAMPLE.\u017fE"])
def test_a_long_s_in_the_tld_is_not_cleared(value: str) -> None:
    """`(?i:se)` matched `.\u017fe` (long s), which the exact check refuses (no such TLD)."""
    prop = make_property({"name": "email", "type": "string", "fieldType": "text"})
    pattern = accept_pattern(prop)
    assert pattern is not None
    assert _fast_test(pattern, [value]) == [False]
    problem = checker_for(prop)(value)
    assert problem is not None and problem.code.code == "SPC401"


def _mutations(value: str) -> list[str]:
    """Near misses of a matching value: a character dropped, doubled, changed, or added."""
    out = [value + "\n", " " + value, value + "x", value.upper(), value.lower()]
    for i in range(0, len(value), max(1, len(value) // 4)):
        out += [value[:i] + value[i + 1 :], value[:i] + value[i] + value[i:]]
        out += [value[:i] + "é" + value[i + 1 :], value[:i] + ";" + value[i:]]
    return out


@pytest.mark.parametrize(("prop", "date_format", "column_type"), PROPERTIES, ids=IDS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_polars_reads_the_pattern_like_python(
    prop: Property, date_format: str, column_type: str | None, data: st.DataObject
) -> None:
    """Rust's regex (through polars) and Python's re agree on matches and near misses."""
    import polars as pl

    pattern = accept_pattern(prop, date_format=date_format, column_type=column_type)
    assert pattern is not None
    inner = _inner(pattern)
    value = data.draw(_matching(pattern), label="value")
    noise = data.draw(st.text(max_size=12), label="noise")
    values = [value, noise, *_mutations(value)]
    rust = pl.Series(values, dtype=pl.String).str.contains(pattern).to_list()
    python = [re.fullmatch(inner, v) is not None for v in values]
    assert rust == python, [v for v, r, p in zip(values, rust, python, strict=True) if r != p]
    check = checker_for(prop, date_format=date_format, column_type=column_type)
    for v, matched in zip(values, rust, strict=True):
        if matched:
            assert check(v) is None, f"{v!r} matches in polars but gets {check(v)}"
