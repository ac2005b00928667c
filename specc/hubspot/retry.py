"""When to try again and how long to wait: capped exponential backoff with jitter.

The policy computes delays (and logs each at debug level) and the caller sleeps (through
`policy.sleep`, so tests can use tiny caps and still measure real waits).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

# Statuses worth another try for a request that is safe to repeat. 429 is HubSpot's rate
# limit; the 5xx ones are the server or a proxy in front of it having a bad moment.
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6  # tries in all, the first one included
    base: float = 0.5  # seconds before the second try
    cap: float = 30.0  # longest backoff between two tries
    # A Retry-After longer than this is not waited for: the command gives up and says so.
    max_retry_after: float = 600.0
    jitter: Callable[[], float] = field(default=random.random, compare=False)
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)

    def backoff(self, failures: int) -> float:
        """Delay after `failures` failed tries (1 after the first): full jitter up to the cap.

        Full jitter spreads clients that failed together, so they do not hit the rate limit
        again in step; the floor of half the step keeps the delay from collapsing to zero.
        """
        step = min(self.cap, self.base * (2 ** max(0, failures - 1)))
        wait = step / 2 + (step / 2) * self.jitter()
        _log.debug("%d failed tries of %d: backing off %.2f s", failures, self.attempts, wait)
        return wait

    def delay(self, failures: int, retry_after: float | None) -> float:
        """The wait before the next try: the server's Retry-After when it gave one."""
        if retry_after is not None:
            _log.debug(
                "%d failed tries of %d: waiting %.2f s, as Retry-After asks",
                failures,
                self.attempts,
                retry_after,
            )
            return retry_after
        return self.backoff(failures)


@dataclass(frozen=True)
class PollPolicy:
    """How often `--wait` asks for the import's state: growing intervals up to a cap."""

    first: float = 1.0
    factor: float = 1.5
    cap: float = 30.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)

    def interval(self, polls: int) -> float:
        return min(self.cap, self.first * self.factor ** max(0, polls))


def parse_retry_after(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """Seconds the server asks us to wait: Retry-After in seconds or as an HTTP date."""
    raw = headers.get("retry-after") or headers.get("Retry-After")
    if raw is None:
        return None
    raw = raw.strip()
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
