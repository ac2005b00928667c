"""What the client and the import runner report while they work.

The library never prints: it hands these to an `on_event` callback and the CLI decides how
to show them (a progress bar, a line on stderr, nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Retrying:
    action: str  # e.g. "list imports"
    attempt: int  # the try that failed, 1-based
    delay: float  # seconds until the next
    reason: str  # "HTTP 429", "connection refused", ...


@dataclass(frozen=True)
class UploadStarted:
    attempt: int
    total: int  # bytes of the files


@dataclass(frozen=True)
class UploadProgress:
    sent: int
    total: int


@dataclass(frozen=True)
class OutcomeUnknown:
    """The upload was sent but no answer came back: specc will look for the import."""

    reason: str


@dataclass(frozen=True)
class Adopted:
    import_id: str
    candidates: int  # how many imports matched; more than one is worth a warning


@dataclass(frozen=True)
class Resending:
    reason: str


@dataclass(frozen=True)
class Polled:
    import_id: str
    state: str
    counters: dict[str, Any]


Event = Retrying | UploadStarted | UploadProgress | OutcomeUnknown | Adopted | Resending | Polled
OnEvent = Callable[[Event], None]


def ignore(_event: Event) -> None:
    """The default listener: library callers that do not care about progress."""
