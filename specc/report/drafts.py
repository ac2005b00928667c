"""What `specc init` says of the spec it just wrote."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from specc.diagnostics import Result
from specc.report.shared import plural
from specc.report.text import visible


def draft_written(target: Path | None, undecided: Iterable[str]) -> str:
    """Where the spec went (None: stdout, said by nothing) and what is left to decide in it,
    a line each; "" when there is nothing to say."""
    lines = [] if target is None else [f"wrote {visible(target)}"]
    lines.extend(f"  to decide: {visible(item)}" for item in undecided)
    return "\n".join(lines)


def lint_verdict(spec: Path, result: Result) -> str:
    """Whether the spec lints clean, and if not how much is left and where to see it."""
    if result.errors or result.warnings:
        return (
            f"{spec} does not lint clean yet ({plural(result.errors, 'error')}, "
            f"{plural(result.warnings, 'warning')}): run `specc lint {spec}` for the details"
        )
    return f"{spec} lints clean"
