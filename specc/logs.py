"""What `--debug` shows of the library's logging, and how.

The library logs through `logging` (under `specc.`, as pypa/build does) and never configures
it: a program that wants the records on a stream attaches `debug_handler`. Its formatter
scrubs each record, traceback included (specc.secrets), so the token cannot reach the log
whatever stream the handler writes to. SPECC_DEBUG asks for what --debug does (`debug_wanted`),
for a run whose command line cannot be changed (a pre-commit hook, a CI step).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any

from specc.secrets import logging_formatter, scrubber_for

if TYPE_CHECKING:
    import logging

LOG_FORMAT = "specc: %(name)s: %(message)s"


def debug_wanted(environ: Mapping[str, str]) -> bool:
    """SPECC_DEBUG set to anything but "" or "0"."""
    return environ.get("SPECC_DEBUG", "") not in ("", "0")


def debug_handler(stream: IO[str], environ: Mapping[str, str] | None = None) -> logging.Handler:
    """A handler that writes every record to `stream` as `specc: LOGGER: MESSAGE`, scrubbed of
    the token of `environ` (by default this process's)."""
    import logging  # on use: every command asks debug_wanted, few want a handler

    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging_formatter(LOG_FORMAT, scrubber_for(environ)))
    return handler


@contextmanager
def unraisable_logged() -> Iterator[None]:
    """Meanwhile (around a command: the CLI calls it, the library never does), an exception
    the interpreter cannot raise, one in a finalizer the garbage collector runs (such as a
    template's deadline ringing there), is logged under `specc.cli`, shown with --debug,
    rather than printed with its traceback as "Exception ignored in ..."."""
    import sys

    def log(unraisable: Any) -> None:
        import logging

        logging.getLogger("specc.cli").debug(
            "ignored in %r: %s",
            unraisable.object,
            unraisable.exc_value,
            exc_info=(unraisable.exc_type, unraisable.exc_value, unraisable.exc_traceback),
        )

    saved = sys.unraisablehook
    sys.unraisablehook = log
    try:
        yield
    finally:
        sys.unraisablehook = saved


@contextmanager
def rust_backtraces(shown: bool) -> Iterator[None]:
    """Meanwhile (around a command, as `unraisable_logged`), unless `shown` (--debug), a Rust
    library that panics (python-calamine on a date out of any calendar's range, which specc
    reports as a broken spreadsheet) prints its one-line report without the backtrace that
    RUST_BACKTRACE=1, common on developers' machines, adds: seventy lines of frames on stderr."""
    import os

    saved = os.environ.get("RUST_BACKTRACE")
    if not shown:
        os.environ["RUST_BACKTRACE"] = "0"
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("RUST_BACKTRACE", None)
        else:
            os.environ["RUST_BACKTRACE"] = saved
