"""The HTTP client for HubSpot's imports, properties and schemas endpoints, on httpx.

Every GET (and the cancel, which is harmless to repeat) retries 429, 5xx and connection
errors. The upload is never retried here: `send_import` makes exactly one attempt and says
what happened, and `specc.hubspot.runner` decides whether sending again is safe.

httpx is imported when a client is made, never at module import, so commands that do not
talk to HubSpot never load it.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

from specc.errors import ConnectionFailed, SpeccError
from specc.hubspot.connection import Connection
from specc.hubspot.errors import (
    BadJson,
    HubSpotUnavailable,
    UnusableAnswer,
    api_error,
    json_values,
    load_json,
)
from specc.hubspot.events import OnEvent, Retrying, UploadProgress, UploadStarted, ignore
from specc.hubspot.retry import RETRYABLE_STATUSES, RetryPolicy, parse_retry_after
from specc.hubspot.upload import (
    FILE_PART,
    REQUEST_CONTENT_TYPE,
    REQUEST_PART,
    Upload,
)

if TYPE_CHECKING:
    import httpx

PAGE_SIZE = 100  # HubSpot does not document the maximum `limit`; 100 is accepted everywhere

# The most one answer may hold, per endpoint. Every body is read in chunks and reading stops
# at its bound, so a server that sends gigabytes (or never stops) costs a bounded amount of
# memory. Each bound is far above what HubSpot sends:
# - one import (its record, a cancel, the upload's answer): a few KiB, more when the record
#   echoes an importRequest of a thousand columns;
RECORD_LIMIT = 4 << 20
# - a page of 100 imports, or of 100 row errors each carrying its row's data;
PAGE_LIMIT = 32 << 20
# - every property of one object (thousands of options each, in the largest accounts) or
#   every custom object schema;
CATALOG_LIMIT = 64 << 20
# - an error answer: only its first lines are ever shown, so a longer one is cut, not refused.
ERROR_LIMIT = 1 << 20
# What the answers a command keeps may hold in all (the pages of one collection, the
# properties of every object of a catalog pull), in text and in JSON values (MAX_JSON_VALUES
# says what one costs): under 800 MB kept, however a server shapes its answers. Some 100,000
# row errors of a 20-column file, or the largest account's catalog several times over.
KEPT_BYTES = 256 << 20
KEPT_VALUES = 6_000_000


@dataclass(frozen=True)
class SendOutcome:
    """The result of one upload attempt.

    kind:
      "created"      HubSpot answered 2xx: `response` is the new import
      "not_sent"     the connection failed before any byte of the body left: safe to resend
      "rate_limited" 429: HubSpot refused it, nothing was created; wait `retry_after`
      "unknown"      the body (or part of it) was sent and no clear answer came back
    """

    kind: str
    response: dict[str, Any] | None = None
    retry_after: float | None = None
    reason: str = ""
    status: int | None = None
    text: str = ""


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("specc")
    except Exception:  # not installed (running from a source tree)
        return "0"


class _Progress:
    """A binary file whose reads are counted, so the upload can show how far it got.

    httpx reads file parts in 64 KiB chunks just before writing them to the socket, so bytes
    read is bytes sent to within one chunk. `fileno` lets httpx take the size from fstat for
    the Content-Length, without reading the file; a part of a file (specc.tables.parts) has
    none, and httpx seeks to its end instead.
    """

    def __init__(self, fh: IO[bytes], report: _Counter) -> None:
        self._fh = fh
        self._report = report

    def read(self, size: int = -1) -> bytes:
        chunk = self._fh.read(size)
        self._report.add(len(chunk))
        return chunk

    def fileno(self) -> int:
        return self._fh.fileno()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._fh.seek(offset, whence)

    def tell(self) -> int:
        return self._fh.tell()


class _Counter:
    def __init__(self, total: int, on_event: OnEvent) -> None:
        self.total = total
        self.sent = 0
        self._on_event = on_event

    def add(self, n: int) -> None:
        if n:
            self.sent += n
            self._on_event(UploadProgress(self.sent, self.total))


class HubSpotClient:
    def __init__(
        self,
        connection: Connection,
        retry: RetryPolicy | None = None,
        on_event: OnEvent = ignore,
        page_size: int = PAGE_SIZE,
    ) -> None:
        import httpx

        self.page_size = page_size
        self.connection = connection
        self.retry = retry or RetryPolicy()
        self.on_event = on_event
        token = connection.require_token()
        t = connection.timeouts
        self._sockets = _Sockets()
        self._http = httpx.Client(
            base_url=connection.base_url,
            headers={
                "Authorization": f"Bearer {token.reveal()}",
                "Accept": "application/json",
                "User-Agent": f"specc/{_version()}",
            },
            timeout=httpx.Timeout(connect=t.connect, read=t.read, write=t.write, pool=t.connect),
            verify=True,
            follow_redirects=False,
            # Proxies from the environment still apply (trust_env); a proxy URL holds no token.
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HubSpotClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- requests that are safe to repeat --------------------------------------------

    def request_json(
        self,
        method: str,
        path: str,
        *,
        action: str,
        params: Mapping[str, Any] | None = None,
        limit: int = RECORD_LIMIT,
        budget: Budget | None = None,
    ) -> Any:
        """Send a request that may be repeated; retry what is worth retrying; decode JSON.

        An answer that will be kept alongside others is charged to their `budget` first.
        """
        answer = self._answer(method, path, action=action, params=params, limit=limit)
        text = answer.text
        if budget is not None:
            budget.charge(text, action, self.connection.base_url)
        return decode_json(text, action, self.connection.base_url)

    def _answer(
        self,
        method: str,
        path: str,
        *,
        action: str,
        params: Mapping[str, Any] | None = None,
        limit: int = RECORD_LIMIT,
        json_body: Any = None,
    ) -> Answer:
        """The answer of a request that may be repeated, retried while worth it; an error
        status raises. An answer over `limit` bytes, or slower than the answer deadline, is
        not retried: the same server would do it again.
        """
        import httpx

        failures = 0
        while True:
            try:
                answer = self._exchange(
                    method, path, action=action, params=params, limit=limit, json_body=json_body
                )
            except httpx.TransportError as exc:
                failures += 1
                reason = transport_reason(exc)
                if failures >= self.retry.attempts:
                    raise ConnectionFailed(
                        f"could not {action}: {reason} ({self.connection.base_url})",
                        hint="check the network and --base-url, then try again",
                    ) from None
                self._wait(action, failures, self.retry.backoff(failures), reason)
                continue
            if answer.status in RETRYABLE_STATUSES:
                failures += 1
                retry_after = parse_retry_after(answer.headers)
                too_long = retry_after is not None and retry_after > self.retry.max_retry_after
                if failures >= self.retry.attempts or too_long:
                    raise api_error(answer.status, answer.text, action) from None
                delay = self.retry.delay(failures, retry_after)
                self._wait(action, failures, delay, f"HTTP {answer.status}")
                continue
            self._refuse_redirect(answer, action)
            if answer.status >= 400:
                raise api_error(answer.status, answer.text, action) from None
            return answer

    def _exchange(
        self,
        method: str,
        path: str,
        *,
        action: str,
        limit: int,
        params: Mapping[str, Any] | None = None,
        files: list[tuple[str, Any]] | None = None,
        timeout: httpx.Timeout | None = None,
        answer_seconds: float | None = None,
        json_body: Any = None,
    ) -> Answer:
        """One request and its whole answer, read in chunks up to `limit` bytes, within the
        answer deadline. httpx's TransportError passes through (the caller knows whether to
        retry); an answer too large or too slow is an UnusableAnswer."""
        import httpx

        seconds = self.connection.timeouts.answer if answer_seconds is None else answer_seconds
        watchdog = _Watchdog(self._sockets, seconds)
        extra: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
        if json_body is not None:
            extra["json"] = json_body
        try:
            with self._http.stream(
                method,
                path,
                params=params,
                files=files,
                extensions={"trace": watchdog.trace},
                **extra,
            ) as response:
                body = self._read_body(response, action, limit)
        except httpx.TransportError:
            if watchdog.fired:
                raise self._too_slow(action, seconds) from None
            raise
        finally:
            watchdog.cancel()
        if watchdog.fired:  # the last bytes came as the deadline passed
            raise self._too_slow(action, seconds)
        return Answer(response.status_code, response.headers, body)

    def _read_body(self, response: httpx.Response, action: str, limit: int) -> bytes:
        """The body, up to `limit` bytes: more is refused, except in an error answer (cut)."""
        if 300 <= response.status_code < 400:
            return b""  # never read: a redirect is refused whatever it says
        is_error = response.status_code >= 400
        bound = ERROR_LIMIT if is_error else limit
        declared = response.headers.get("content-length", "").strip()
        if not is_error and declared.isdigit() and (len(declared) > 15 or int(declared) > bound):
            announced = human_bytes(int(declared)) if len(declared) <= 15 else "more"
            raise self._too_large(action, bound, f"it announces {announced}")
        chunks: list[bytes] = []
        size = 0
        # iter_bytes undoes gzip/deflate, so the bound holds for what is held in memory.
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size > bound:
                if is_error:
                    return b"".join(chunks)[:bound]
                raise self._too_large(action, bound, "it goes on past that")
        return b"".join(chunks)

    def _too_large(self, action: str, bound: int, detail: str) -> UnusableAnswer:
        return UnusableAnswer(
            f"could not {action}: the answer of {self.connection.base_url} is larger than "
            f"{human_bytes(bound)} ({detail}); HubSpot's answers to this request are far "
            "smaller, so specc stopped reading",
            hint="check that --base-url points at HubSpot's API",
        )

    def _too_slow(self, action: str, seconds: float) -> UnusableAnswer:
        return UnusableAnswer(
            f"could not {action}: {self.connection.base_url} did not finish its answer "
            f"within {seconds:g} s",
            hint="check the network and --base-url; SPECC_ANSWER_TIMEOUT sets the deadline "
            "(seconds) for one answer",
        )

    def _refuse_redirect(self, answer: Answer, action: str) -> None:
        """specc follows no redirect: the token would go with it, possibly to another host."""
        if 300 <= answer.status < 400:
            location = answer.headers.get("location", "")
            where = f" to {location[:200]!r}" if location else ""
            raise UnusableAnswer(
                f"could not {action}: {self.connection.base_url} answered with a redirect "
                f"(HTTP {answer.status}){where}; specc follows no redirects, so the access "
                "token is never sent anywhere but --base-url",
                hint="point --base-url at the API's own address (https://api.hubapi.com)",
            )

    def post_json(
        self, path: str, body: Any, *, action: str, limit: int = PAGE_LIMIT
    ) -> tuple[Any, Mapping[str, str]]:
        """POST a JSON body to an endpoint that only reads (the CRM objects' batch reads):
        safe to repeat, so retried like a GET. The decoded answer (a 207 included) and its
        headers, whose X-HubSpot-RateLimit-* say how much of the burst limit is left."""
        answer = self._answer("POST", path, action=action, limit=limit, json_body=body)
        return decode_json(answer.text, action, self.connection.base_url), answer.headers

    def _wait(self, action: str, failures: int, delay: float, reason: str) -> None:
        self.on_event(Retrying(action, failures, delay, reason))
        self.retry.sleep(delay)

    def pages(
        self,
        path: str,
        *,
        action: str,
        params: Mapping[str, Any] | None = None,
        budget: Budget | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Every result of a paged collection, following `paging.next.after` to the end.

        The caller keeps the results, so all pages together are charged to one `Budget`: a
        server that pages without end stops there.
        """
        budget = budget or Budget()
        seen: set[str] = set()
        query = dict(params or {})
        query.setdefault("limit", self.page_size)
        while True:
            page = self.request_json(
                "GET", path, action=action, params=query, limit=PAGE_LIMIT, budget=budget
            )
            if not isinstance(page, Mapping):
                raise SpeccError(f"could not {action}: HubSpot's answer is not a collection")
            for item in page.get("results") or []:
                if isinstance(item, Mapping):
                    yield dict(item)
            after = next_cursor(page)
            if after is None:
                return
            if after in seen:  # a server that loops would otherwise keep us here forever
                raise SpeccError(f"could not {action}: HubSpot repeated the page cursor {after!r}")
            seen.add(after)
            query["after"] = after

    # --- imports -------------------------------------------------------------------

    def _import_path(self, import_id: str) -> str:
        ident = str(import_id).strip()
        if not ident.isdigit():
            raise SpeccError(f"an import id is a number, got {import_id!r}")
        return f"{self.connection.imports_path}/{ident}"

    def list_imports(self) -> list[dict[str, Any]]:
        return list(self.iter_imports())

    def iter_imports(self) -> Iterator[dict[str, Any]]:
        """The account's imports, a page at a time, for a caller that may stop early."""
        return self.pages(self.connection.imports_path, action="list the imports")

    def get_import(self, import_id: str) -> dict[str, Any]:
        action = f"get import {import_id}"
        found = self.request_json("GET", self._import_path(import_id), action=action)
        if not isinstance(found, Mapping) or not found:
            # An empty or non-object answer would print as an import with no id and no state.
            raise SpeccError(
                f"could not {action}: the answer of {self.connection.base_url} is not an import",
                hint="check that --base-url points at HubSpot's API",
            )
        return dict(found)

    def cancel_import(self, import_id: str) -> dict[str, Any]:
        found = self.request_json(
            "POST", self._import_path(import_id) + "/cancel", action=f"cancel import {import_id}"
        )
        return dict(found) if isinstance(found, Mapping) else {}

    def import_errors(self, import_id: str, *, row_data: bool = True) -> list[dict[str, Any]]:
        """Every error of an import, across every page."""
        return list(
            self.pages(
                self._import_path(import_id) + "/errors",
                action=f"get the errors of import {import_id}",
                params={
                    "includeErrorMessage": "true",
                    "includeRowData": "true" if row_data else "false",
                },
            )
        )

    def send_import(self, upload: Upload, attempt: int = 1) -> SendOutcome:
        """One upload attempt, streaming the files from disk. Never retries by itself.

        Every file is opened (UploadFile.open, through specc.inputs.open_input) before a byte
        goes out: one that is no longer a regular file inside the spec's roots (a FIFO, a
        link leading elsewhere) raises InputError, and nothing is sent."""
        import httpx

        counter = _Counter(sum(f.size for f in upload.files), self.on_event)
        t = self.connection.timeouts
        with ExitStack() as stack:
            parts: list[tuple[str, Any]] = [
                (REQUEST_PART, (None, upload.request_json.encode(), REQUEST_CONTENT_TYPE))
            ]
            for item in upload.files:
                try:
                    fh = stack.enter_context(item.open())
                except OSError as exc:  # a refused file is an InputError already
                    raise SpeccError(f"cannot read {item.shown_path}: {exc.strerror}") from None
                parts.append(
                    (FILE_PART, (item.file_name, _Progress(fh, counter), item.content_type))
                )
            self.on_event(UploadStarted(attempt, counter.total))
            try:
                answer = self._exchange(
                    "POST",
                    self.connection.imports_path,
                    action="start the import",
                    limit=RECORD_LIMIT,
                    files=parts,
                    timeout=httpx.Timeout(
                        connect=t.connect, read=t.upload_read, write=t.write, pool=t.connect
                    ),
                    # HubSpot answers once it has stored the file: up to upload_read of silence.
                    answer_seconds=t.upload_read + t.answer,
                )
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                return SendOutcome("not_sent", reason=transport_reason(exc))
            except httpx.TransportError as exc:
                return SendOutcome("unknown", reason=transport_reason(exc))
            except UnusableAnswer as exc:
                # The body went out and the answer could not be read to its end: the import
                # may exist, so the runner looks for it before anything is sent again.
                return SendOutcome("unknown", reason=exc.message)
        status = answer.status
        if status == 429:
            return SendOutcome(
                "rate_limited",
                retry_after=parse_retry_after(answer.headers),
                status=status,
                text=answer.text,
                reason="HTTP 429",
            )
        if status >= 500:
            # A 5xx may come after HubSpot stored the import (or from a proxy before it saw
            # anything): the outcome is unknown, so the runner checks before resending.
            return SendOutcome("unknown", status=status, text=answer.text, reason=f"HTTP {status}")
        self._refuse_redirect(answer, "start the import")
        if status >= 400:
            raise api_error(status, answer.text, "start the import") from None
        found = decode_json(answer.text, "start the import", self.connection.base_url)
        if not isinstance(found, Mapping) or not found.get("id"):
            raise SpeccError("HubSpot accepted the upload but its answer carries no import id")
        return SendOutcome("created", response=dict(found), status=status)

    # --- properties and schemas ---------------------------------------------------

    def properties(self, object_type: str, budget: Budget | None = None) -> list[dict[str, Any]]:
        found = self.request_json(
            "GET",
            self.connection.properties_path(object_type),
            action=f"read the properties of {object_type}",
            params={"archived": "false"},
            limit=CATALOG_LIMIT,
            budget=budget,
        )
        results = found.get("results") if isinstance(found, Mapping) else None
        return [dict(p) for p in results or [] if isinstance(p, Mapping)]

    def schemas(self, budget: Budget | None = None) -> list[dict[str, Any]]:
        found = self.request_json(
            "GET",
            self.connection.schemas_path,
            action="read the custom object schemas",
            params={"archived": "false"},
            limit=CATALOG_LIMIT,
            budget=budget,
        )
        results = found.get("results") if isinstance(found, Mapping) else None
        return [dict(s) for s in results or [] if isinstance(s, Mapping)]


def next_cursor(page: Mapping[str, Any]) -> str | None:
    paging = page.get("paging")
    if not isinstance(paging, Mapping):
        return None
    nxt = paging.get("next")
    if not isinstance(nxt, Mapping):
        return None
    after = nxt.get("after")
    return str(after) if after not in (None, "") else None


def decode_json(text: str, action: str, server: str = "the server") -> Any:
    if not text.strip():
        return {}
    try:
        return load_json(text)
    except BadJson as exc:
        raise SpeccError(
            f"could not {action}: the answer of {server} is not JSON HubSpot would send ({exc})",
            hint="check that --base-url points at HubSpot's API",
        ) from None


def transport_reason(exc: BaseException) -> str:
    """A short reason for a network failure. httpx messages carry no headers, so no token."""
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        kind = "timed out"
    elif isinstance(exc, httpx.ConnectError):
        kind = "connection failed"
    elif isinstance(exc, httpx.RemoteProtocolError):
        kind = "the connection dropped"
    else:
        kind = "network error"
    detail = str(exc).strip()
    # h11 quotes a whole bad status line, which a server may make as long as it likes.
    if len(detail) > 200:
        detail = detail[:200] + "..."
    return f"{kind} ({detail})" if detail else kind


def human_bytes(size: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
        if size < 1024 or unit == "TiB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.0f} {unit}"
        size //= 1024
    return f"{size} bytes"


class Budget:
    """What the answers a command keeps together may still hold (KEPT_BYTES, KEPT_VALUES).

    Each answer's byte bound holds one answer; a command that keeps many (every page of the
    row errors, every object's properties) charges them all to one budget, so a server that
    sends page after page cannot make it keep more than the budget in all.
    """

    def __init__(self, max_bytes: int = KEPT_BYTES, max_values: int = KEPT_VALUES) -> None:
        self.max_bytes = max_bytes
        self.max_values = max_values
        self.bytes = 0
        self.values = 0
        self.answers = 0

    def charge(self, text: str, action: str, server: str) -> None:
        self.answers += 1
        self.bytes += len(text)
        self.values += json_values(text)
        if self.bytes > self.max_bytes or self.values > self.max_values:
            which = (
                f"the answer of {server} holds"
                if self.answers == 1
                else f"the {self.answers} answers of {server} hold"
            )
            raise UnusableAnswer(
                f"could not {action}: {which} more than {human_bytes(self.max_bytes)} of JSON "
                f"or {self.max_values:,} values in all; specc keeps no more, so as not to run "
                "out of memory",
                hint="check that --base-url points at HubSpot's API",
            )


@dataclass(frozen=True)
class Answer:
    """A whole answer, read within its bounds."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def text(self) -> str:
        # HubSpot answers in UTF-8 JSON; anything else shows with replacement characters.
        return self.body.decode("utf-8", "replace")


class _Sockets:
    """The sockets of a client's connections, so a watchdog can cut the one in use.

    httpx reuses connections without saying which one a request got; only one request of a
    client is ever in flight, so cutting every open one cuts the right one.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []

    def add(self, stream: Any) -> None:
        sock = stream.get_extra_info("socket") if stream is not None else None
        if isinstance(sock, socket.socket):
            with self._lock:
                self._open = [s for s in self._open if s.fileno() != -1] + [sock]

    def cut(self) -> None:
        with self._lock:
            for sock in self._open:
                # socket.socket's own shutdown, also for TLS sockets: it wakes a blocked read
                # at once, where close() from another thread would not.
                with suppress(OSError, ValueError):
                    if sock.fileno() != -1:
                        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _Watchdog:
    """The deadline of one answer: httpx's timeouts bound each read, not their sum.

    It is armed when httpcore starts waiting for the answer's headers (the trace extension
    says so; an upload's body is sent by then) and, `seconds` later, cuts the connection,
    which ends the read in progress with a transport error the caller turns into "too slow".
    """

    def __init__(self, sockets: _Sockets, seconds: float) -> None:
        self.sockets = sockets
        self.seconds = seconds
        self.fired = False
        self._timer: threading.Timer | None = None

    def trace(self, name: str, info: Mapping[str, Any]) -> None:
        # By suffix: the prefix names the connection kind (connection, socks, http11, http2).
        if name.endswith((".connect_tcp.complete", ".start_tls.complete")):
            self.sockets.add(info.get("return_value"))
        elif name.endswith(".receive_response_headers.started") and self._timer is None:
            self._timer = threading.Timer(self.seconds, self._fire)
            self._timer.daemon = True
            self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        self.sockets.cut()

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


__all__ = ["HubSpotClient", "HubSpotUnavailable", "SendOutcome"]
