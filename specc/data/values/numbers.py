"""Numbers (hubspot-domain.md §6.2).

"A number value containing numeric digits and at most one decimal" (properties guide), with
an optional sign. Decisions where the sources are silent:

- `5.` and `.5` are numbers (every decimal parser takes them; the KB itself writes `.25`).
- One number written with thousands separators, a decimal comma or a currency symbol or
  code (`5,333,222`, `3,5`, `$120`) is a warning (SPC443): HubSpot's changelog refuses them
  over the CRM APIs but says the app's behaviour, which imports share, does not change, and
  no public report says what an import does. Anything else that is not digits with one
  decimal point (units, words, `1.2.3`, `(50)`) is an error (COULD_NOT_PARSE_NUMBER).
- A percent sign is accepted by percentage and probability properties (`25%`); in those, a
  plain number above 1 is read as a fraction (25 → 2,500 %), a warning. When the display
  hint is unknown (the bundled catalog, a snapshot without `numberDisplayHint`), `25%` is a
  warning: the property may be a percentage ("either 25% or .25", KB "Format import files").
  A known hint of another kind (`unformatted`, `currency`, ...) refuses it.
- Scientific notation (`1.5E+6`) is a warning: Java parsers read it, the documentation's
  "digits and at most one decimal" does not include it.
- Beyond a 64-bit integer's range is INVALID_NUMBER_SIZE; more than 15 significant digits is
  a warning (double precision rounds them).
"""

from __future__ import annotations

import re

from specc.codes import data as codes
from specc.data.values.base import Problem, quoted

PERCENT_HINTS = frozenset({"percentage", "probability"})
MAX_MAGNITUDE = 2**63 - 1
MAX_SIGNIFICANT = 15

_PLAIN = re.compile(r"[+-]?([0-9]*)(?:\.([0-9]*))?")
_SCIENTIFIC = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][+-]?[0-9]{1,4}")
_THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_THOUSANDS_EU = re.compile(r"[+-]?[0-9]{1,3}(?:[. '\u00a0\u202f][0-9]{3})+(?:,[0-9]+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]*,[0-9]+")
# A currency symbol, or the code of a currency spreadsheets often show (matched in any case).
CURRENCY_SYMBOLS = "[$€£¥₹₩₽¢]"
CURRENCY_CODES = "USD|EUR|GBP|JPY|CHF|CAD|AUD|INR|CNY|SEK|NOK|DKK|PLN|BRL|MXN"
CURRENCY = f"(?:{CURRENCY_SYMBOLS}|{CURRENCY_CODES})"
# In a value that is no number, a code only as a word of its own: "busdriver" names none.
_CURRENCY = re.compile(rf"{CURRENCY_SYMBOLS}|\b(?:{CURRENCY_CODES})\b", re.I)

FORMAT_HINT = "write digits with at most one decimal point, like 1234.5 or -3"


class NumberCheck:
    """One property's number rule; called with a trimmed, non-empty value."""

    __slots__ = ("display_hint", "percent")

    def __init__(self, display_hint: str | None) -> None:
        self.display_hint = display_hint
        self.percent = display_hint in PERCENT_HINTS

    def __call__(self, value: str) -> Problem | None:
        text = value
        has_percent = False
        if self.percent and value.endswith("%"):
            text = value[:-1]
            has_percent = True
        m = _PLAIN.fullmatch(text)
        if m is not None and (m.group(1) or m.group(2)):
            problem = size_problem(value, m.group(1), m.group(2) or "")
            if problem is not None or has_percent or not self.percent:
                return problem
            return self._fraction_problem(value, text)
        if self.display_hint is None and value.endswith("%"):
            m = _PLAIN.fullmatch(value[:-1])
            if m is not None and (m.group(1) or m.group(2)):
                return size_problem(value, m.group(1), m.group(2) or "") or Problem(
                    codes.PERCENT_SIGN_UNCONFIRMED,
                    f"{quoted(value)} has a percent sign, which only percentage properties "
                    "take; the catalog does not say whether this is one",
                    hint=f"if it is not a percentage, write {value[:-1]}",
                )
        return self._unparsable(value)

    def _fraction_problem(self, value: str, text: str) -> Problem | None:
        number = float(text)
        if abs(number) <= 1:
            return None
        return percent_misread(self.display_hint, quoted(value), number)

    def _unparsable(self, value: str) -> Problem:
        if _SCIENTIFIC.fullmatch(value):
            number = float(value)
            if abs(number) > MAX_MAGNITUDE:
                return _too_large(value)
            return Problem(
                codes.SCIENTIFIC_NOTATION,
                f"{quoted(value)} is in scientific notation",
                hint=f"write it out in full: {_plain(number)}",
            )
        if "%" not in value:
            readings = formatted_readings(value)
            if readings:
                return _formatted(value, readings)
        return Problem(
            codes.UNPARSABLE_NUMBER, f"{quoted(value)} is not a number", self._hint(value)
        )

    def _hint(self, value: str) -> str:
        if "%" in value:
            if self.percent:
                return "write the percent sign right after the digits, like 25% or .25"
            return "only percentage properties take a percent sign; write the plain number"
        if _CURRENCY.search(value):
            return "remove the currency symbol or code; write only the amount, like 123.45"
        if _THOUSANDS.fullmatch(value):
            return f"remove the thousands separators: {value.replace(',', '')}"
        if _THOUSANDS_EU.fullmatch(value):
            digits = re.sub(r"[. '\u00a0\u202f]", "", value).replace(",", ".")
            return f"remove the thousands separators and use a decimal point: {digits}"
        if _DECIMAL_COMMA.fullmatch(value):
            return f"use a decimal point, not a comma: {value.replace(',', '.')}"
        if ":" in value and self.display_hint == "duration":
            return "durations are whole milliseconds, e.g. 90000 for 1:30"
        if value.startswith("(") and value.endswith(")"):
            return f"write negative numbers with a minus sign: -{value[1:-1]}"
        if value.endswith("-") and _PLAIN.fullmatch(value[:-1]):
            return f"put the minus sign in front: -{value[:-1]}"
        if self.display_hint == "duration":
            return "durations are whole milliseconds, like 90000"
        return FORMAT_HINT


# Against the digits or apart from them (`USD0.00`, `120 EUR`): the rest must be a number.
_CURRENCY_BEFORE = re.compile(rf"([+-]?)\s*{CURRENCY}\s*(.*)", re.I)
_CURRENCY_AFTER = re.compile(rf"(.*?)\s*{CURRENCY}", re.I)
_EU_SEPARATORS = re.compile(r"[. '\u00a0\u202f]")


def formatted_readings(value: str) -> list[str]:
    """The plain numbers a value written with a currency or a locale's separators can stand
    for (`1,200`: 1200 and 1.2; `$1,000.50`: 1000.50); empty when it is not one number so
    written."""
    text = _without_currency(value)
    readings: list[str] = []
    if _THOUSANDS.fullmatch(text):
        readings.append(text.replace(",", ""))
    if _THOUSANDS_EU.fullmatch(text):
        readings.append(_decimal(_EU_SEPARATORS.sub("", text).replace(",", ".")))
    if _DECIMAL_COMMA.fullmatch(text):
        readings.append(_decimal(text.replace(",", ".")))
    if not readings and text != value:
        plain = _PLAIN.fullmatch(text)
        if plain is not None and (plain.group(1) or plain.group(2)):
            readings.append(text)
    return list(dict.fromkeys(readings))


def _decimal(text: str) -> str:
    """`1.200` as 1.2: a decimal comma's trailing zeros say nothing (and `1.200` would read
    as the thousands it may also be)."""
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    if fraction:
        return f"{whole}.{fraction}"
    return whole if whole.strip("+-") else whole + "0"


def _without_currency(value: str) -> str:
    """`value` without one currency symbol or code before or after its number."""
    before = _CURRENCY_BEFORE.fullmatch(value)
    if before is not None:
        return before.group(1) + before.group(2)
    after = _CURRENCY_AFTER.fullmatch(value)
    return value if after is None else after.group(1)


def _formatted(value: str, readings: list[str]) -> Problem:
    if len(readings) > 1:
        return Problem(
            codes.FORMATTED_NUMBER,
            f"{quoted(value)} may be read as {' or as '.join(readings)}, or refused",
            hint=f"write {' or '.join(readings)}, whichever it means",
        )
    text = _without_currency(value)
    written = " and ".join(
        ["separators"] * (text != readings[0]) + ["a currency"] * (text != value)
    )
    return Problem(
        codes.FORMATTED_NUMBER,
        f"{quoted(value)} is {readings[0]} written with {written}; "
        "whether an import reads it is not documented",
        hint=f"write {readings[0]}",
    )


def percent_misread(display_hint: str | None, shown: str, number: float) -> Problem:
    """A plain number above 1 in a percentage or probability property."""
    if display_hint == "probability":
        return Problem(
            codes.PERCENT_MISREAD,
            f"{shown} is above 1, but the property holds probabilities from 0 to 1",
            hint=f"write {number / 100:g} for {number:g} %",
        )
    return Problem(
        codes.PERCENT_MISREAD,
        f"{shown} in a percentage property is read as {number * 100:g} %",
        hint=f"write {number:g}% or {number / 100:g}",
    )


def size_problem(value: str, whole: str, fraction: str) -> Problem | None:
    """INVALID_NUMBER_SIZE or a precision warning for digits already known to form a number."""
    if len(whole) + len(fraction) <= MAX_SIGNIFICANT:  # the common case, nothing to count
        return None
    whole = whole.lstrip("0")
    if len(whole) > 19 or (len(whole) == 19 and int(whole) > MAX_MAGNITUDE):
        return _too_large(value)
    significant = (whole + fraction).strip("0") if whole else fraction.strip("0")
    if len(significant) > MAX_SIGNIFICANT:
        return Problem(
            codes.NUMBER_PRECISION,
            f"{quoted(value)} has {len(significant)} significant digits; "
            f"HubSpot keeps about {MAX_SIGNIFICANT}",
            hint="map identifiers to a text property, or round the number",
        )
    return None


def _too_large(value: str) -> Problem:
    return Problem(
        codes.NUMBER_OUT_OF_RANGE,
        f"{quoted(value)} is too large for a HubSpot number",
        hint="map the column to a text property if it holds identifiers",
    )


def _plain(number: float) -> str:
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def number_pattern(display_hint: str | None) -> str:
    """A fast-path regex (Rust and Python syntax): numbers of at most 15 digits, needing no
    warning; for percentages also `25%` and fractions of magnitude at most 1."""
    plain = "-?[0-9]{1,9}(?:\\.[0-9]{1,6})?"
    if display_hint not in PERCENT_HINTS:
        return plain
    return f"{plain}%|-?0{{0,9}}\\.[0-9]{{1,6}}|-?0{{1,9}}|-?0{{0,8}}1"
