"""`specc diff` in words: one line per change at its spec line, a summary line, or a document.

    imports/leads.yaml:5:3: ~ operation of contacts CREATE -> UPSERT
    1 change against import 71000001

Under GitHub Actions each located change is a `::notice` on its spec line. specc.diff already
writes names and values on one line (`one_line`); the spec file's name, which a change line
does not hold, passes `visible` (specc.report.text) here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from specc.diagnostics import SpecLocation
from specc.diff import Change, change_line, one_line
from specc.report.github import escape_data, escape_property
from specc.report.json_text import indented
from specc.report.text import visible

if TYPE_CHECKING:
    from specc.diff import SpecDiff

DOCUMENT_VERSION = 1
Located = tuple[Change, SpecLocation | None]


def render_diff(compared: SpecDiff, against: Mapping[str, Any], format_name: str) -> str:
    """`specc diff`'s output in `format_name` (json, text or github): the changes of
    `compared` at their places in the spec (its names, whether the requests are the same)
    against the baseline."""
    located = compared.located or []  # none when the spec has errors (nothing rendered)
    if format_name == "json":
        return render_diff_json(located, compared.same, against)
    return render_diff_text(located, compared.names, against, github=format_name == "github")


def render_diff_text(
    located: Sequence[Located],
    names: Mapping[str, str],
    against: Mapping[str, Any],
    *,
    github: bool,
) -> str:
    """The changes, one line each (a notice each under GitHub), then the summary line."""
    lines = [_line(change, where, names, github=github) for change, where in located]
    lines.append(summary_line([change for change, _ in located], against))
    return "\n".join(lines)


def render_diff_json(located: Sequence[Located], same: bool, against: Mapping[str, Any]) -> str:
    document = {
        "version": DOCUMENT_VERSION,
        "same": same,
        "against": dict(against),
        "changes": [change.to_json(where) for change, where in located],
    }
    return indented(document)


def _line(
    change: Change, where: SpecLocation | None, names: Mapping[str, str], *, github: bool
) -> str:
    text = change_line(change, names)
    if where is None:
        return text  # starts with + - or ~: never read as a workflow command
    if github:
        props = ",".join(
            f"{key}={escape_property(value)}"
            for key, value in (
                ("file", where.file),
                ("line", str(where.line)),
                ("col", str(where.column)),
                ("title", "specc diff"),
            )
        )
        return f"::notice {props}::{escape_data(text)}"
    return f"{visible(where.file)}:{where.line}:{where.column}: {text}"


def summary_line(changes: Sequence[Change], against: Mapping[str, Any]) -> str:
    what = one_line(f"import {against['import']}" if "import" in against else against["file"])
    major = sum(1 for c in changes if not c.minor)
    minor = len(changes) - major
    if not changes:
        return f"the same request as {what}, as HubSpot reads it"
    if not major:
        return f"the same request as {what}, as HubSpot reads it, apart from names (minor)"
    counted = f"{major} change{'s' if major != 1 else ''}"
    if minor:
        counted += f" (and {minor} minor)"
    return f"{counted} against {what}"
