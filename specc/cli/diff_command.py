"""`specc diff SPEC (--against FILE | --against-import ID)`: what the spec changes in the request.

Options -> the baseline request (a saved file, or a past import's `importRequestJson`) -> the
spec's compiled request -> specc.diff -> one line per change (or a JSON document, both
from specc.report.diff) -> exit code:
0 the same request as HubSpot reads it (a new name alone is minor), 1 different (or errors in
the spec or the saved request), 2 nothing to compare with.
"""

from __future__ import annotations

from pathlib import Path

import click

from specc.cli.common import EventPrinter, SpecArgs, spec_command
from specc.errors import UsageError

DIFF_FORMATS = ("text", "json", "github")


@spec_command(
    "diff",
    click.option(
        "--against",
        "against_file",
        metavar="FILE",
        type=click.Path(path_type=Path),
        help="A saved importRequest JSON (as `specc compile -o FILE` writes it).",
    ),
    click.option(
        "--against-import",
        "against_import",
        metavar="ID",
        help="A past import, by id: its importRequestJson (needs HUBSPOT_ACCESS_TOKEN).",
    ),
    formats=DIFF_FORMATS,
    connection="last",
)
def diff_command(args: SpecArgs, against_file: Path | None, against_import: str | None) -> int:
    """What SPEC changes in the importRequest, against a saved one or a past import's.

    Compares the requests as HubSpot reads them and lists the changes in the spec's terms.
    Exits 0 when they are the same request (a new import name alone is minor), 1 when they
    differ or the spec has errors, 2 when there is nothing to compare with.
    """
    if (against_file is None) == (against_import is None):
        raise UsageError(
            "give one of --against FILE or --against-import ID",
            hint="--against compares with a saved request, --against-import with a past import",
        )
    path = args.path
    from specc.diff import baseline_for, diff_spec
    from specc.report.diff import render_diff

    baseline = baseline_for(against_file, against_import, args.account, EventPrinter())
    compared = diff_spec(path, args.options(), baseline, strict=args.strict)
    # As `compile` does: stdout keeps only the comparison.
    args.report(compared.result, err=True)
    if compared.located is not None:
        click.echo(render_diff(compared, baseline.against, args.format))
    return compared.exit_code


COMMANDS = (diff_command,)  # what specc.cli adds to the `specc` group
