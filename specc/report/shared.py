"""What several formats say the same way: where a diagnostic points, its message, the summary."""

from __future__ import annotations

from dataclasses import dataclass

from specc.diagnostics import Diagnostic, Result, Severity
from specc.findings import ranked


@dataclass(frozen=True)
class Place:
    """The location a diagnostic is shown at: a file, and a line and column when known."""

    file: str
    line: int | None
    column: int | None
    in_spec: bool  # the place is in the spec file (so its source line can be shown)


def primary_place(diagnostic: Diagnostic) -> Place | None:
    """A data row when there is one (that is where the fix goes), else the spec node.

    A data diagnostic without a line (a whole file) still prefers the spec node when it has
    one, because a spec line and column say more than a bare data file name.
    """
    data, spec = diagnostic.data, diagnostic.spec
    if data is not None and data.line is not None:
        return Place(data.file, data.line, None, in_spec=False)
    if spec is not None:
        return Place(spec.file, spec.line, spec.column, in_spec=True)
    if data is not None:
        return Place(data.file, None, None, in_spec=False)
    return None


def full_message(diagnostic: Diagnostic) -> str:
    """The message, naming the data column when the message itself does not."""
    data = diagnostic.data
    if data is None or not data.column:
        return diagnostic.message
    quoted = f'"{data.column}"'
    if quoted in diagnostic.message:
        return diagnostic.message
    return f"{diagnostic.message} (column {quoted})"


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def summary_line(result: Result, *, rows: bool) -> str:
    """One line: what was found, in how many specs and data files, and how many rows."""
    found = []
    total = result.error_total
    if total > result.errors:
        found.append(f"{plural(total, 'error')} ({total - result.errors:,} not shown)")
    elif result.errors:
        found.append(plural(result.errors, "error"))
    if result.warnings:
        found.append(plural(result.warnings, "warning"))
    notes = result.count(Severity.INFO)
    if notes:
        found.append(plural(notes, "note"))
    head = ", ".join(found) if found else "no problems"
    scope = [plural(result.files, "data file")]
    if rows:
        noun = "row" if result.rows_checked == 1 else "rows"
        scope.append(f"{result.rows_checked:,} {noun} checked")
    return f"{head} in {plural(len(result.sources), 'spec')} ({', '.join(scope)})"


def errors_by_type_line(result: Result) -> str | None:
    """`check`'s count of row errors per HubSpot error type, most frequent first."""
    if not result.errors_by_type:
        return None
    return "row errors by type: " + ", ".join(
        f"{name} {count:,}" for name, count in ranked(result.errors_by_type)
    )
