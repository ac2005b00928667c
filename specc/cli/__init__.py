"""The command line: `specc COMMAND ...` (also `python -m specc`).

The only package that imports click or writes to the terminal. Commands live in modules that
each `register(cli)` their commands; the library is imported inside commands, not here, so
`specc --help` and `specc lint` start fast.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

import click

from specc import __version__
from specc.cli import info_commands, spec_commands

# Modules whose commands join the group when they are present (written alongside this one).
OPTIONAL_COMMAND_MODULES = (
    "specc.cli.hubspot_commands",
    "specc.cli.init_command",
    "specc.cli.diff_command",
)


class SpeccGroup(click.Group):
    """The command group; the optional command modules are imported only when needed.

    `specc lint` and the other commands defined here never import them: they are loaded when
    a command name is not one of ours, or when the list of commands is wanted (--help).
    """

    optional_loaded = False

    def load_optional_commands(self) -> None:
        if not self.optional_loaded:
            self.optional_loaded = True
            register_optional_commands(self)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and not self.optional_loaded:
            self.load_optional_commands()
            command = super().get_command(ctx, cmd_name)
        return command

    def list_commands(self, ctx: click.Context) -> list[str]:
        self.load_optional_commands()
        return super().list_commands(ctx)


@click.group(
    cls=SpeccGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "-V", "--version", prog_name="specc")
def cli() -> None:
    """Compile, check and send HubSpot CRM import specs.

    Exit codes: 0 no errors, 1 errors in specs or data (or HubSpot refused the import),
    2 specc could not do its job, 3 a bug in specc.
    """


def register_optional_commands(group: click.Group) -> None:
    """Let each optional module that is present `register(group)` its commands."""
    for name in OPTIONAL_COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # the module exists but something it imports does not
                raise
            continue
        module.register(group)


spec_commands.register(cli)
info_commands.register(cli)


def main(argv: Sequence[str] | None = None) -> None:
    """The console script `specc`; exits with the command's exit code."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="specc")
