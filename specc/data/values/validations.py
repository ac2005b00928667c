"""Property validation rules an admin set (catalog snapshots, format 2).

HubSpot's property validations API guide lists 27 `ruleType`s with their meaning and
arguments; a value that breaks one is refused with INVALID_CUSTOM_PROPERTY_VALIDATION ("If
you've set validation rules, your imported values must follow the rules or they will not be
imported", KB "Format import files"). `rule_check(rules, ...)` builds one check for a
property's rules; `unevaluated(rules)` names the rules it leaves alone, for a note.

Where the guide leaves a rule's meaning open, the check takes the reading under which the
fewest values fail, so that every error it reports is an error under every reading:

- lengths count characters: MIN_LENGTH with UTF-16 units (the larger count), MAX_LENGTH with
  code points (the smaller);
- MIN_NUMBER / MAX_NUMBER are inclusive; DECIMAL counts decimals without trailing zeros;
- ALPHANUMERIC lets spaces through (`NUMERIC_ONLY`: digits, `ALPHA_ONLY`: letters,
  `ALPHANUMERIC`: both); SPECIAL_CHARACTERS refuses only `$`, `%` (the KB's examples) and
  Unicode symbols (currency, math, modifier and other symbols), not punctuation;
- FORMAT `UPPER` / `LOWER` compare with the value's upper / lower case; `CAPITALIZATION` only
  refuses a value whose first letter is lower case (whether each word must be capitalised
  is not said);
- WHITESPACE `ALL` (the default): no whitespace at all; `TRIM` (none at either end) never
  fails here: values are judged trimmed, as the import reads them (specc warns about
  surrounding whitespace on its own, SPC411);
- REGEX is RE2 (as the guide says), searched (its example anchors with ^ and $ itself);
- EMAIL / DOMAIN use specc's own email and domain checks; URL needs a host that is a domain;
  allowed domains accept subdomains, blocked domains block the domain itself;
- START_DATE / END_DATE (and _DATETIME) allow a day (14 hours for date-times) of slack,
  since the bound is read in the account's time zone, which the snapshot does not hold;
  DAYS_OF_WEEK judges the day as written (not timestamps, nor times with an offset);
- PHONE_NUMBER_WITH_EXPLICIT_COUNTRY_CODE without a country needs `+` and 7 to 15 digits
  (E.164, the KB's phone validation); with a default country, the import adds its code to
  numbers without one (KB), so only the digit count is judged.

Rules with `shouldApplyNormalization` of the formatting kinds (ALPHANUMERIC,
SPECIAL_CHARACTERS, FORMAT, WHITESPACE) make HubSpot reformat the value (KB "Set up automatic
formatting for property rules"): a warning, not an error. The four *_DURATION rules depend on
the day HubSpot processes the import; they, unknown rule types and unreadable arguments are
not evaluated (`unevaluated`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from specc.catalog.model import ValidationRule
from specc.codes import data as codes
from specc.data.values.base import Problem, quoted, utf16_length
from specc.data.values.dates import _PARTS, _TIME, ORDERS, read_date
from specc.data.values.domains import domain_problem
from specc.data.values.emails import email_problem

# What a rule check returns: None, or (why the value breaks it, what to write instead).
Verdict = tuple[str, str] | None
RuleTest = Callable[[str], Verdict]

FORMATTING = frozenset({"ALPHANUMERIC", "SPECIAL_CHARACTERS", "FORMAT", "WHITESPACE"})
RELATIVE = frozenset(
    {"AFTER_DURATION", "BEFORE_DURATION", "AFTER_DATETIME_DURATION", "BEFORE_DATETIME_DURATION"}
)
# The rule types the guide describes and specc evaluates (with RELATIVE: all 27).
EVALUATED = frozenset(
    {
        "ALPHANUMERIC",
        "DAYS_OF_WEEK",
        "DECIMAL",
        "DOMAIN",
        "EMAIL",
        "EMAIL_ALLOWED_DOMAINS",
        "EMAIL_BLOCKED_DOMAINS",
        "END_DATE",
        "END_DATETIME",
        "FORMAT",
        "MAX_LENGTH",
        "MAX_NUMBER",
        "MIN_LENGTH",
        "MIN_NUMBER",
        "PHONE_NUMBER_WITH_EXPLICIT_COUNTRY_CODE",
        "REGEX",
        "SPECIAL_CHARACTERS",
        "START_DATE",
        "START_DATETIME",
        "URL",
        "URL_ALLOWED_DOMAINS",
        "URL_BLOCKED_DOMAINS",
        "WHITESPACE",
    }
)
DAY = timedelta(days=1)
ZONE_SLACK = timedelta(hours=14)  # the widest UTC offset there is
WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")
_PHONE_NOISE = re.compile(r"[\s().\-/]")
_EXTENSION = re.compile(r"\s*(?:ext\.?|x|#)\s*[0-9]+$", re.I)
_URL = re.compile(r"(?:[a-z][a-z0-9+.-]*://)?([^/?#\s:@]+)(?::[0-9]{1,5})?(?:[/?#]\S*)?$", re.I)


def rule_name(rule: ValidationRule) -> str:
    args = ", ".join(rule.arguments)
    return f"{rule.rule_type}({args})" if args else rule.rule_type


def _ints(rule: ValidationRule, low: int = 0, high: int = 1_000_000_000) -> int | None:
    """The rule's first argument as a whole number within [low, high]; None otherwise (an
    argument no account can have is not guessed at)."""
    try:
        found = int(rule.arguments[0])
    except (IndexError, ValueError):
        return None
    return found if low <= found <= high else None


def _decimal(text: str) -> Decimal | None:
    try:
        found = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return found if found.is_finite() else None


def _number_of(value: str) -> Decimal | None:
    """The value as the number a number property stores (`25%` is 0.25), or None."""
    text, scale = (value[:-1], Decimal("0.01")) if value.endswith("%") else (value, Decimal(1))
    if not _NUMBER.fullmatch(text):
        return None
    found = _decimal(text)
    return None if found is None else found * scale


# --- one test per rule type -------------------------------------------------------------------


def _min_length(rule: ValidationRule) -> RuleTest | None:
    limit = _ints(rule)
    if limit is None:
        return None
    return lambda v: (
        (f"it has {utf16_length(v)} characters, fewer than {limit}", f"write {limit} or more")
        if utf16_length(v) < limit
        else None
    )


def _max_length(rule: ValidationRule) -> RuleTest | None:
    limit = _ints(rule)
    if limit is None:
        return None
    return lambda v: (
        (f"it has {len(v)} characters, more than {limit}", f"shorten it to {limit}")
        if len(v) > limit
        else None
    )


def _bound(rule: ValidationRule, *, lower: bool) -> RuleTest | None:
    limit = _decimal(rule.arguments[0]) if rule.arguments else None
    if limit is None:
        return None

    def test(value: str) -> Verdict:
        number = _number_of(value)
        if number is None:
            return None  # not a number: the number check says so
        if (number < limit) if lower else (number > limit):
            word = "below the minimum" if lower else "above the maximum"
            return f"it is {word} {rule.arguments[0]}", "write a number within the range"
        return None

    return test


def _decimals(rule: ValidationRule) -> RuleTest | None:
    places = _ints(rule, 0, 20)  # the guide: "Integer (0-20)"
    if places is None:
        return None

    def test(value: str) -> Verdict:
        text = value[:-1] if value.endswith("%") else value
        if not _NUMBER.fullmatch(text) or "." not in text:
            return None
        written = len(text.split(".", 1)[1].rstrip("0"))
        if written > places:
            return (
                f"it has {written} decimal places, more than {places}",
                f"round it to {places} decimal place{'s' if places != 1 else ''}",
            )
        return None

    return test


def _alphanumeric(rule: ValidationRule) -> RuleTest | None:
    mode = (rule.arguments[0] if rule.arguments else "ALPHANUMERIC").upper()
    allowed: Callable[[str], bool]
    if mode == "NUMERIC_ONLY":
        allowed, what = (lambda c: c in "0123456789"), "digits"
    elif mode == "ALPHA_ONLY":
        allowed, what = str.isalpha, "letters"
    elif mode == "ALPHANUMERIC":
        allowed, what = str.isalnum, "letters and digits"
    else:
        return None

    def test(value: str) -> Verdict:
        bad = [c for c in value if not c.isspace() and not allowed(c)]
        if bad:
            return f"it holds {quoted(bad[0])}, but only {what} are allowed", f"keep only {what}"
        return None

    return test


def _is_special(ch: str) -> bool:
    return ch in "$%" or unicodedata.category(ch).startswith("S")


def _special(rule: ValidationRule) -> RuleTest | None:
    def test(value: str) -> Verdict:
        bad = next((c for c in value if _is_special(c)), None)
        if bad is not None:
            return f"it holds the special character {bad}", "remove special characters"
        return None

    return test


def _format(rule: ValidationRule) -> RuleTest | None:
    mode = (rule.arguments[0] if rule.arguments else "").upper()
    if mode == "UPPER":
        return lambda v: (
            ("it has lower-case letters", f"write {v.upper()}") if v != v.upper() else None
        )
    if mode == "LOWER":
        return lambda v: (
            ("it has upper-case letters", f"write {v.lower()}") if v != v.lower() else None
        )
    if mode == "CAPITALIZATION":

        def test(value: str) -> Verdict:
            first = next((c for c in value if c.isalpha()), "")
            if first and first.islower():
                return "it starts with a lower-case letter", f"write {first.upper()}..."
            return None

        return test
    return None


def _whitespace(rule: ValidationRule) -> RuleTest | None:
    mode = (rule.arguments[0] if rule.arguments else "ALL").upper()
    if mode == "TRIM":
        return lambda v: None  # judged trimmed (see the module's docstring)
    if mode == "ALL":
        return lambda v: (
            ("it holds whitespace", "remove the spaces") if any(c.isspace() for c in v) else None
        )
    return None


def _email(rule: ValidationRule) -> RuleTest:
    def test(value: str) -> Verdict:
        problem = email_problem(value)
        return None if problem is None else ("it is not an email address", problem.hint or "")

    return test


def _domain(rule: ValidationRule) -> RuleTest:
    def test(value: str) -> Verdict:
        problem = domain_problem(value)
        return None if problem is None else ("it is not a domain", problem.hint or "")

    return test


def _host(value: str) -> str | None:
    found = _URL.match(value)
    return found.group(1).lower().rstrip(".") if found else None


def _url(rule: ValidationRule) -> RuleTest:
    def test(value: str) -> Verdict:
        host = _host(value)
        if host is None or domain_problem(host) is not None:
            return "it is not a URL", "write a URL like https://www.example.com/page"
        return None

    return test


def _domains(rule: ValidationRule) -> frozenset[str]:
    return frozenset(a.strip().lower().lstrip("@").removeprefix("www.") for a in rule.arguments)


def _within(host: str, domains: frozenset[str]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def _listed_domains(rule: ValidationRule, *, email: bool, allow: bool) -> RuleTest | None:
    domains = _domains(rule)
    if not domains:
        return None
    shown = ", ".join(sorted(domains))

    def test(value: str) -> Verdict:
        if email:
            at = value.rfind("@")
            host = value[at + 1 :].lower() if at > 0 else None
        else:
            host = _host(value)
        if not host:
            return None  # not an email or URL: their own checks say so
        bare = host.removeprefix("www.")
        if allow and not _within(host, domains):
            return f"its domain {host} is not one of {shown}", f"use an address at {shown}"
        if not allow and bare in domains:
            return f"its domain {host} is blocked", f"use an address outside {shown}"
        return None

    return test


def _phone(rule: ValidationRule) -> RuleTest:
    country = rule.arguments[0] if rule.arguments else None

    def test(value: str) -> Verdict:
        number = _PHONE_NOISE.sub("", _EXTENSION.sub("", value))
        digits = number[1:] if number.startswith("+") else number
        if not digits.isdigit() or not 7 <= len(digits) <= 15:
            return "it is not a phone number of 7 to 15 digits", "write +[country code][number]"
        if country is None and not number.startswith("+"):
            return "it has no country code", "write + and the country code first"
        return None

    return test


# Arrow compiles the pattern for every value it judges (once per distinct value): a pattern
# longer than any rule an admin writes by hand is named in a note instead of evaluated.
MAX_PATTERN = 1000


def _regex(rule: ValidationRule) -> RuleTest | None:
    if not rule.arguments or len(rule.arguments[0]) > MAX_PATTERN:
        return None
    if not _compiles(rule.arguments[0]):
        return None
    pattern = rule.arguments[0]
    message = rule.arguments[1] if len(rule.arguments) > 1 and rule.arguments[1] else None

    def test(value: str) -> Verdict:
        import pyarrow as pa
        import pyarrow.compute as pc

        if pc.match_substring_regex(pa.array([value], pa.string()), pattern=pattern)[0].as_py():
            return None
        return f"it does not match {pattern}", message or "write a value the pattern matches"

    return test


def _compiles(pattern: str) -> bool:
    """Whether RE2 (Arrow's regular expressions, the syntax HubSpot names) reads the pattern."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        # Arrow compiles the pattern only when there is a value to match.
        pc.match_substring_regex(pa.array([""], pa.string()), pattern=pattern)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False
    return True


# --- dates ------------------------------------------------------------------------------------


def _moment(value: str, date_format: str) -> tuple[datetime, datetime, date | None] | None:
    """The earliest and latest instant (UTC) a date or date-time value can mean, and the day
    as written when it names one in the account's own zone; None when it is no date."""
    if value.isdigit() and value.isascii() and 11 <= len(value) <= 13:
        instant = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=int(value))
        return instant, instant, None
    found = _PARTS.fullmatch(value)
    if found is None:
        return None
    first, _, second, _, third, _, time = found.groups()
    read = read_date((first, second, third), ORDERS[date_format])
    if isinstance(read, str):
        return None
    day = date(*read)
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    if time is None:
        return start - ZONE_SLACK, start + ZONE_SLACK, day
    t = _TIME.fullmatch(time)
    if t is None:
        return None
    hour, minute, second_ = int(t.group(1)), int(t.group(2)), int(t.group(3) or 0)
    if t.group(5):
        hour = hour % 12 + (12 if t.group(5).lower() == "p" else 0)
    if hour > 23 or minute > 59 or second_ > 59:
        return None
    at = start + timedelta(hours=hour, minutes=minute, seconds=second_)
    if t.group(8):  # an explicit offset: one instant, but the account's day is unknown
        sign = 1 if t.group(8) == "+" else -1
        offset = timedelta(hours=int(t.group(9)), minutes=int(t.group(11) or 0))
        instant = at - sign * offset
        return instant, instant, None
    if t.group(12):  # Z, UTC, GMT
        return at, at, None
    return at - ZONE_SLACK, at + ZONE_SLACK, day


def _instant(argument: str) -> datetime | None:
    try:
        return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=int(argument))
    except (ValueError, OverflowError):
        return None


def _date_bound(rule: ValidationRule, date_format: str, *, start: bool) -> RuleTest | None:
    bound = _instant(rule.arguments[0]) if rule.arguments else None
    if bound is None:
        return None
    # A date rule bounds days in the account's zone: a day of slack either side.
    slack = DAY if rule.rule_type in ("START_DATE", "END_DATE") else timedelta(0)
    shown = bound.strftime("%Y-%m-%d %H:%M UTC")

    def test(value: str) -> Verdict:
        moment = _moment(value, date_format)
        if moment is None:
            return None  # not a date: the date check says so
        earliest, latest, _ = moment
        if start and latest + slack < bound:
            return f"it is before {shown}", "write a later date"
        if not start and earliest - slack > bound:
            return f"it is after {shown}", "write an earlier date"
        return None

    return test


def _days_of_week(rule: ValidationRule, date_format: str) -> RuleTest | None:
    days = {a.strip().upper() for a in rule.arguments}
    if not days or not days <= set(WEEKDAYS):
        return None
    shown = ", ".join(d for d in WEEKDAYS if d in days)

    def test(value: str) -> Verdict:
        moment = _moment(value, date_format)
        if moment is None or moment[2] is None:
            return None
        weekday = WEEKDAYS[moment[2].weekday()]
        if weekday not in days:
            return f"it is a {weekday.title()}", f"the rule allows {shown}"
        return None

    return test


# --- building ---------------------------------------------------------------------------------


def _test_of(rule: ValidationRule, date_format: str) -> RuleTest | None:
    kind = rule.rule_type
    builders: dict[str, Callable[[], RuleTest | None]] = {
        "MIN_LENGTH": lambda: _min_length(rule),
        "MAX_LENGTH": lambda: _max_length(rule),
        "MIN_NUMBER": lambda: _bound(rule, lower=True),
        "MAX_NUMBER": lambda: _bound(rule, lower=False),
        "DECIMAL": lambda: _decimals(rule),
        "ALPHANUMERIC": lambda: _alphanumeric(rule),
        "SPECIAL_CHARACTERS": lambda: _special(rule),
        "FORMAT": lambda: _format(rule),
        "WHITESPACE": lambda: _whitespace(rule),
        "EMAIL": lambda: _email(rule),
        "DOMAIN": lambda: _domain(rule),
        "URL": lambda: _url(rule),
        "EMAIL_ALLOWED_DOMAINS": lambda: _listed_domains(rule, email=True, allow=True),
        "EMAIL_BLOCKED_DOMAINS": lambda: _listed_domains(rule, email=True, allow=False),
        "URL_ALLOWED_DOMAINS": lambda: _listed_domains(rule, email=False, allow=True),
        "URL_BLOCKED_DOMAINS": lambda: _listed_domains(rule, email=False, allow=False),
        "START_DATE": lambda: _date_bound(rule, date_format, start=True),
        "START_DATETIME": lambda: _date_bound(rule, date_format, start=True),
        "END_DATE": lambda: _date_bound(rule, date_format, start=False),
        "END_DATETIME": lambda: _date_bound(rule, date_format, start=False),
        "DAYS_OF_WEEK": lambda: _days_of_week(rule, date_format),
        "PHONE_NUMBER_WITH_EXPLICIT_COUNTRY_CODE": lambda: _phone(rule),
        "REGEX": lambda: _regex(rule),
    }
    build = builders.get(kind)
    return None if build is None else build()


def unevaluated(
    rules: tuple[ValidationRule, ...], date_format: str = "MONTH_DAY_YEAR"
) -> list[tuple[ValidationRule, str]]:
    """The rules `rule_check` leaves alone, each with the reason (for a note)."""
    left = []
    for rule in rules:
        if rule.rule_type in RELATIVE:
            left.append((rule, "it depends on the day HubSpot processes the import"))
        elif _test_of(rule, date_format) is not None:
            continue
        elif rule.rule_type in EVALUATED:
            left.append((rule, "specc cannot read its arguments"))
        else:
            left.append((rule, "HubSpot's property validations guide does not describe it"))
    return left


def rule_check(
    rules: tuple[ValidationRule, ...], date_format: str = "MONTH_DAY_YEAR"
) -> Callable[[str], Problem | None] | None:
    """One check of a trimmed, non-empty value against every rule it can evaluate: the first
    rule broken, an error (a warning for a formatting rule HubSpot applies itself); None when
    no rule can be evaluated."""
    tests = [(rule, test) for rule in rules if (test := _test_of(rule, date_format)) is not None]
    if not tests:
        return None

    def check(value: str) -> Problem | None:
        warning: Problem | None = None
        for rule, test in tests:
            verdict = test(value)
            if verdict is None:
                continue
            why, fix = verdict
            if rule.normalize and rule.rule_type in FORMATTING:
                warning = warning or Problem(
                    codes.REFORMATTED_BY_RULE,
                    f"{quoted(value)} breaks the formatting rule {rule_name(rule)}: {why}; "
                    "HubSpot reformats it on import",
                    hint=fix,
                )
                continue
            return Problem(
                codes.BREAKS_VALIDATION_RULE,
                f"{quoted(value)} breaks the property's validation rule {rule_name(rule)}: {why}",
                hint=fix,
            )
        return warning

    return check
