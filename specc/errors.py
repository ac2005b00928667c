"""Exceptions mean "cannot continue"; user mistakes are diagnostics, never exceptions."""

from __future__ import annotations


class SpeccError(Exception):
    """specc could not do its job (exit 2): bad usage, an unreadable file, the network."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(SpeccError):
    """The command line asks for something impossible."""


class InputError(SpeccError):
    """A file specc needs cannot be read at all."""


class ConnectionFailed(SpeccError):
    """HubSpot (or the server at --base-url) could not be reached."""


class HubSpotRefused(SpeccError):
    """HubSpot answered with an error the user must act on (exit 1)."""

    exit_code = 1
