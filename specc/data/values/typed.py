"""Spreadsheet cells that arrive typed (python-calamine: float, int, bool, datetime, date,
time, timedelta, str), judged as HubSpot reads them.

HubSpot does not say how it reads typed cells. What specc assumes, and why:

- A date-formatted cell (a datetime/date) in a date property is a date: that is what the KB's
  "cells in Number format [a number format, such as Date] when importing date and time
  picker properties" asks for. A time in it is kept by date-time properties and dropped by
  date properties (SPC421), as for text.
- A plain number cell in a date property is a warning (SPC423), never an error: HubSpot may
  take it as an Excel day count or as Unix milliseconds (the KB says milliseconds work in
  cells "with the Text number format", implying not in number cells), and specc cannot
  tell which; the message says what each reading gives.
- A time-only or duration cell, or a TRUE/FALSE cell, in a date property is not a date
  (COULD_NOT_PARSE_DATE); a date or boolean cell in a number property is not a number
  (COULD_NOT_PARSE_NUMBER).
- Numbers in number properties are taken as numbers (their size is still checked, and a
  percentage property's 25 still means 2,500 %).
- Everywhere else the cell is read as text the way spreadsheet tools render the General
  format (Apache POI's DataFormatter, which Java importers use): integers in full below
  10^11, beyond that scientific notation with 6 significant digits (441234567890 shows as
  4.41235E+11), booleans as TRUE/FALSE, dates in ISO form. When that rendering loses digits
  it is a warning (SPC428); otherwise the text is checked like a CSV cell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from specc.codes import data as codes
from specc.data.values.base import Problem, TextCheck, TypedCheck, quoted
from specc.data.values.kinds import Kind
from specc.data.values.numbers import MAX_MAGNITUDE, PERCENT_HINTS, percent_misread

EXCEL_EPOCH = datetime(1899, 12, 30)
MAX_EXCEL_SERIAL = 2_958_465  # 9999-12-31
_EXACT_FLOAT_INTEGER = 2**53
# The largest float a fast test compares against for MAX_MAGNITUDE: below 2**63 - 1 however
# an engine rounds the bound (2**63 - 1 itself becomes 2**63 as a float).
_FAST_MAX_MAGNITUDE = 9.2e18
# Whole numbers below this show in General format digit for digit (see general_format).
_FAST_MAX_WHOLE = 99_999_999_999.0


@dataclass(frozen=True)
class TypedFast:
    """Which typed cells a typed check surely accepts, said so that a column-wise engine
    can clear them without calling the check (sound: every cell described gets no problem
    from it; the engine sends the rest to the check).

    `numbers`: number cells from low to high (inclusive, finite); `whole`: only the whole
    ones. `dates`: date cells, and datetimes at midnight; `datetimes`: datetimes with a
    time of day. `by_text`: only those of them whose text (the cell's General-format
    rendering, `render`) the column's accept pattern matches."""

    numbers: tuple[float, float] | None = None
    whole: bool = False
    dates: bool = False
    datetimes: bool = False
    by_text: bool = False


class FastTyped:
    """A typed check with what it surely accepts (`fast`); called like the check."""

    __slots__ = ("check", "fast")

    def __init__(self, check: TypedCheck, fast: TypedFast) -> None:
        self.check = check
        self.fast = fast

    def __call__(self, value: object) -> Problem | None:
        return self.check(value)


def general_format(number: float) -> str:
    """A number as a spreadsheet's General format shows it (about 11 characters)."""
    if number == 0:
        return "0"
    if not math.isfinite(number):  # spreadsheets cannot hold these; a reader might
        return str(number)
    magnitude = abs(number)
    if magnitude >= 1e11 or magnitude < 1e-9:
        mantissa, exponent = f"{number:.5E}".split("E")
        mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}E{exponent[0]}{exponent[1:].lstrip('0').rjust(2, '0')}"
    if float(number).is_integer():
        return str(int(number))
    return f"{number:.10g}" if magnitude >= 1 else f"{number:.9g}"


def render(value: object) -> str:
    """A typed cell as text, as HubSpot most likely reads it."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return general_format(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if value.time() != time(0) else value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _rendering_loses_digits(number: float) -> bool:
    if isinstance(number, int) and abs(number) >= _EXACT_FLOAT_INTEGER:
        return True
    try:
        return float(general_format(number)) != float(number)
    except ValueError:
        return True


def _rounded(value: float) -> Problem:
    return Problem(
        codes.NUMBER_CELL_ROUNDED,
        f"the number cell {value!r} shows as {general_format(value)} in a spreadsheet; "
        "HubSpot may read the rounded form",
        hint="format the column's cells as Text and re-enter the values",
    )


def _serial_date(number: float) -> str | None:
    if 1 <= number <= MAX_EXCEL_SERIAL:
        return (EXCEL_EPOCH + timedelta(days=number)).date().isoformat()
    return None


def _epoch_date(number: float) -> str | None:
    if number.is_integer() and 10**10 <= abs(number) < 10**13:
        return (datetime(1970, 1, 1) + timedelta(milliseconds=number)).isoformat(sep=" ")
    return None


def date_typed(kind: Kind, text: TextCheck) -> TypedCheck:
    with_time = kind is Kind.DATETIME

    def check(value: object) -> Problem | None:
        if isinstance(value, str):
            return text(value)
        if isinstance(value, bool):
            return Problem(
                codes.UNPARSABLE_DATE,
                f"the cell holds {render(value)}, not a date",
                hint="put dates in the column, formatted as dates",
            )
        if isinstance(value, datetime):
            if with_time or value.time() == time(0):
                return None
            return Problem(
                codes.TIME_IGNORED,
                f"the date cell {render(value)} has a time, but the property holds only a date",
                hint="drop the time, or map the column to a date-time property",
            )
        if isinstance(value, date):
            return None
        if isinstance(value, time | timedelta):
            return Problem(
                codes.UNPARSABLE_DATE,
                f"the cell holds a time of day or a duration ({render(value)}), not a date",
                hint="put full dates in the column, formatted as dates",
            )
        if isinstance(value, int | float):
            number = float(value)
            readings = []
            serial = _serial_date(number)
            if serial is not None:
                readings.append(f"as a spreadsheet day count it is {serial}")
            epoch = _epoch_date(number)
            if epoch is not None:
                readings.append(f"as Unix milliseconds it is {epoch}")
            shown = "; ".join(readings) if readings else "it is no plausible date"
            return Problem(
                codes.NUMBER_CELL_FOR_DATE,
                f"the cell holds the number {general_format(number)}, not a date ({shown})",
                hint="format the cells as dates; for Unix milliseconds, format them as Text",
            )
        return text(render(value))

    return FastTyped(check, TypedFast(dates=True, datetimes=with_time))


def number_typed(display_hint: str | None, text: TextCheck) -> TypedCheck:
    percent = display_hint in PERCENT_HINTS

    def check(value: object) -> Problem | None:
        if isinstance(value, str):
            return text(value)
        if isinstance(value, bool | date | time | timedelta):
            return Problem(
                codes.UNPARSABLE_NUMBER,
                f"the cell holds {render(value)}, not a number",
                hint="put plain numbers in the column",
            )
        if isinstance(value, int | float):
            if isinstance(value, float) and not math.isfinite(value):
                return Problem(codes.UNPARSABLE_NUMBER, f"the cell holds {value}, not a number")
            if abs(value) > MAX_MAGNITUDE:
                return Problem(
                    codes.NUMBER_OUT_OF_RANGE,
                    f"the number {general_format(value)} is too large for a HubSpot number",
                    hint="map the column to a text property if it holds identifiers",
                )
            if isinstance(value, int) and abs(value) >= _EXACT_FLOAT_INTEGER:
                return Problem(
                    codes.NUMBER_PRECISION,
                    f"the number {value} has more digits than HubSpot keeps",
                    hint="map identifiers to a text property",
                )
            if percent and abs(value) > 1:
                return percent_misread(display_hint, quoted(general_format(value)), value)
            return None
        return text(render(value))

    bound = 1.0 if percent else _FAST_MAX_MAGNITUDE
    return FastTyped(check, TypedFast(numbers=(-bound, bound)))


def record_id_typed(text: TextCheck) -> TypedCheck:
    def check(value: object) -> Problem | None:
        if isinstance(value, str):
            return text(value)
        if (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and float(value).is_integer()
            and 0 < value <= MAX_MAGNITUDE
        ):
            return None
        shown = render(value)
        if isinstance(value, float) and math.isfinite(value) and not value.is_integer():
            shown = repr(value)
        return text(shown)

    return FastTyped(check, TypedFast(numbers=(1.0, _FAST_MAX_MAGNITUDE), whole=True))


def text_typed(kind: Kind, text: TextCheck) -> TypedCheck:
    """Every other kind: the cell read as its General-format text."""
    free_text = kind is Kind.TEXT

    def check(value: object) -> Problem | None:
        if isinstance(value, str):
            return text(value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            if math.isfinite(value) and _rendering_loses_digits(value):
                return _rounded(value)
            if free_text:
                return None
        elif free_text:
            return None
        return text(render(value))

    # Whole numbers below 10^11 show digit for digit, so they are never rounded; free text
    # takes them and any date, other kinds take what their text check takes.
    fast = TypedFast(
        numbers=(-_FAST_MAX_WHOLE, _FAST_MAX_WHOLE),
        whole=True,
        dates=True,
        datetimes=True,
        by_text=not free_text,
    )
    return FastTyped(check, fast)
