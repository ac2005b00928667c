"""Reporters: a Result rendered as text, json, github annotations, SARIF, HTML or a fix list.

Each reporter is a pure function `(Result, ReportOptions) -> str`; none of them prints. The CLI
picks one from `REPORTER_BY_NAME` by the `--format` name and writes what `report_pieces`
gives: the report in pieces of some 64 KiB where the format can be written piece by piece
(`STREAMED_BY_NAME`: the JSON document of 100,000 findings), else the report whole.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping

from specc.diagnostics import Result
from specc.report.json_document import iter_json
from specc.report.options import ReportOptions

Reporter = Callable[[Result, ReportOptions], str]


class _Reporters(Mapping[str, Reporter]):
    """Format name -> reporter, each module imported when its format is first asked for: a
    `specc lint` in a pre-commit hook pays for the text reporter, not for the HTML page's."""

    def __init__(self, where: dict[str, tuple[str, str]]) -> None:
        self._where = where

    def __getitem__(self, name: str) -> Reporter:
        module, function = self._where[name]
        reporter: Reporter = getattr(importlib.import_module(module), function)
        return reporter

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


REPORTER_BY_NAME: Mapping[str, Reporter] = _Reporters(
    {
        "text": ("specc.report.text", "render_text"),
        "json": ("specc.report.json_document", "render_json"),
        "github": ("specc.report.github", "render_github"),
        "sarif": ("specc.report.sarif", "render_sarif"),
        "html": ("specc.report.html", "render_html"),  # lint and check (cli-contract.md, "Output")
        "csv": ("specc.report.fix_list", "render_fix_list"),  # `specc errors`: a fix list
    }
)

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
