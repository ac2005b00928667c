"""Terms: line items' and products' `hs_recurring_billing_period` (PROVENANCE.md, Term values).

HubSpot's KB "Format import files": "ISO-8601 period formats of PnYnMnD or PnW ... P12M", or
a number of months (`10`); anything else is COULD_NOT_PARSE_TERM. Decisions where the sources
are silent:

- Whatever Java's `Period.parse` reads is accepted (HubSpot is a Java shop and the KB's forms
  are that method's): letters in either case, `PnYnMnWnD` mixed, signs. Time parts (`PT1H`)
  are not periods and are errors.
- A number of months is a whole number, possibly signed; `1.5` and `12 months` are errors.
- OUTSIDE_VALID_TERM_RANGE exists, but HubSpot documents no range: nothing is judged out of
  range.
"""

from __future__ import annotations

import re

from specc.codes import data as codes
from specc.data.values.base import Problem, quoted

_MONTHS = re.compile(r"[+-]?[0-9]+")
_PERIOD = re.compile(
    r"[+-]?P(?:[+-]?[0-9]+Y)?(?:[+-]?[0-9]+M)?(?:[+-]?[0-9]+W)?(?:[+-]?[0-9]+D)?", re.I
)
_WORDS = re.compile(r"([0-9]+)\s*(year|yr|month|mo|week|wk|day)s?\.?", re.I)
_UNIT = {"year": "Y", "yr": "Y", "month": "M", "mo": "M", "week": "W", "wk": "W", "day": "D"}
HINT = "write a number of months (12) or an ISO-8601 period: P12M, P1Y, P1Y6M, P2W, P30D"


def term_problem(value: str) -> Problem | None:
    """COULD_NOT_PARSE_TERM for a trimmed, non-empty value that is no term."""
    if _MONTHS.fullmatch(value):
        return None
    if len(value.lstrip("+-")) > 1 and _PERIOD.fullmatch(value):
        return None
    return Problem(codes.UNPARSABLE_TERM, f"{quoted(value)} is not a term", hint=_hint(value))


def _hint(value: str) -> str:
    words = _WORDS.fullmatch(value.strip())
    if words is not None:
        return f"write P{words.group(1)}{_UNIT[words.group(2).lower()]}"
    if value[:2].upper() == "PT":
        return f"a term counts days, weeks, months or years, not hours: {HINT}"
    if re.fullmatch(r"[0-9]+[.,][0-9]+", value):
        return f"a number of months is a whole number; {HINT}"
    return HINT


def term_pattern() -> str:
    """A fast-path regex (Rust and Python syntax) of terms `term_problem` accepts."""
    n = "[0-9]{1,6}"
    return f"{n}|P{n}Y(?:{n}M)?(?:{n}D)?|P{n}M(?:{n}D)?|P{n}[WD]"
