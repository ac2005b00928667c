"""The command line: `specc COMMAND ...` (also `python -m specc`).

The only package that imports click or writes to the terminal. Commands live in modules that
each list their commands in COMMANDS. Those modules import only click and light helpers at the
top; the library (httpx, the tabular readers, the pipeline) is imported inside the command
functions, so `specc --help` and `specc lint` start fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import click

from specc import __version__
from specc.cli import (
    diff_command,
    fix_command,
    hubspot_commands,
    info_commands,
    init_command,
    plan_command,
    spec_commands,
)


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "-V", "--version", prog_name="specc")
def cli() -> None:
    """Compile, check and send HubSpot CRM import specs.

    Exit codes: 0 no errors, 1 errors in specs or data (or HubSpot refused the import),
    2 specc could not do its job, 3 a bug in specc.
    """


for module in (
    spec_commands,
    info_commands,
    hubspot_commands,
    init_command,
    diff_command,
    fix_command,
    plan_command,
):
    for command in module.COMMANDS:
        cli.add_command(command)


# The allocators of the tabular libraries, set for this process before either is imported
# (both read these once, at their first allocation); a user's own settings win. polars'
# jemalloc with one arena instead of four per core, and Arrow's jemalloc instead of its
# mimalloc, keep less freed memory: `bench/check_bench.py --xlsx` peaks ~60-80 MiB lower
# at the same speed, which pays for a third reader thread (specc.tables.xlsx.WORKERS).
# Linux only: the pyarrow wheels for Windows (and some for macOS) lack jemalloc, and Arrow
# warns on stderr when asked for a pool it does not have.
ALLOCATORS = {"_RJEM_MALLOC_CONF": "narenas:1", "ARROW_DEFAULT_MEMORY_POOL": "jemalloc"}


def main(argv: Sequence[str] | None = None) -> None:
    """The console script `specc`; exits with the command's exit code."""
    if sys.platform.startswith("linux") and not {"polars", "pyarrow"} & sys.modules.keys():
        for name, value in ALLOCATORS.items():
            os.environ.setdefault(name, value)
    cli.main(args=list(argv) if argv is not None else None, prog_name="specc")
