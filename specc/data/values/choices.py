"""Enumerations and checkboxes (hubspot-domain.md §6.3-§6.4).

"The values in your import file must match either the label or the internal value of the
property's defined options." Decisions where the sources are silent:

- An exact match (value or label) of exactly one option is fine. Several options matching
  exactly (one's label is another's value) is AMBIGUOUS_ENUMERATION_OPTION.
- Matching ignoring letter case is not promised: a value that matches one option only that
  way is a warning (SPC413); matching several options that way is ambiguous (an error).
- No match is INVALID_ENUMERATION_OPTION when the options are the account's whole list (a
  catalog snapshot, or `options_complete`) or HubSpot's whole list that no account can
  change (`options_listed_complete` and `options_editable` False); a warning (SPC412) when
  they are HubSpot's whole default list that an account may extend; nothing when specc
  knows only part of the list or the options live elsewhere (owners, pipelines: only the
  account can tell, and `COULD_NOT_FIND_OWNER` is not predictable offline).
- Multiple checkboxes split on `;`; a leading `;` means "append" and is not an empty item.
  Empty items and spaces around items are warnings (HubSpot's cancelled stricter validation
  would have refused the spaces).
- Hidden options are valid: an info.
- Single checkboxes take true/false/yes/no in any case and the labels the property defines.
  `1`/`0`, `y`/`n`, `on`/`off`, `checked` are a warning (undocumented), anything else an
  error (INVALID_ENUMERATION_OPTION: HubSpot keeps booleans as a two-option enumeration).
"""

from __future__ import annotations

import difflib
import re

from specc.catalog.model import Option, Property
from specc.codes import Code
from specc.codes import data as codes
from specc.data.values.base import STRIP_CHARS, Problem, quoted, too_long, whitespace_problem
from specc.diagnostics import Severity

MAX_LISTED_OPTIONS = 12
MAX_REMEMBERED = 4096


def property_title(prop: Property) -> str:
    return f'"{prop.label}" ({prop.name})' if prop.label else prop.name


class OptionIndex:
    """A property's options by their exact and case-folded spellings (value and label)."""

    def __init__(self, options: tuple[Option, ...]) -> None:
        self.options = options
        self.exact: dict[str, tuple[int, ...]] = {}
        self.folded: dict[str, tuple[int, ...]] = {}
        for i, option in enumerate(options):
            for text in (option.value, option.label):
                if not text:
                    continue
                for table, key in ((self.exact, text), (self.folded, text.casefold())):
                    found = table.get(key, ())
                    if i not in found:
                        table[key] = (*found, i)

    def unambiguous_spellings(self) -> list[str]:
        """Exact spellings that name one visible option (for the fast path)."""
        return [
            text
            for text, found in self.exact.items()
            if len(found) == 1 and not self.options[found[0]].hidden
        ]

    def describe(self, limit: int = MAX_LISTED_OPTIONS) -> str:
        shown = [_option_text(o) for o in self.options[:limit]]
        more = len(self.options) - limit
        return ", ".join(shown) + (f" and {more} more" if more > 0 else "")

    def closest(self, value: str) -> str | None:
        """The option the value most likely means: an abbreviation of one option's label
        (`MQL` for "Marketing Qualified Lead", written as the option's internal value), else
        the nearest spelling."""
        initials = _initials_of(value)
        if initials:
            meant = [o for o in self.options if o.label and _label_initials(o.label) == initials]
            if len(meant) == 1:
                return meant[0].value
        spellings = {t.casefold(): t for t in self.exact}
        near = difflib.get_close_matches(value.casefold(), list(spellings), n=1, cutoff=0.6)
        return spellings[near[0]] if near else None


def _label_initials(label: str) -> str:
    """`Marketing Qualified Lead` -> `mql`; labels of one word have none."""
    words = [w for w in re.split(r"[^\w]+", label) if w]
    return "".join(w[0] for w in words).casefold() if len(words) > 1 else ""


def _initials_of(value: str) -> str:
    """`MQL`, `M.Q.L.`, `m q l` -> `mql`: a short run of letters that may abbreviate a label."""
    letters = re.sub(r"[\s.]", "", value)
    return letters.casefold() if 2 <= len(letters) <= 6 and letters.isalpha() else ""


def _option_text(option: Option) -> str:
    if option.label and option.label != option.value:
        return f"{option.value} ({option.label})"
    return option.value


class ChoiceCheck:
    """Dropdown, radio and multiple-checkbox values of one property."""

    __slots__ = ("index", "multiple", "prop", "unknown_code", "unknown_seen")

    def __init__(self, prop: Property, *, snapshot: bool, multiple: bool) -> None:
        self.prop = prop
        self.multiple = multiple
        self.index = OptionIndex(prop.options)
        listed = bool(getattr(prop, "options_listed_complete", False)) and bool(prop.options)
        complete = (
            prop.options_complete
            or (snapshot and prop.type == "enumeration" and bool(prop.options))
            # HubSpot's whole list, which no account can change: an unknown value is refused.
            or (listed and prop.options_editable is False)
        )
        self.unknown_code = (
            codes.UNKNOWN_OPTION if complete else codes.UNCONFIRMED_OPTION if listed else None
        )
        # Wrong options repeat down a column, and finding the closest option is slow.
        self.unknown_seen: dict[tuple[str, bool], Problem | None] = {}

    @property
    def checks_options(self) -> bool:
        """False when every value is accepted (nothing to compare against)."""
        return bool(self.prop.options)

    def __call__(self, raw: str) -> Problem | None:
        problem = too_long(raw)
        if problem is not None or not self.checks_options or not raw:
            return problem
        if not self.multiple:
            return self._one(raw, single=True)
        items = raw.split(";")
        if len(items) > 1 and items[0] == "":  # ";a;b" appends to the existing options
            items = items[1:]
        worst: Problem | None = None
        for item in items:
            problem = self._one(item, single=False) if item else self._empty(raw)
            if problem is not None:
                if problem.effective_severity is Severity.ERROR:
                    return problem
                if worst is None or _rank(problem) > _rank(worst):
                    worst = problem
        return worst

    def _one(self, raw: str, *, single: bool) -> Problem | None:
        value = raw.strip(STRIP_CHARS)
        if not value:
            return self._empty(raw)
        found = self.index.exact.get(value)
        problem: Problem | None = None
        if found is None:
            folded = self.index.folded.get(value.casefold())
            if folded is None:
                return self._unknown(value, single)
            if len(folded) > 1:
                return self._ambiguous(value, folded)
            option = self.index.options[folded[0]]
            problem = Problem(
                codes.OPTION_CASE_MISMATCH,
                f"{quoted(value)} matches the option {_option_text(option)} of "
                f"{property_title(self.prop)} only when letter case is ignored",
                hint=f"write {option.value}",
            )
        elif len(found) > 1:
            return self._ambiguous(value, found)
        if len(value) != len(raw):
            return whitespace_problem(raw)
        if problem is None and found is not None and self.index.options[found[0]].hidden:
            return Problem(
                codes.HIDDEN_OPTION,
                f"{quoted(value)} is a hidden option of {property_title(self.prop)}",
            )
        return problem

    def _empty(self, raw: str) -> Problem:
        return Problem(
            codes.EMPTY_LIST_ITEM,
            f"{quoted(raw)} has an empty item between semicolons",
            hint="separate options with single semicolons, without one at the end",
        )

    def _unknown(self, value: str, single: bool) -> Problem | None:
        if self.unknown_code is None:
            return None
        key = (value, single)
        if key in self.unknown_seen:
            return self.unknown_seen[key]
        problem = self._describe_unknown(value, single, self.unknown_code)
        if len(self.unknown_seen) < MAX_REMEMBERED:
            self.unknown_seen[key] = problem
        return problem

    def _describe_unknown(self, value: str, single: bool, code: Code) -> Problem:
        title = property_title(self.prop)
        if code is codes.UNKNOWN_OPTION:
            message = f"{quoted(value)} is not an option of {title}"
        else:
            message = (
                f"{quoted(value)} is not one of HubSpot's default options of {title}; "
                "the bundled catalog cannot tell whether the account added it"
            )
        hints = []
        near = self.index.closest(value)
        if near is not None:
            hints.append(f"did you mean {near}?")
        if single and ";" in value:
            hints.append("only multiple-checkbox properties take ;-separated lists")
        hints.append(f"options: {self.index.describe()}")
        return Problem(code, message, hint="; ".join(hints))

    def _ambiguous(self, value: str, found: tuple[int, ...]) -> Problem:
        names = ", ".join(_option_text(self.index.options[i]) for i in found)
        return Problem(
            codes.AMBIGUOUS_OPTION,
            f"{quoted(value)} matches several options of {property_title(self.prop)}: {names}",
            hint="write the internal value of the option you mean, in its exact letter case",
        )


_RANK = {Severity.ERROR: 3, Severity.WARNING: 2, Severity.INFO: 1}


def _rank(problem: Problem) -> int:
    return _RANK[problem.effective_severity]


TRUE_FALSE = frozenset({"true", "false", "yes", "no"})
UNDOCUMENTED_TRUE_FALSE = frozenset(
    {"1", "0", "y", "n", "t", "f", "on", "off", "checked", "unchecked"}
)


class BoolCheck:
    """Single checkbox values; called with a trimmed, non-empty value."""

    __slots__ = ("accepted", "prop")

    def __init__(self, prop: Property) -> None:
        self.prop = prop
        spellings = {t for o in prop.options for t in (o.value, o.label) if t}
        self.accepted = TRUE_FALSE | {t.casefold() for t in spellings}

    def __call__(self, value: str) -> Problem | None:
        folded = value.casefold()
        if folded in self.accepted:
            return None
        if folded in UNDOCUMENTED_TRUE_FALSE:
            return Problem(
                codes.UNDOCUMENTED_BOOLEAN,
                f"{quoted(value)} is not a documented checkbox value for "
                f"{property_title(self.prop)}",
                hint="write true/false or Yes/No",
            )
        return Problem(
            codes.INVALID_BOOLEAN,
            f"{quoted(value)} is not a checkbox value for {property_title(self.prop)}",
            hint="write true/false or Yes/No",
        )

    def spellings(self) -> list[str]:
        return sorted(self.accepted)
