"""What every value check shares: the Problem it returns, trimming, and the length limit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from specc.codes import Code
from specc.codes import data as codes
from specc.diagnostics import DataLocation, Diagnostic, Severity, SpecLocation, shorten


@dataclass(frozen=True)
class Problem:
    """What is wrong with one cell. `severity` None means the code's own severity."""

    code: Code
    message: str
    hint: str | None = None
    severity: Severity | None = None

    @property
    def effective_severity(self) -> Severity:
        return self.severity or self.code.severity

    def diagnostic(
        self, *, spec: SpecLocation | None = None, data: DataLocation | None = None
    ) -> Diagnostic:
        return self.code.at(
            self.message, hint=self.hint, spec=spec, data=data, severity=self.severity
        )


# A check of one non-blank cell, as text.
TextCheck = Callable[[str], "Problem | None"]
# A check of one spreadsheet cell as the reader typed it (str, int, float, bool, datetime, ...).
TypedCheck = Callable[[object], "Problem | None"]

# "A plain text string, limited to 65,536 characters" (properties guide). HubSpot is a Java
# shop, so the count is in UTF-16 units; a value of at most half as many code points can
# never exceed it, which keeps the common case to one len().
MAX_VALUE_LENGTH = 65_536
_SURELY_SHORT = MAX_VALUE_LENGTH // 2

# What HubSpot's announced whitespace rule calls "leading or trailing whitespace, including
# invisible unicode characters": Unicode spaces plus the zero-width ones and the BOM, which
# str.strip() alone keeps.
STRIP_CHARS = (
    " \t\n\r\v\f\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\u180e\u200b\u200c\u200d\u2060\ufeff"
)


def quoted(value: str, limit: int = 60) -> str:
    """A value as messages show it: in double quotes, cut when long."""
    return '"' + shorten(value, limit) + '"'


def utf16_length(value: str) -> int:
    return len(value) + sum(1 for ch in value if ord(ch) > 0xFFFF)


def too_long(value: str) -> Problem | None:
    if len(value) <= _SURELY_SHORT:
        return None
    size = utf16_length(value)
    if size <= MAX_VALUE_LENGTH:
        return None
    return Problem(
        codes.VALUE_TOO_LONG,
        f"the value is {size:,} characters long; HubSpot stores at most {MAX_VALUE_LENGTH:,}",
        hint="shorten it or split it over several properties",
    )


def whitespace_problem(raw: str) -> Problem:
    return Problem(
        codes.SURROUNDING_WHITESPACE,
        f"{quoted(raw)} has spaces or invisible characters around it",
        hint="trim the value",
    )


def only_whitespace(raw: str) -> Problem:
    return Problem(
        codes.SURROUNDING_WHITESPACE,
        f"{quoted(raw)} holds only spaces or invisible characters",
        hint="leave the cell empty, or write the value",
    )


def trimmed_check(check: Callable[[str], Problem | None]) -> TextCheck:
    """Wrap a check of a trimmed value: it sees the value without surrounding whitespace,
    which is then a warning of its own when the value is otherwise fine."""

    def run(raw: str) -> Problem | None:
        problem = too_long(raw)
        if problem is not None:
            return problem
        value = raw.strip(STRIP_CHARS)
        if len(value) == len(raw):
            return check(raw) if raw else None  # a blank cell is the row engine's business
        if not value:
            return only_whitespace(raw)
        problem = check(value)
        if problem is not None:
            return problem
        return whitespace_problem(raw)

    return run
