"""`specc fix` in words: the changes per file, column and rule with a few examples, or the
JSON document `{"version": 1, "changes": [...], "left": [diagnostics]}`.

A run may change a million cells: the summary reads only the per-group counts and examples
the `ChangeLog` keeps, and the JSON document is written a change at a time
(`fix_document_parts`), each in the layout `json.dumps(..., indent=2)` gives. Like every
report, the text reaches the user through the CLI's scrubbed stdout (specc.secrets).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring  # the C implementation
from pathlib import Path
from typing import TYPE_CHECKING

from specc.diagnostics import Result
from specc.diff import one_line
from specc.report.json_text import indented

if TYPE_CHECKING:
    from specc.fix import Change, ChangeLog

DOCUMENT_VERSION = 1
PART_CHANGES = 4096  # changes per piece of the JSON document


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
                lines.append(f"{c.file}: {c.rule}: {one_line(c.before)} -> {one_line(c.after)}")
            continue
        shown = ", ".join(
            f"line {c.line}: {json.dumps(c.before, ensure_ascii=False)} -> "
            f"{json.dumps(c.after, ensure_ascii=False)}"
            for c in group.examples
        )
        extra = group.count - len(group.examples)
        more = f" and {extra:,} more" if extra > 0 else ""
        cells = f"{group.count:,} cell{'s' if group.count != 1 else ''}"
        lines.append(
            f"{group.file}: {group.column}: {group.rule}: {cells} ({one_line(shown)}{more})"
        )
    count = len(changes)
    where = f" into {spec_copy.parent}" if spec_copy is not None else ""
    lines.append(f"fixed {count:,} value{'s' if count != 1 else ''}{where}")
    return "\n".join(lines)
