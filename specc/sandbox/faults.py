"""Planned misbehaviour of the sandbox, so clients can be tested against what networks do.

A `FaultPlan` is a list of `Fault`s. Each fault names a route (or "*") and a kind:

    rate_limit    answer 429 with `Retry-After` (nothing is created)
    server_error  answer a 5xx; by default before doing anything, with
                  `after_processing=True` after the request took effect
    drop          close the connection without answering; by default after the request
                  took effect (for POST /imports: the import exists), so the client cannot know
    slow          wait `delay` seconds before answering (the request takes effect first)

A fault fires on the matching requests after the first `skip` ones, `times` times (None: for
ever). Several slow faults add up; of the others, the first that fires wins.

The same plan can be written as text, for `specc sandbox` (flag or SPECC_SANDBOX_FAULTS):

    create:rate_limit:2:retry_after=1; errors:server_error:1:status=502; create:drop;
    get:slow:*:delay=0.5

that is `route:kind[:times][:name=value]...`, faults separated by `;`; `times` is a number or
`*` (every time).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from typing import TypeVar

from specc.diagnostics import shorten

# The routes the sandbox serves, by the names faults and request counters use.
ROUTES = (
    "create",
    "list",
    "get",
    "cancel",
    "errors",
    "properties",
    "property",
    "schemas",
    "schema",
    "batch_read",
)
KINDS = ("rate_limit", "server_error", "drop", "slow")
# The longest delay or Retry-After a plan may ask for: a day is longer than any test, and a
# wait of 1e300 s overflows the lock's timeout.
MAX_SECONDS = 86_400.0


@dataclass
class Fault:
    route: str  # one of ROUTES, or "*" for every route
    kind: str  # one of KINDS
    times: int | None = 1  # None: every matching request
    skip: int = 0  # let this many matching requests through first
    retry_after: float | None = 1.0  # rate_limit: the Retry-After header; None sends none
    status: int = 503  # server_error
    delay: float = 0.0  # slow
    # Whether the request takes effect before the fault; None: the kind's default
    # (True for drop and slow, False for rate_limit and server_error).
    after_processing: bool | None = None
    seen: int = field(default=0, init=False)  # matching requests so far
    fired: int = field(default=0, init=False)  # times the fault hit

    def __post_init__(self) -> None:
        if self.route != "*" and self.route not in ROUTES:
            raise ValueError(f"unknown route {self.route!r}; routes: {', '.join(ROUTES)}, *")
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault {self.kind!r}; faults: {', '.join(KINDS)}")
        if self.kind == "rate_limit" and self.after_processing:
            raise ValueError(
                "a rate_limit fault cannot come after processing: a 429 changes nothing"
            )
        if self.kind == "server_error" and not 500 <= self.status <= 599:
            raise ValueError(f"server_error status must be 5xx, not {self.status}")
        if (self.times is not None and self.times < 0) or self.skip < 0 or self.delay < 0:
            raise ValueError("times, skip and delay cannot be negative")
        for name, seconds in (("delay", self.delay), ("retry_after", self.retry_after)):
            if seconds is not None and not (math.isfinite(seconds) and 0 <= seconds <= MAX_SECONDS):
                raise ValueError(f"{name} must be a number of seconds from 0 to {MAX_SECONDS:,.0f}")

    @property
    def processes_first(self) -> bool:
        if self.after_processing is not None:
            return self.after_processing
        return self.kind in ("drop", "slow")

    def matches(self, route: str) -> bool:
        return self.route in ("*", route)


@dataclass(frozen=True)
class Decision:
    """What the server does with one request: the faults that apply to it."""

    before: Fault | None = None  # answer with this fault instead of processing
    after: Fault | None = None  # process, then answer with this fault (5xx or drop)
    delay: float = 0.0  # seconds to wait before answering


class FaultPlan:
    """Faults to inject; thread-safe, since the server answers requests concurrently."""

    def __init__(self, faults: list[Fault] | None = None) -> None:
        self.faults: list[Fault] = list(faults or [])
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> FaultPlan:
        with self._lock:
            self.faults.append(fault)
        return self

    # Shorthands for the common faults; each returns the plan, so they chain.
    def rate_limit(
        self, route: str, times: int | None = 1, retry_after: float | None = 1.0, skip: int = 0
    ) -> FaultPlan:
        return self.add(Fault(route, "rate_limit", times, skip, retry_after=retry_after))

    def server_error(
        self,
        route: str,
        times: int | None = 1,
        status: int = 503,
        skip: int = 0,
        after_processing: bool = False,
    ) -> FaultPlan:
        return self.add(
            Fault(
                route, "server_error", times, skip, status=status, after_processing=after_processing
            )
        )

    def drop(
        self, route: str, times: int | None = 1, skip: int = 0, after_processing: bool = True
    ) -> FaultPlan:
        return self.add(Fault(route, "drop", times, skip, after_processing=after_processing))

    def slow(self, route: str, delay: float, times: int | None = 1, skip: int = 0) -> FaultPlan:
        return self.add(Fault(route, "slow", times, skip, delay=delay))

    def decide(self, route: str) -> Decision:
        """Consume the faults that fire for this request (each request counts once per fault)."""
        before: Fault | None = None
        after: Fault | None = None
        delay = 0.0
        with self._lock:
            for fault in self.faults:
                if not fault.matches(route):
                    continue
                fault.seen += 1
                if fault.seen <= fault.skip:
                    continue
                if fault.times is not None and fault.fired >= fault.times:
                    continue
                if fault.kind == "slow":
                    fault.fired += 1
                    delay += fault.delay
                    continue
                if before is not None or after is not None:
                    continue  # one answer per request; this fault waits for a later one
                fault.fired += 1
                if fault.processes_first:
                    after = fault
                else:
                    before = fault
        return Decision(before, after, delay)

    @classmethod
    def parse(cls, text: str | None) -> FaultPlan:
        """A plan from its text form (see the module docstring); ValueError when malformed."""
        plan = cls()
        for item in (text or "").replace("\n", ";").split(";"):
            item = item.strip()
            if item:
                plan.add(_parse_fault(item))
        return plan


def _parse_fault(text: str) -> Fault:
    parts = [p.strip() for p in text.split(":")]
    item = shorten(text, 80)  # as messages quote it
    if len(parts) < 2:
        raise ValueError(f"fault {item!r}: write route:kind[:times][:name=value]...")
    route, kind, rest = parts[0], parts[1], parts[2:]
    times: int | None = 1
    if rest and "=" not in rest[0]:
        times = None if rest[0] == "*" else _number(item, "times", rest[0], int)
        rest = rest[1:]
    fault = Fault(route, kind, times)
    for option in rest:
        name, sep, value = option.partition("=")
        if not sep:
            raise ValueError(f"fault {item!r}: {option!r} is not name=value")
        if name == "retry_after":
            fault.retry_after = None if value == "none" else _number(item, name, value, float)
        elif name == "status":
            fault.status = _number(item, name, value, int)
        elif name == "delay":
            fault.delay = _number(item, name, value, float)
        elif name == "skip":
            fault.skip = _number(item, name, value, int)
        elif name == "after_processing":
            if value not in ("true", "false"):
                raise ValueError(f"fault {item!r}: after_processing is true or false")
            fault.after_processing = value == "true"
        else:
            raise ValueError(
                f"fault {item!r}: unknown option {name!r} "
                "(retry_after, status, delay, skip, after_processing)"
            )
    fault.__post_init__()  # options set after construction are checked too
    return fault


_Number = TypeVar("_Number", int, float)


def _number(item: str, name: str, value: str, kind: type[_Number]) -> _Number:
    try:
        return kind(value)
    except ValueError:  # a 5,000-digit number too (Python's int-digit limit)
        raise ValueError(
            f"fault {item!r}: {name} must be a number, not {shorten(value, 40)!r}"
        ) from None
