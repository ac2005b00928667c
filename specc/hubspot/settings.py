"""What the environment says about talking to HubSpot: timeouts, retries, polling.

    SPECC_CONNECT_TIMEOUT, SPECC_TIMEOUT, SPECC_UPLOAD_TIMEOUT, SPECC_ANSWER_TIMEOUT  seconds
    SPECC_RETRY_ATTEMPTS (tries in all), SPECC_RETRY_BASE, SPECC_RETRY_CAP          retries
    SPECC_POLL_INTERVAL, SPECC_POLL_CAP                                             --wait
    SPECC_MAX_FILE_ROWS, SPECC_MAX_FILE_BYTES     HubSpot's per-file limits, for tests only

The per-file limits default to HubSpot's (1,048,576 data rows, 512 MB); tests lower them, in
specc and in `specc sandbox` alike, so a few kilobytes prove what 512 MB would
(`file_limits_from`; `specc check` reads them too).

Tests and slow networks tune these; a value that is no number is a UsageError (exit 2) that
names the variable. The token and the base URL are read by `connection.connection_from`.
"""

from __future__ import annotations

from collections.abc import Mapping

from specc.errors import UsageError
from specc.hubspot.connection import Connection, Timeouts, connection_from
from specc.hubspot.retry import PollPolicy, RetryPolicy
from specc.tables.parts import FileLimits


def connection_from_environment(
    environ: Mapping[str, str], base_url: str | None = None, api_version: str | None = None
) -> Connection:
    """The connection of `--base-url` and `--api-version`, with the environment's timeouts."""
    defaults = Timeouts()
    timeouts = Timeouts(
        connect=seconds(environ, "SPECC_CONNECT_TIMEOUT", defaults.connect),
        read=seconds(environ, "SPECC_TIMEOUT", defaults.read),
        upload_read=seconds(environ, "SPECC_UPLOAD_TIMEOUT", defaults.upload_read),
        write=seconds(environ, "SPECC_TIMEOUT", defaults.write),
        answer=seconds(environ, "SPECC_ANSWER_TIMEOUT", defaults.answer),
    )
    return connection_from(environ, base_url=base_url, api_version=api_version, timeouts=timeouts)


def retry_policy_from(environ: Mapping[str, str]) -> RetryPolicy:
    default = RetryPolicy()
    attempts = environ.get("SPECC_RETRY_ATTEMPTS", "").strip()
    if attempts and not attempts.isdigit():
        raise UsageError(f"SPECC_RETRY_ATTEMPTS must be a whole number, got {attempts!r}")
    return RetryPolicy(
        attempts=max(1, int(attempts)) if attempts else default.attempts,
        base=seconds(environ, "SPECC_RETRY_BASE", default.base),
        cap=seconds(environ, "SPECC_RETRY_CAP", default.cap),
    )


def file_limits_from(environ: Mapping[str, str]) -> FileLimits:
    """HubSpot's per-file limits, as SPECC_MAX_FILE_ROWS / SPECC_MAX_FILE_BYTES lower them."""
    return FileLimits.from_environ(environ)


def poll_policy_from(environ: Mapping[str, str]) -> PollPolicy:
    default = PollPolicy()
    first = seconds(environ, "SPECC_POLL_INTERVAL", default.first)
    cap = max(first, seconds(environ, "SPECC_POLL_CAP", default.cap))
    return PollPolicy(first=first, cap=cap)


def seconds(environ: Mapping[str, str], name: str, default: float) -> float:
    """A variable's number of seconds; `default` when it is unset or blank."""
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise UsageError(f"{name} must be a number of seconds, got {raw!r}") from None
    if value < 0:
        raise UsageError(f"{name} cannot be negative")
    return value
