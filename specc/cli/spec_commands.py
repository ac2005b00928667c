"""The commands that read specs: compile, lint, check.

Each one: options -> library call (specc.pipeline) -> report -> exit code. The library is
imported inside the commands, so `specc --help` and `specc lint` load only what they use.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from specc.cli.common import (
    SPEC_PATH,
    apply_strict,
    existing_specs,
    handle_errors,
    is_terminal,
    library_options,
    output_option,
    readable_specs,
    show_report,
    spec_options,
    stderr_progress,
    write_atomic,
)
from specc.errors import InputError

# (shown file, bytes done, bytes total), as specc.run.Progress
ProgressCallback = Callable[[str, int, int], None]


def register(cli: click.Group) -> None:
    cli.add_command(compile_command)
    cli.add_command(lint_command)
    cli.add_command(check_command)


@click.command("compile")
@click.argument("spec", type=SPEC_PATH)
@output_option("Write the importRequest JSON to FILE (atomically) instead of stdout.")
@spec_options
@handle_errors
def compile_command(
    spec: Path,
    output: Path | None,
    format_name: str | None,
    strict: bool,
    debug: bool,
    variables: dict[str, str],
    data_roots: tuple[Path, ...],
) -> int:
    """Print the importRequest JSON of SPEC (diagnostics go to stderr).

    Exits 1 without printing any JSON when the spec has errors.
    """
    (path,) = existing_specs([spec])
    from specc.compiler import request_json
    from specc.pipeline import compile_spec

    request, result = compile_spec(path, library_options(variables, data_roots))
    result = apply_strict(result, strict)
    if result.diagnostics:
        show_report(result, format_name, err=True)
    if request is None or not result.ok():
        return 1
    text = request_json(request)
    if output is not None:
        write_atomic(output, text)
    else:
        write_stdout_bytes(text.encode("utf-8"))
    return 0


@click.command("lint")
@click.argument("specs", nargs=-1, required=True, type=SPEC_PATH, metavar="SPEC...")
@spec_options
@handle_errors
def lint_command(
    specs: tuple[Path, ...],
    format_name: str | None,
    strict: bool,
    debug: bool,
    variables: dict[str, str],
    data_roots: tuple[Path, ...],
) -> int:
    """Check specs without reading data rows: structure, catalog, request schema, headers."""
    paths, owed = readable_specs(specs)
    if not paths:
        return owed
    from specc.pipeline import lint

    result = apply_strict(lint(paths, library_options(variables, data_roots)), strict)
    show_report(result, format_name)
    return max(result.exit_code(), owed)


@click.command("check")
@click.argument("specs", nargs=-1, required=True, type=SPEC_PATH, metavar="SPEC...")
@click.option(
    "--rows",
    type=click.IntRange(min=0),
    metavar="N",
    help="Check only the first N data rows of each file.",
)
@click.option(
    "--max-errors",
    type=click.IntRange(min=1),
    metavar="N",
    help="Show at most N problems per data file (default 1,000); the rest are counted.",
)
@click.option(
    "--rejects",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Write, per data file, the rows that would fail (same header) into DIR.",
)
@spec_options
@handle_errors
def check_command(
    specs: tuple[Path, ...],
    rows: int | None,
    max_errors: int | None,
    rejects: Path | None,
    format_name: str | None,
    strict: bool,
    debug: bool,
    variables: dict[str, str],
    data_roots: tuple[Path, ...],
) -> int:
    """lint, then check every data row of every file, cell by cell."""
    paths, owed = readable_specs(specs)
    if not paths:
        return owed
    from specc.pipeline import check

    if rejects is not None:
        try:
            rejects.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"cannot create {rejects}: {exc.strerror or exc}") from exc
    show_bar = format_name != "json" and is_terminal(sys.stderr) and not debug
    with progress_bar(show_bar) as progress:
        options = library_options(
            variables,
            data_roots,
            rows=rows,
            max_errors=max_errors,
            rejects=rejects,
            progress=progress,
        )
        result = check(paths, options)
    result = apply_strict(result, strict)
    show_report(result, format_name, rows=True)
    if rejects is not None:
        click.echo(
            f"specc: wrote the rows that fail into {rejects}/: one file per data file, with "
            "its name and header",
            err=True,
        )
    return max(result.exit_code(), owed)


def write_stdout_bytes(data: bytes) -> None:
    """Bytes, so the output is identical whatever the locale or the platform's newline."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stream (some embedding); it is UTF-8 in practice
        sys.stdout.write(data.decode("utf-8"))
    else:
        buffer.write(data)
        buffer.flush()


@contextmanager
def progress_bar(enabled: bool) -> Iterator[ProgressCallback | None]:
    """A progress bar on stderr fed by the library's progress callback, or None."""
    if not enabled:
        yield None
        return
    from rich.progress import DownloadColumn, TaskID, TextColumn

    bar = stderr_progress(TextColumn("{task.description}"), DownloadColumn())
    tasks: dict[str, TaskID] = {}

    def update(file: str, done: int, total: int) -> None:
        task = tasks.get(file)
        if task is None:
            task = tasks[file] = bar.add_task(file, total=total or None)
        bar.update(task, completed=done, total=total or None)

    with bar:
        yield update
