"""Commands that tell rather than check: schema and explain."""

from __future__ import annotations

from pathlib import Path

import click

from specc.cli.common import command, echo_pieces, output_option
from specc.errors import UsageError
from specc.schemas import SCHEMA_NAMES


@command(
    "schema",
    click.argument("name", type=click.Choice(SCHEMA_NAMES), default="spec", required=False),
    output_option("Write the schema to FILE instead of stdout (e.g. for an editor)."),
)
def schema_command(name: str, output: Path | None) -> int:
    """Print a bundled JSON Schema: spec (default), request, diagnostics or catalog."""
    from specc.schemas import schema_text

    text = schema_text(name)
    # On stdout the schema ends its line, as every command's output does.
    echo_pieces([text if output or text.endswith("\n") else text + "\n"], output)
    return 0


@command(
    "explain",
    click.argument("code", required=False),
    click.option("--list", "list_codes", is_flag=True, help="List every code with its title."),
)
def explain_command(code: str | None, list_codes: bool) -> int:
    """Say what a diagnostic CODE means and how to fix it (or --list them all)."""
    from specc.codes import all_codes
    from specc.report.explain import list_of_codes
    from specc.report.explanation import explanation

    if list_codes:
        if code is not None:
            raise UsageError("give a CODE or --list, not both")
        click.echo(list_of_codes(all_codes()))
        return 0
    if code is None:
        raise UsageError(
            "which code? e.g. `specc explain SPC401`",
            hint="`specc explain --list` lists every code",
        )
    click.echo(explanation(code))
    return 0


COMMANDS = (
    schema_command,
    explain_command,
)  # what specc.cli adds to the `specc` group
