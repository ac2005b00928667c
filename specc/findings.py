"""What the checks of one spec found, once: the spec's `allow`s applied, errors counted by type.

Every check yields diagnostics; before they reach a report two rules apply, each written here
and nowhere else:

- **suppression** (`Allowed`): a code the spec allows spec-wide (`checks: allow:`) or on a
  column (`allow:` on the column, for diagnostics at that column or below it) is dropped;
- **counting** (`ErrorCounts`): errors are counted by the HubSpot errorType they predict, or
  by their code where HubSpot has none. The row checks count every error, also those past
  --max-errors that no diagnostic shows, so the summary of `check` stays true.

`Findings` collects both for one spec; the pipeline hands it to the CLI's Result and the
sandbox turns it into HubSpot row errors.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from specc.diagnostics import Diagnostic, Severity
from specc.spec.model import Spec


@dataclass(frozen=True)
class Allowed:
    """The codes a spec allows: everywhere, and per column pointer."""

    everywhere: frozenset[str] = frozenset()
    by_pointer: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, spec: Spec) -> Allowed:
        by_pointer = {column.pointer: column.allow for _, column in spec.columns() if column.allow}
        return cls(frozenset(spec.checks.allow), by_pointer)

    def allows(self, code: str, pointer: str) -> bool:
        """Whether a diagnostic of `code` at the spec node `pointer` is dropped."""
        if code in self.everywhere:
            return True
        if not self.by_pointer:
            return False
        # A column's `allow:` covers the column and every node below it: walk up the pointer.
        probe = pointer
        while probe:
            if code in self.by_pointer.get(probe, ()):
                return True
            probe = probe.rpartition("/")[0]
        return False

    def keep(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """The diagnostics the spec does not allow."""
        return [d for d in diagnostics if not self.allows(d.code, d.spec.pointer if d.spec else "")]


def error_type(code: str, hubspot_error: str | None) -> str:
    """What an error is counted as: the HubSpot errorType it predicts, else its own code."""
    return hubspot_error or code


class ErrorCounts(Counter[str]):
    """Errors by `error_type`. Adding two of them (`update`) adds their counts."""

    def error(self, code: str, hubspot_error: str | None) -> None:
        self[error_type(code, hubspot_error)] += 1

    def errors(self, diagnostics: Iterable[Diagnostic]) -> ErrorCounts:
        """Count the errors among `diagnostics` (warnings and notes are not counted)."""
        for d in diagnostics:
            if d.severity is Severity.ERROR:
                self.error(d.code, d.hubspot_error)
        return self


def ranked(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """(error type, how many), most frequent first, then by name: the order summaries show."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


@dataclass
class Findings:
    """Everything the checks of one spec found, after its `allow`s."""

    allowed: Allowed = field(default_factory=Allowed)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Row errors by error type, counting those past --max-errors too (the row checks count
    # them as they go, since no diagnostic is kept for them).
    errors_by_type: ErrorCounts = field(default_factory=ErrorCounts)
    rows_checked: int = 0

    @classmethod
    def of(cls, spec: Spec) -> Findings:
        return cls(Allowed.of(spec))

    def add(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Keep the diagnostics the spec does not allow."""
        self.diagnostics.extend(self.allowed.keep(diagnostics))
