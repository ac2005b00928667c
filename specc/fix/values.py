"""The value rules of `specc fix`: what one reported cell becomes, when it has one reading.

    propose(kind, prop, raw, check, date_format) -> (value to write, rule) | None
    OwnerEmails(owners).rewrite(raw)             -> (owner id, "owner") | None

`propose` rewrites a value only when the exact `check` of its property reports it, it has
exactly one reading under the spec's `date_format` and the property's type, and the exact
check accepts what would be written. Rules, each a `rule` name in the change list:
`whitespace`, `date`, `number`, `percent`, `boolean`, `option`, `checkbox-list`, `domain`,
`phone` (a country code in parentheses, `(+44) 20 7946 0958`, written as it starts the
number: `+44 20 7946 0958`).
Readings deliberately refused (left, reported as `check` reports them): a date that reads
as a date in two orders (`03/04/2026` under YEAR_MONTH_DAY), `1,200` (one thousand two
hundred, or 1.2 with a decimal comma), fractions of seconds, an option matching several
options.

`owner` is the one rule for a value `check` accepts: an owner property's cell holding the
email of exactly one active owner of the account snapshot becomes that owner's id. HubSpot
reads both, but an id names the owner whatever happens to the user's email or to a second
user given the same one later; a name, an unknown or a shared email is left as `check`
reports it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from specc.catalog.model import Owner, Property
from specc.data.values import Kind, TextCheck
from specc.data.values.base import STRIP_CHARS
from specc.data.values.choices import OptionIndex
from specc.data.values.dates import ORDERS, read_date
from specc.data.values.numbers import CURRENCY, PERCENT_HINTS

WHITESPACE = "whitespace"
DATE = "date"
NUMBER = "number"
PERCENT = "percent"
BOOLEAN = "boolean"
OPTION = "option"
CHECKBOX_LIST = "checkbox-list"
DOMAIN = "domain"
PHONE = "phone"
OWNER = "owner"
ENCODING = "encoding"
DELIMITER = "delimiter"


# --- one value --------------------------------------------------------------------------------


def propose(
    kind: Kind,
    prop: Property,
    raw: str,
    check: TextCheck,
    date_format: str,
    *,
    reported: bool = False,
) -> tuple[str, str] | None:
    """(the value to write, the rule) for a cell the exact `check` reports; None when the
    check accepts it already or the value has no single reading the check would accept.
    `reported`: the caller knows the check reports `raw` as text (it is not asked again;
    not for a typed spreadsheet cell, which its typed check reported)."""
    if not reported and check(raw) is None:
        return None  # accepted as it is: never changed
    value = raw.strip(STRIP_CHARS)
    if not value:
        return None
    if value != raw and check(value) is None:
        return value, WHITESPACE
    found: tuple[str, str] | None = None
    if kind in (Kind.DATE, Kind.DATETIME):
        found = fix_date(value, date_format, with_time=kind is Kind.DATETIME)
    elif kind is Kind.NUMBER:
        found = fix_number(value, percent=prop.number_display_hint in PERCENT_HINTS)
    elif kind is Kind.BOOL:
        found = fix_boolean(value)
    elif kind is Kind.ENUM:
        found = fix_option(value, OptionIndex(prop.options))
    elif kind is Kind.MULTI_ENUM:
        found = fix_checkboxes(value, OptionIndex(prop.options))
    elif kind is Kind.DOMAIN:
        found = fix_domain(value)
    elif kind is Kind.PHONE:
        found = fix_phone(value)
    if found is None or found[0] == raw or check(found[0]) is not None:
        return None
    return found


_DATE = re.compile(
    r"([0-9]{1,4}|[A-Za-z]{3,9})([-/.])([0-9]{1,2}|[A-Za-z]{3,9})\2([0-9]{1,4})"
    r"(?:([ T])(.+))?"
)
_TIME = re.compile(
    r"([01][0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9]))?(Z|[+-][01][0-9]:?[0-5][0-9])?"
)
_MIDNIGHT = re.compile(r"00:00(?::00)?(?:Z|[+-]00:?00)?")


def date_readings(parts: tuple[str, str, str]) -> set[tuple[int, int, int]]:
    """Every (year, month, day) the three parts are, in any of HubSpot's three orders."""
    found = set()
    for order in ORDERS.values():
        date = read_date(parts, order)
        if not isinstance(date, str):
            found.add(date)
    return found


def write_date(date: tuple[int, int, int], date_format: str) -> str:
    year, month, day = date
    if date_format == "YEAR_MONTH_DAY":
        return f"{year:04d}-{month:02d}-{day:02d}"
    if date_format == "DAY_MONTH_YEAR":
        return f"{day:02d}/{month:02d}/{year:04d}"
    return f"{month:02d}/{day:02d}/{year:04d}"


def fix_date(value: str, date_format: str, *, with_time: bool) -> tuple[str, str] | None:
    """A date (ISO or any order) that is one date in exactly one order, in the spec's order;
    a date-time's `hh:mm[:ss]` kept and a `Z` written `+00:00`."""
    m = _DATE.fullmatch(value)
    if m is None:
        return None
    readings = date_readings((m.group(1), m.group(3), m.group(4)))
    if len(readings) != 1:
        return None
    text = write_date(next(iter(readings)), date_format)
    time = m.group(6)
    if time is None:
        return text, DATE
    if not with_time:
        # Only the midnight exports add to plain dates is dropped; another time is a question.
        return (text, DATE) if _MIDNIGHT.fullmatch(time) else None
    t = _TIME.fullmatch(time)
    if t is None:
        return None  # fractions of seconds, 12-hour clocks, zone names: left
    hh_mm = f"{t.group(1)}:{t.group(2)}" + (f":{t.group(3)}" if t.group(3) else "")
    zone = t.group(4)
    if zone is None:
        return f"{text} {hh_mm}", DATE
    if zone == "Z":
        zone = "+00:00"
    elif ":" not in zone:
        zone = f"{zone[:3]}:{zone[3:]}"
    return f"{text} {hh_mm} {zone}", DATE


_CURRENCY = re.compile(CURRENCY, re.I)
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_PLAIN = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")


def read_number(value: str) -> tuple[Decimal, bool] | None:
    """The one number `value` is (a sign, one currency symbol or code before or after,
    thousands commas with a decimal part or several groups, a trailing %), and whether it had
    a percent sign; None when it has no reading or two (`1,200`: 1200 or 1.2)."""
    text = value.strip()
    percent = text.endswith("%")
    if percent:
        text = text[:-1].rstrip()
    sign = ""
    if text[:1] in ("+", "-"):
        sign, text = text[0], text[1:].lstrip()
    m = _CURRENCY.match(text)
    if m is not None:
        text = text[m.end() :].lstrip()
    else:
        m = _CURRENCY.search(text)
        if m is not None and m.end() == len(text):
            text = text[: m.start()].rstrip()
    if not sign and text[:1] in ("+", "-"):
        sign, text = text[0], text[1:]
    if _GROUPED.fullmatch(text):
        if "." not in text and text.count(",") == 1:
            return None  # 1,200: a thousands separator or a decimal comma
        text = text.replace(",", "")
    elif not _PLAIN.fullmatch(text):
        return None
    try:
        number = Decimal(sign + text)
    except InvalidOperation:
        return None
    return number, percent


def fix_number(value: str, *, percent: bool) -> tuple[str, str] | None:
    read = read_number(value)
    if read is None:
        return None
    number, has_percent = read
    if has_percent:
        if percent:
            return None  # a percentage property takes 25% itself; what is wrong is not this
        return _plain(number / 100), PERCENT
    m = _GROUPED.search(value) or _PLAIN.search(value)
    digits = m.group(0).replace(",", "") if m is not None else _plain(number)
    sign = "-" if number < 0 or (number == 0 and "-" in value) else ""
    return sign + digits, NUMBER


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


_TRUE = frozenset({"1", "y", "t", "on", "checked"})
_FALSE = frozenset({"0", "n", "f", "off", "unchecked"})


def fix_boolean(value: str) -> tuple[str, str] | None:
    folded = value.casefold()
    if folded in _TRUE:
        return "true", BOOLEAN
    if folded in _FALSE:
        return "false", BOOLEAN
    return None


def option_value(item: str, index: OptionIndex) -> str | None:
    """The internal value of the one option `item` names (exactly, else ignoring case)."""
    item = item.strip(STRIP_CHARS)
    found = index.exact.get(item)
    if found is None:
        found = index.folded.get(item.casefold())
    if found is None or len(found) != 1:
        return None
    return index.options[found[0]].value


def fix_option(value: str, index: OptionIndex) -> tuple[str, str] | None:
    found = option_value(value, index)
    return None if found is None else (found, OPTION)


def fix_checkboxes(value: str, index: OptionIndex) -> tuple[str, str] | None:
    """Each item as its option's internal value; items split on commas only when the value
    has no semicolon and is not itself an option (a label may hold a comma)."""
    rule = OPTION
    if ";" not in value and "," in value and option_value(value, index) is None:
        items, rule = value.split(","), CHECKBOX_LIST
    else:
        items = value.split(";")
    lead = ""
    if len(items) > 1 and items[0] == "" and rule == OPTION:
        lead, items = ";", items[1:]
    values = [option_value(item, index) for item in items]
    if any(v is None for v in values):
        return None
    return lead + ";".join(v for v in values if v is not None), rule


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_PORT = re.compile(r":[0-9]{1,5}$")


def fix_domain(value: str) -> tuple[str, str] | None:
    """The host of a URL-like value: what HubSpot keeps of it."""
    if "@" in value:
        return None
    host = value
    scheme = _SCHEME.match(host)
    if scheme is not None:
        host = host[scheme.end() :]
    cut = min((i for i in (host.find(c) for c in "/?#") if i >= 0), default=len(host))
    host = _PORT.sub("", host[:cut])
    if host.endswith(".") and not host.endswith(".."):
        host = host[:-1]
    return (host, DOMAIN) if host and host != value else None


_BRACKETED_COUNTRY_CODE = re.compile(r"\(\s*\+\s*([0-9]{1,4})\s*\)\s*(.+)")


def fix_phone(value: str) -> tuple[str, str] | None:
    """`(+44) 3084734307` as `+44 3084734307`: the country code where HubSpot reads it. Only
    that: a number without its country code has no single reading."""
    m = _BRACKETED_COUNTRY_CODE.fullmatch(value)
    return (f"+{m.group(1)} {m.group(2)}", PHONE) if m is not None else None


# --- owners by email ---------------------------------------------------------------------------


class OwnerEmails:
    """The account's active owners by email (in any letter case), for the `owner` rule."""

    def __init__(self, owners: Iterable[Owner]) -> None:
        found: dict[str, list[str]] = {}
        for owner in owners:
            if owner.email and not owner.archived:
                found.setdefault(owner.email.casefold(), []).append(owner.id)
        # An email two active owners share names neither for sure.
        self.ids = {email: ids[0] for email, ids in found.items() if len(set(ids)) == 1}

    def rewrite(self, raw: str, check: TextCheck) -> tuple[str, str] | None:
        """(the owner id, "owner") for a cell holding exactly one owner's email; None else."""
        value = raw.strip(STRIP_CHARS)
        owner_id = self.ids.get(value.casefold()) if "@" in value else None
        if owner_id is None or owner_id == raw or check(owner_id) is not None:
            return None
        return owner_id, OWNER
