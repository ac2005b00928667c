"""Run an import: upload once (and only once), then follow it to the end.

The rule that keeps one command from creating two imports (cli-contract.md):

- a 429 or a connection that failed before sending means HubSpot created nothing: wait and
  send again; but a 429 that says the file is over HubSpot's per-file limits (no Retry-After,
  words of size or rows) would come back for every try: it is an error at once (FileOverLimit);
- any other failure after the body left (a timeout, a dropped connection, a 5xx) leaves the
  outcome unknown: list the imports and adopt the one with this name created no earlier than
  a minute before the first attempt began; send again only when there is none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from specc.errors import ConnectionFailed
from specc.hubspot.client import HubSpotClient, SendOutcome
from specc.hubspot.errors import (
    FileOverLimit,
    UnknownOutcome,
    api_error,
    over_file_limit,
    parse_error_body,
)
from specc.hubspot.events import Adopted, OutcomeUnknown, Polled, Resending, Retrying
from specc.hubspot.retry import PollPolicy
from specc.hubspot.upload import Upload

TERMINAL_STATES = frozenset({"DONE", "FAILED", "CANCELED", "REVERTED"})
# HubSpot's clock and ours may disagree a little; the contract allows a minute.
ADOPTION_WINDOW = timedelta(minutes=1)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Started:
    import_id: str
    response: dict[str, Any]
    adopted: bool = False  # found by listing after an unknown outcome, not from the answer
    attempts: int = 1


def start_import(client: HubSpotClient, upload: Upload, clock: Clock = utc_now) -> Started:
    """Upload and return the import that exists because of it: exactly one, whatever fails."""
    began = clock()
    policy = client.retry
    failures = 0
    attempt = 0
    while True:
        attempt += 1
        outcome = client.send_import(upload, attempt)
        if outcome.kind == "created":
            assert outcome.response is not None
            return Started(str(outcome.response["id"]), outcome.response, attempts=attempt)
        failures += 1
        if outcome.kind == "unknown":
            client.on_event(OutcomeUnknown(outcome.reason))
            # Give HubSpot a moment to finish storing what it may have received.
            policy.sleep(policy.backoff(failures))
            found = _adoptable(client, upload.name, began)
            if found:
                newest = found[0]
                client.on_event(Adopted(str(newest["id"]), len(found)))
                return Started(str(newest["id"]), newest, adopted=True, attempts=attempt)
            if failures >= policy.attempts:
                raise _gave_up(outcome)
            client.on_event(Resending(f"no import named {upload.name!r} exists; sending again"))
            continue
        limit_429 = outcome.kind == "rate_limited" and outcome.retry_after is None
        if limit_429 and over_file_limit(429, outcome.text, {}):
            raise FileOverLimit(429, parse_error_body(outcome.text), "start the import")
        # "not_sent" or "rate_limited": nothing was created, so sending again is safe.
        if failures >= policy.attempts:
            raise _gave_up(outcome)
        too_long = outcome.retry_after is not None and outcome.retry_after > policy.max_retry_after
        if too_long:
            raise _gave_up(outcome)
        delay = policy.delay(failures, outcome.retry_after)
        reason = f"{outcome.reason}; nothing was created"
        client.on_event(Retrying("start the import", attempt, delay, reason))
        policy.sleep(delay)


def _adoptable(client: HubSpotClient, name: str, began: datetime) -> list[dict[str, Any]]:
    """Imports named `name` created since a minute before `began`, newest first.

    If listing fails too, the outcome stays unknown and nothing may be sent: say so (exit 2)
    rather than risk a second import.
    """
    try:
        imports = client.list_imports()
    except ConnectionFailed as exc:
        raise UnknownOutcome(
            "the upload's answer was lost and the imports could not be listed to check whether "
            f"it created one: {exc.message}",
            hint="run `specc imports` to see whether the import exists before running again",
        ) from None
    return matching_imports(imports, name, began)


def matching_imports(
    imports: Iterable[Mapping[str, Any]], name: str, began: datetime
) -> list[dict[str, Any]]:
    since = began - ADOPTION_WINDOW
    found = []
    for item in imports:
        created = parse_time(item.get("createdAt"))
        if item.get("importName") == name and created is not None and created >= since:
            found.append(dict(item))
    found.sort(key=lambda i: parse_time(i.get("createdAt")) or since, reverse=True)
    return found


def parse_time(value: Any) -> datetime | None:
    """HubSpot's ISO 8601 instants (`2026-11-29T10:00:00.123Z`); epoch ms also accepted."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000, UTC)
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _gave_up(outcome: SendOutcome) -> Exception:
    if outcome.status is not None:
        return api_error(outcome.status, outcome.text, "start the import")
    if outcome.kind == "unknown":
        return UnknownOutcome(
            f"could not start the import: {outcome.reason}",
            hint="run `specc imports` to see whether an import was created before running again",
        )
    return ConnectionFailed(
        f"could not start the import: {outcome.reason}",
        hint="check the network and --base-url, then try again",
    )


def counters_of(record: Mapping[str, Any]) -> dict[str, Any]:
    """The import's `metadata.counters` (an open map: HubSpot does not list its keys)."""
    metadata = record.get("metadata")
    counters = metadata.get("counters") if isinstance(metadata, Mapping) else None
    return {str(k): v for k, v in counters.items()} if isinstance(counters, Mapping) else {}


def wait_for_import(
    client: HubSpotClient, import_id: str, poll: PollPolicy | None = None
) -> dict[str, Any]:
    """Poll the import until it reaches a terminal state; return its last record.

    Ctrl-C (KeyboardInterrupt) passes through untouched: the import keeps running at HubSpot.
    """
    poll = poll or PollPolicy()
    polls = 0
    while True:
        record = client.get_import(import_id)
        state = str(record.get("state") or "")
        client.on_event(Polled(import_id, state, counters_of(record)))
        if state in TERMINAL_STATES:
            return record
        poll.sleep(poll.interval(polls))
        polls += 1
