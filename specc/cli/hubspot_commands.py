"""The commands that talk to HubSpot (or a server standing in for it), and `emit`.

    emit, import, status, errors, cancel, imports, catalog pull, sandbox

Each is options -> library call (specc.hubspot.workflow and the client) -> render
(specc.report.imports, specc.report.import_run) -> exit code. The library reports progress
through events; this module says where they go (specc.report.progress draws a bar on a
terminal, plain lines on stderr otherwise). httpx and rich are imported only inside the
commands.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from specc.cli.common import (
    SPEC_PATH,
    EventPrinter,
    SpecArgs,
    command,
    connection_options,
    data_root_option,
    echo_pieces,
    format_option,
    library_options,
    output_option,
    print_error,
    show_report,
    spec_command,
    var_option,
)
from specc.errors import UsageError

if TYPE_CHECKING:
    from specc.hubspot.settings import Account

# specc.hubspot.emit.FORMS, named here so that starting a command imports no emitter
# (a test keeps the two the same).
EMIT_FORMS = ("curl", "httpie", "python", "request")


# --- emit ----------------------------------------------------------------------------------


@spec_command(
    "emit",
    click.option(
        "--as",
        "form",
        type=click.Choice(EMIT_FORMS),
        default="curl",
        show_default=True,
        help="curl or httpie command, Python script, or the request itself (token redacted).",
    ),
    output_option("Write to FILE (atomically; scripts are made executable) instead of stdout."),
    connection="first",
)
def emit_command(args: SpecArgs, form: str, output: Path | None) -> int:
    """Print the upload of SPEC as a runnable command or script.

    The token stays a reference to $HUBSPOT_ACCESS_TOKEN, read when the command runs. Data
    file paths are relative to the current directory (absolute when outside it): run the
    command from here. Diagnostics go to stderr; nothing is printed when the spec has errors.
    """
    from specc.hubspot.emit import emit_spec, make_executable

    path = args.path
    emitted = emit_spec(path, args.options(), args.account.connection, form, strict=args.strict)
    args.report(emitted.result, err=True)
    if emitted.text is None:
        return 1
    echo_pieces([emitted.text], output)
    if output is not None and emitted.executable:
        make_executable(output)
    return 0


# --- import --------------------------------------------------------------------------------

FROM_PART_HELP = "Of a file sent in parts, send parts K to the last (an earlier run sent the rest)."


@spec_command(
    "import",
    click.option(
        "--wait", is_flag=True, help="Follow the import to its end and report row errors."
    ),
    click.option("--yes", "-y", is_flag=True, help="Do not ask before uploading."),
    click.option(
        "--no-check",
        is_flag=True,
        help="Do not check the data rows before uploading (the spec is still linted).",
    ),
    click.option(
        "--from-part", "first", type=click.IntRange(min=1), metavar="K", help=FROM_PART_HELP
    ),
    connection="first",
)
def import_command(args: SpecArgs, wait: bool, yes: bool, no_check: bool, first: int | None) -> int:
    """Check SPEC and every data row, then upload it to HubSpot and print the import id.

    Nothing is sent while a row would fail (--no-check skips the rows; the spec is still
    linted). On a terminal it shows the plan and asks first (--yes skips the question; with no
    terminal and no --yes it refuses). --wait polls until the import ends, prints its
    counters and maps every row error back to the data file and the spec. Exit 1 when the
    import fails, is canceled or has row errors.
    """
    path = args.path
    from specc.hubspot.workflow import prepare, send
    from specc.report import import_run
    from specc.report.imports import describe_plan, import_refusal
    from specc.report.messages import EXIT_INTERRUPTED
    from specc.report.options import ReportOptions, is_terminal

    connection = args.account.connection
    connection.require_token()
    if not yes and not is_terminal(sys.stdin):
        raise UsageError(
            "no terminal to ask on before uploading",
            hint="pass --yes to upload without asking (for CI and scripts)",
        )
    options = args.options()
    prepared = prepare(
        path, options, strict=args.strict, lint_first=True, check_rows=not no_check, from_part=first
    )
    if prepared.upload is None:
        result = prepared.result.strict_view(args.strict)
        refusal = import_refusal(result, path, whole=args.format == "json")
        show_report(refusal.shown, args.format, rows=refusal.rows)
        if refusal.message is not None:
            print_error(*refusal.message)
        return 1
    click.echo(describe_plan(prepared.upload, connection.imports_url, prepared.split), err=True)
    if not yes and not click.confirm(import_run.UPLOAD_QUESTION, default=False, err=True):
        click.echo(import_run.NOTHING_SENT, err=True)
        return 1
    json_out = args.format == "json"  # the JSON document names the imports instead
    with EventPrinter(is_terminal(sys.stderr), None if json_out else click.echo) as printer:
        run = send(args.account, prepared, printer, wait=wait, on_started=printer.started)
    if run.interrupted is not None:
        click.echo(import_run.interruption_notice(run, args.path.as_posix()), err=True)
        return EXIT_INTERRUPTED
    result = run.result.strict_view(args.strict)
    shown = ReportOptions.shown_on(sys.stdout, args.format)
    pieces = import_run.import_report_pieces(result, args.format, run, shown)
    echo_pieces(pieces, color=shown.color)
    return run.exit_code(args.strict)


# --- status, errors, cancel, imports -------------------------------------------------------

import_id_argument = click.argument("import_id", metavar="ID")
text_json_option = click.option(
    "--format",
    "format_name",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
)


@command("status", import_id_argument, text_json_option, connection_options)
def status_command(import_id: str, format_name: str, account: Account) -> int:
    """Show an import's state and counters."""
    from specc.report.imports import status_report

    with account.client(EventPrinter()) as client:
        record = client.get_import(import_id)
    click.echo(status_report(record, format_name))
    return 0


@command(
    "errors",
    import_id_argument,
    format_option(
        ("text", "json", "csv", "github", "sarif"),
        "text, json (the diagnostics document), csv (a fix list)",
    ),
    output_option("Write to FILE (atomically) instead of stdout."),
    click.option(
        "--spec",
        "spec_path",
        type=SPEC_PATH,
        help="The spec the import came from: adds its locations and the local file paths.",
    ),
    connection_options,
    var_option,
    data_root_option,
)
def errors_command(
    import_id: str,
    format_name: str | None,
    output: Path | None,
    spec_path: Path | None,
    account: Account,
    variables: dict[str, str],
    data_roots: tuple[Path, ...],
) -> int:
    """List every row error of an import, with its file line, column and value.

    Exit 1 when there is any.
    """
    from specc.hubspot.workflow import errors_of_import
    from specc.report.import_run import errors_report_pieces
    from specc.report.options import default_format

    options = library_options(variables, data_roots)
    found = errors_of_import(account, EventPrinter(), import_id, spec_path, options)
    pieces = errors_report_pieces(found.result, format_name or default_format(), found.record)
    echo_pieces(pieces, output)
    return found.exit_code


@command("cancel", import_id_argument, connection_options)
def cancel_command(import_id: str, account: Account) -> int:
    """Cancel an import that is waiting or processing."""
    from specc.hubspot.workflow import cancel
    from specc.report.imports import cancel_outcome

    with account.client(EventPrinter()) as client:
        status = cancel(client, import_id)
    click.echo(cancel_outcome(import_id, status))
    return 0


@command("imports", text_json_option, connection_options)
def imports_command(format_name: str, account: Account) -> int:
    """List the imports this app started (HubSpot shows each app its own)."""
    from specc.report.imports import imports_report

    with account.client(EventPrinter()) as client:
        found = client.list_imports()
    click.echo(imports_report(found, format_name))
    return 0


# --- catalog pull --------------------------------------------------------------------------


@click.group("catalog")
def catalog_group() -> None:
    """Catalog snapshots: one account's objects and properties, for offline checks."""


@command(
    "pull",
    click.option(
        "--object",
        "objects",
        metavar="OBJ",
        multiple=True,
        help="An object to pull (name, id, or custom object name); repeatable "
        "[default: the standard objects and every custom object].",
    ),
    output_option("The snapshot file to write (atomically) [default: .specc/catalog.json]."),
    connection_options,
)
def catalog_pull_command(objects: tuple[str, ...], output: Path | None, account: Account) -> int:
    """Save the account's property definitions and custom object schemas as a snapshot."""
    from specc.hubspot.workflow import pull_catalog_to
    from specc.report.messages import catalog_saved

    with account.client(EventPrinter()) as client:
        saved = pull_catalog_to(client, objects, output)
    click.echo(catalog_saved(saved.notes, saved), err=True)
    return 0


catalog_group.add_command(catalog_pull_command)


# --- sandbox -------------------------------------------------------------------------------


@command(
    "sandbox",
    click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on."),
    click.option(
        "--port",
        type=click.IntRange(0, 65535),
        default=0,
        show_default=True,
        help="Port to listen on; 0 picks a free one.",
    ),
    click.option(
        "--catalog",
        "catalog_path",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="A catalog snapshot whose properties the server serves and checks rows against.",
    ),
    click.option(
        "--faults",
        metavar="PLAN",
        help="Faults to inject, e.g. 'create:rate_limit:2:retry_after=1; create:drop' "
        "[env SPECC_SANDBOX_FAULTS].",
    ),
    click.option(
        "--allow-remote",
        is_flag=True,
        help="Let --host be an address other machines reach (the sandbox accepts any token).",
    ),
)
def sandbox_command(
    host: str, port: int, catalog_path: Path | None, faults: str | None, allow_remote: bool
) -> int:
    """Run a local HubSpot-compatible imports server (prints its base URL first).

    Point specc at it with --base-url; any non-empty token is accepted. Ctrl-C stops it.
    """
    from specc.report.messages import sandbox_reachable
    from specc.sandbox import run_forever
    from specc.sandbox.server import listens_beyond_loopback

    if allow_remote and listens_beyond_loopback(host):
        click.echo(sandbox_reachable(host), err=True)
    run_forever(
        port,
        catalog_path,
        host=host,
        faults=faults or None,
        environ=os.environ,
        # The contract: the base URL is the first line of stdout, there at once (click.echo
        # flushes), so a script can read it and start.
        ready=click.echo,
        allow_remote=allow_remote,
    )
    return 0


COMMANDS = (  # what specc.cli adds to the `specc` group
    emit_command,
    import_command,
    status_command,
    errors_command,
    cancel_command,
    imports_command,
    catalog_group,
    sandbox_command,
)
