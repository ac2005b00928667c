"""What specc says on stderr about its own run: an error and its hint, a bug to report, an
interruption, and the notices of commands that write files or serve (every line starts
`specc: `, so it is never mistaken for a report's); and for an exception that stopped a
command, what it says and the exit code the CLI contract gives it (`failure`).

Plain text; the CLI decides when each is shown. Text that may quote a file or a server
passes `printable` (or `visible`, on one line): it cannot drive the terminal.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from specc.errors import SpeccError
from specc.report.text import printable, visible

if TYPE_CHECKING:
    from specc.hubspot.workflow import SavedCatalog

BUG_REPORT_URL = "the specc issue tracker"  # where bugs go; the repository names no public URL yet
INTERRUPTED = "specc: interrupted"
EXIT_ENVIRONMENT = 2  # specc could not do its job: a file, the network, the command line
EXIT_BUG = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: the reader went away (`specc check ... | head`)


def notice(text: str) -> str:
    """`specc: text`."""
    return f"specc: {text}"


def error_message(message: str, hint: str | None = None) -> str:
    """`specc: error: MESSAGE` (and `  hint: HINT` below it), control characters made visible:
    a message may quote a server or a file."""
    shown = f"specc: error: {printable(message)}"
    return f"{shown}\n  hint: {printable(hint)}" if hint else shown


def bug_notice() -> str:
    """What follows the error line of an unexpected exception (exit 3)."""
    return (
        f"this is a bug in specc; please report it on {BUG_REPORT_URL} with the output of --debug"
    )


@dataclass(frozen=True)
class Failure:
    """What stderr says of an exception that stopped a command ("": nothing), and the exit
    code."""

    text: str
    exit_code: int


def failure(exc: BaseException) -> Failure:
    """Ctrl-C: INTERRUPTED, EXIT_INTERRUPTED. A closed pipe (the reader of stdout went away):
    nothing, EXIT_BROKEN_PIPE. A SpeccError: its message and hint, its own exit code (2; 1 for
    HubSpotRefused). An OSError: the file and the reason, 2 (a file that vanished or cannot be
    read or written is the environment, not a bug). Anything else: an internal error and a
    request to report the bug, EXIT_BUG."""
    if isinstance(exc, KeyboardInterrupt):
        return Failure(INTERRUPTED, EXIT_INTERRUPTED)
    if isinstance(exc, BrokenPipeError):
        return Failure("", EXIT_BROKEN_PIPE)
    if isinstance(exc, SpeccError):
        return Failure(error_message(exc.message, exc.hint), exc.exit_code)
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return Failure(error_message(f"{where}{exc.strerror or exc}"), EXIT_ENVIRONMENT)
    text = error_message(f"internal error: {type(exc).__name__}: {exc}")
    return Failure(f"{text}\n{bug_notice()}", EXIT_BUG)


def rejects_written(folder: Path) -> str:
    """`check --rejects DIR`, once the rows that fail are written."""
    return notice(
        f"wrote the rows that fail into {visible(folder)}/: one file per data file, with its "
        "name and header"
    )


def catalog_saved(notes: list[str], saved: SavedCatalog) -> str:
    """`catalog pull`: what the pull left out (a part the token has no scope for, ...), then
    the snapshot written and what it holds."""
    lines = [notice(printable(note)) for note in notes]
    lines.append(
        notice(
            f"wrote {visible(saved.path)}: {saved.objects} objects, {saved.properties} properties"
        )
    )
    return "\n".join(lines)


def sandbox_reachable(host: str) -> str:
    """The warning of `sandbox --allow-remote` on an address other machines reach."""
    return (
        f"specc: warning: the sandbox listens on {visible(host)}, where other machines can "
        "reach it, and accepts any token: anyone who reaches the port can upload files and "
        "read the imports"
    )
