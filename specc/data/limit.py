"""What the row checks of one file found, limited to what a report can show.

A file of a million rows may hold a million problems. Each becomes a `Finding` (cheap, no
diagnostic yet); `FindingsLimit` drops what the spec allows (`specc.findings.Allowed`),
counts every error by the HubSpot error type it predicts (`specc.findings.ErrorCounts`: the
summary counts them all), remembers the rows with an error (for --rejects), and keeps only
`max_shown` findings, in memory bounded by twice that: the errors first (a limit filled by
warnings must not hide the rows HubSpot would fail), each severity by row, column and code.
The rest are counted by severity and summed up in one MORE_NOT_SHOWN diagnostic.
"""

from __future__ import annotations

from dataclasses import dataclass

from specc.codes import Code
from specc.codes import rows as codes
from specc.diagnostics import DataLocation, Diagnostic, Severity, SpecLocation
from specc.findings import Allowed, ErrorCounts

DEFAULT_MAX_ERRORS = 1000


@dataclass(frozen=True)
class Finding:
    """One problem, before it becomes a diagnostic (past --max-errors it never does)."""

    row: int
    column: int  # the column's index; -1: the whole row
    code: Code
    severity: Severity
    message: str
    hint: str | None
    spec: SpecLocation
    line: int | None
    column_name: str | None = None
    value: str | None = None

    @property
    def order(self) -> tuple[int, int, str]:
        return (self.row, self.column, self.code.code)

    def diagnostic(self, shown: str) -> Diagnostic:
        return self.code.at(
            self.message,
            hint=self.hint,
            severity=self.severity,
            spec=self.spec,
            data=DataLocation(shown, self.line, self.row, self.column_name, self.value),
        )


class FindingsLimit:
    """The findings of the file shown as `shown` (its entry in the spec at `where`)."""

    def __init__(self, shown: str, where: SpecLocation, allowed: Allowed, max_shown: int) -> None:
        self.shown = shown
        self.where = where
        self.allowed = allowed
        self.max_shown = max(0, max_shown)
        self.kept: list[Finding] = []  # the first problems, at most 2 * max(max_shown, 1000)
        self.hidden = dict.fromkeys((Severity.ERROR, Severity.WARNING, Severity.INFO), 0)
        self.file_level: list[Diagnostic] = []  # about the whole file: always shown
        self.counts = ErrorCounts()
        self.failing: set[int] = set()  # rows with an error, for --rejects

    def add(self, findings: list[Finding]) -> None:
        """Count the findings; keep the first ones (by row) for the report."""
        for finding in findings:
            if self.allowed.allows(finding.code.code, finding.spec.pointer):
                continue
            if finding.severity is Severity.ERROR:
                self.counts.error(finding.code.code, finding.code.hubspot_error)
                self.failing.add(finding.row)
            self.kept.append(finding)
        if len(self.kept) > 2 * max(self.max_shown, DEFAULT_MAX_ERRORS):
            self._trim()

    def file_diagnostic(self, d: Diagnostic) -> None:
        """A diagnostic about the whole file (too large, not UTF-8): shown whatever the
        limit, unless the spec allows it."""
        if self.allowed.allows(d.code, d.spec.pointer if d.spec else ""):
            return
        self.file_level.append(d)
        self.counts.errors([d])

    def forget_rows(self) -> None:
        """Drop every finding about rows (the file turned out unreadable: any row may have
        been misread); what was said of the whole file stays, and still counts."""
        self.kept.clear()
        self.counts = ErrorCounts().errors(self.file_level)
        self.failing.clear()
        self.hidden = dict.fromkeys(self.hidden, 0)

    def diagnostics(self) -> list[Diagnostic]:
        """The file's diagnostics: the file-level ones, the `max_shown` findings kept (errors
        first) in row order, and one saying how many more there are."""
        self._trim()
        diagnostics = list(self.file_level)
        diagnostics.extend(f.diagnostic(self.shown) for f in self.kept)
        hidden = sum(self.hidden.values())
        if hidden:
            diagnostics.append(self._more_not_shown(hidden))
        return diagnostics

    def _trim(self) -> None:
        self.kept.sort(key=lambda f: (f.severity is not Severity.ERROR, f.order))
        for dropped in self.kept[self.max_shown :]:
            self.hidden[dropped.severity] += 1
        del self.kept[self.max_shown :]
        self.kept.sort(key=lambda f: f.order)

    def _more_not_shown(self, hidden: int) -> Diagnostic:
        parts = [
            f"{n:,} {name}{'s' if n != 1 else ''}"
            for n, name in (
                (self.hidden[Severity.ERROR], "error"),
                (self.hidden[Severity.WARNING], "warning"),
                (self.hidden[Severity.INFO], "note"),
            )
            if n
        ]
        return codes.MORE_NOT_SHOWN.at(
            f"{hidden:,} more {'problem' if hidden == 1 else 'problems'} in {self.shown} not "
            f"shown ({', '.join(parts)}); "
            f"the limit is {self.max_shown:,} per file",
            hint="raise it with --max-errors N or `checks: max_errors:`; the summary counts "
            "them all",
            spec=self.where,
            data=DataLocation(self.shown),
        )
