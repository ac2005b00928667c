"""`specc fix SPEC -o DIR [--force]`: a corrected copy of the spec's data files and the spec.

Options -> specc.fix.fix_spec -> the changes (specc.report.fixes: per file, column and rule
with a few examples, or every change in JSON) and what `check` still reports of the copy ->
exit code: 0 when the copy checks without errors, 1 when errors are left, 2 when there is
nothing to fix into (a folder holding a source, files it would replace without --force, an
unreadable source).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from specc.cli.common import SpecArgs, echo_pieces, spec_command

FIX_FORMATS = ("text", "json", "github")


@spec_command(
    "fix",
    click.option(
        "-o",
        "--output",
        "out_dir",
        required=True,
        metavar="DIR",
        type=click.Path(path_type=Path),
        help="The folder for the fixed copies (never one holding a source file).",
    ),
    click.option("--force", is_flag=True, help="Replace files already in DIR."),
    formats=FIX_FORMATS,
)
def fix_command(args: SpecArgs, out_dir: Path, force: bool) -> int:
    """Write into DIR a corrected copy of SPEC's data files and of SPEC.

    Rewrites only values `check` reports that have exactly one meaning (dates in another
    order or ISO form, 1,200.50 and $300, boolean spellings, options by case or label,
    checkbox lists with commas, URLs in domain properties, stray spaces; files not UTF-8 or
    not comma-separated), lists every change, and reports what is left as `check` would.
    Exits 0 when the copy checks without errors, 1 when errors are left.
    """
    from specc.fix import fix_spec
    from specc.report.fixes import fix_report_pieces
    from specc.report.options import ReportOptions

    with fix_spec(args.path, out_dir, args.options(), force=force) as fixed:
        left = fixed.left.strict_view(args.strict)
        shown = ReportOptions.shown_on(sys.stdout, args.format)
        # Every change is listed in JSON: a piece at a time, never the whole text at once.
        pieces = fix_report_pieces(fixed.changes, fixed.spec_copy, left, args.format, shown)
        echo_pieces(pieces, color=shown.color)
    return left.exit_code()


COMMANDS = (fix_command,)  # what specc.cli adds to the `specc` group
