"""What every check produces: a diagnostic with a code, a severity and where it points."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class SpecLocation:
    """A place in a spec file: 1-based line and column, and the JSON pointer of the node."""

    file: str
    line: int
    column: int
    pointer: str = ""


# Values longer than this are cut in diagnostics, so a 65k cell never floods a terminal.
MAX_SHOWN_VALUE = 200


def shorten(value: str, limit: int = MAX_SHOWN_VALUE) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A "did you mean" hint naming the closest choice, if one is close enough."""
    import difflib  # only on a miss: a clean spec never needs it

    choices = list(choices)
    near = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not near:
        lowered = {c.lower(): c for c in choices}
        near = [lowered[m] for m in difflib.get_close_matches(word.lower(), list(lowered), n=1)]
    return f"did you mean {near[0]!r}?" if near else None


@dataclass(frozen=True)
class DataLocation:
    """A place in a data file. `line` is the physical line where the row starts (header = 1)."""

    file: str
    line: int | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    hint: str | None = None
    hubspot_error: str | None = None
    spec: SpecLocation | None = None
    data: DataLocation | None = None

    def with_severity(self, severity: Severity) -> Diagnostic:
        return replace(self, severity=severity)

    def to_json(self) -> dict[str, Any]:
        """The shape of one entry of the CLI contract's JSON document."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "hubspot_error": self.hubspot_error,
            "message": self.message,
            "hint": self.hint,
            "spec": None
            if self.spec is None
            else {
                "file": self.spec.file,
                "line": self.spec.line,
                "column": self.spec.column,
                "pointer": self.spec.pointer,
            },
            "data": None
            if self.data is None
            else {
                "file": self.data.file,
                "line": self.data.line,
                "row": self.data.row,
                "column": self.data.column,
                "value": None if self.data.value is None else shorten(self.data.value),
            },
        }


@dataclass
class Result:
    """Everything one command found, across all the specs it was given."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    rows_checked: int = 0
    # Per spec file: the specs' own text, so reporters can show the offending line.
    sources: dict[str, str] = field(default_factory=dict)
    # Row errors by the HubSpot errorType they predict (the code where HubSpot has none),
    # counting those past --max-errors too: the summary of `check` (see specc.findings).
    errors_by_type: Counter[str] = field(default_factory=Counter)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics.extend(diagnostics)

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self.count(Severity.WARNING)

    @property
    def error_total(self) -> int:
        """Every error found, those past --max-errors included.

        `check` counts every row's errors by type (errors_by_type) but keeps only the first
        few as diagnostics; the spec's own errors are diagnostics only. So a type's row
        errors are the larger of its two counts.
        """
        in_rows: Counter[str] = Counter()
        for d in self.diagnostics:
            if d.severity is Severity.ERROR and d.data is not None:
                in_rows[d.hubspot_error or d.code] += 1
        hidden = sum(max(0, count - in_rows[key]) for key, count in self.errors_by_type.items())
        return self.errors + hidden

    def ok(self, strict: bool = False) -> bool:
        """No error (not even one past --max-errors), and with `strict` no warning."""
        return self.error_total == 0 and not (strict and self.warnings)

    def exit_code(self, strict: bool = False) -> int:
        return 0 if self.ok(strict) else 1

    def strict_view(self, strict: bool = True) -> Result:
        """This result as --strict shows it: its warnings are errors in the counts, the exit
        code and the report. Itself when nothing changes; the original is left alone."""
        if not strict or not self.warnings:
            return self
        return replace(
            self,
            diagnostics=[
                d.with_severity(Severity.ERROR) if d.severity is Severity.WARNING else d
                for d in self.diagnostics
            ],
        )

    def sorted(self) -> list[Diagnostic]:
        """Diagnostics in a stable order: by spec file, then data position, then code."""

        def key(d: Diagnostic) -> tuple[Any, ...]:
            s = d.spec
            da = d.data
            return (
                s.file if s else "",
                da.file if da else "",
                da.line or 0 if da else 0,
                s.line if s and not da else 0,
                s.column if s and not da else 0,
                d.code,
            )

        return sorted(self.diagnostics, key=key)
