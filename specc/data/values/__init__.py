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
  Where `accepts_ascii_case(pattern)`, so does every ASCII string whose lower case matches.
  (The limit exists because free text accepts anything up to 65,536 UTF-16 units, a length
  no cheap regex counts; every other kind's pattern is bounded far below it anyway.)

Which rule applies is `kind_of(prop, ...)`; the rules, their sources and the decisions where
HubSpot's documentation is silent are in the modules: dates, numbers, choices (enumerations
and checkboxes), emails, domains (and hosts, tlds), identifiers (record IDs, files, phones),
terms, typed (spreadsheet cells). With a format 2 catalog snapshot (`catalog=`), owner,
pipeline and stage properties are checked against the account (account) and every property
against its validation rules (validations); the rule over two columns, a stage of the row's
pipeline, is rows_account's. Codes are SPC400-SPC449 (`specc.codes.data`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

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
from specc.data.values.terms import term_pattern, term_problem
from specc.data.values.tlds import tld_pattern
from specc.data.values.typed import (
    date_typed,
    number_typed,
    record_id_typed,
    render,
    text_typed,
)
from specc.diagnostics import Severity

if TYPE_CHECKING:
    from specc.catalog.model import Catalog

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
    "accepts_ascii_case",
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
    catalog: Catalog | None = None,
) -> TextCheck:
    """The exact check of one non-blank text cell of a column mapped to `prop`.

    `snapshot`: the catalog is the account's snapshot (its option lists are complete).
    `column_type`: the mapping's columnType; HUBSPOT_OBJECT_ID makes the values record IDs.
    `object_type_id`: the column's object, when known (only contacts' `email` and companies'
    `domain` are validated by name).
    `catalog`: the catalog `prop` comes from; a format 2 snapshot adds the account's owners,
    pipelines and validation rules to the check.
    """
    kind = kind_of(prop, column_type=column_type, object_type_id=object_type_id)
    text = _text_check(kind, prop, date_format, snapshot, catalog, object_type_id)
    rules = _rules(prop, catalog, object_type_id, date_format)
    return text if rules is None else _text_with_rules(text, rules)


def typed_checker_for(
    prop: Property,
    *,
    date_format: str = "MONTH_DAY_YEAR",
    snapshot: bool = False,
    column_type: str | None = None,
    object_type_id: str | None = None,
    catalog: Catalog | None = None,
) -> TypedCheck:
    """The exact check of one non-blank spreadsheet cell as the reader typed it."""
    kind = kind_of(prop, column_type=column_type, object_type_id=object_type_id)
    text = _text_check(kind, prop, date_format, snapshot, catalog, object_type_id)
    typed: TypedCheck
    if kind in (Kind.DATE, Kind.DATETIME):
        typed = date_typed(kind, text)
    elif kind is Kind.NUMBER:
        typed = number_typed(_number_hint(prop), text)
    elif kind is Kind.RECORD_ID:
        typed = record_id_typed(text)
    else:
        typed = text_typed(kind, text)
    rules = _rules(prop, catalog, object_type_id, date_format)
    return typed if rules is None else _typed_with_rules(typed, rules)


def check_typed(
    prop: Property,
    value: object,
    *,
    date_format: str = "MONTH_DAY_YEAR",
    snapshot: bool = False,
    column_type: str | None = None,
    object_type_id: str | None = None,
    catalog: Catalog | None = None,
) -> Problem | None:
    """One typed cell (builds the checker each time: for tests and one-offs)."""
    return typed_checker_for(
        prop,
        date_format=date_format,
        snapshot=snapshot,
        column_type=column_type,
        object_type_id=object_type_id,
        catalog=catalog,
    )(value)


def accepts_ascii_case(pattern: str) -> bool:
    """Whether an ASCII value whose ASCII lower case matches `pattern` gets no problem from
    the exact check either, so that an engine may also test the lower case of the ASCII
    values the pattern misses (an email in capitals). True of the email and domain patterns,
    lists too: the TLD is their only part written in one case (`tld_pattern`), and the exact
    check reads a TLD in any case."""
    return tld_pattern() in pattern


def accept_pattern(
    prop: Property,
    *,
    date_format: str = "MONTH_DAY_YEAR",
    snapshot: bool = False,
    column_type: str | None = None,
    object_type_id: str | None = None,
    catalog: Catalog | None = None,
) -> str | None:
    """An anchored regex whose matches (of at most FAST_PATH_MAX_CHARS characters) the exact
    check accepts with no problem; None when there is no useful fast path."""
    if _rules(prop, catalog, object_type_id, date_format) is not None:
        return None  # validation rules judge every value (once per distinct value)
    kind = kind_of(prop, column_type=column_type, object_type_id=object_type_id)
    account = _account_spellings(kind, prop, catalog, object_type_id)
    if account is None:
        inner = _pattern(kind, prop, date_format, snapshot)
    else:
        inner = _alternation(account)
        if inner is not None and kind is Kind.MULTI_ENUM:
            inner = f";?(?:{inner})(?:;(?:{inner}))*"
    return None if inner is None else f"^(?:{inner})$"


# --- dispatch ---------------------------------------------------------------------------------


def _text_check(
    kind: Kind,
    prop: Property,
    date_format: str,
    snapshot: bool,
    catalog: Catalog | None = None,
    object_type_id: str | None = None,
) -> TextCheck:
    if date_format not in DATE_FORMATS:
        raise ValueError(f"unknown date format {date_format!r}")
    if kind in (Kind.ENUM, Kind.MULTI_ENUM):
        from specc.data.values.account import account_check

        account = account_check(prop, catalog, object_type_id)
        if account is not None:
            return account if kind is Kind.ENUM else _each_item(account)
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
        return trimmed_check(NumberCheck(_number_hint(prop)))
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
    if kind is Kind.TERM:
        return trimmed_check(term_problem)
    return too_long


def _number_hint(prop: Property) -> str | None:
    """The property's number display; a currency symbol says "currency" where the source
    gives no hint (the bundle's deal amounts). None: not known."""
    if prop.number_display_hint is None and prop.show_currency_symbol:
        return "currency"
    return prop.number_display_hint


def _account_spellings(
    kind: Kind, prop: Property, catalog: Catalog | None, object_type_id: str | None
) -> list[str] | None:
    if kind not in (Kind.ENUM, Kind.MULTI_ENUM) or catalog is None:
        return None
    from specc.data.values.account import account_spellings

    found = account_spellings(prop, catalog, object_type_id)
    if found is None:
        return None
    return [s for s in found if _clean_spelling(s, multiple=kind is Kind.MULTI_ENUM)]


def _each_item(check: TextCheck) -> TextCheck:
    """A `;`-separated list of values that `check` judges one by one (deal collaborators
    are several owners), the first problem found."""

    def run(raw: str) -> Problem | None:
        problem = too_long(raw)
        if problem is not None:
            return problem
        items = raw.split(";")
        if len(items) > 1 and items[0] == "":  # ";a;b" appends
            items = items[1:]
        for item in items:
            if item.strip(STRIP_CHARS):
                problem = check(item)
                if problem is not None:
                    return problem
        return None

    return run


def _rules(
    prop: Property, catalog: Catalog | None, object_type_id: str | None, date_format: str
) -> Callable[[str], Problem | None] | None:
    """The check of the property's validation rules (format 2 snapshots), if it has any."""
    if catalog is None or not catalog.is_snapshot or object_type_id is None:
        return None
    obj = catalog.object(object_type_id)
    found = (obj.validation_rules or {}).get(prop.name) if obj is not None else None
    if not found:
        return None
    from specc.data.values.validations import rule_check

    return rule_check(found, date_format)


def _worse(first: Problem | None, second: Problem | None) -> Problem | None:
    """The problem to report of two: an error before a warning, else the first."""
    if first is None:
        return second
    if second is None or first.effective_severity is Severity.ERROR:
        return first
    return second if second.effective_severity is Severity.ERROR else first


def _text_with_rules(text: TextCheck, rules: Callable[[str], Problem | None]) -> TextCheck:
    def check(raw: str) -> Problem | None:
        problem = text(raw)
        if problem is not None and problem.effective_severity is Severity.ERROR:
            return problem
        value = raw.strip(STRIP_CHARS)
        return _worse(problem, rules(value) if value else None)

    return check


def _typed_with_rules(typed: TypedCheck, rules: Callable[[str], Problem | None]) -> TypedCheck:
    def check(value: object) -> Problem | None:
        problem = typed(value)
        if problem is not None and problem.effective_severity is Severity.ERROR:
            return problem
        text = (value if isinstance(value, str) else render(value)).strip(STRIP_CHARS)
        return _worse(problem, rules(text) if text else None)

    return check


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
        return number_pattern(_number_hint(prop))
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
    if kind is Kind.TERM:
        return term_pattern()
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
