"""What the environment says about talking to HubSpot: timeouts, retries, polling.

    SPECC_CONNECT_TIMEOUT, SPECC_TIMEOUT, SPECC_UPLOAD_TIMEOUT, SPECC_ANSWER_TIMEOUT  seconds
    SPECC_RETRY_ATTEMPTS (tries in all), SPECC_RETRY_BASE, SPECC_RETRY_CAP          retries
    SPECC_POLL_INTERVAL, SPECC_POLL_CAP                                             --wait
    SPECC_MAX_FILE_ROWS, SPECC_MAX_FILE_BYTES     HubSpot's per-file limits, for tests only

The per-file limits default to HubSpot's (1,048,576 data rows, 512 MB); tests lower them, in
specc and in `specc sandbox` alike, so a few kilobytes prove what 512 MB would
(`file_limits_from`; `specc check` reads them too).

Tests and slow networks tune these; a value that is no number is a UsageError (exit 2) that
names the variable. The token and the base URL are read by `connection.connection_from`;
`Account` puts them together with the options that name an account (--base-url,
--api-version) into the connection and the clients a command uses.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from specc.errors import UsageError
from specc.hubspot.connection import Connection, Timeouts, connection_from
from specc.hubspot.retry import PollPolicy, RetryPolicy
from specc.tables.parts import FileLimits

if TYPE_CHECKING:
    from specc.hubspot.client import HubSpotClient
    from specc.hubspot.events import OnEvent


@dataclass
class Account:
    """The HubSpot account a command talks to: `base_url` and `api_version` as the command
    line gives them (None: the environment's, else the defaults), with the token, timeouts and
    retries of `environ`. The connection is made on first use, so a bad --base-url is
    reported by the command that needs it, not by one that never connects."""

    environ: Mapping[str, str]
    base_url: str | None = None
    api_version: str | None = None

    @functools.cached_property
    def connection(self) -> Connection:
        return connection_from_environment(self.environ, self.base_url, self.api_version)

    def client(self, on_event: OnEvent) -> HubSpotClient:
        """A client of the account, retrying as the environment says, whose events (retries,
        upload progress, polls) go to `on_event`."""
        from specc.hubspot.client import HubSpotClient  # httpx: only once a client is made

        return HubSpotClient(self.connection, retry_policy_from(self.environ), on_event=on_event)


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
