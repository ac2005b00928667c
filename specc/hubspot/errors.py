"""HubSpot's error answers, parsed leniently and explained.

HubSpot documents `category`, `message`, `correlationId`, `context`, `errors[]`, but says every
field may be missing, and its own changelog spells `correlationID`; so every field is looked up
case-insensitively and nothing is required (hubspot-domain.md §7.6).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from specc.diagnostics import Diagnostic, SpecLocation
from specc.errors import ConnectionFailed, HubSpotRefused, SpeccError


@dataclass(frozen=True)
class ErrorDetail:
    message: str
    code: str | None = None
    where: str | None = None  # the `in` field: which part of the request
    context: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class HubSpotErrorBody:
    message: str | None = None
    category: str | None = None
    sub_category: str | None = None
    correlation_id: str | None = None
    context: dict[str, list[str]] = field(default_factory=dict)
    details: tuple[ErrorDetail, ...] = ()
    raw_text: str = ""  # the body when it was not JSON (a proxy's HTML page, say)


def _get(obj: Mapping[str, Any], name: str) -> Any:
    """A field by name, whatever its case (`correlationId`, `correlationID`, ...)."""
    if name in obj:
        return obj[name]
    lowered = name.lower()
    for key, value in obj.items():
        if isinstance(key, str) and key.lower() == lowered:
            return value
    return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _context(value: Any) -> dict[str, list[str]]:
    if not isinstance(value, Mapping):
        return {}
    out: dict[str, list[str]] = {}
    for key, items in value.items():
        if isinstance(items, list):
            out[str(key)] = [str(i) for i in items]
        elif items is not None:
            out[str(key)] = [str(items)]
    return out


# HubSpot's answers nest a few levels (a row error's context, a property's options); far
# deeper means a server that is not HubSpot, and specc's own code walks answers recursively.
MAX_JSON_DEPTH = 64
# HubSpot's numbers are ids and counters (under 20 digits). Python refuses ints of more than
# 4,300 digits with a ValueError that reads like a bug; this says what is wrong instead.
MAX_INT_DIGITS = 100
# Parsed, a JSON value costs up to ~90 bytes of memory (an object of one member is a 184-byte
# dict for 6 bytes of text), so the byte bounds on answers do not bound memory by themselves:
# this does, at under 400 MB. The largest account's properties of one object hold about a
# million values; a page of 100 row errors some thousands.
MAX_JSON_VALUES = 4_000_000


class BadJson(ValueError):
    """An answer that is not JSON specc can use; the message says why, for the user."""


def json_values(text: str) -> int:
    """An upper bound on the values and members in a JSON text, counted without parsing it:
    every one but the first follows a `,`, `:`, `[` or `{` (those inside strings count too)."""
    return sum(text.count(c) for c in ",:[{") + 1


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise BadJson(f"it holds a number of {len(digits.lstrip('-')):,} digits")
    return int(digits)


def load_json(text: str, max_values: int = MAX_JSON_VALUES) -> Any:
    """An answer's JSON, refusing (BadJson) what no HubSpot answer holds: more than
    `max_values` values, nesting deeper than MAX_JSON_DEPTH, integers longer than
    MAX_INT_DIGITS, and anything that is not JSON."""
    if json_values(text) > max_values:
        raise BadJson(f"it holds more than {max_values:,} values")
    try:
        data = json.loads(text, parse_int=_bounded_int)
    except BadJson:
        raise
    except RecursionError:  # json's C scanner stops at the interpreter's recursion limit
        raise BadJson(f"it nests deeper than {MAX_JSON_DEPTH} levels") from None
    except ValueError:
        raise BadJson("it is not JSON") from None
    if _nests_deeper(data, MAX_JSON_DEPTH):
        raise BadJson(f"it nests deeper than {MAX_JSON_DEPTH} levels")
    return data


def _nests_deeper(data: Any, limit: int) -> bool:
    """Whether lists and objects nest more than `limit` deep in `data`. Walked with a stack
    of iterators, one per level: memory grows with the depth, never with the width."""
    stack: list[Iterator[Any]] = [iter((data,))]
    while stack:
        for item in stack[-1]:
            if isinstance(item, dict | list):
                if len(stack) > limit:
                    return True
                stack.append(iter(item.values() if isinstance(item, dict) else item))
                break
        else:
            stack.pop()
    return False


def parse_error_body(text: str) -> HubSpotErrorBody:
    try:
        data = load_json(text) if text.strip() else None
    except BadJson:
        data = None
    if not isinstance(data, Mapping):
        return HubSpotErrorBody(raw_text=text.strip()[:500])
    details = []
    for item in _get(data, "errors") or []:
        if isinstance(item, Mapping):
            details.append(
                ErrorDetail(
                    message=_text(_get(item, "message")) or "",
                    code=_text(_get(item, "code")),
                    where=_text(_get(item, "in")),
                    context=_context(_get(item, "context")),
                )
            )
    return HubSpotErrorBody(
        message=_text(_get(data, "message")),
        category=_text(_get(data, "category")),
        sub_category=_text(_get(data, "subCategory")),
        correlation_id=_text(_get(data, "correlationId")),
        context=_context(_get(data, "context")),
        details=tuple(details),
    )


def hint_for(status: int, body: HubSpotErrorBody, *, action: str = "") -> str | None:
    """What the user can do about an error status."""
    if status == 401:
        return (
            "HubSpot did not accept the access token: check HUBSPOT_ACCESS_TOKEN (it may be "
            "expired, revoked or for another account) and that --base-url points at HubSpot"
        )
    if status == 403:
        missing = body.context.get("missingScopes") or body.context.get("requiredScopes")
        scopes = ", ".join(missing) if missing else "crm.import"
        reading = "properties or schemas" if action.startswith("read") else "imports"
        return (
            f"the token lacks a scope HubSpot requires for {reading} ({scopes}): add it to the "
            "private app or service key in HubSpot's settings, then use the new token"
        )
    if status == 404 and action:
        return "check the import id and --api-version; imports of other apps are not visible"
    if status == 429:
        return "HubSpot's rate limit or daily import limit was reached; try again later"
    if status == 414:
        return "the request line is too long"
    return None


class _ErrorAnswer(SpeccError):
    """What both kinds of error answer keep: the status, HubSpot's body, what was being done."""

    def __init__(
        self, status: int, body: HubSpotErrorBody, action: str, message: str, hint: str | None
    ) -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.body = body
        self.action = action

    def __str__(self) -> str:
        return self.message

    def diagnostic(self, spec: SpecLocation | None = None) -> Diagnostic:
        """The error as a diagnostic with its SPC5xx code, for reports."""
        return diagnostic_for(self.status, self.message, self.hint, spec)


class HubSpotApiError(_ErrorAnswer, HubSpotRefused):
    """HubSpot answered a request with an error status it means (4xx): exit 1, it refused."""

    def __init__(self, status: int, body: HubSpotErrorBody, action: str = "") -> None:
        super().__init__(
            status,
            body,
            action,
            describe(status, body, action),
            hint_for(status, body, action=action),
        )


class HubSpotUnavailable(_ErrorAnswer, ConnectionFailed):
    """HubSpot kept answering 5xx or 429 after every retry (exit 2: try again later)."""

    def __init__(self, status: int, body: HubSpotErrorBody, action: str = "") -> None:
        super().__init__(
            status,
            body,
            action,
            describe(status, body, action, verb="could not"),
            hint_for(status, body, action=action)
            or "HubSpot may be having trouble; try again later",
        )


# What HubSpot's 429 for a file over its limits speaks of ("If your request exceeds either the
# row or size limit, HubSpot will respond with a 429"). Its rate-limit 429s speak of "limit"
# too, but name a policy (`policyName`, category RATE_LIMITS) and say when to come back.
_FILE_LIMIT_WORDS = re.compile(
    r"too large|too big|exceed|split|\brows?\b|\bMB\b|file size|1,048,576|1048576", re.I
)


def over_file_limit(status: int, text: str, headers: Mapping[str, str]) -> bool:
    """Whether an upload's error answer says the file is over HubSpot's per-file limits: a
    429 that is not the rate limit's (no Retry-After, no policy) and speaks of size or rows.
    Such an answer is never worth another try of the same file."""
    if status != 429:
        return False
    if any(key.lower() == "retry-after" for key in headers):
        return False
    body = parse_error_body(text)
    if (body.category or "").upper() == "RATE_LIMITS" or "policyname" in text.lower():
        return False
    said = " ".join([body.message or "", body.raw_text, *(d.message for d in body.details)])
    return bool(_FILE_LIMIT_WORDS.search(said))


class FileOverLimit(HubSpotApiError):
    """HubSpot refused the upload's file as over its per-file limits (a 429 that no retry
    can change): exit 1, with what to do about it."""

    def __init__(self, status: int, body: HubSpotErrorBody, action: str = "") -> None:
        super().__init__(status, body, action)
        self.hint = (
            "HubSpot takes files of up to 1,048,576 rows and 512 MB; `specc check` says "
            "whether specc sends the file in parts (SPC472: a spec of one CSV file) or it "
            "must be cut first (a spreadsheet, a spec of several files); an account on "
            "HubSpot's free tools takes files of up to 20 MB"
        )

    def diagnostic(self, spec: SpecLocation | None = None) -> Diagnostic:
        from specc.codes import rows as codes

        return codes.REFUSED_OVER_LIMIT.at(self.message, hint=self.hint, spec=spec)


def api_error(status: int, text: str, action: str) -> HubSpotApiError | HubSpotUnavailable:
    """The exception for an error answer: refused (4xx) or unavailable (5xx, 429)."""
    body = parse_error_body(text)
    if status >= 500 or status == 429:
        return HubSpotUnavailable(status, body, action)
    return HubSpotApiError(status, body, action)


def diagnostic_for(
    status: int, message: str, hint: str | None, spec: SpecLocation | None
) -> Diagnostic:
    from specc.codes import hubspot as codes

    if status == 401:
        code = codes.UNAUTHORIZED
    elif status == 403:
        code = codes.FORBIDDEN
    elif status == 429:
        code = codes.RATE_LIMITED
    elif status >= 500:
        code = codes.SERVER_ERROR
    else:
        code = codes.REFUSED
    return code.at(message, hint=hint, spec=spec)


def describe(status: int, body: HubSpotErrorBody, action: str, verb: str = "refused to") -> str:
    """One readable block: status, category, message, details, context, correlation id."""
    if action:
        head = f"HubSpot {verb} {action}"
    else:
        head = "HubSpot refused the request" if verb == "refused to" else "HubSpot failed"
    head += f" (HTTP {status}"
    if body.category:
        head += f", {body.category}"
        if body.sub_category:
            head += f"/{body.sub_category}"
    head += ")"
    lines = [head + (f": {body.message}" if body.message else "")]
    if not body.message and body.raw_text:
        lines[0] += f": {body.raw_text[:200]}"
    for detail in body.details:
        where = f" [{detail.where}]" if detail.where else ""
        code = f" ({detail.code})" if detail.code else ""
        lines.append(f"  - {detail.message}{where}{code}")
        for key, values in detail.context.items():
            lines.append(f"      {key}: {', '.join(values)}")
    for key, values in body.context.items():
        lines.append(f"  {key}: {', '.join(values)}")
    if body.correlation_id:
        lines.append(f"  correlation id: {body.correlation_id} (quote it to HubSpot support)")
    return "\n".join(lines)


class UnknownOutcome(ConnectionFailed):
    """The upload may or may not have created an import, and specc could not find out."""


class UnusableAnswer(ConnectionFailed):
    """The server answered, but not as HubSpot does: an endless or oversized body, an answer
    that trickles in past its deadline, a redirect. Exit 2: specc could not do its job, and
    the message names the server so the user can check --base-url."""
