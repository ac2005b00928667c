"""The commands that read specs: compile, lint, check.

Each one: options -> library call (specc.pipeline) -> report -> exit code. The library is
imported inside the commands, so `specc --help` and `specc lint` load only what they use.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from specc.cli.common import SpecArgs, echo_pieces, output_option, spec_command


@spec_command(
    "compile", output_option("Write the importRequest JSON to FILE (atomically) instead of stdout.")
)
def compile_command(args: SpecArgs, output: Path | None) -> int:
    """Print the importRequest JSON of SPEC (diagnostics go to stderr).

    Exits 1 without printing any JSON when the spec has errors.
    """
    from specc.compiler import request_json
    from specc.pipeline import compile_spec

    request, result = compile_spec(args.path, args.options())
    args.report(result, err=True)
    if request is None or not result.ok(args.strict):
        return 1
    text = request_json(request)
    if output is not None:
        echo_pieces([text], output)
    else:
        write_stdout_bytes(text.encode("utf-8"))
    return 0


@spec_command("lint", many=True)
def lint_command(args: SpecArgs) -> int:
    """Check specs without reading data rows: structure, catalog, request schema, headers."""
    paths, owed = args.readable()
    if not paths:
        return owed
    from specc.pipeline import lint

    result = lint(paths, args.options()).strict_view(args.strict)
    args.report(result)
    return max(result.exit_code(), owed)


@spec_command(
    "check",
    click.option(
        "--rows",
        type=click.IntRange(min=0),
        metavar="N",
        help="Check only the first N data rows of each file.",
    ),
    click.option(
        "--max-errors",
        type=click.IntRange(min=1),
        metavar="N",
        help="Show at most N problems per data file, errors first (default 1,000); all count.",
    ),
    click.option(
        "--rejects",
        type=click.Path(file_okay=False, path_type=Path),
        metavar="DIR",
        help="Write, per data file, the rows that would fail (same header) into DIR.",
    ),
    many=True,
)
def check_command(
    args: SpecArgs, rows: int | None, max_errors: int | None, rejects: Path | None
) -> int:
    """lint, then check every data row of every file, cell by cell."""
    paths, owed = args.readable()
    if not paths:
        return owed
    from specc.pipeline import check
    from specc.report.progress import file_bars

    with file_bars(args.shows_progress) as progress:
        more = {"rows": rows, "max_errors": max_errors, "rejects": rejects}
        result = check(paths, args.options(**more, progress=progress))
    args.report(result, rows=True)
    if rejects is not None:
        from specc.report.messages import rejects_written

        click.echo(rejects_written(rejects), err=True)
    return max(result.exit_code(args.strict), owed)


def write_stdout_bytes(data: bytes) -> None:
    """Bytes, so the output is identical whatever the locale or the platform's newline."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stream (some embedding); it is UTF-8 in practice
        sys.stdout.write(data.decode("utf-8"))
    else:
        buffer.write(data)
        buffer.flush()


COMMANDS = (
    compile_command,
    lint_command,
    check_command,
)  # what specc.cli adds to the `specc` group
