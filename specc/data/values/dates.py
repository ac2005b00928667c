"""Dates and date-times under the import's `dateFormat` (hubspot-domain.md §6.1).

The KB's rule: day, month and year in the order `dateFormat` names; the month as a number,
three letters or the full name; the year with two or four digits; `/`, `-` or `.` between the
parts. Date-times add `hh:mm` (24-hour), AM/PM forms (`7:00AM`, `7:00 PM`) and an offset
`+hh:mm`, or are a Unix timestamp in milliseconds. Decisions where the sources are silent:

- Seconds (`14:30:15`) are accepted: every time parser that reads `hh:mm` reads them.
- Month names are English (the KB's examples), in any letter case; other abbreviations
  (`Sept`) are errors.
- Two-digit years are 20yy (Java's `yy`), which only matters for February 29.
- An impossible date, a value in another order, a missing part: COULD_NOT_PARSE_DATE.
  Except an ISO 8601 date (`2023-10-28`, `2023-10-28T14:30:00Z`) under a day-first or
  month-first order: HubSpot documents ISO 8601 for date values elsewhere, and whether an
  import falls back to it is not documented, so it is a warning (SPC444).
- Forms that are recognisably dates in the right order but not in the documented shape are
  a warning (SPC420): spaces or commas between the parts (`Oct 28, 2023`), two different
  separators, the ISO 8601 `T` (`2023-10-28T14:30:00Z` — HubSpot's APIs take ISO 8601, its
  import documentation does not say), fractions of seconds, zones written `Z`, `UTC`,
  `+0100`. HubSpot may read them or not; an error would be a guess either way.
- A date-only property given a time, or a timestamp that is not midnight UTC: HubSpot keeps
  the date (its APIs refuse such timestamps), a warning (SPC421). Midnight itself
  (`00:00`, `00:00:00`, `12:00 AM`, no offset) is what exports add to plain dates: fine.
- All digits is a timestamp in milliseconds, for date properties too (the API reads both
  the same way). 11 to 13 digits span late April 1970 to 2286; fewer digits are probably seconds
  or a compact date like 20231028, more are centuries away: warnings (SPC422), since HubSpot
  stores them, as the wrong date.
"""

from __future__ import annotations

import re

from specc.codes import data as codes
from specc.data.values.base import Problem, quoted

DATE_FORMATS = ("MONTH_DAY_YEAR", "DAY_MONTH_YEAR", "YEAR_MONTH_DAY")
ORDERS: dict[str, tuple[str, str, str]] = {
    "MONTH_DAY_YEAR": ("m", "d", "y"),
    "DAY_MONTH_YEAR": ("d", "m", "y"),
    "YEAR_MONTH_DAY": ("y", "m", "d"),
}
EXAMPLES = {
    "MONTH_DAY_YEAR": "10/28/2023, 10-28-23, 10.28.2023, Oct/28/2023 or October-28-2023",
    "DAY_MONTH_YEAR": "28/10/2023, 28-10-23, 28.10.2023, 28/Oct/2023 or 28-October-2023",
    "YEAR_MONTH_DAY": "2023/10/28, 2023-10-28, 23.10.28, 2023.Oct.28 or 2023-October-28",
}
TIME_EXAMPLES = (
    'optionally followed by a time like "14:30", "14:30:15", "2:30 PM" and an offset '
    'like "+01:00"; or a Unix timestamp in milliseconds like 1698503400000'
)

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_NAMES = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# Every spelling of a month and a day that can be a date, mapped to whether it is February 29
# (which then needs a leap year): one dict lookup instead of parsing both parts.
_MONTH_DAYS: dict[tuple[str, str], bool] = {
    (month, day): number == 2 and d == 29
    for month, number in [
        *MONTHS.items(),
        *((str(n), n) for n in range(1, 13)),
        *((f"{n:02d}", n) for n in range(1, 10)),
    ]
    for d in range(1, _DAYS[number] + 1)
    for day in {str(d), f"{d:02d}"}
}
DAY_MS = 86_400_000
MAX_LONG = 2**63 - 1

# Three parts (digits or letters) with separators, then what follows: a time after spaces or
# a "T". Documented forms are a subset, told apart by the separators and the time's shape.
_PARTS = re.compile(
    r"([0-9]+|[A-Za-z]+)(\s*[-/.,]\s*|\s+)([0-9]+|[A-Za-z]+)(\s*[-/.,]\s*|\s+)"
    r"([0-9]+|[A-Za-z]+)(?:(\s+|[Tt])(.*))?",
    re.S,
)
_SEPARATORS = frozenset("/-.")
# The documented shapes, for the short path: one separator kind, then maybe a time. Values it
# takes are still checked by _is_date and _DOCUMENTED_TIME; the rest go to _PARTS.
_DOCUMENTED = re.compile(
    r"([0-9]{1,4}|[A-Za-z]{3,9})([-/.])([0-9]{1,2}|[A-Za-z]{3,9})\2([0-9]{1,4}|[A-Za-z]{3,9})"
    r"(?: +(.+))?",
    re.S,
)
_DOCUMENTED_TIME = re.compile(
    r"(?:(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?"
    r"|(?:0?[1-9]|1[0-2]):[0-5][0-9](?::[0-5][0-9])? *[AaPp][Mm])"
    r"(?: *[+-](?:0[0-9]|1[0-8]):[0-5][0-9])?"
)
_TIME = re.compile(
    r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})([.,][0-9]{1,9})?)?"
    r"(?:\s*([AaPp])(\.?)[Mm](\.?))?"
    r"(?:\s*([+-])([0-9]{1,2})(:?)([0-9]{2})?|\s*([Zz]|UTC|GMT|utc|gmt))?"
)


def days_in_month(year: int, month: int) -> int:
    if month != 2:
        return _DAYS[month]
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 29 if leap else 28


def read_date(
    parts: tuple[str, str, str], order: tuple[str, str, str]
) -> tuple[int, int, int] | str:
    """(year, month, day) of three date parts in `order`, or why they are not a date."""
    year = month = day = -1
    for part, role in zip(parts, order, strict=True):
        if role == "y":
            if not part.isdigit() or len(part) not in (2, 4):
                return f'the year "{part}" must have 2 or 4 digits'
            year = int(part) + (2000 if len(part) == 2 else 0)
        elif role == "m":
            if part.isdigit():
                if len(part) > 2 or not 1 <= int(part) <= 12:
                    return f"there is no month {part}"
                month = int(part)
            else:
                found = MONTHS.get(part.lower())
                if found is None:
                    return f'"{part}" is not a month (write 3 letters or the full English name)'
                month = found
        else:
            if not part.isdigit():
                return f'the day "{part}" must be a number'
            if len(part) > 2:
                return f'the day "{part}" has more than 2 digits'
            day = int(part)
    if not 1 <= day <= days_in_month(year, month):
        if day == 29 and month == 2:
            return f"{year} is not a leap year: February has 28 days"
        return f"{_MONTH_NAMES[month]} has no day {day}"
    return year, month, day


class DateCheck:
    """One property's date rule under one dateFormat; called with a trimmed, non-empty value."""

    __slots__ = ("date_format", "day_at", "month_at", "order", "with_time", "year_at")

    def __init__(self, date_format: str, *, with_time: bool) -> None:
        if date_format not in ORDERS:
            raise ValueError(f"unknown date format {date_format!r}")
        self.date_format = date_format
        self.order = ORDERS[date_format]
        self.year_at = self.order.index("y")
        self.month_at = self.order.index("m")
        self.day_at = self.order.index("d")
        self.with_time = with_time

    def __call__(self, value: str) -> Problem | None:
        m = _DOCUMENTED.fullmatch(value)
        if m is not None:  # the common case, kept short: documented separators
            parts = m.group(1, 3, 4)
            if self._is_date(parts):
                time = m.group(5)
                if time is None or (self.with_time and _DOCUMENTED_TIME.fullmatch(time)):
                    return None
        if value.isdigit() and value.isascii():
            return self._timestamp(value, value)
        if value[0] == "-" and value[1:].isdigit() and value.isascii():
            return self._timestamp(value, value[1:])
        return self._judge(value)

    def _is_date(self, parts: tuple[str, ...]) -> bool:
        """Whether three parts are a real date in this order (no reason: that is read_date)."""
        year = parts[self.year_at]
        if len(year) not in (2, 4) or not year.isdigit():
            return False
        leap_day = _MONTH_DAYS.get((parts[self.month_at].lower(), parts[self.day_at]))
        if leap_day is None:
            return False
        return not leap_day or days_in_month(int(year) + 2000 * (len(year) == 2), 2) == 29

    def _judge(self, value: str) -> Problem | None:
        """Every value the short path did not accept: lenient forms, and the reasons."""
        m = _PARTS.fullmatch(value)
        if m is None:
            return self._unparsable(value, None)
        first, sep1, second, sep2, third, time_sep, time = m.groups()
        date = read_date((first, second, third), self.order)
        if isinstance(date, str):
            iso = self._iso_date(value, (first, sep1, second, sep2, third), time_sep, time)
            return iso or self._unparsable(value, date, (first, second, third))
        undocumented = None
        if sep1 != sep2 or sep1 not in _SEPARATORS:
            undocumented = "its parts are not separated by one of / - ."
        if time is not None:
            t = _TIME.fullmatch(time)
            if t is None:
                return self._unparsable(value, f'"{time}" is not a time like 14:30 or 2:30 PM')
            reason = _time_range_problem(t)
            if reason is not None:
                return self._unparsable(value, reason)
            if undocumented is None:
                undocumented = _undocumented_time(t, time_sep)
        if undocumented is not None:
            return Problem(
                codes.UNDOCUMENTED_DATE_FORM,
                f"{quoted(value)} is a date, but {undocumented}; HubSpot may not read it",
                hint=self._hint(),
            )
        if time is not None and not self.with_time and not _is_midnight(time):
            return Problem(
                codes.TIME_IGNORED,
                f"{quoted(value)} has a time, but the property holds only a date",
                hint="drop the time, or map the column to a date-time property",
            )
        return None

    def _iso_date(
        self, value: str, date: tuple[str, ...], time_sep: str | None, time: str | None
    ) -> Problem | None:
        """The warning for an ISO 8601 date (`2023-10-28`, with a time after a space or `T`)
        under a day-first or month-first `date_format`; None for any other value."""
        year, sep1, month, sep2, day = date
        if not (
            len(year) == 4
            and len(month) == 2
            and len(day) == 2
            and sep1 == sep2 == "-"
            and not isinstance(read_date((year, month, day), ORDERS["YEAR_MONTH_DAY"]), str)
        ):
            return None
        if time is not None:
            t = _TIME.fullmatch(time)
            if t is None or _time_range_problem(t) is not None:
                return None
        return Problem(
            codes.ISO_DATE_IN_OTHER_ORDER,
            f"{quoted(value)} is an ISO 8601 date, not one in {self.date_format} order; "
            "whether HubSpot reads it under this date format is not documented",
            hint=self._hint() + ", or set date_format: YEAR_MONTH_DAY if the column is ISO",
        )

    def _timestamp(self, value: str, digits: str) -> Problem | None:
        n = len(digits)
        if 11 <= n <= 13:
            if self.with_time or int(value) % DAY_MS == 0:
                return None
            return Problem(
                codes.TIME_IGNORED,
                f"{quoted(value)} is a timestamp that is not midnight UTC, "
                "but the property holds only a date",
                hint="use the timestamp of the day's midnight UTC (a multiple of 86400000)",
            )
        if n > 19 or int(digits) > MAX_LONG:
            return self._unparsable(value, "it is too large to be a timestamp")
        if n <= 10:
            if n == 10:
                hint = f"it looks like seconds: write {value}000"
            elif n == 8:
                hint = "it looks like a date without separators: write it with / - or ."
            elif n == 4:
                hint = "a year alone is not a date"
            else:
                hint = "write a date in the spec's order, or a timestamp in milliseconds"
            message = f"{quoted(value)} is read as {int(value):,} milliseconds after 1970-01-01"
        else:
            hint = "check the unit: HubSpot expects milliseconds"
            message = (
                f"{quoted(value)} is read as a timestamp in milliseconds, "
                "more than 300 years away from 1970"
            )
        return Problem(codes.SUSPICIOUS_TIMESTAMP, message, hint=hint)

    def _unparsable(
        self, value: str, reason: str | None, parts: tuple[str, str, str] | None = None
    ) -> Problem:
        readable = ""
        if parts is not None:
            others = [
                f
                for f in DATE_FORMATS
                if f != self.date_format and not isinstance(read_date(parts, ORDERS[f]), str)
            ]
            if others:
                readable = f"; it reads as a date in {' or '.join(others)} order"
        why = f": {reason}" if reason else ""
        return Problem(
            codes.UNPARSABLE_DATE,
            f"{quoted(value)} is not a date in {self.date_format} order{why}{readable}",
            hint=self._hint(),
        )

    def _hint(self) -> str:
        forms = f"write dates like {EXAMPLES[self.date_format]}"
        return f"{forms}, {TIME_EXAMPLES}" if self.with_time else forms


def _is_midnight(time: str) -> bool:
    """00:00[:00] or 12:00[:00] AM, without an offset: what exports add to plain dates."""
    t = _TIME.fullmatch(time)
    if t is None or any(t.group(g) is not None for g in (4, 8, 12)):
        return False  # fractions of a second or a zone: not the plain midnight of an export
    marker = (t.group(5) or "").upper()
    hour = 12 if marker == "A" else 0 if marker == "" else -1
    return int(t.group(1)) == hour and int(t.group(2)) == 0 and int(t.group(3) or 0) == 0


def _time_range_problem(t: re.Match[str]) -> str | None:
    hour, minute, second = int(t.group(1)), int(t.group(2)), t.group(3)
    if t.group(5) is not None:
        if not 1 <= hour <= 12:
            return f"{hour} is not an hour of a 12-hour clock (AM/PM)"
    elif hour > 23:
        return f"{hour} is not an hour of the day"
    if minute > 59 or (second is not None and int(second) > 59):
        return "minutes and seconds go up to 59"
    if t.group(8) is not None and (
        int(t.group(9)) > 18 or (t.group(11) is not None and int(t.group(11)) > 59)
    ):
        return "the time zone offset is out of range"
    return None


def _undocumented_time(t: re.Match[str], time_sep: str) -> str | None:
    if time_sep in ("T", "t"):
        return 'it is written with a "T" between date and time (ISO 8601)'
    if t.group(4) is not None:
        return "its time has fractions of a second"
    if t.group(6) or t.group(7):
        return 'its AM/PM is written with dots; write "AM" or "PM"'
    if t.group(12) is not None:
        return f'its time zone is written "{t.group(12)}"; write an offset like +00:00'
    if t.group(8) is not None and (
        len(t.group(9)) != 2 or t.group(10) != ":" or t.group(11) is None
    ):
        return "its offset is not written +hh:mm"
    return None


# --- the fast path: a regex for the common documented forms (Rust and Python syntax) ---------

_YEAR = "(?:[0-9]{4}|[0-9]{2})"
_D31 = "(?:0?[1-9]|[12][0-9]|3[01])"
_D30 = "(?:0?[1-9]|[12][0-9]|30)"
_D28 = "(?:0?[1-9]|1[0-9]|2[0-8])"
_M31 = (
    "(?:0?[13578]|1[02]"
    "|(?i:january|jan|march|mar|may|july|jul|august|aug|october|oct|december|dec))"
)
_M30 = "(?:0?[469]|11|(?i:april|apr|june|jun|september|sep|november|nov))"
_M28 = "(?:0?2|(?i:february|feb))"
_TIME24 = "(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?"
_TIME12 = "(?:0?[1-9]|1[0-2]):[0-5][0-9](?::[0-5][0-9])? ?[AaPp][Mm]"
_OFFSET = "(?: ?[+-](?:0[0-9]|1[0-8]):[0-5][0-9])?"


def date_pattern(date_format: str, *, with_time: bool) -> str:
    """A regex matching only values DateCheck accepts without a problem: the documented
    numeric and named forms with one separator kind (February 29 left to the exact check);
    for dates also a midnight time; for date-times also `hh:mm[:ss]` or `h:mm AM` with an
    optional `+hh:mm`, and 11-13 digit millisecond timestamps."""
    order = ORDERS[date_format]
    forms = []
    for sep in ("/", "-", "\\."):
        month_days = []
        for month, day in ((_M31, _D31), (_M30, _D30), (_M28, _D28)):
            if order == ("d", "m", "y"):
                month_days.append(f"{day}{sep}{month}")
            else:
                month_days.append(f"{month}{sep}{day}")
        pair = "(?:" + "|".join(month_days) + ")"
        forms.append(f"{_YEAR}{sep}{pair}" if order[0] == "y" else f"{pair}{sep}{_YEAR}")
    date = "(?:" + "|".join(forms) + ")"
    if not with_time:
        return f"{date}(?: 00:00(?::00)?)?"
    return f"{date}(?: (?:{_TIME24}|{_TIME12}){_OFFSET})?|-?[0-9]{{11,13}}"
