"""`specc fix` in words: the changes per file, column and rule with a few examples, or the
JSON document `{"version": 1, "changes": [...], "left": [diagnostics]}`.

A run may change a million cells: the summary reads only the per-group counts and examples
the `ChangeLog` keeps, and the JSON document is written a change at a time
(`fix_document_parts`), each in the layout `json.dumps(..., indent=2)` gives. Like every
report, the text reaches the user through the CLI's scrubbed stdout (specc.secrets); file
and column names are shown `visible` (specc.report.text), values on one line (`one_line`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from json.encoder import encode_basestring  # the C implementation
from pathlib import Path
from typing import TYPE_CHECKING

from specc.diagnostics import Result
from specc.diff import one_line
from specc.report import ReportOptions, report_pieces
from specc.report.json_text import indented
from specc.report.text import visible

if TYPE_CHECKING:
    from specc.fix import Change, ChangeLog

DOCUMENT_VERSION = 1
PART_CHANGES = 4096  # changes per piece of the JSON document


def fix_report_pieces(
    changes: ChangeLog,
    spec_copy: Path | None,
    left: Result,
    format_name: str,
    options: ReportOptions,
) -> Iterator[str]:
    """`specc fix` on stdout, in pieces: the JSON document (every change, then what `check`
    reports of the copy), or the changes' summary and then `check`'s report of the copy in
    the other formats. No summary when the spec did not load (`spec_copy` None): nothing was
    written."""
    if format_name == "json":
        yield from fix_document_parts(changes, left)
        yield "\n"
        return
    if spec_copy is not None:
        yield fix_summary(changes, spec_copy) + "\n"
    if left.diagnostics:
        yield from report_pieces(left, format_name, replace(options, rows=True))


def fix_document_parts(changes: Iterable[Change], left: Result) -> Iterator[str]:
    """The JSON document in pieces of a few thousand changes (joined, it is the text
    `json.dumps(document, indent=2, ensure_ascii=False)` gives)."""
    head = f'{{\n  "version": {DOCUMENT_VERSION},\n  "changes": ['
    pieces: list[str] = [head]
    count = 0
    for change in changes:
        pieces.append(("\n    " if count == 0 else ",\n    ") + _change_json(change))
        count += 1
        if len(pieces) >= PART_CHANGES:
            yield "".join(pieces)
            pieces = []
    pieces.append("\n  ]," if count else "],")
    pieces.append('\n  "left": ' + indented([d.to_json() for d in left.diagnostics], 1) + "\n}")
    yield "".join(pieces)


def _change_json(change: Change) -> str:
    """`indented(change.to_json(), 2)`, written out: a million changes are listed."""
    line = "null" if change.line is None else str(change.line)
    column = "null" if change.column is None else encode_basestring(change.column)
    return (
        f'{{\n      "file": {encode_basestring(change.file)},\n      "line": {line},\n'
        f'      "column": {column},\n      "before": {encode_basestring(change.before)},\n'
        f'      "after": {encode_basestring(change.after)},\n'
        f'      "rule": {encode_basestring(change.rule)}\n    }}'
    )


def fix_document(changes: Iterable[Change], left: Result) -> str:
    return "".join(fix_document_parts(changes, left))


def fix_summary(changes: ChangeLog, spec_copy: Path | None) -> str:
    """Per file, column and rule: how many cells changed, with a few examples; then the count."""
    lines = []
    for group in changes.groups.values():
        if group.column is None:
            for c in group.examples:
                before, after = one_line(c.before), one_line(c.after)
                lines.append(f"{visible(c.file)}: {c.rule}: {before} -> {after}")
            continue
        shown = ", ".join(
            f"line {c.line}: {json.dumps(c.before, ensure_ascii=False)} -> "
            f"{json.dumps(c.after, ensure_ascii=False)}"
            for c in group.examples
        )
        extra = group.count - len(group.examples)
        more = f" and {extra:,} more" if extra > 0 else ""
        cells = f"{group.count:,} cell{'s' if group.count != 1 else ''}"
        place = f"{visible(group.file)}: {visible(group.column)}"
        lines.append(f"{place}: {group.rule}: {cells} ({one_line(shown)}{more})")
    count = len(changes)
    where = f" into {visible(spec_copy.parent)}" if spec_copy is not None else ""
    lines.append(f"fixed {count:,} value{'s' if count != 1 else ''}{where}")
    return "\n".join(lines)
