"""`specc fix` in words: the changes per file, column and rule with a few examples, or the
JSON document `{"version": 1, "changes": [...], "left": [diagnostics]}`."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from specc.diagnostics import Result
from specc.diff import one_line
from specc.report.json_text import indented

if TYPE_CHECKING:
    from specc.fix import Change

DOCUMENT_VERSION = 1
EXAMPLES = 3  # changed cells quoted per file, column and rule


def fix_document(changes: Sequence[Change], left: Result) -> str:
    document = {
        "version": DOCUMENT_VERSION,
        "changes": [c.to_json() for c in changes],
        "left": [d.to_json() for d in left.diagnostics],
    }
    return indented(document)


def fix_summary(changes: Sequence[Change], spec_copy: Path | None) -> str:
    """Per file, column and rule: how many cells changed, with a few examples; then the count."""
    groups: dict[tuple[str, str, str], list[Change]] = defaultdict(list)
    for change in changes:
        groups[(change.file, change.column or "", change.rule)].append(change)
    lines = []
    for (file, column, rule), found in groups.items():
        if not column:
            for c in found:
                lines.append(f"{file}: {rule}: {one_line(c.before)} -> {one_line(c.after)}")
            continue
        shown = ", ".join(
            f"line {c.line}: {json.dumps(c.before, ensure_ascii=False)} -> "
            f"{json.dumps(c.after, ensure_ascii=False)}"
            for c in found[:EXAMPLES]
        )
        more = f" and {len(found) - EXAMPLES} more" if len(found) > EXAMPLES else ""
        cells = f"{len(found)} cell{'s' if len(found) != 1 else ''}"
        lines.append(f"{file}: {column}: {rule}: {cells} ({one_line(shown)}{more})")
    count = len(changes)
    where = f" into {spec_copy.parent}" if spec_copy is not None else ""
    lines.append(f"fixed {count} value{'s' if count != 1 else ''}{where}")
    return "\n".join(lines)
