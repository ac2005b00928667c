"""Reporters: a Result rendered as text, json, github annotations, SARIF, HTML or a fix list.

Each reporter is a pure function `(Result, ReportOptions) -> str`; none of them prints. The CLI
picks one from `REPORTER_BY_NAME` by the `--format` name and writes what `report_pieces`
gives: the report in pieces of some 64 KiB where the format can be written piece by piece
(`STREAMED_BY_NAME`: the JSON document of 100,000 findings), else the report whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from specc.diagnostics import Result
from specc.report.fix_list import render_fix_list
from specc.report.github import render_github
from specc.report.html import render_html
from specc.report.json_document import iter_json, render_json
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
    "csv": render_fix_list,  # `specc errors`: a fix list of row errors
}

# The formats that can be written as they are made, so memory does not grow with the report;
# each piece ends between two findings (a secret is never split between two pieces).
STREAMED_BY_NAME: dict[str, Callable[[Result, ReportOptions], Iterable[str]]] = {
    "json": iter_json,
}
PIECE_SIZE = 1 << 16

__all__ = ["REPORTER_BY_NAME", "ReportOptions", "Reporter", "render", "report_pieces"]


def render(result: Result, format_name: str, options: ReportOptions | None = None) -> str:
    """The report of `result` in the named format (a key of REPORTER_BY_NAME)."""
    return REPORTER_BY_NAME[format_name](result, options or ReportOptions())


def report_pieces(
    result: Result, format_name: str, options: ReportOptions | None = None
) -> Iterator[str]:
    """The report of `result` in pieces that, written one after another, are `render`'s text."""
    options = options or ReportOptions()
    streamed = STREAMED_BY_NAME.get(format_name)
    if streamed is None:
        yield REPORTER_BY_NAME[format_name](result, options)
        return
    held: list[str] = []
    size = 0
    for piece in streamed(result, options):
        held.append(piece)
        size += len(piece)
        if size >= PIECE_SIZE:
            yield "".join(held)
            held, size = [], 0
    if held:
        yield "".join(held)
