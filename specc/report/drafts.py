"""What `specc init` says of the spec it just wrote."""

from __future__ import annotations

from pathlib import Path

from specc.diagnostics import Result
from specc.report.shared import plural


def lint_verdict(spec: Path, result: Result) -> str:
    """Whether the spec lints clean, and if not how much is left and where to see it."""
    if result.errors or result.warnings:
        return (
            f"{spec} does not lint clean yet ({plural(result.errors, 'error')}, "
            f"{plural(result.warnings, 'warning')}): run `specc lint {spec}` for the details"
        )
    return f"{spec} lints clean"
