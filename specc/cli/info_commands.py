"""Commands that tell rather than check: schema and explain."""

from __future__ import annotations

import re
from pathlib import Path

import click

from specc.cli.common import debug_option, handle_errors, output_option, write_atomic
from specc.errors import InputError, UsageError

SCHEMA_CHOICES = ("spec", "request", "diagnostics", "catalog")


def register(cli: click.Group) -> None:
    cli.add_command(schema_command)
    cli.add_command(explain_command)


@click.command("schema")
@click.argument("name", type=click.Choice(SCHEMA_CHOICES), default="spec", required=False)
@output_option("Write the schema to FILE instead of stdout (e.g. for an editor).")
@debug_option
@handle_errors
def schema_command(name: str, output: Path | None, debug: bool) -> int:
    """Print a bundled JSON Schema: spec (default), request, diagnostics or catalog."""
    from specc.schemas import schema_text

    try:
        text = schema_text(name)
    except FileNotFoundError as exc:
        raise InputError(f"the bundled {name} schema is missing from this installation") from exc
    if output is not None:
        write_atomic(output, text)
    else:
        click.echo(text, nl=not text.endswith("\n"))
    return 0


@click.command("explain")
@click.argument("code", required=False)
@click.option("--list", "list_codes", is_flag=True, help="List every code with its title.")
@debug_option
@handle_errors
def explain_command(code: str | None, list_codes: bool, debug: bool) -> int:
    """Say what a diagnostic CODE means and how to fix it (or --list them all)."""
    import difflib
    import inspect

    from specc.codes import all_codes, lookup

    if list_codes:
        if code is not None:
            raise UsageError("give a CODE or --list, not both")
        for listed in all_codes():
            click.echo(f"{listed.code}  {listed.severity.value:<7}  {listed.title}")
        return 0
    if code is None:
        raise UsageError(
            "which code? e.g. `specc explain SPC401`",
            hint="`specc explain --list` lists every code",
        )
    wanted = normalize_code(code)
    entry = lookup(wanted)
    hubspot_name = re.fullmatch(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+", wanted)
    if entry is None and hubspot_name and explain_hubspot_error(wanted):
        return 0
    if entry is None:
        known = [c.code for c in all_codes()]
        close = difflib.get_close_matches(wanted, known, n=3, cutoff=0.6)
        hint = (
            f"did you mean {' or '.join(close)}?"
            if close
            else "`specc explain --list` lists every code"
        )
        raise UsageError(f"unknown code {code!r}", hint=hint)
    click.echo(f"{entry.code}: {entry.title}")
    click.echo(f"severity: {entry.severity.value}")
    if entry.relays_hubspot_error:
        hubspot_error = "the errorType HubSpot reported (each diagnostic names its own)"
    else:
        hubspot_error = entry.hubspot_error or "none (HubSpot has no such error)"
    click.echo(f"HubSpot error: {hubspot_error}")
    click.echo()
    click.echo(inspect.cleandoc(entry.explanation))
    return 0


def explain_hubspot_error(name: str) -> bool:
    """`specc explain INVALID_EMAIL`: a HubSpot row error type and the codes that predict it
    before an import; False when HubSpot has no error of that name and no code predicts one."""
    from specc.codes import all_codes
    from specc.hubspot.row_errors import error_meanings

    predicting = [c for c in all_codes() if c.hubspot_error == name]
    meaning = error_meanings().get(name)
    if not predicting and meaning is None:
        return False
    click.echo(f"{name}: an error HubSpot reports for an import's rows or files")
    if meaning:
        click.echo(f"meaning: {meaning}")
    click.echo()
    if predicting:
        click.echo("specc predicts it before the import with:")
        for c in predicting:
            click.echo(f"  {c.code}  {c.severity.value:<7}  {c.title}")
        click.echo()
        which = "each" if len(predicting) > 1 else "it"
        click.echo(
            f"`specc explain {predicting[0].code}` says what {which} means and how to fix it."
        )
    else:
        click.echo(
            "No check of specc predicts it; after an import `specc import --wait` and "
            "`specc errors` report it as SPC520 (a row) or SPC521 (a file)."
        )
    return True


def normalize_code(text: str) -> str:
    """`spc401`, ` SPC401 ` and `401` all mean SPC401."""
    text = text.strip().upper()
    if re.fullmatch(r"\d{3}", text):
        return f"SPC{text}"
    return text
