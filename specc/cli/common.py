"""What every specc command shares: the common options, the error handler, report output.

A command is a plain function that returns its exit code, wrapped by `handle_errors`:

    @cli.command()
    @spec_options
    @handle_errors
    def lint(specs, format_name, strict, debug, variables, data_roots) -> int:
        ...

`handle_errors` turns what a command raises into the contract's exit codes: a SpeccError into
its message (and hint) on stderr and its exit_code (2; 1 for HubSpotRefused), Ctrl-C into 130,
anything else into 3 with a request to report the bug; a traceback only with --debug. While the
command runs, stdout and stderr pass through the secrets scrubber (`scrubbed_output`).

Nothing is imported here at module level that a successful `specc lint` does not use:
logging and traceback come in only when needed, so specc starts fast.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

import click

from specc.errors import InputError, SpeccError

if TYPE_CHECKING:
    from specc.diagnostics import Result
    from specc.run import Options

BUG_REPORT_URL = "the specc issue tracker"  # where bugs go; the repository names no public URL yet
FORMAT_NAMES = ("text", "json", "github", "sarif", "html")
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: the reader went away (`specc check ... | head`)
EXIT_BUG = 3

F = TypeVar("F", bound=Callable[..., Any])


# --- choosing the output -------------------------------------------------------------------


def default_format(environ: Mapping[str, str] | None = None) -> str:
    """`github` under GitHub Actions (so findings become annotations), else `text`."""
    env = os.environ if environ is None else environ
    return "github" if env.get("GITHUB_ACTIONS", "").strip().lower() == "true" else "text"


def use_color(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Colors on a terminal only, and never when NO_COLOR is set (https://no-color.org)."""
    env = os.environ if environ is None else environ
    return not env.get("NO_COLOR", "") and is_terminal(stream)


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


# --- the options every spec command takes --------------------------------------------------

# Existing directories pass click's check so that existing_specs can say "give the spec file".
SPEC_PATH = click.Path(dir_okay=True, path_type=Path)


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


format_option = click.option(
    "--format",
    "format_name",
    type=click.Choice(FORMAT_NAMES),
    default=None,
    help="Output format [default: github under GitHub Actions, else text].",
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


def output_option(help: str, *, required: bool = False) -> Callable[[F], F]:
    """-o/--output FILE, received as `output` (a Path, or None when not given)."""
    return click.option(
        "-o",
        "--output",
        required=required,
        type=click.Path(dir_okay=False, path_type=Path),
        help=help,
    )


def spec_options(func: F) -> F:
    """--format, --strict, --debug, --var, --data-root; the command receives them as
    format_name (str | None), strict (bool), debug (bool), variables (dict[str, str]),
    data_roots (tuple[Path, ...])."""
    for option in (data_root_option, var_option, debug_option, strict_option, format_option):
        func = option(func)
    return func


def library_options(
    variables: Mapping[str, str], data_roots: Iterable[Path], **more: Any
) -> Options:
    """The library's Options from the common options (plus rows, max_errors, ... as keywords)."""
    from specc.run import Options

    return Options(vars=dict(variables), data_roots=tuple(data_roots), **more)


def existing_specs(paths: Iterable[Path]) -> list[Path]:
    """The spec paths, each checked to be a readable file (else exit 2, naming it)."""
    checked = []
    for path in paths:
        problem = spec_problem(path)
        if problem is not None:
            raise problem
        checked.append(path)
    return checked


def spec_problem(path: Path) -> InputError | None:
    """Why the spec at `path` cannot be read (a missing one with its likely name), or None."""
    if not path.exists():
        from specc.inputs import near_match

        return InputError(f"{path}: no such file", hint=near_match(path))
    if not path.is_file():
        return InputError(f"{path}: not a file", hint="give the spec file itself")
    if not os.access(path, os.R_OK):
        return InputError(f"{path}: permission denied")
    return None


def readable_specs(paths: Iterable[Path]) -> tuple[list[Path], int]:
    """The specs that can be read, and the exit code owed for the others (2, or 0).

    Each unreadable one is named on stderr at once; the rest are still checked and reported,
    so one mistyped name among the files pre-commit passes hides nothing about the others.
    """
    readable = []
    owed = 0
    for path in paths:
        problem = spec_problem(path)
        if problem is None:
            readable.append(path)
        else:
            print_error(problem.message, problem.hint)
            owed = problem.exit_code
    return readable, owed


# --- reports -------------------------------------------------------------------------------


def apply_strict(result: Result, strict: bool) -> Result:
    """With --strict, warnings are errors: in the counts, the exit code and the report."""
    if not strict or not result.warnings:
        return result
    from dataclasses import replace

    from specc.diagnostics import Severity

    return replace(
        result,
        diagnostics=[
            d.with_severity(Severity.ERROR) if d.severity is Severity.WARNING else d
            for d in result.diagnostics
        ],
    )


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
    `members` are what the command adds to the JSON document (ReportOptions.members)."""
    from specc.report import ReportOptions, report_pieces

    name = format_name or default_format()
    stream = sys.stderr if err else sys.stdout
    color = name == "text" and use_color(stream)
    options = ReportOptions(color=color, rows=rows, members=members or {})
    for piece in report_pieces(result, name, options):
        click.echo(piece, nl=False, err=err, color=color)


def stderr_progress(label: Any, *columns: Any) -> Any:
    """A rich progress bar on stderr that leaves no trace: `label`, the bar, `columns`, the
    time left. rich is imported here only, by commands that show a bar on a terminal."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TimeRemainingColumn

    return Progress(
        label,
        BarColumn(),
        *columns,
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` atomically (specc.atomic); a failure is an InputError.

    Missing parent folders are made, as for `specc schema spec -o .specc/spec.schema.json`.
    """
    from specc.atomic import write_text_atomic

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, text)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from exc


# --- errors and exit codes -----------------------------------------------------------------


def print_error(message: str, hint: str | None = None) -> None:
    click.echo(f"specc: error: {message}", err=True)
    if hint:
        click.echo(f"  hint: {hint}", err=True)


def debug_from_environment() -> bool:
    return os.environ.get("SPECC_DEBUG", "") not in ("", "0")


def enable_debug_logging() -> None:
    import logging

    from specc.secrets import logging_formatter, scrubber_for

    # Scrubbed by its formatter, whatever stream the handler ends up holding.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging_formatter("specc: %(name)s: %(message)s", scrubber_for()))
    logging.basicConfig(level=logging.DEBUG, handlers=[handler])


@contextmanager
def scrubbed_output() -> Iterator[None]:
    """Route stdout and stderr through the secrets scrubber (specc.secrets) meanwhile.

    Every way a command prints ends on these two streams: click.echo, reports, rich's bars,
    tracebacks, logging, warnings; so the token cannot reach the terminal by any of them.
    """
    from specc.secrets import ScrubbingStream, scrubber_for

    scrubber = scrubber_for()
    saved = sys.stdout, sys.stderr
    sys.stdout = ScrubbingStream(saved[0], scrubber)
    sys.stderr = ScrubbingStream(saved[1], scrubber)
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BrokenPipeError:
                _silence_stdout()
            except (OSError, ValueError):  # a closed stream: nothing more can be shown
                pass
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
    except SpeccError as exc:
        if debug:
            _print_traceback()
        print_error(exc.message, exc.hint)
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("specc: interrupted", err=True)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as exc:
        # A file that vanished or cannot be read or written is the environment, not a bug.
        if debug:
            _print_traceback()
        where = f"{exc.filename}: " if exc.filename else ""
        print_error(f"{where}{exc.strerror or exc}")
        return 2
    except Exception as exc:
        if debug:
            _print_traceback()
        print_error(f"internal error: {type(exc).__name__}: {exc}")
        click.echo(
            f"this is a bug in specc; please report it on {BUG_REPORT_URL} "
            "with the output of --debug",
            err=True,
        )
        return EXIT_BUG


def handle_errors(func: Callable[..., int | None]) -> Callable[..., None]:
    """Wrap a command function that returns an exit code (see module doc).

    Reads the command's `debug` parameter (or SPECC_DEBUG=1) for tracebacks and logging.
    Put it below the option decorators, directly on the function.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        debug = bool(kwargs.get("debug")) or debug_from_environment()

        def run() -> int | None:
            code = func(*args, **kwargs)
            sys.stdout.flush()  # inside run_guarded, so a closed pipe is handled there
            return code

        with scrubbed_output():
            if debug:
                enable_debug_logging()
            code = run_guarded(run, debug=debug)
        if code:
            click.get_current_context().exit(code)

    return wrapper


def _print_traceback() -> None:
    import traceback

    traceback.print_exc(file=sys.stderr)


def _silence_stdout() -> None:
    """After EPIPE, point stdout at /dev/null so the interpreter's final flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (e.g. under a test runner)
        pass
