"""Record IDs, file references and phone numbers: values with a shape but no parser of note.

- Record IDs (`hs_object_id`, HUBSPOT_OBJECT_ID columns) are positive 64-bit integers; leading
  zeros are read away. Anything else is INVALID_OBJECT_ID.
- File properties take a file manager ID (a positive integer) or an http(s) URL; anything
  else is INVALID_ENUM_FILE_ID_OR_URL (the error HubSpot added in 2026-02 for this case).
- Phone numbers are text to HubSpot, which refuses none; the KB's shape is
  `+[country code][number] ext123`. specc warns (never errs) about letters, stray characters
  and digit counts outside 7-15 (E.164 allows 15). A missing `+` alone is no warning: HubSpot
  then applies the account's or record's country, which is usually what was meant.
"""

from __future__ import annotations

import re

from specc.codes import data as codes
from specc.data.values.base import STRIP_CHARS, Problem, quoted, too_long

MAX_LONG = 2**63 - 1


def record_id_problem(value: str) -> Problem | None:
    """Called with a trimmed, non-empty value."""
    if value.isdigit() and value.isascii() and len(value) <= 19:
        number = int(value)
        if 0 < number <= MAX_LONG:
            return None
    return Problem(codes.INVALID_RECORD_ID, _record_id_reason(value), hint=_record_id_hint(value))


def _record_id_reason(value: str) -> str:
    if value.isdigit() and value.isascii():
        if int(value) == 0:
            return f"{quoted(value)} is not a record ID: IDs start at 1"
        return f"{quoted(value)} is too large to be a record ID"
    return f"{quoted(value)} is not a record ID (a positive whole number)"


_DECIMAL_ZERO = re.compile(r"[0-9]+\.0+")
_SCIENTIFIC = re.compile(r"[0-9](?:\.[0-9]+)?[eE]\+?[0-9]+")


def _record_id_hint(value: str) -> str:
    if _DECIMAL_ZERO.fullmatch(value):
        return f"drop the decimals: {value.split('.')[0]}"
    if _SCIENTIFIC.fullmatch(value):
        return "a spreadsheet rounded the ID to scientific notation; export IDs as text"
    return "use the Record ID HubSpot shows for the record, digits only"


_URL = re.compile(r"[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+\S*")


def file_problem(value: str) -> Problem | None:
    """Called with a trimmed, non-empty value."""
    if value.isdigit() and value.isascii():
        if 0 < int(value) <= MAX_LONG:
            return None
    elif _URL.fullmatch(value):
        return None
    return Problem(
        codes.INVALID_FILE_REFERENCE,
        f"{quoted(value)} is neither a file ID nor a file URL",
        hint="upload the file to HubSpot's file manager and use its ID or its https:// URL",
    )


MIN_PHONE_DIGITS = 7
MAX_PHONE_DIGITS = 15
_PHONE = re.compile(
    r"(\+?)([0-9 ()./\-]*[0-9][0-9 ()./\-]*?)"
    r"(?:\s*(?:[Ee][Xx][Tt](?:[Ee][Nn][Ss][Ii][Oo][Nn])?\.?|[Xx]|#)\s*[0-9]{1,10})?"
)
PHONE_HINT = "write +[country code][number], with an extension as ext123: +11234567890 ext123"


def phone_problem(raw: str) -> Problem | None:
    """Called with the raw cell: HubSpot keeps phone numbers as text, spaces included."""
    problem = too_long(raw)
    if problem is not None:
        return problem
    value = raw.strip(STRIP_CHARS)
    if not value:
        return None
    m = _PHONE.fullmatch(value)
    if m is not None:
        digits = sum(1 for ch in m.group(2) if ch.isdigit())
        if MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS:
            return None
        reason = "too few digits" if digits < MIN_PHONE_DIGITS else "too many digits"
        return _phone(value, f"it has {reason} for a phone number ({digits})")
    if any(ch.isalpha() for ch in value):
        return _phone(value, "it has letters")
    if "+" in value[1:]:
        return _phone(value, 'a "+" can only start the number')
    return _phone(value, "it has characters a phone number does not have")


def _phone(value: str, reason: str) -> Problem:
    return Problem(
        codes.PHONE_FORMAT, f"{quoted(value)} may not be a phone number: {reason}", PHONE_HINT
    )


def phone_pattern() -> str:
    """A fast-path regex (Rust and Python syntax) for the common clean shapes."""
    ext = "(?: ?ext ?[0-9]{1,10})?"
    nanp = "(?:\\+?[0-9]{1,3}[ -]?)?\\(?[0-9]{3}\\)?[ .-]?[0-9]{3}[ .-]?[0-9]{4}"
    return f"\\+?[0-9]{{7,15}}{ext}|{nanp}{ext}"


def record_id_pattern() -> str:
    return "[1-9][0-9]{0,17}"


def file_pattern() -> str:
    return "[1-9][0-9]{0,17}|https?://[A-Za-z0-9.-]{1,253}(?:/[A-Za-z0-9._~%/+=&?-]{0,2000})?"
