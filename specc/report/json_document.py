"""The machine format: one JSON document, as the CLI contract shows (`specc schema diagnostics`)."""

from __future__ import annotations

import json
from typing import Any

from specc.diagnostics import Result
from specc.report.options import ReportOptions

DOCUMENT_VERSION = 1


def document(result: Result) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "errors": result.errors,
        "warnings": result.warnings,
        "files": result.files,
        "rows_checked": result.rows_checked,
    }
    if result.errors_by_type:
        summary["errors_by_type"] = dict(sorted(result.errors_by_type.items()))
    return {
        "version": DOCUMENT_VERSION,
        "ok": result.ok(),
        "summary": summary,
        "diagnostics": [d.to_json() for d in result.sorted()],
    }


def render_json(result: Result, options: ReportOptions) -> str:
    return json.dumps(document(result), indent=2, ensure_ascii=False) + "\n"
