"""The value of one cell, judged as HubSpot would parse it for the column's property.

Three entry points, each built once per column and then applied to every cell:

- `checker_for(prop, ...)` → `check(text) -> Problem | None`: the exact rule for a non-blank
  text cell (CSV, or a spreadsheet's text cell). Pure and fast (about a microsecond).
- `typed_checker_for(prop, ...)` → `check(value) -> Problem | None`: the same for spreadsheet
  cells that arrive typed (float, int, bool, datetime, date, time, timedelta or str).
- `accept_pattern(prop, ...)` → an anchored regular expression, in the syntax shared by
  Python's `re` and Rust's `regex` crate (polars' `str.contains`), or None. Sound: every
  string of at most FAST_PATH_MAX_CHARS characters that matches it gets no problem from the
  exact check, so a vectorised engine may skip those and run the exact check on the rest.
  (The limit exists because free text accepts anything up to 65,536 UTF-16 units, a length
  no cheap regex counts; every other kind's pattern is bounded far below it anyway.)

Which rule applies is `kind_of(prop, ...)`; the rules, their sources and the decisions where
HubSpot's documentation is silent are in the modules: dates, numbers, choices (enumerations
and checkboxes), emails, domains (and hosts, tlds), identifiers (record IDs, files, phones),
typed (spreadsheet cells). Codes are SPC400-SPC449 (`specc.codes.data`).
"""

from __future__ import annotations

from collections.abc import Callable

from specc.catalog.model import Property
from specc.codes import data as codes
from specc.data.values.base import (
    MAX_VALUE_LENGTH,
    STRIP_CHARS,
    Problem,
    TextCheck,
    TypedCheck,
    quoted,
    too_long,
    trimmed_check,
)
from specc.data.values.choices import BoolCheck, ChoiceCheck
from specc.data.values.dates import DATE_FORMATS, DateCheck, date_pattern
from specc.data.values.domains import domain_pattern, domain_problem
from specc.data.values.emails import email_pattern, email_problem
from specc.data.values.identifiers import (
    file_pattern,
    file_problem,
    phone_pattern,
    phone_problem,
    record_id_pattern,
    record_id_problem,
)
from specc.data.values.kinds import Kind, kind_of
from specc.data.values.numbers import NumberCheck, number_pattern
from specc.data.values.typed import (
    date_typed,
    number_typed,
    record_id_typed,
    render,
    text_typed,
)
from specc.diagnostics import Severity

__all__ = [
    "ANY_TEXT",
    "DATE_FORMATS",
    "FAST_PATH_MAX_CHARS",
    "MAX_VALUE_LENGTH",
    "Kind",
    "Problem",
    "TextCheck",
    "TypedCheck",
    "accept_pattern",
    "check_typed",
    "checker_for",
    "kind_of",
    "render",
    "typed_checker_for",
]

FAST_PATH_MAX_CHARS = MAX_VALUE_LENGTH // 2
# The inner pattern of kinds that accept any text (up to the length limit): an engine may skip
# the regex for them and test only the length.
ANY_TEXT = "(?s:.*)"


def checker_for(
    prop: Property,
    *,
    date_format: str = "MONTH_DAY_YEAR",
    snapshot: bool = False,
    column_type: str | None = None,
    object_type_id: str | None = None,
) -> TextCheck:
    """The exact check of one non-blank text cell of a column mapped to `prop`.

    `snapshot`: the catalog is the account's snapshot (its option lists are complete).
    `column_type`: the mapping's columnType; HUBSPOT_OBJECT_ID makes the values record IDs.
    `object_type_id`: the column's object, when known (only contacts' `email` and companies'
    `domain` are validated by name).
    """
    kind = kind_of(prop, column_type=column_type, object_type_id=object_type_id)
    return _text_check(kind, prop, date_format, snapshot)


def typed_checker_for(
    prop: Property,
    *,
    date_format: str = "MONTH_DAY_YEAR",
    snapshot: bool = False,
    column_type: str | None = None,
    object_type_id: str | None = None,
) -> TypedCheck:
    """The exact check of one non-blank spreadsheet cell as the reader typed it."""
    kind = kind_of(prop, column_type=column_type, object_type_id=object_type_id)
    text = _text_check(kind, prop, date_format, snapshot)
    if kind in (Kind.DATE, Kind.DATETIME):
        return date_typed(kind, text)
    if kind is Kind.NUMBER:
        return number_typed(prop.number_display_hint, text)
    if kind is Kind.RECORD_ID:
        return record_id_typed(text)
    return text_typed(kind, text)


def check_typed(
    prop: Property,
    value: object,
    *,
    date_format: str = "MONTH_DAY_YEAR",
    snapshot: bool = False,
    column_type: str | None = None,
    object_type_id: str | None = None,
) -> Problem | None:
    """One typed cell (builds the checker each time: for tests and one-offs)."""
    return typed_checker_for(
        prop,
        date_format=date_format,
        snapshot=snapshot,
        column_type=column_type,
        object_type_id=object_type_id,
    )(value)


def accept_pattern(
    prop: Property,
    *,
    date_format: str = "MONTH_DAY_YEAR",
    snapshot: bool = False,
    column_type: str | None = None,
    object_type_id: str | None = None,
) -> str | None:
    """An anchored regex whose matches (of at most FAST_PATH_MAX_CHARS characters) the exact
    check accepts with no problem; None when there is no useful fast path."""
    kind = kind_of(prop, column_type=column_type, object_type_id=object_type_id)
    inner = _pattern(kind, prop, date_format, snapshot)
    return None if inner is None else f"^(?:{inner})$"


# --- dispatch ---------------------------------------------------------------------------------


def _text_check(kind: Kind, prop: Property, date_format: str, snapshot: bool) -> TextCheck:
    if date_format not in DATE_FORMATS:
        raise ValueError(f"unknown date format {date_format!r}")
    if kind is Kind.RECORD_ID:
        return trimmed_check(record_id_problem)
    if kind is Kind.FILE:
        return trimmed_check(file_problem)
    if kind is Kind.BOOL:
        return trimmed_check(BoolCheck(prop))
    if kind in (Kind.ENUM, Kind.MULTI_ENUM):
        return ChoiceCheck(prop, snapshot=snapshot, multiple=kind is Kind.MULTI_ENUM)
    if kind in (Kind.DATE, Kind.DATETIME):
        return trimmed_check(DateCheck(date_format, with_time=kind is Kind.DATETIME))
    if kind is Kind.NUMBER:
        return trimmed_check(NumberCheck(prop.number_display_hint))
    if kind is Kind.PHONE:
        return phone_problem
    if kind is Kind.EMAIL:
        return trimmed_check(email_problem)
    if kind is Kind.DOMAIN:
        return trimmed_check(domain_problem)
    if kind is Kind.EMAIL_LIST:
        return _list_check(email_problem)
    if kind is Kind.DOMAIN_LIST:
        return _list_check(domain_problem)
    return too_long


def _list_check(item_problem: Callable[[str], Problem | None]) -> TextCheck:
    """`;`-separated emails or domains (hs_additional_emails, hs_additional_domains).

    HubSpot does not say what it does with a bad item of these lists, so a bad item is a
    warning, under the code of what is wrong with it.
    """

    def check(raw: str) -> Problem | None:
        problem = too_long(raw)
        if problem is not None or not raw:
            return problem
        for item in raw.split(";"):
            value = item.strip(STRIP_CHARS)
            if not value:
                return Problem(
                    codes.EMPTY_LIST_ITEM,
                    f"{quoted(raw)} has an empty item between semicolons",
                    hint="separate the items with single semicolons",
                )
            problem = item_problem(value)
            if problem is not None:
                return Problem(problem.code, problem.message, problem.hint, Severity.WARNING)
        return None

    return check


# --- fast paths -------------------------------------------------------------------------------

_REGEX_SPECIAL = frozenset("\\.^$|?*+()[]{}")


def literal(text: str) -> str:
    """`text` as a regex that matches it exactly, in both Python and Rust syntax.

    Only the characters both engines treat specially are escaped (Python's re.escape escapes
    more, some of which Rust refuses to see escaped)."""
    return "".join("\\" + ch if ch in _REGEX_SPECIAL else ch for ch in text)


def _alternation(spellings: list[str]) -> str | None:
    if not spellings:
        return None
    ordered = sorted(set(spellings), key=lambda s: (-len(s), s))
    return "|".join(literal(s) for s in ordered)


def _pattern(kind: Kind, prop: Property, date_format: str, snapshot: bool) -> str | None:
    if kind is Kind.RECORD_ID:
        return record_id_pattern()
    if kind is Kind.FILE:
        return file_pattern()
    if kind is Kind.BOOL:
        return _bool_pattern(prop)
    if kind in (Kind.ENUM, Kind.MULTI_ENUM):
        return _choice_pattern(prop, snapshot, multiple=kind is Kind.MULTI_ENUM)
    if kind in (Kind.DATE, Kind.DATETIME):
        return date_pattern(date_format, with_time=kind is Kind.DATETIME)
    if kind is Kind.NUMBER:
        return number_pattern(prop.number_display_hint)
    if kind is Kind.PHONE:
        return phone_pattern()
    if kind is Kind.EMAIL:
        return email_pattern()
    if kind is Kind.DOMAIN:
        return domain_pattern()
    if kind is Kind.EMAIL_LIST:
        return f"(?:{email_pattern()})(?:;(?:{email_pattern()}))*"
    if kind is Kind.DOMAIN_LIST:
        return f"(?:{domain_pattern()})(?:;(?:{domain_pattern()}))*"
    return ANY_TEXT


def _clean_spelling(text: str, *, multiple: bool) -> bool:
    return bool(text) and text.strip(STRIP_CHARS) == text and not (multiple and ";" in text)


def _choice_pattern(prop: Property, snapshot: bool, *, multiple: bool) -> str | None:
    check = ChoiceCheck(prop, snapshot=snapshot, multiple=multiple)
    if not check.checks_options:
        return ANY_TEXT
    options = _alternation(
        [s for s in check.index.unambiguous_spellings() if _clean_spelling(s, multiple=multiple)]
    )
    if options is None:
        return None
    return f";?(?:{options})(?:;(?:{options}))*" if multiple else options


def _bool_pattern(prop: Property) -> str:
    # BoolCheck folds case, so ASCII spellings may match in any case; others only as written.
    spellings = {"true", "false", "yes", "no"}
    exact = []
    for option in prop.options:
        for text in (option.value, option.label):
            if not _clean_spelling(text, multiple=False):
                continue
            if text.isascii():
                spellings.add(text.lower())
            else:
                exact.append(text)
    folded = _alternation(sorted(spellings))
    others = _alternation(exact)
    return f"(?i:{folded})" + (f"|{others}" if others else "")
