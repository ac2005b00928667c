"""The commands that talk to HubSpot (or a server standing in for it), and `emit`.

    emit, import, status, errors, cancel, imports, catalog pull, sandbox

Each is options -> library call (specc.hubspot) -> render -> exit code. The library reports
progress through events; this module decides how they look (a progress bar on a terminal,
plain lines on stderr otherwise). httpx and rich are imported only inside the commands.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from specc.cli.common import (
    EXIT_INTERRUPTED,
    SPEC_PATH,
    apply_strict,
    data_root_option,
    debug_option,
    default_format,
    existing_specs,
    handle_errors,
    is_terminal,
    library_options,
    output_option,
    show_report,
    spec_options,
    var_option,
    write_atomic,
)
from specc.errors import SpeccError, UsageError
from specc.hubspot.connection import API_VERSIONS  # light: no httpx until a client is made

if TYPE_CHECKING:
    from specc.diagnostics import Diagnostic, Result
    from specc.hubspot.client import HubSpotClient
    from specc.hubspot.connection import Connection
    from specc.hubspot.events import Event
    from specc.hubspot.retry import PollPolicy, RetryPolicy
    from specc.hubspot.upload import Upload
    from specc.run import Options
    from specc.spec.model import Spec

F = TypeVar("F", bound=Callable[..., Any])

EMIT_FORMS = ("curl", "httpie", "python", "request")


def register(cli: click.Group) -> None:
    for command in (
        emit_command,
        import_command,
        status_command,
        errors_command,
        cancel_command,
        imports_command,
        sandbox_command,
    ):
        cli.add_command(command)
    existing = cli.commands.get("catalog")
    if isinstance(existing, click.Group):
        existing.add_command(catalog_pull_command)
    else:
        cli.add_command(catalog_group)


# --- connection options --------------------------------------------------------------------

base_url_option = click.option(
    "--base-url",
    metavar="URL",
    default=None,
    help="HubSpot's API address [env SPECC_BASE_URL; default https://api.hubapi.com].",
)
api_version_option = click.option(
    "--api-version",
    type=click.Choice(API_VERSIONS),
    default=None,
    help="The imports API version: v3 (/crm/v3/imports) or a dated one (/crm/imports/2026-03).",
)


def connection_options(func: F) -> F:
    """--base-url and --api-version; the command receives base_url and api_version."""
    for option in (api_version_option, base_url_option):
        func = option(func)
    return func


def make_connection(base_url: str | None, api_version: str | None) -> Connection:
    from specc.hubspot.connection import Timeouts, connection_from

    env = os.environ
    defaults = Timeouts()
    timeouts = Timeouts(
        connect=_seconds(env, "SPECC_CONNECT_TIMEOUT", defaults.connect),
        read=_seconds(env, "SPECC_TIMEOUT", defaults.read),
        upload_read=_seconds(env, "SPECC_UPLOAD_TIMEOUT", defaults.upload_read),
        write=_seconds(env, "SPECC_TIMEOUT", defaults.write),
        answer=_seconds(env, "SPECC_ANSWER_TIMEOUT", defaults.answer),
    )
    return connection_from(env, base_url=base_url, api_version=api_version, timeouts=timeouts)


def retry_policy() -> RetryPolicy:
    """The retry policy; SPECC_RETRY_* tune it (tests use tiny caps to stay fast)."""
    from specc.hubspot.retry import RetryPolicy

    env = os.environ
    default = RetryPolicy()
    attempts = env.get("SPECC_RETRY_ATTEMPTS", "").strip()
    if attempts and not attempts.isdigit():
        raise UsageError(f"SPECC_RETRY_ATTEMPTS must be a whole number, got {attempts!r}")
    return RetryPolicy(
        attempts=max(1, int(attempts)) if attempts else default.attempts,
        base=_seconds(env, "SPECC_RETRY_BASE", default.base),
        cap=_seconds(env, "SPECC_RETRY_CAP", default.cap),
    )


def poll_policy() -> PollPolicy:
    from specc.hubspot.retry import PollPolicy

    default = PollPolicy()
    first = _seconds(os.environ, "SPECC_POLL_INTERVAL", default.first)
    cap = max(first, _seconds(os.environ, "SPECC_POLL_CAP", default.cap))
    return PollPolicy(first=first, cap=cap)


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise UsageError(f"{name} must be a number of seconds, got {raw!r}") from None
    if value < 0:
        raise UsageError(f"{name} cannot be negative")
    return value


def open_client(connection: Connection, events: Callable[[Event], None]) -> HubSpotClient:
    from specc.hubspot.client import HubSpotClient

    return HubSpotClient(connection, retry_policy(), on_event=events)


# --- showing what the library reports ------------------------------------------------------


class EventPrinter:
    """Shows the library's events: an upload bar on a terminal, one line per notable event."""

    def __init__(self, terminal: bool) -> None:
        self.terminal = terminal
        self._bar: Any = None
        self._task: Any = None
        self._last_state: str | None = None

    def __call__(self, event: Event) -> None:
        from specc.hubspot import events as ev

        if isinstance(event, ev.UploadStarted):
            self._start_bar(event.total, event.attempt)
        elif isinstance(event, ev.UploadProgress):
            if self._bar is not None:
                self._bar.update(self._task, completed=event.sent)
        else:
            self.stop_bar()
            line = self._line(event)
            if line:
                click.echo(f"specc: {line}", err=True)

    def _line(self, event: Event) -> str | None:
        from specc.hubspot import events as ev

        if isinstance(event, ev.Retrying):
            return (
                f"{event.action}: {event.reason}; trying again in {event.delay:.1f}s "
                f"(attempt {event.attempt + 1})"
            )
        if isinstance(event, ev.OutcomeUnknown):
            return (
                f"the upload's answer was lost ({event.reason}); "
                "checking whether HubSpot created the import before sending anything again"
            )
        if isinstance(event, ev.Adopted):
            more = (
                f" ({event.candidates} imports matched; following the newest)"
                if event.candidates > 1
                else ""
            )
            return f"import {event.import_id} was created by this upload; following it{more}"
        if isinstance(event, ev.Resending):
            return event.reason
        if isinstance(event, ev.Polled) and event.state != self._last_state:
            self._last_state = event.state
            return f"import {event.import_id}: {event.state}"
        return None

    def _start_bar(self, total: int, attempt: int) -> None:
        self.stop_bar()
        if not self.terminal:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        self._bar = Progress(
            TextColumn("uploading" if attempt == 1 else f"uploading (try {attempt})"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._bar.start()
        self._task = self._bar.add_task("upload", total=total or None)

    def stop_bar(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


@contextmanager
def event_printer(enabled_terminal: bool) -> Iterator[EventPrinter]:
    printer = EventPrinter(enabled_terminal)
    try:
        yield printer
    finally:
        printer.stop_bar()


def echo_out(text: str) -> None:
    click.echo(text)
    sys.stdout.flush()


# --- emit ----------------------------------------------------------------------------------


@click.command("emit")
@click.argument("spec", type=SPEC_PATH)
@click.option(
    "--as",
    "form",
    type=click.Choice(EMIT_FORMS),
    default="curl",
    show_default=True,
    help="curl or httpie command, Python script, or the request itself (token redacted).",
)
@output_option("Write to FILE (atomically; scripts are made executable) instead of stdout.")
@connection_options
@spec_options
@handle_errors
def emit_command(
    spec: Path,
    form: str,
    output: Path | None,
    base_url: str | None,
    api_version: str | None,
    format_name: str | None,
    strict: bool,
    debug: bool,
    variables: dict[str, str],
    data_roots: tuple[Path, ...],
) -> int:
    """Print the upload of SPEC as a runnable command or script.

    The token stays a reference to $HUBSPOT_ACCESS_TOKEN, read when the command runs. Data
    file paths are relative to the current directory (absolute when outside it): run the
    command from here. Diagnostics go to stderr; nothing is printed when the spec has errors.
    """
    (path,) = existing_specs([spec])
    from specc.hubspot.emit import emit, is_executable_form, make_executable

    options = library_options(variables, data_roots)
    connection = make_connection(base_url, api_version)
    prepared, result = prepare(path, options, strict)
    if result.diagnostics:
        show_report(result, format_name, err=True)
    if prepared is None:
        return 1
    upload, _ = prepared
    text = emit(upload, connection, form, spec_shown=shown(path, options.cwd), cwd=options.cwd)
    if output is None:
        click.echo(text, nl=False)
        return 0
    write_atomic(output, text)
    if is_executable_form(form):
        make_executable(output)
    return 0


def shown(path: Path, cwd: Path) -> str:
    try:
        return str(path.resolve().relative_to(cwd.resolve()))
    except ValueError:
        return str(path)


def prepare(
    path: Path,
    options: Options,
    strict: bool,
    *,
    lint_first: bool = False,
    check_rows: bool = False,
) -> tuple[tuple[Upload, Spec] | None, Result]:
    """Compile (after lint, for `import`; after check, with `check_rows`) and describe the
    upload; None when there are errors.

    The spec is loaded once: a second load could render a different name from `now`.
    """
    from specc.diagnostics import Result
    from specc.hubspot.upload import prepare_upload
    from specc.pipeline import check_one, compile_loaded, lint_one, load_spec

    loaded = load_spec(path, options)
    result = Result()
    if lint_first:
        checked = check_one(loaded, options) if check_rows else lint_one(loaded)
        result = apply_strict(checked, strict)
        if not result.ok():
            return None, result
    request, compiled = compile_loaded(loaded)
    if not lint_first:
        result = apply_strict(compiled, strict)
        if request is None or not result.ok():
            return None, result
    elif request is None:
        # lint passed but compile refused: show why (the same diagnostics, once).
        return None, apply_strict(compiled, strict)
    assert loaded.spec is not None  # a request is compiled only from a spec that loaded
    return (prepare_upload(loaded.spec, request), loaded.spec), result


# --- import --------------------------------------------------------------------------------


@click.command("import")
@click.argument("spec", type=SPEC_PATH)
@click.option("--wait", is_flag=True, help="Follow the import to its end and report row errors.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask before uploading.")
@click.option(
    "--no-check",
    is_flag=True,
    help="Do not check the data rows before uploading (the spec is still linted).",
)
@connection_options
@spec_options
@handle_errors
def import_command(
    spec: Path,
    wait: bool,
    yes: bool,
    no_check: bool,
    base_url: str | None,
    api_version: str | None,
    format_name: str | None,
    strict: bool,
    debug: bool,
    variables: dict[str, str],
    data_roots: tuple[Path, ...],
) -> int:
    """Check SPEC and every data row, then upload it to HubSpot and print the import id.

    Nothing is sent while a row would fail (--no-check skips the rows; the spec is still
    linted). On a terminal it shows the plan and asks first (--yes skips the question; with no
    terminal and no --yes it refuses). --wait polls until the import ends, prints its
    counters and maps every row error back to the data file and the spec. Exit 1 when the
    import fails, is canceled or has row errors.
    """
    (path,) = existing_specs([spec])
    connection = make_connection(base_url, api_version)
    connection.require_token()
    ask = not yes
    if ask and not is_terminal(sys.stdin):
        raise UsageError(
            "no terminal to ask on before uploading",
            hint="pass --yes to upload without asking (for CI and scripts)",
        )
    options = library_options(variables, data_roots)
    prepared, result = prepare(path, options, strict, lint_first=True, check_rows=not no_check)
    if prepared is None:
        show_import_refusal(result, format_name, path)
        return 1
    upload, loaded_spec = prepared
    click.echo(describe_plan(upload, connection), err=True)
    if ask and not click.confirm("Upload it?", default=False, err=True):
        click.echo("specc: nothing was sent", err=True)
        return 1
    return run_import(upload, loaded_spec, connection, result, format_name, strict, wait)


def show_import_refusal(result: Result, format_name: str | None, path: Path) -> None:
    """Why `import` sent nothing. The spec's own problems are shown whole, as lint shows them;
    the rows' are counted (a file may hold thousands), with the commands that show each one
    or set the failing rows apart."""
    from dataclasses import replace

    from specc.cli.common import print_error
    from specc.report.shared import plural

    row_errors = sum(result.errors_by_type.values())
    spec_errors = any(
        d.severity.value == "error" and (d.data is None or d.data.line is None)
        for d in result.diagnostics
    )
    if not row_errors or spec_errors:
        show_report(result, format_name, rows=bool(row_errors))
        return
    if (format_name or default_format()) == "json":
        show_report(result, format_name, rows=True)
    else:
        in_rows = {
            id(d)
            for d in result.diagnostics
            if (d.data is not None and d.data.line is not None) or d.code == "SPC480"
        }
        kept = [d for d in result.diagnostics if id(d) not in in_rows]
        show_report(replace(result, diagnostics=kept), format_name, rows=True)
    print_error(
        f"nothing was sent: the rows hold {plural(row_errors, 'error')} HubSpot would report",
        hint=f"`specc check {path}` shows each one; `specc check {path} --rejects DIR` writes "
        "the failing rows apart, to fix and import on their own; --no-check sends the file "
        "as it is",
    )


def run_import(
    upload: Upload,
    spec: Spec,
    connection: Connection,
    result: Result,
    format_name: str | None,
    strict: bool,
    wait: bool,
) -> int:
    from specc.codes import hubspot as codes
    from specc.hubspot.errors import HubSpotApiError, HubSpotUnavailable
    from specc.hubspot.runner import start_import, wait_for_import

    json_out = (format_name or "") == "json"
    spec_root = spec.where("/name")
    with (
        event_printer(is_terminal(sys.stderr)) as printer,
        open_client(connection, printer) as client,
    ):
        try:
            started = start_import(client, upload)
        except (HubSpotApiError, HubSpotUnavailable) as exc:
            # Shown as a diagnostic, so --format json carries it like any other finding.
            printer.stop_bar()
            result.diagnostics.append(exc.diagnostic(spec_root))
            emit_import_report(result, format_name, None)
            return exc.exit_code
        except KeyboardInterrupt:
            printer.stop_bar()
            click.echo(
                "specc: upload interrupted; HubSpot may have received it. Check `specc imports` "
                "before running the import again",
                err=True,
            )
            return EXIT_INTERRUPTED
        printer.stop_bar()
        import_id = started.import_id
        if started.adopted:
            result.diagnostics.append(
                codes.ADOPTED.at(
                    f"the upload's answer was lost; import {import_id} (created "
                    f"{started.response.get('createdAt')}) was found and followed instead of "
                    "sending again",
                    spec=spec_root,
                )
            )
        if not json_out:
            echo_out(f"import {import_id} started: {upload.name}")
        record: dict[str, Any] = started.response
        if wait:
            try:
                record = wait_for_import(client, import_id, poll_policy())
            except KeyboardInterrupt:
                printer.stop_bar()
                click.echo(
                    f"specc: stopped waiting; import {import_id} keeps running at HubSpot. "
                    f"Follow it with `specc status {import_id}` and `specc errors {import_id}`",
                    err=True,
                )
                return EXIT_INTERRUPTED
            result.diagnostics.extend(outcome_diagnostics(client, record, spec))
        else:
            if not json_out:
                echo_out(f"follow it with: specc status {import_id}")
    result = apply_strict(result, strict)
    emit_import_report(result, format_name, record)
    return result.exit_code()


def outcome_diagnostics(
    client: HubSpotClient, record: Mapping[str, Any], spec: Spec | None
) -> list[Diagnostic]:
    """The end state as a diagnostic (FAILED, CANCELED, REVERTED) and every row error."""
    from specc.codes import hubspot as codes
    from specc.hubspot.row_errors import file_ids_of, layouts_for, map_errors

    import_id = str(record.get("id"))
    state = str(record.get("state") or "")
    where = spec.where("/name") if spec is not None else None
    found = []
    end = {
        "FAILED": codes.IMPORT_FAILED,
        "CANCELED": codes.IMPORT_CANCELED,
        "REVERTED": codes.IMPORT_REVERTED,
    }.get(state)
    if end is not None:
        found.append(end.at(f"import {import_id} ended {state}", spec=where))
    errors = client.import_errors(import_id)
    found.extend(map_errors(errors, layouts_for(record, spec), file_ids_of(record)))
    return found


def emit_import_report(
    result: Result, format_name: str | None, record: Mapping[str, Any] | None
) -> None:
    """The end of `import`/`errors`: counters and error types, then the diagnostics report."""
    name = format_name or default_format()
    if name == "json":
        from specc.report.json_document import document

        doc = document(result)
        if record is not None:
            doc["import"] = import_summary(record)
        echo_out(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    if record is not None and record.get("state"):
        echo_out(describe_counters(record))
    groups = error_groups(result)
    if groups:
        echo_out(groups)
    if result.diagnostics:
        show_report(result, format_name)


def import_summary(record: Mapping[str, Any]) -> dict[str, Any]:
    from specc.hubspot.runner import counters_of

    return {
        "id": str(record.get("id")),
        "name": record.get("importName"),
        "state": record.get("state"),
        "createdAt": record.get("createdAt"),
        "updatedAt": record.get("updatedAt"),
        "counters": counters_of(record),
    }


def describe_counters(record: Mapping[str, Any]) -> str:
    from specc.hubspot.runner import counters_of

    counters = counters_of(record)
    line = f"import {record.get('id')}: {record.get('state')}"
    if counters:
        line += "\n" + "\n".join(f"  {key}: {value}" for key, value in sorted(counters.items()))
    return line


def error_groups(result: Result) -> str:
    from specc.hubspot.row_errors import counts_by_type

    rows = [d for d in result.diagnostics if d.code in ("SPC520", "SPC521")]
    if not rows:
        return ""
    lines = [f"row errors reported by HubSpot: {len(rows)}"]
    lines.extend(f"  {kind}: {count}" for kind, count in counts_by_type(rows))
    return "\n".join(lines)


def describe_plan(upload: Upload, connection: Connection) -> str:
    from specc.catalog.objects import object_label

    lines = [f'import "{upload.name}" to {connection.imports_url}']
    if upload.operations:
        ops = ", ".join(f"{object_label(o)} {op}" for o, op in sorted(upload.operations.items()))
    else:
        ops = "UPSERT (HubSpot's default) for every object"
    lines.append(f"  operations: {ops}")
    lines.append(f"  files ({len(upload.files)}):")
    for f in upload.files:
        obj = f" -> {object_label(f.object_type_id)}" if f.object_type_id else ""
        lines.append(f"    {f.shown_path}: {human_size(f.size)}, {f.columns} columns{obj}")
    return "\n".join(lines)


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"


# --- status, errors, cancel, imports -------------------------------------------------------

import_id_argument = click.argument("import_id", metavar="ID")
text_json = click.Choice(("text", "json"))


@click.command("status")
@import_id_argument
@click.option("--format", "format_name", type=text_json, default="text", show_default=True)
@connection_options
@debug_option
@handle_errors
def status_command(
    import_id: str, format_name: str, base_url: str | None, api_version: str | None, debug: bool
) -> int:
    """Show an import's state and counters."""
    connection = make_connection(base_url, api_version)
    with open_client(connection, EventPrinter(False)) as client:
        record = client.get_import(import_id)
    if format_name == "json":
        echo_out(json.dumps(record, indent=2, ensure_ascii=False))
        return 0
    echo_out(describe_import(record))
    return 0


def describe_import(record: Mapping[str, Any]) -> str:
    from specc.hubspot.runner import counters_of

    lines = [f"import {record.get('id')}: {record.get('importName') or '(no name)'}"]
    lines.append(f"  state: {record.get('state')}")
    for key in ("createdAt", "updatedAt", "importSource"):
        if record.get(key):
            lines.append(f"  {key}: {record[key]}")
    objects = record.get("mappedObjectTypeIds")
    if isinstance(objects, list) and objects:
        lines.append(f"  objects: {', '.join(map(str, objects))}")
    counters = counters_of(record)
    if counters:
        lines.append("  counters:")
        lines.extend(f"    {k}: {v}" for k, v in sorted(counters.items()))
    return "\n".join(lines)


@click.command("errors")
@import_id_argument
@click.option(
    "--format",
    "format_name",
    type=click.Choice(("text", "json", "csv", "github", "sarif")),
    default=None,
    help="text, json (the diagnostics document), csv (a fix list) [default: text].",
)
@output_option("Write to FILE (atomically) instead of stdout.")
@click.option(
    "--spec",
    "spec_path",
    type=SPEC_PATH,
    help="The spec the import came from: adds its locations and the local file paths.",
)
@connection_options
@var_option
@data_root_option
@debug_option
@handle_errors
def errors_command(
    import_id: str,
    format_name: str | None,
    output: Path | None,
    spec_path: Path | None,
    base_url: str | None,
    api_version: str | None,
    variables: dict[str, str],
    data_roots: tuple[Path, ...],
    debug: bool,
) -> int:
    """List every row error of an import, with its file line, column and value.

    Exit 1 when there is any.
    """
    from specc.diagnostics import Result
    from specc.hubspot.row_errors import file_ids_of, layouts_for, map_errors

    spec = load_for_errors(spec_path, variables, data_roots)
    connection = make_connection(base_url, api_version)
    with open_client(connection, EventPrinter(False)) as client:
        record = client.get_import(import_id)
        errors = client.import_errors(import_id)
    diagnostics = map_errors(errors, layouts_for(record, spec), file_ids_of(record))
    result = Result(diagnostics=diagnostics)
    if spec is not None:
        result.files = len(spec.files)
        result.sources[str(spec.source_map.file)] = spec.source.read_text("utf-8", "replace")
    name = format_name or default_format()
    if name == "csv":
        text = fix_list_csv(diagnostics)
    elif name == "json":
        from specc.report.json_document import document

        doc = document(result)
        doc["import"] = import_summary(record)
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    else:
        from specc.report import REPORTER_BY_NAME, ReportOptions

        text = REPORTER_BY_NAME[name](result, ReportOptions())
        groups = error_groups(result)
        if groups and name == "text":
            text = groups + "\n" + text
    if output is not None:
        write_atomic(output, text)
    else:
        click.echo(text, nl=False)
    return 1 if diagnostics else 0


def load_for_errors(
    spec_path: Path | None, variables: dict[str, str], data_roots: tuple[Path, ...]
) -> Spec | None:
    if spec_path is None:
        return None
    (path,) = existing_specs([spec_path])
    from specc.pipeline import load_spec

    loaded = load_spec(path, library_options(variables, data_roots))
    if loaded.spec is None:
        raise SpeccError(f"{path}: the spec does not load; run `specc lint {path}`")
    return loaded.spec


FIX_LIST_HEADER = ("file", "line", "row", "column", "error_type", "value", "message")


def fix_list_csv(diagnostics: list[Diagnostic]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FIX_LIST_HEADER)
    for d in diagnostics:
        data = d.data
        writer.writerow(
            (
                data.file if data else "",
                data.line if data and data.line is not None else "",
                data.row if data and data.row is not None else "",
                data.column if data and data.column else "",
                d.hubspot_error or "",
                data.value if data and data.value is not None else "",
                d.message,
            )
        )
    return buffer.getvalue()


@click.command("cancel")
@import_id_argument
@connection_options
@debug_option
@handle_errors
def cancel_command(
    import_id: str, base_url: str | None, api_version: str | None, debug: bool
) -> int:
    """Cancel an import that is waiting or processing."""
    from specc.hubspot.errors import HubSpotApiError

    connection = make_connection(base_url, api_version)
    with open_client(connection, EventPrinter(False)) as client:
        try:
            answer = client.cancel_import(import_id)
        except HubSpotApiError as exc:
            # A retried cancel (its first answer lost) finds the import canceled already:
            # that is the outcome asked for, not an error.
            if exc.status != 400 or client.get_import(import_id).get("state") != "CANCELED":
                raise
            echo_out(f"import {import_id}: already CANCELED")
            return 0
    status = answer.get("status")
    echo_out(f"import {import_id}: cancel requested" + (f" ({status})" if status else ""))
    return 0


@click.command("imports")
@click.option("--format", "format_name", type=text_json, default="text", show_default=True)
@connection_options
@debug_option
@handle_errors
def imports_command(
    format_name: str, base_url: str | None, api_version: str | None, debug: bool
) -> int:
    """List the imports this app started (HubSpot shows each app its own)."""
    connection = make_connection(base_url, api_version)
    with open_client(connection, EventPrinter(False)) as client:
        found = client.list_imports()
    if format_name == "json":
        echo_out(json.dumps(found, indent=2, ensure_ascii=False))
        return 0
    if not found:
        echo_out("no imports")
        return 0
    for record in found:
        echo_out(
            f"{record.get('id')}\t{record.get('state')}\t{record.get('createdAt')}\t"
            f"{record.get('importName') or ''}"
        )
    return 0


# --- catalog pull --------------------------------------------------------------------------


@click.group("catalog")
def catalog_group() -> None:
    """Catalog snapshots: one account's objects and properties, for offline checks."""


@click.command("pull")
@click.option(
    "--object",
    "objects",
    metavar="OBJ",
    multiple=True,
    help="An object to pull (name, id, or custom object name); repeatable "
    "[default: the standard objects and every custom object].",
)
@output_option("The snapshot file to write (atomically) [default: .specc/catalog.json].")
@connection_options
@debug_option
@handle_errors
def catalog_pull_command(
    objects: tuple[str, ...],
    output: Path | None,
    base_url: str | None,
    api_version: str | None,
    debug: bool,
) -> int:
    """Save the account's property definitions and custom object schemas as a snapshot."""
    from specc.catalog.snapshot import write_snapshot
    from specc.hubspot.catalog_pull import DEFAULT_OUTPUT, pull_catalog

    default = output is None
    output = output or DEFAULT_OUTPUT

    connection = make_connection(base_url, api_version)
    printer = EventPrinter(False)
    with open_client(connection, printer) as client:
        document, notes = pull_catalog(client, list(objects))
    for note in notes:
        click.echo(f"specc: {note}", err=True)
    if default:
        with contextlib.suppress(OSError):  # write_snapshot says why it cannot write there
            output.parent.mkdir(exist_ok=True)
    write_snapshot(document, output)
    count = sum(len(o.get("properties") or []) for o in document["objects"])
    click.echo(
        f"specc: wrote {output}: {len(document['objects'])} objects, {count} properties", err=True
    )
    return 0


catalog_group.add_command(catalog_pull_command)


# --- sandbox -------------------------------------------------------------------------------


@click.command("sandbox")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="Port to listen on; 0 picks a free one.",
)
@click.option(
    "--catalog",
    "catalog_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A catalog snapshot whose properties the server serves and checks rows against.",
)
@click.option(
    "--faults",
    metavar="PLAN",
    help="Faults to inject, e.g. 'create:rate_limit:2:retry_after=1; create:drop' "
    "[env SPECC_SANDBOX_FAULTS].",
)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Let --host be an address other machines reach (the sandbox accepts any token).",
)
@debug_option
@handle_errors
def sandbox_command(
    host: str,
    port: int,
    catalog_path: Path | None,
    faults: str | None,
    allow_remote: bool,
    debug: bool,
) -> int:
    """Run a local HubSpot-compatible imports server (prints its base URL first).

    Point specc at it with --base-url; any non-empty token is accepted. Ctrl-C stops it.
    """
    from specc.sandbox import run_forever
    from specc.sandbox.server import listens_beyond_loopback

    if allow_remote and listens_beyond_loopback(host):
        click.echo(
            f"specc: warning: the sandbox listens on {host}, where other machines can reach it, "
            "and accepts any token: anyone who reaches the port can upload files and read "
            "the imports",
            err=True,
        )
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
