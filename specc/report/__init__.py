"""Reporters: a Result rendered as text, json, github annotations or SARIF.

Each reporter is a pure function `(Result, ReportOptions) -> str`; none of them prints. The CLI
picks one from `REPORTER_BY_NAME` by the `--format` name and writes what it returns.
"""

from __future__ import annotations

from collections.abc import Callable

from specc.diagnostics import Result
from specc.report.github import render_github
from specc.report.html import render_html
from specc.report.json_document import render_json
from specc.report.options import ReportOptions
from specc.report.sarif import render_sarif
from specc.report.text import render_text

Reporter = Callable[[Result, ReportOptions], str]

REPORTER_BY_NAME: dict[str, Reporter] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
    "html": render_html,  # lint and check (cli-contract.md, "Output")
}

__all__ = ["REPORTER_BY_NAME", "ReportOptions", "Reporter", "render"]


def render(result: Result, format_name: str, options: ReportOptions | None = None) -> str:
    """The report of `result` in the named format (a key of REPORTER_BY_NAME)."""
    return REPORTER_BY_NAME[format_name](result, options or ReportOptions())
