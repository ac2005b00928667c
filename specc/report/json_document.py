"""The machine format: one JSON document, as the CLI contract shows (`specc schema diagnostics`).

    {"version": 1, "ok": ..., "summary": {...}, "diagnostics": [...], "import": {...}}

Commands add members after `diagnostics` (ReportOptions.members): `import` for `specc import`
and `specc errors`, `plan` for `specc plan`.
The document is written a diagnostic at a time (`iter_json`), indented as
`json.dumps(document, indent=2, ensure_ascii=False)` would indent it, so a report of 100,000
findings never exists as one dict or one string (see specc.report.json_text).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specc.diagnostics import Result
from specc.report.json_text import INDENT, indented
from specc.report.options import ReportOptions

DOCUMENT_VERSION = 1


def summary(result: Result) -> dict[str, Any]:
    counts: dict[str, Any] = {
        "errors": result.errors,
        "warnings": result.warnings,
        "files": result.files,
        "rows_checked": result.rows_checked,
    }
    if result.errors_by_type:
        counts["errors_by_type"] = dict(sorted(result.errors_by_type.items()))
    return counts


def iter_json(result: Result, options: ReportOptions) -> Iterator[str]:
    """The document in pieces: its head, each diagnostic, its tail; joined, the document."""
    head = {"version": DOCUMENT_VERSION, "ok": result.ok(), "summary": summary(result)}
    yield indented(head)[:-2] + f',\n{INDENT}"diagnostics": '  # the head without its "\n}"
    diagnostics = result.sorted()
    if not diagnostics:
        yield "[]"
    else:
        between = "[\n" + INDENT * 2
        for diagnostic in diagnostics:
            yield between + indented(diagnostic.to_json(), 2)
            between = ",\n" + INDENT * 2
        yield "\n" + INDENT + "]"
    for name, value in options.members.items():
        yield f",\n{INDENT}{indented(name)}: " + indented(value, 1)
    yield "\n}\n"


def render_json(result: Result, options: ReportOptions) -> str:
    return "".join(iter_json(result, options))
