"""The page format: one self-contained HTML page of a `lint` or `check` run.

The page holds the summary, the findings counted by data column and by HubSpot error type
(tables with bars), the row findings grouped by data file, then column, then error type, each
group a <details>, and the spec and file problems with the spec line they point at.

Everything in it that comes from a spec or a data file is text escaped by Jinja's autoescape:
a value is data, never markup. The page loads nothing: its styles and its one script are
inline, and its Content-Security-Policy forbids every other source, so even markup that
slipped through could neither run nor reach the network. The script (open or close every
group) is allowed by its hash, not by 'unsafe-inline'.

A page of 100,000 findings must open in seconds, so the DOM stays light: no element per row
beyond its table cells, no script per row; large groups start closed and are cut into chunks
of CHUNK_ROWS rows, each its own closed <details>, because a browser lays out nothing inside
a closed <details>.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from specc.diagnostics import Diagnostic, Result, Severity, shorten
from specc.report.options import ReportOptions
from specc.report.shared import full_message, plural, primary_place, summary_line
from specc.report.text import _SourceIndex

MORE_NOT_SHOWN_CODE = "SPC480"  # codes.MORE_NOT_SHOWN: shown in the summary, not as a finding
# A group of findings starts open when it has at most this many rows, while fewer than
# OPEN_ROWS_BUDGET rows are open in all: the first screens show findings, the page stays light.
OPEN_GROUP_LIMIT = 50
OPEN_ROWS_BUDGET = 500
# Rows of one group per <details> chunk: opening a chunk lays out this many rows, not 100,000.
CHUNK_ROWS = 500
# Source lines longer than this are shown as a window around the column pointed at.
SOURCE_WINDOW = 160

# Opens or closes every group (not the chunks of a large group: opening all of those at once
# would lay out every row). Kept byte for byte as the CSP hash below was taken of it.
SCRIPT = """
for (const button of document.querySelectorAll("button[data-open]")) {
  button.hidden = false;
  button.addEventListener("click", () => {
    const open = button.dataset.open === "1";
    for (const group of document.querySelectorAll("details.group")) group.open = open;
  });
}
"""
SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'unsafe-inline'; script-src '{SCRIPT_HASH}'; "
    "img-src 'none'; base-uri 'none'; form-action 'none'"
)

_SPECC_CODE = re.compile(r"SPC\d+")
# What a spec column points at is a key or a scalar: marked up to the next YAML/TOML delimiter.
_WORD = re.compile(r"[^\s,:{}\[\]=#]+")


class Row(NamedTuple):
    """One finding in a data row, as its group's table shows it."""

    line: int | None
    row: int | None
    value: str | None
    message: str
    hint: str | None  # only when it differs from the group's hint


@dataclass
class Chunk:
    first_line: int | None
    last_line: int | None
    rows: list[Row]


@dataclass
class TypeGroup:
    """The findings of one column with one HubSpot error type, code and severity."""

    error_type: str
    code: str
    severity: str
    hint: str | None
    rows: list[Row]
    chunks: list[Chunk]
    open: bool = False

    @property
    def specc_only(self) -> bool:
        return self.error_type == self.code


@dataclass
class ColumnGroup:
    name: str | None
    anchor: str
    count: int
    types: list[TypeGroup]


@dataclass
class FileGroup:
    name: str
    anchor: str
    count: int
    columns: list[ColumnGroup]
    not_shown: list[str] = field(default_factory=list)


@dataclass
class Bar:
    """A line of a count table: its label(s), counts and the bar's widths in percent."""

    labels: tuple[str | None, ...]
    errors: int
    warnings: int
    notes: int
    total: int = 0  # errors in every row, counting those past --max-errors
    anchor: str | None = None  # the group of findings the line stands for
    error_width: float = 0.0
    warning_width: float = 0.0

    @property
    def not_shown(self) -> int:
        return max(0, self.total - self.errors)


@dataclass
class Problem:
    """A finding that is not in a data row: the spec's, or a whole data file's."""

    severity: str
    code: str
    error_type: str | None
    where: str | None
    message: str
    hint: str | None
    source_line: int | None
    source: tuple[str, str, str] | None  # before, at, after the column pointed at
    source_where: str | None  # the spec place, when the problem is shown at a data file


def render_html(result: Result, options: ReportOptions) -> str:
    return _template().render(**page(result, options))


def page(result: Result, options: ReportOptions) -> dict[str, Any]:
    """What the template shows, computed here so that the template only lays it out."""
    from markupsafe import Markup  # Jinja's; imported with it, only when a page is made

    diagnostics = result.sorted()
    rows = [d for d in diagnostics if _in_a_row(d)]
    more = [d for d in diagnostics if _is_more_not_shown(d)]
    others = [d for d in diagnostics if not _in_a_row(d) and not _is_more_not_shown(d)]
    files = _file_groups(rows, more)
    by_column = _by_column(rows)
    anchors = {(f.name, c.name): c.anchor for f in files for c in f.columns}
    for bar in by_column:
        bar.anchor = anchors.get((bar.labels[0] or "", bar.labels[1]))
    by_type = _by_type(diagnostics, result.errors_by_type)
    hidden = sum(bar.not_shown for bar in by_type)
    return {
        "command": "check" if options.rows else "lint",
        "version": options.tool_version,
        "csp": CONTENT_SECURITY_POLICY,
        "script": Markup(SCRIPT),  # a constant of this module; its CSP hash is of this text
        "ok": result.ok(),
        "summary": summary_line(result, rows=options.rows),
        "errors": result.errors,
        "warnings": result.warnings,
        "notes": sum(1 for d in diagnostics if d.severity is Severity.INFO),
        "files": result.files,
        "rows_checked": result.rows_checked if options.rows else None,
        "specs": list(result.sources),
        "hidden": hidden,
        "not_shown": [d.message for d in more],
        "by_column": by_column,
        "by_type": by_type,
        "file_groups": files,
        "findings": len(rows),
        "problems": _problems(others, _SourceIndex(result.sources)),
    }


def _in_a_row(d: Diagnostic) -> bool:
    return d.data is not None and d.data.line is not None


def _is_more_not_shown(d: Diagnostic) -> bool:
    """The note `check` adds to a file past --max-errors (its data names the file)."""
    return d.code == MORE_NOT_SHOWN_CODE and d.data is not None and d.data.line is None


def _type_of(d: Diagnostic) -> str:
    """The key `check` counts errors by: the HubSpot error type, or the code where none."""
    return d.hubspot_error or d.code


# --- findings in rows ----------------------------------------------------------------------


def _file_groups(rows: list[Diagnostic], more: list[Diagnostic]) -> list[FileGroup]:
    by_file: dict[str, dict[str | None, list[Diagnostic]]] = {}
    for d in rows:
        assert d.data is not None
        by_file.setdefault(d.data.file, {}).setdefault(d.data.column, []).append(d)
    for d in more:  # a file whose findings were all cut still gets its group and its note
        assert d.data is not None
        by_file.setdefault(d.data.file, {})
    budget = OPEN_ROWS_BUDGET
    groups = []
    for index, (name, columns) in enumerate(by_file.items()):
        column_groups = []
        ranked = sorted(columns.items(), key=lambda kv: (-len(kv[1]), kv[0] or ""))
        for number, (column, found) in enumerate(ranked, start=1):
            types = _type_groups(found)
            for group in types:
                group.open = len(group.rows) <= OPEN_GROUP_LIMIT and budget > 0
                if group.open:
                    budget -= len(group.rows)
            anchor = f"file-{index + 1}-column-{number}"
            column_groups.append(ColumnGroup(column, anchor, len(found), types))
        notes = [d.message for d in more if d.data is not None and d.data.file == name]
        count = sum(c.count for c in column_groups)
        groups.append(FileGroup(name, f"file-{index + 1}", count, column_groups, notes))
    return groups


def _type_groups(found: list[Diagnostic]) -> list[TypeGroup]:
    by_key: dict[tuple[str, str, str], list[Diagnostic]] = defaultdict(list)
    for d in found:
        by_key[(_type_of(d), d.code, d.severity.value)].append(d)
    groups = []
    for (error_type, code, severity), members in by_key.items():
        hints = Counter(d.hint for d in members)
        common = hints.most_common(1)[0][0]
        # One hint for the group, shown once: a date hint is 300 characters, 100,000 times.
        rows = [_row(d, common) for d in members]
        groups.append(TypeGroup(error_type, code, severity, common, rows, _chunks(rows)))
    groups.sort(key=lambda g: (-len(g.rows), g.error_type, g.code))
    return groups


def _row(d: Diagnostic, common_hint: str | None) -> Row:
    data = d.data
    assert data is not None
    value = None if data.value is None else shorten(data.value)
    return Row(data.line, data.row, value, d.message, None if d.hint == common_hint else d.hint)


def _chunks(rows: list[Row]) -> list[Chunk]:
    if len(rows) <= CHUNK_ROWS:
        return []
    return [
        Chunk(part[0].line, part[-1].line, part)
        for part in (rows[i : i + CHUNK_ROWS] for i in range(0, len(rows), CHUNK_ROWS))
    ]


# --- counts --------------------------------------------------------------------------------


def _by_column(rows: list[Diagnostic]) -> list[Bar]:
    counts: dict[tuple[str, str | None], Counter[Severity]] = defaultdict(Counter)
    for d in rows:
        assert d.data is not None
        counts[(d.data.file, d.data.column)][d.severity] += 1
    bars = [
        Bar(key, c[Severity.ERROR], c[Severity.WARNING], c[Severity.INFO])
        for key, c in counts.items()
    ]
    bars.sort(key=lambda b: (-b.errors, -b.warnings, -b.notes, *(x or "" for x in b.labels)))
    _widths(bars, lambda b: b.errors)
    return bars


def _by_type(diagnostics: Iterable[Diagnostic], errors_by_type: Mapping[str, int]) -> list[Bar]:
    """Shown errors and warnings per type, and errors in all rows (past --max-errors too).

    `errors_by_type` counts the errors of every row (and of the files `check` could not
    read); the spec's own errors are not in it, so they are added from the diagnostics.
    """
    shown: dict[str, Counter[Severity]] = defaultdict(Counter)
    in_rows: Counter[str] = Counter()
    for d in diagnostics:
        if d.code == MORE_NOT_SHOWN_CODE:
            continue
        shown[_type_of(d)][d.severity] += 1
        if d.severity is Severity.ERROR and d.data is not None:
            in_rows[_type_of(d)] += 1
    bars = []
    for key in set(shown) | set(errors_by_type):
        c = shown[key]
        outside_rows = c[Severity.ERROR] - in_rows[key]
        total = outside_rows + max(in_rows[key], errors_by_type.get(key, 0))
        bars.append(Bar((key,), c[Severity.ERROR], c[Severity.WARNING], c[Severity.INFO], total))
    bars.sort(key=lambda b: (-b.total, -b.warnings, -b.notes, b.labels[0] or ""))
    # Past --max-errors, a type's bar is of all its errors, not only of those shown.
    _widths(bars, lambda b: b.total)
    return bars


def _widths(bars: list[Bar], errors: Callable[[Bar], int]) -> None:
    """Bar widths in percent of the longest bar (errors and warnings side by side)."""
    largest = max((errors(b) + b.warnings for b in bars), default=0)
    for bar in bars:
        bar.error_width = round(100 * errors(bar) / largest, 1) if largest else 0.0
        bar.warning_width = round(100 * bar.warnings / largest, 1) if largest else 0.0


# --- problems outside rows -----------------------------------------------------------------


def _problems(diagnostics: list[Diagnostic], sources: _SourceIndex) -> list[Problem]:
    problems = []
    for d in diagnostics:
        place = primary_place(d)
        where = None
        if place is not None:
            where = place.file
            if place.line is not None:
                where += f":{place.line}" + (f":{place.column}" if place.column else "")
        source = None
        source_line = None
        source_where = None
        spec = d.spec
        if spec is not None:
            text = sources.line(spec.file, spec.line)
            if text is not None:
                source = _window(text, spec.column)
                source_line = spec.line
            if place is None or not place.in_spec:
                source_where = f"{spec.file}:{spec.line}:{spec.column}"
        problems.append(
            Problem(
                severity=d.severity.value,
                code=d.code,
                error_type=d.hubspot_error,
                where=where,
                message=full_message(d),
                hint=d.hint,
                source_line=source_line,
                source=source,
                source_where=source_where,
            )
        )
    return problems


def _window(text: str, column: int) -> tuple[str, str, str]:
    """The source line around `column` (1-based), split around the word pointed at."""
    index = max(0, min(column - 1, len(text)))
    lead = tail = ""
    if len(text) > SOURCE_WINDOW:
        start = max(0, min(index - SOURCE_WINDOW // 2, len(text) - SOURCE_WINDOW))
        lead = "…" if start else ""
        tail = "…" if start + SOURCE_WINDOW < len(text) else ""
        text = text[start : start + SOURCE_WINDOW]
        index -= start
    word = _WORD.match(text, index)
    end = word.end() if word else index + 1
    return lead + text[:index], text[index:end], text[end:] + tail


# --- the template --------------------------------------------------------------------------


def _template() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("specc.report", "."),
        autoescape=True,  # every value from a spec or a data file is text, never markup
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["count"] = lambda n: f"{n:,}"
    env.filters["plural"] = plural
    env.tests["specc_code"] = lambda s: bool(_SPECC_CODE.fullmatch(s or ""))
    return env.get_template("html.html.j2")
