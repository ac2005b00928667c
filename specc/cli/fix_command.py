"""`specc fix SPEC -o DIR [--force]`: a corrected copy of the spec's data files and the spec.

Options -> specc.fix.fix_spec -> the changes (specc.report.fixes: per file, column and rule
with a few examples, or every change in JSON) and what `check` still reports of the copy ->
exit code: 0 when the copy checks without errors, 1 when errors are left, 2 when there is
nothing to fix into (a folder holding a source, files it would replace without --force, an
unreadable source).
"""

from __future__ import annotations

from pathlib import Path

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

FIX_FORMATS = ("text", "json", "github")


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
    from specc.report.fixes import fix_document, fix_summary

    fixed = fix_spec(path, out_dir, library_options(variables, data_roots), force=force)
    left = apply_strict(fixed.left, strict)
    name = format_name or default_format()
    if name == "json":
        echo_out(fix_document(fixed.changes, left))
        return left.exit_code()
    if fixed.spec_copy is not None:  # else the spec did not load: nothing was written
        echo_out(fix_summary(fixed.changes, fixed.spec_copy))
    if left.diagnostics:
        show_report(left, name, rows=True)
    return left.exit_code()
