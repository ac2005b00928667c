"""`specc fix SPEC -o DIR [--force]`: a corrected copy of the spec's data files and the spec.

Options -> specc.fix.fix_spec -> the changes (text: per file, column and rule, a few examples;
JSON: every change) and what `check` still reports of the copy -> exit code: 0 when the copy
checks without errors, 1 when errors are left, 2 when there is nothing to fix into (a folder
holding a source, files it would replace without --force, an unreadable source).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

import click

from specc.cli.common import (
    SPEC_PATH,
    apply_strict,
    data_root_option,
    debug_option,
    default_format,
    existing_specs,
    handle_errors,
    library_options,
    show_report,
    strict_option,
    var_option,
)
from specc.cli.hubspot_commands import echo_out

if TYPE_CHECKING:
    from specc.fix import Change

DOCUMENT_VERSION = 1
FIX_FORMATS = ("text", "json", "github")
EXAMPLES = 3


def register(group: click.Group) -> None:
    group.add_command(fix_command)


@click.command("fix")
@click.argument("spec", type=SPEC_PATH)
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    metavar="DIR",
    type=click.Path(path_type=Path),
    help="The folder for the fixed copies (never one holding a source file).",
)
@click.option("--force", is_flag=True, help="Replace files already in DIR.")
@click.option(
    "--format",
    "format_name",
    type=click.Choice(FIX_FORMATS),
    default=None,
    help="Output format [default: github under GitHub Actions, else text].",
)
@strict_option
@debug_option
@var_option
@data_root_option
@handle_errors
def fix_command(
    spec: Path,
    out_dir: Path,
    force: bool,
    format_name: str | None,
    strict: bool,
    debug: bool,
    variables: dict[str, str],
    data_roots: tuple[Path, ...],
) -> int:
    """Write into DIR a corrected copy of SPEC's data files and of SPEC.

    Rewrites only values `check` reports that have exactly one meaning (dates in another
    order or ISO form, 1,200.50 and $300, boolean spellings, options by case or label,
    checkbox lists with commas, URLs in domain properties, stray spaces; files not UTF-8 or
    not comma-separated), lists every change, and reports what is left as `check` would.
    Exits 0 when the copy checks without errors, 1 when errors are left.
    """
    (path,) = existing_specs([spec])
    from specc.fix import fix_spec

    fixed = fix_spec(path, out_dir, library_options(variables, data_roots), force=force)
    left = apply_strict(fixed.left, strict)
    name = format_name or default_format()
    if name == "json":
        document = {
            "version": DOCUMENT_VERSION,
            "changes": [c.to_json() for c in fixed.changes],
            "left": [d.to_json() for d in left.diagnostics],
        }
        echo_out(json.dumps(document, indent=2, ensure_ascii=False))
        return left.exit_code()
    if fixed.spec_copy is not None:  # else the spec did not load: nothing was written
        echo_out("\n".join(summary_lines(fixed.changes, fixed.spec_copy)))
    if left.diagnostics:
        show_report(left, name, rows=True)
    return left.exit_code()


def summary_lines(changes: list[Change], spec_copy: Path | None) -> list[str]:
    """Per file, column and rule: how many cells changed, with a few examples."""
    from specc.diff import one_line

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
    return lines
