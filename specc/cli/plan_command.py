"""`specc plan SPEC`: what an import of SPEC would do to the account's records, before it runs.

Options -> lint (errors: the report, exit 1, nothing read from the account) -> specc.plan
against the account (the CRM objects' batch reads; a progress bar on a terminal) -> the report
of the failing rows, then per file how many records the import creates and updates and how many
rows fail -> exit 0 when no row would fail, 1 when some would (or the spec has errors), 2 when
specc cannot ask (no token, network down).
"""

from __future__ import annotations

import click

from specc.cli.common import EventPrinter, SpecArgs, spec_command

PLAN_FORMATS = ("text", "json", "github", "sarif")


@spec_command(
    "plan",
    click.option(
        "--sample",
        type=click.IntRange(min=1),
        metavar="N",
        help="Look up only N rows of each file, picked at random, and scale the counts: an "
        "estimate.",
    ),
    click.option(
        "--max-errors",
        type=click.IntRange(min=1),
        metavar="N",
        help="Show at most N failing rows per data file (default 1,000); the counts include all.",
    ),
    formats=PLAN_FORMATS,
    connection="last",
)
def plan_command(args: SpecArgs, sample: int | None, max_errors: int | None) -> int:
    """What importing SPEC would do to the account's records: creates, updates, failing rows.

    Lints SPEC, then reads the account's records for each data file's identifiers (record ids,
    emails, domains, unique properties) and association targets with the CRM objects API's
    batch reads (100 values a call, within HubSpot's burst limit), and reports each row that
    would fail (CREATE_ONLY_IMPORT, UPDATE_ONLY_IMPORT, UNKNOWN_ASSOCIATION_RECORD_ID,
    DUPLICATE_UNIQUE_PROPERTY_VALUE, ...) at its line. Needs HUBSPOT_ACCESS_TOKEN with read
    access to the objects. Rows are not checked cell by cell: `specc check` does that.
    Exits 0 when no row would fail, 1 when some would.
    """
    path = args.path
    args.account.connection.require_token()
    from specc.hubspot.workflow import plan_file
    from specc.report.plan import plan_text
    from specc.report.progress import lookup_bar

    options = args.options(max_errors=max_errors)
    bar = lookup_bar(args.shows_progress)  # drawn only while the lookups run
    planned = plan_file(
        path, options, args.account, EventPrinter(), bar, strict=args.strict, sample=sample
    )
    args.report(planned.result, members=planned.members)  # the plan in the JSON document
    if planned.plan is None:  # the spec has errors: nothing was looked up
        return 1
    if args.format != "json":
        # SARIF is one JSON document on stdout: the plan's lines go beside it, on stderr.
        text = plan_text(planned.plan, args.account.connection.base_url)
        click.echo(text, err=args.format == "sarif")
    return planned.result.exit_code(args.strict)


COMMANDS = (plan_command,)  # what specc.cli adds to the `specc` group
