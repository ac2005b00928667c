"""What every specc command shares: how a command is declared, its options, the error
handler, and where reports, messages and the library's events are shown (their look is
specc.report's: the formats, the messages of specc.report.messages, the progress bars of
specc.report.progress; the default format and colours are specc.report.options').

A command is a plain function that returns its exit code, declared with `command` (or, when
it reads specs, `spec_command`, which hands it one `SpecArgs` for the common options):

    @spec_command("lint", many=True)
    def lint_command(args: SpecArgs) -> int:
        ...

`handle_errors` (applied by both) turns what a command raises into the contract's exit codes:
a SpeccError into its message (and hint) on stderr and its exit_code (2; 1 for HubSpotRefused),
an OSError into 2, anything else into 3 with a request to report the bug, Ctrl-C into 130, a
closed stdout into 141 (what each says and its code: specc.report.messages.failure); a
traceback and the library's logging (specc.logs) only with --debug. While the command runs,
stdout and stderr pass through the secrets scrubber (specc.secrets.scrubbing).

Nothing is imported here at module level that a successful `specc lint` does not use:
logging, traceback, httpx and specc.report (not needed by --help or schema) come in only
when needed, so specc starts fast.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import click

from specc.hubspot.connection import API_VERSIONS  # light: no httpx until a client is made

if TYPE_CHECKING:
    from specc.diagnostics import Result
    from specc.hubspot.settings import Account
    from specc.report.progress import EventPrinter as EventShower
    from specc.run import Options

FORMAT_NAMES = ("text", "json", "github", "sarif", "html")

F = TypeVar("F", bound=Callable[..., Any])
Decorator = Callable[[F], F]


# --- options -------------------------------------------------------------------------------

# Existing directories pass click's check so that readable_spec can say "give the spec file".
SPEC_PATH = click.Path(dir_okay=True, path_type=Path)
spec_argument = click.argument("spec", type=SPEC_PATH)
specs_argument = click.argument("specs", nargs=-1, required=True, type=SPEC_PATH, metavar="SPEC...")


def _parse_vars(
    ctx: click.Context, param: click.Parameter, values: Iterable[str]
) -> dict[str, str]:
    variables: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", ctx=ctx, param=param)
        variables[name.strip()] = value
    return variables


def format_option(
    formats: Iterable[str] = FORMAT_NAMES, what: str = "Output format"
) -> Decorator[Any]:
    """--format, as `format_name`: None unless given, for default_format (as --help says)."""
    return click.option(
        "--format",
        "format_name",
        type=click.Choice(tuple(formats)),
        default=None,
        help=f"{what} [default: github under GitHub Actions, else text].",
    )


strict_option = click.option(
    "--strict", is_flag=True, help="Count warnings as errors (exit 1 when there are any)."
)
debug_option = click.option(
    "--debug", is_flag=True, help="Log what specc does and show tracebacks of failures."
)
var_option = click.option(
    "--var",
    "variables",
    metavar="NAME=VALUE",
    multiple=True,
    callback=_parse_vars,
    help="Set a template variable (overrides the spec's vars); repeatable.",
)
data_root_option = click.option(
    "--data-root",
    "data_roots",
    metavar="DIR",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A folder data files may live in, besides the working directory; repeatable.",
)
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


def output_option(help: str) -> Decorator[Any]:
    """-o/--output FILE, received as `output` (a Path, or None when not given)."""
    return click.option(
        "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help=help
    )


def connection_options(func: F) -> F:
    """--base-url and --api-version; `command` hands the function an `account` for them."""
    return base_url_option(api_version_option(func))


def account_of(base_url: str | None, api_version: str | None) -> Account:
    """The account the connection options name, with this process's token and settings."""
    from specc.hubspot.settings import Account

    return Account(os.environ, base_url, api_version)


def library_options(
    variables: Mapping[str, str], data_roots: Iterable[Path], **more: Any
) -> Options:
    """The library's Options from --var and --data-root (plus rows, max_errors, ...)."""
    from specc.run import Options

    return Options(vars=dict(variables), data_roots=tuple(data_roots), **more)


# --- declaring commands --------------------------------------------------------------------


@dataclass
class SpecArgs:
    """The options every spec command takes (spec_command), and what commands make of them."""

    SHARED: ClassVar = ("format_name", "strict", "debug", "variables", "data_roots")

    specs: tuple[Path, ...]
    format_name: str | None
    strict: bool
    debug: bool
    variables: dict[str, str] = field(default_factory=dict)
    data_roots: tuple[Path, ...] = ()
    base_url: str | None = None  # the connection options, when the command has them
    api_version: str | None = None

    @property
    def format(self) -> str:
        from specc.report.options import default_format

        return self.format_name or default_format()

    @property
    def shows_progress(self) -> bool:
        """Whether to draw progress bars: on a terminal's stderr, unless a machine reads the
        output (JSON) or --debug logs there."""
        from specc.report.options import is_terminal

        return self.format != "json" and is_terminal(sys.stderr) and not self.debug

    @functools.cached_property
    def account(self) -> Account:
        return account_of(self.base_url, self.api_version)

    @functools.cached_property
    def path(self) -> Path:
        """The one spec, checked to be a readable file (else exit 2, naming it)."""
        from specc.pipeline import readable_spec

        return readable_spec(self.specs[0])

    def readable(self) -> tuple[list[Path], int]:
        """The specs that can be read, and the exit code owed for the others (2, or 0); each
        unreadable one is named on stderr."""
        from specc.pipeline import readable_specs

        paths, problems = readable_specs(self.specs)
        for problem in problems:
            print_error(problem.message, problem.hint)
        return paths, max((p.exit_code for p in problems), default=0)

    def options(self, **more: Any) -> Options:
        """The library's Options (plus rows, max_errors, ... as keywords)."""
        return library_options(self.variables, self.data_roots, **more)

    def report(self, result: Result, **how: Any) -> None:
        """show_report in the chosen format, with --strict's view of `result`."""
        show_report(result.strict_view(self.strict), self.format_name, **how)


def command(name: str | None, *params: Decorator[Any]) -> Callable[[Callable[..., Any]], Any]:
    """A click command of `func` under handle_errors, its `params` in --help's order, then
    --debug. The function gets the options but --debug (handle_errors' own), and an `account`
    (specc.hubspot.settings.Account) for connection_options."""

    def decorate(func: Callable[..., int | None]) -> click.Command:
        @functools.wraps(func)
        def call(debug: bool = False, **kwargs: Any) -> int | None:
            if connection_options in params:
                kwargs["account"] = account_of(kwargs.pop("base_url"), kwargs.pop("api_version"))
            return func(**kwargs)

        return _command(name, (*params, debug_option), call)

    return decorate


def spec_command(
    name: str,
    *own: Decorator[Any],
    formats: Iterable[str] = FORMAT_NAMES,
    many: bool = False,
    connection: str | None = None,
) -> Callable[[Callable[..., Any]], Any]:
    """A command on SPEC (SPEC... with `many`): the argument, its `own` options, then --format
    (of `formats`), --strict, --debug, --var, --data-root, with the connection options "first"
    or "last" among those when `connection` says so. The function gets a SpecArgs for them,
    then its own options by name."""
    shared = [format_option(formats), strict_option, debug_option, var_option, data_root_option]
    if connection is not None:
        shared.insert(0 if connection == "first" else len(shared), connection_options)
    params = [specs_argument if many else spec_argument, *own, *shared]

    def decorate(func: Callable[..., int | None]) -> click.Command:
        @functools.wraps(func)
        def call(**kwargs: Any) -> int | None:
            shared = {name: kwargs.pop(name) for name in SpecArgs.SHARED}
            shared["base_url"] = kwargs.pop("base_url", None)
            shared["api_version"] = kwargs.pop("api_version", None)
            paths = kwargs.pop("specs", None) or (kwargs.pop("spec"),)
            return func(SpecArgs(paths, **shared), **kwargs)

        return _command(name, params, call)

    return decorate


def _command(
    name: str | None, params: Iterable[Decorator[Any]], call: Callable[..., int | None]
) -> click.Command:
    made: Any = handle_errors(call)
    for param in reversed(list(params)):
        made = param(made)
    return click.command(name)(made)


# --- showing results and events ------------------------------------------------------------


def show_report(
    result: Result,
    format_name: str | None,
    *,
    err: bool = False,
    rows: bool = False,
    members: Mapping[str, Any] | None = None,
) -> None:
    """Render `result` in the chosen format on stdout (or stderr), piece by piece where the
    format allows (specc.report.report_pieces), so a large report is never held whole.
    `members` are what the command adds to the JSON document (ReportOptions.members). On
    stderr, beside what the command prints, it is shown only when it holds diagnostics."""
    if err and not result.diagnostics:
        return
    from specc.report import report_pieces
    from specc.report.options import ReportOptions, default_format

    name = format_name or default_format()
    stream = sys.stderr if err else sys.stdout
    options = ReportOptions.shown_on(stream, name, rows=rows, members=members)
    echo_pieces(report_pieces(result, name, options), err=err, color=options.color)


def echo_pieces(
    pieces: Iterable[str],
    output: Path | None = None,
    *,
    err: bool = False,
    color: bool | None = None,
) -> None:
    """`pieces` one after another on stdout (stderr with `err`), or, given an `output`, joined
    into that file (atomically, specc.atomic). `color` as click.echo takes it (None: ANSI
    sequences kept on a terminal only)."""
    if output is not None:
        from specc.atomic import write_atomic  # on use: only -o writes a file

        write_atomic(output, "".join(pieces))
        return
    for piece in pieces:
        click.echo(piece, nl=False, err=err, color=color)


def EventPrinter(terminal: bool = False, out: Callable[[str], None] | None = None) -> EventShower:
    """The library's events as notices on stderr (specc.report.progress.EventPrinter); with
    `terminal`, an upload's progress as a bar; the imports accepted through `out` (click.echo
    for stdout: it flushes, so a script reading the import id sees it at once)."""
    from specc.report.progress import EventPrinter

    return EventPrinter(terminal, functools.partial(click.echo, err=True), out)


# --- errors and exit codes -----------------------------------------------------------------


def print_error(message: str, hint: str | None = None) -> None:
    """specc.report.messages.error_message on stderr."""
    from specc.report.messages import error_message

    click.echo(error_message(message, hint), err=True)


def enable_debug_logging() -> None:
    """Every logger's records on stderr (specc.logs.debug_handler: scrubbed)."""
    import logging

    from specc.logs import debug_handler

    logging.basicConfig(level=logging.DEBUG, handlers=[debug_handler(sys.stderr)])


@contextmanager
def scrubbed_output() -> Iterator[None]:
    """Route stdout and stderr through the secrets scrubber (specc.secrets.scrubbing) meanwhile.

    Every way a command prints ends on these two streams: click.echo, reports, rich's bars,
    tracebacks, logging, warnings; so the token cannot reach the terminal by any of them.
    """
    from specc.secrets import scrubbing

    saved = sys.stdout, sys.stderr
    try:
        with scrubbing(*saved, on_broken_pipe=_silence_stdout) as (sys.stdout, sys.stderr):
            yield
    finally:
        sys.stdout, sys.stderr = saved


def run_guarded(action: Callable[[], int | None], *, debug: bool = False) -> int:
    """Run a command's body and map whatever escapes it to an exit code (see module doc).

    click's own exceptions (usage errors, Exit, Abort) pass through: click handles them, and
    a usage error exits 2.
    """
    try:
        return int(action() or 0)
    except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
        raise
    except (Exception, KeyboardInterrupt) as exc:
        if isinstance(exc, BrokenPipeError):
            _silence_stdout()
        elif debug and not isinstance(exc, KeyboardInterrupt):
            import traceback

            traceback.print_exc(file=sys.stderr)
        from specc.report.messages import failure

        shown = failure(exc)
        if shown.text:
            click.echo(shown.text, err=True)
        return shown.exit_code


def handle_errors(func: Callable[..., int | None]) -> Callable[..., None]:
    """Wrap a command function that returns an exit code (see module doc).

    Reads the command's `debug` parameter (or SPECC_DEBUG=1) for tracebacks and logging.
    Put it below the option decorators, directly on the function.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        from specc.logs import debug_wanted, rust_backtraces, unraisable_logged

        debug = bool(kwargs.get("debug")) or debug_wanted(os.environ)

        def run() -> int | None:
            code = func(*args, **kwargs)
            sys.stdout.flush()  # inside run_guarded, so a closed pipe is handled there
            return code

        with scrubbed_output(), unraisable_logged(), rust_backtraces(shown=debug):
            if debug:
                enable_debug_logging()
            code = run_guarded(run, debug=debug)
        if code:
            click.get_current_context().exit(code)

    return wrapper


def _silence_stdout() -> None:
    """After EPIPE, point stdout at /dev/null so the interpreter's final flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (e.g. under a test runner)
        pass
