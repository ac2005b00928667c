"""The HTTP client for HubSpot's imports, properties and schemas endpoints, on httpx.

Every GET (and the cancel, which is harmless to repeat) retries 429, 5xx and connection
errors. The upload is never retried here: `send_import` makes exactly one attempt and says
what happened, and `specc.hubspot.runner` decides whether sending again is safe.

httpx is imported when a client is made, never at module import, so commands that do not
talk to HubSpot never load it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from types import TracebackType
from typing import IO, Any

from specc.errors import ConnectionFailed, SpeccError
from specc.hubspot.connection import Connection
from specc.hubspot.errors import HubSpotUnavailable, api_error
from specc.hubspot.events import OnEvent, Retrying, UploadProgress, UploadStarted, ignore
from specc.hubspot.retry import RETRYABLE_STATUSES, RetryPolicy, parse_retry_after
from specc.hubspot.upload import (
    FILE_PART,
    REQUEST_CONTENT_TYPE,
    REQUEST_PART,
    Upload,
)

PAGE_SIZE = 100  # HubSpot does not document the maximum `limit`; 100 is accepted everywhere


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
    the Content-Length, without reading the file.
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
    ) -> Any:
        """Send a request that may be repeated; retry what is worth retrying; decode JSON."""
        import httpx

        failures = 0
        while True:
            try:
                response = self._http.request(method, path, params=params)
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
            if response.status_code in RETRYABLE_STATUSES:
                failures += 1
                retry_after = parse_retry_after(response.headers)
                too_long = retry_after is not None and retry_after > self.retry.max_retry_after
                if failures >= self.retry.attempts or too_long:
                    raise api_error(response.status_code, response.text, action) from None
                delay = self.retry.delay(failures, retry_after)
                self._wait(action, failures, delay, f"HTTP {response.status_code}")
                continue
            if response.is_error:
                raise api_error(response.status_code, response.text, action) from None
            return decode_json(response.text, action)

    def _wait(self, action: str, failures: int, delay: float, reason: str) -> None:
        self.on_event(Retrying(action, failures, delay, reason))
        self.retry.sleep(delay)

    def pages(
        self, path: str, *, action: str, params: Mapping[str, Any] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every result of a paged collection, following `paging.next.after` to the end."""
        seen: set[str] = set()
        query = dict(params or {})
        query.setdefault("limit", self.page_size)
        while True:
            page = self.request_json("GET", path, action=action, params=query)
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
        return list(self.pages(self.connection.imports_path, action="list the imports"))

    def get_import(self, import_id: str) -> dict[str, Any]:
        found = self.request_json(
            "GET", self._import_path(import_id), action=f"get import {import_id}"
        )
        return dict(found) if isinstance(found, Mapping) else {}

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
        """One upload attempt, streaming the files from disk. Never retries by itself."""
        import httpx

        counter = _Counter(sum(f.size for f in upload.files), self.on_event)
        self.on_event(UploadStarted(attempt, counter.total))
        t = self.connection.timeouts
        with ExitStack() as stack:
            parts: list[tuple[str, Any]] = [
                (REQUEST_PART, (None, upload.request_json.encode(), REQUEST_CONTENT_TYPE))
            ]
            for item in upload.files:
                try:
                    fh = stack.enter_context(item.path.open("rb"))
                except OSError as exc:
                    raise SpeccError(f"cannot read {item.shown_path}: {exc.strerror}") from None
                parts.append(
                    (FILE_PART, (item.file_name, _Progress(fh, counter), item.content_type))
                )
            try:
                response = self._http.post(
                    self.connection.imports_path,
                    files=parts,
                    timeout=httpx.Timeout(
                        connect=t.connect, read=t.upload_read, write=t.write, pool=t.connect
                    ),
                )
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                return SendOutcome("not_sent", reason=transport_reason(exc))
            except httpx.TransportError as exc:
                return SendOutcome("unknown", reason=transport_reason(exc))
        status = response.status_code
        if status == 429:
            return SendOutcome(
                "rate_limited",
                retry_after=parse_retry_after(response.headers),
                status=status,
                text=response.text,
                reason="HTTP 429",
            )
        if status >= 500:
            # A 5xx may come after HubSpot stored the import (or from a proxy before it saw
            # anything): the outcome is unknown, so the runner checks before resending.
            return SendOutcome(
                "unknown", status=status, text=response.text, reason=f"HTTP {status}"
            )
        if response.is_error:
            raise api_error(status, response.text, "start the import") from None
        found = decode_json(response.text, "start the import")
        if not isinstance(found, Mapping) or not found.get("id"):
            raise SpeccError("HubSpot accepted the upload but its answer carries no import id")
        return SendOutcome("created", response=dict(found), status=status)

    # --- properties and schemas ---------------------------------------------------

    def properties(self, object_type: str) -> list[dict[str, Any]]:
        found = self.request_json(
            "GET",
            self.connection.properties_path(object_type),
            action=f"read the properties of {object_type}",
            params={"archived": "false"},
        )
        results = found.get("results") if isinstance(found, Mapping) else None
        return [dict(p) for p in results or [] if isinstance(p, Mapping)]

    def schemas(self) -> list[dict[str, Any]]:
        found = self.request_json(
            "GET",
            self.connection.schemas_path,
            action="read the custom object schemas",
            params={"archived": "false"},
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


def decode_json(text: str, action: str) -> Any:
    if not text.strip():
        return {}
    try:
        return json.loads(text)
    except ValueError:
        raise SpeccError(
            f"could not {action}: the server's answer is not JSON",
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
    return f"{kind} ({detail})" if detail else kind


__all__ = ["HubSpotClient", "HubSpotUnavailable", "SendOutcome"]
