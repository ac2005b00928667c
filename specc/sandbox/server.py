"""The sandbox's HTTP side: routes, authentication, faults, and the server's lifecycle.

Routes (every imports route under `/crm/v3/imports` and the dated `/crm/imports/<version>`):

    POST {imports}                  create     start an import (multipart: importRequest + files)
    GET  {imports}                  list       newest first; paging `after`, `limit`
    GET  {imports}/{id}             get
    POST {imports}/{id}/cancel      cancel
    GET  {imports}/{id}/errors      errors     paging; includeErrorMessage, includeRowData
    GET  {properties}/{objectType}  properties `CollectionResponsePropertyNoPaging`
    GET  {properties}/{objectType}/{name}  property
    GET  {schemas}                  schemas    custom objects of the catalog
    GET  {schemas}/{objectType}     schema
    GET  /crm/v3/owners, /crm/v3/pipelines/{objectType}, /crm/v3/property-validations/{id}
                                    owners, pipelines, validations (specc.sandbox.account)
    POST {objects}/{objectType}/batch/read  batch_read  records imports wrote, by id or idProperty

HubSpot does not document the order of `GET /imports`. The sandbox lists newest first, so a
client looking for an import it just started finds it on the first page, and pages by import
id, so an import created while a client pages never shifts a page. Clients should not rely on
the order.

Whatever a client sends, the sandbox answers in HubSpot's `Error` shape or closes the
connection, and never prints: a malformed id, query or body is a 400 (a file over HubSpot's
size limit a 429, as HubSpot documents), the HTTP parser's own refusals (an overlong request
line or header) are JSON too, a client that resets or stalls is dropped silently, and a bug of
the sandbox is a 500 kept in `SandboxServer.failures` (its traceback only in the debug log).
It listens on loopback unless told otherwise (`allow_remote`), since it accepts any token.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import logging
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from specc.catalog.model import Catalog
from specc.catalog.objects import CUSTOM_OBJECT_ID, resolve_object, standard_objects
from specc.diagnostics import shorten
from specc.errors import UsageError
from specc.sandbox import account as account_routes
from specc.sandbox.adapter import spec_from_request
from specc.sandbox.faults import Fault, FaultPlan
from specc.sandbox.imports import ACTIVE_STATES, ImportRecord, Runner, StoredFile, Timing
from specc.sandbox.records import RecordStore
from specc.sandbox.shapes import SANDBOX_PORTAL_ID, error_body, iso, property_body, schema_body
from specc.sandbox.upload import (
    ASCII_DIGITS,
    CHUNK,
    MAX_OTHER_BODY,
    Body,
    NotMultipart,
    Part,
    TooLarge,
    UploadError,
    UploadLimits,
    boundary_of,
    content_length,
    parse_parts,
)
from specc.sandbox.validate import missing_required, request_problems

_log = logging.getLogger(__name__)

IMPORT_VERSIONS = {
    "v3": "/crm/v3/imports",
    **{v: f"/crm/imports/{v}" for v in ("2025-09", "2026-03", "2026-09")},
}
PROPERTY_PREFIXES = (
    "/crm/v3/properties",
    "/crm/properties/2025-09",
    "/crm/properties/2026-03",
    "/crm/properties/2026-09",
)
SCHEMA_PREFIXES = ("/crm/v3/schemas", "/crm-object-schemas/v3/schemas")
OBJECT_PREFIXES = (
    "/crm/v3/objects",
    "/crm/objects/2025-09",
    "/crm/objects/2026-03",
    "/crm/objects/2026-09",
)
IMPORT_SCOPE = "crm.import"
SCHEMA_SCOPES = (
    "crm.schemas.custom.read",
    "crm.objects.custom.read",
    "crm.objects.custom.sensitive.read.v2",
    "crm.objects.custom.highly_sensitive.read.v2",
)
DEFAULT_LIMITS = {"list": 10, "errors": 100}
MAX_LIMIT = 1000
FIRST_IMPORT_ID = 71_000_001
FIRST_FILE_ID = 3_579_849
HUBSPOT_AUTH_DOC = "https://developers.hubspot.com/docs/api/intro-to-auth"
# importId is an int64 in HubSpot's OpenAPI files; `after` cursors are import ids or offsets.
INT64_MAX = 2**63 - 1
# More parameters than any route reads: a longer query is noise (or an attack on the parser).
MAX_QUERY_FIELDS = 50
# The exchange log is for tests; a long-running sandbox keeps only the most recent ones.
MAX_LOG = 100_000
# A body left unread when the sandbox refuses a request: how much of it is read and dropped to
# keep the connection, and how long the rest is read after the answer (so the client sees the
# answer rather than a reset).
DRAIN_BUDGET = 1024 * 1024
LINGER_SECONDS = 2.0
# A client silent this long (mid-request or idle between requests) is dropped.
IDLE_SECONDS = 60.0
# The listen backlog: a burst of clients all connecting at once waits here, not in a timeout
# (the kernel caps it at net.core.somaxconn).
LISTEN_BACKLOG = 1024


class Reply(Exception):
    """Answer the request now with this status and body (errors, mostly)."""

    def __init__(
        self, status: int, body: dict[str, Any], headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = dict(headers or {})


@dataclass(frozen=True)
class Route:
    name: str  # create, list, get, cancel, errors, properties, property, schemas, schema
    method: str
    version: str  # v3, 2026-03, ... ("v3" for properties and schemas under /v3/)
    prefix: str  # the path up to the resource, for paging links
    import_id: str | None = None
    object_type: str | None = None
    property_name: str | None = None


@dataclass(frozen=True)
class Exchange:
    """One request the sandbox received, for tests (never holds the token)."""

    route: str | None
    method: str
    path: str
    status: int | None  # None: the connection was dropped without an answer
    fault: str | None = None


def match_route(method: str, path: str) -> Route | None:
    """The route a request path names (whatever its method), or None."""
    path = path.rstrip("/") or "/"
    for version, prefix in IMPORT_VERSIONS.items():
        if path == prefix:
            return Route("create" if method == "POST" else "list", method, version, prefix)
        if path.startswith(prefix + "/"):
            rest = path[len(prefix) + 1 :].split("/")
            if len(rest) == 1:
                return Route("get", method, version, prefix, import_id=rest[0])
            if len(rest) == 2 and rest[1] in ("cancel", "errors"):
                return Route(rest[1], method, version, prefix, import_id=rest[0])
            return None
    for prefix in PROPERTY_PREFIXES:
        if path.startswith(prefix + "/"):
            version = "v3" if prefix.startswith("/crm/v3/") else prefix.rsplit("/", 1)[1]
            rest = path[len(prefix) + 1 :].split("/")
            if len(rest) == 1:
                return Route("properties", method, version, prefix, object_type=rest[0])
            if len(rest) == 2 and rest[1] not in ("groups", "batch"):
                return Route(
                    "property", method, version, prefix, object_type=rest[0], property_name=rest[1]
                )
            return None
    for prefix in OBJECT_PREFIXES:
        if path.startswith(prefix + "/"):
            rest = path[len(prefix) + 1 :].split("/")
            if len(rest) == 3 and rest[1:] == ["batch", "read"]:
                version = "v3" if prefix.startswith("/crm/v3/") else prefix.rsplit("/", 1)[1]
                return Route("batch_read", method, version, prefix, object_type=rest[0])
            return None
    for prefix in SCHEMA_PREFIXES:
        if path == prefix:
            return Route("schemas", method, "v3", prefix)
        if path.startswith(prefix + "/") and "/" not in path[len(prefix) + 1 :]:
            return Route("schema", method, "v3", prefix, object_type=path[len(prefix) + 1 :])
    account = account_routes.match(path)
    if account is not None:
        return Route(account[0], method, "v3", path.rstrip("/"), object_type=account[1])
    return None


EXPECTED_METHOD = {"create": "POST", "cancel": "POST", "batch_read": "POST"}


class SandboxServer:
    """A HubSpot-compatible imports server on loopback, running in a background thread.

    Tests read its state directly: `imports` (by id, each with the exact `files` received),
    `requests` (a Counter of requests per route name), `log` (every exchange, in order),
    and `faults` (the FaultPlan, which may be extended while the server runs).
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        catalog: Catalog | None = None,
        faults: FaultPlan | None = None,
        *,
        tokens: Mapping[str, set[str] | frozenset[str]] | None = None,
        timing: Timing | None = None,
        limits: UploadLimits | None = None,
        allow_remote: bool = False,
    ) -> None:
        if catalog is None:
            from specc.catalog.bundled import bundled_catalog

            catalog = bundled_catalog()
        self.catalog = catalog
        self.faults = faults if faults is not None else FaultPlan()
        # None: any bearer token is valid, with every scope (a user's dry run needs no setup).
        self.tokens = None if tokens is None else {t: frozenset(s) for t, s in tokens.items()}
        self.timing = timing or Timing()
        self.limits = limits or UploadLimits()
        self.imports: dict[str, ImportRecord] = {}
        self.requests: Counter[str] = Counter()
        self.log: list[Exchange] = []
        # Bugs of the sandbox met while answering ("ExcType: message"), each answered with a 500.
        self.failures: list[str] = []
        self.lock = threading.RLock()
        self.stopping = threading.Event()
        # Bound first: a busy port must not leave a temporary folder behind.
        self._httpd = _HTTPServer((host, port), _Handler)
        self._httpd.sandbox = self
        # Checked on the address actually bound (a name may resolve to anything): any token is
        # accepted, so beyond loopback anyone who reaches the port can use it.
        if not allow_remote and not is_loopback(self.host):
            self._httpd.server_close()
            named = host or "every address"
            bound = named if named == self.host else f"{named} ({self.host})"
            raise UsageError(
                f"the sandbox would listen on {bound}, which other machines can reach, and it "
                "accepts any token",
                hint="listen on 127.0.0.1 (the default), or add --allow-remote to serve "
                "other machines anyway",
            )
        self._folder = Path(tempfile.mkdtemp(prefix="specc-sandbox-"))
        self._next_import = FIRST_IMPORT_ID
        self._next_file = FIRST_FILE_ID
        self._next_list = 1
        self._uploads = 0
        self.aliases = _custom_aliases(catalog)
        # The CRM records the imports write, read back by `batch_read` (specc.sandbox.records).
        self.records = RecordStore(catalog)
        self.runner = Runner(catalog, self.timing, self.lock, self.stopping, self.records)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="specc-sandbox",
            daemon=True,
        )
        self._started = False

    @property
    def host(self) -> str:
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> SandboxServer:
        if not self._started:
            self._started = True
            self._thread.start()
        return self

    def shutdown(self) -> None:
        """Stop answering, stop the import runs, and delete the uploaded files."""
        self.stopping.set()
        if self._started:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()
        shutil.rmtree(self._folder, ignore_errors=True)

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.shutdown()

    def count(self, route: str) -> int:
        """How many requests reached a route (faulted and refused ones included)."""
        with self.lock:
            return self.requests[route]

    def wait(self, import_id: str, timeout: float = 10.0) -> ImportRecord:
        """The import once it reached a terminal state; TimeoutError when it does not in time."""
        record = self.imports[str(import_id)]
        if not record.finished.wait(timeout):
            raise TimeoutError(f"import {import_id} is still {record.state} after {timeout}s")
        return record

    # -- request handling (called from the handler's threads) --

    def authorize(self, route: Route, authorization: str | None) -> None:
        scheme, _, token = (authorization or "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise Reply(
                401,
                error_body(
                    "INVALID_AUTHENTICATION",
                    "Authentication credentials not found. This API supports OAuth 2.0 and "
                    "private app access tokens, sent as 'Authorization: Bearer <token>'. "
                    f"See {HUBSPOT_AUTH_DOC}",
                ),
            )
        if self.tokens is None:
            return
        scopes = self.tokens.get(token)
        if scopes is None:
            raise Reply(
                401,
                error_body(
                    "INVALID_AUTHENTICATION",
                    "The access token is invalid or has expired. Create a new one for your "
                    f"private app or refresh your OAuth token. See {HUBSPOT_AUTH_DOC}",
                ),
            )
        needed = _needed_scopes(route)
        if not any(_grants(scope, need) for scope in scopes for need in needed):
            shown = self._scopes_to_show(route, needed)
            raise Reply(
                403,
                error_body(
                    "MISSING_SCOPES",
                    "This app hasn't been granted all required scopes to make this call. Read more "
                    "about required scopes here: https://developers.hubspot.com/scopes.",
                    context={"missingScopes": shown},
                    errors=[
                        {
                            "message": "One or more of the following scopes are required.",
                            "context": {"requiredGranularScopes": shown},
                        }
                    ],
                    links={"scopes": "https://developers.hubspot.com/scopes"},
                ),
            )

    def _scopes_to_show(self, route: Route, needed: tuple[str, ...]) -> list[str]:
        """Scopes a 403 names: concrete ones, as HubSpot lists them, not our patterns."""
        if route.name not in ("properties", "property", "batch_read"):
            return list(needed)
        found = resolve_object(route.object_type or "", self.aliases) or ""
        info = standard_objects().get(found)
        name = "custom" if CUSTOM_OBJECT_ID.match(found) or info is None else info.name
        if route.name == "batch_read":
            return [f"crm.objects.{name}.read"]
        return [f"crm.objects.{name}.read", f"crm.schemas.{name}.read"]

    def create(
        self, route: Route, content_type: str | None, chunks: Iterable[bytes]
    ) -> dict[str, Any]:
        try:
            boundary = boundary_of(content_type)
        except NotMultipart as exc:
            raise Reply(415, error_body("VALIDATION_ERROR", str(exc))) from None
        except UploadError as exc:
            raise Reply(400, error_body("VALIDATION_ERROR", str(exc))) from None
        with self.lock:
            self._uploads += 1
            folder = self._folder / f"upload-{self._uploads}"
        folder.mkdir()
        try:
            return self._create(route, parse_parts(chunks, boundary, folder, self.limits), folder)
        except TooLarge as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise Reply(*too_large(str(exc))) from None
        except UploadError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise Reply(400, error_body("VALIDATION_ERROR", str(exc))) from None
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise

    def _create(self, route: Route, parts: list[Part], folder: Path) -> dict[str, Any]:
        request_parts = [p for p in parts if p.name == "importRequest"]
        file_parts = [p for p in parts if p.name == "files"]
        if len(request_parts) != 1:
            raise Reply(
                400,
                error_body(
                    "VALIDATION_ERROR",
                    "The upload needs exactly one 'importRequest' part (the request JSON as text), "
                    f"found {len(request_parts)}",
                ),
            )
        unnamed = [p for p in file_parts if not p.filename]
        if unnamed:
            raise Reply(
                400,
                error_body(
                    "VALIDATION_ERROR", "Every 'files' part needs a filename equal to its fileName"
                ),
            )
        part = request_parts[0]
        if part.size > self.limits.text_bytes:  # sent as a file part, so not bounded as text
            raise Reply(
                400,
                error_body(
                    "VALIDATION_ERROR",
                    f"The importRequest is larger than {self.limits.text_bytes:,} bytes",
                ),
            )
        raw = part.path.read_bytes() if part.path is not None else part.text
        text = raw.decode("utf-8", errors="replace")
        try:
            request = json.loads(text)
        except json.JSONDecodeError as exc:
            raise Reply(
                400,
                error_body(
                    "VALIDATION_ERROR",
                    f"Unable to parse the importRequest JSON: {exc.msg} "
                    f"at line {exc.lineno} column {exc.colno}",
                ),
            ) from None
        except (ValueError, RecursionError) as exc:
            # A number past Python's int-digit limit, or arrays nested thousands deep.
            reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            raise Reply(
                400,
                error_body("VALIDATION_ERROR", f"Unable to parse the importRequest JSON: {reason}"),
            ) from None
        problems = request_problems(request, [str(p.filename) for p in file_parts], self.aliases)
        if problems:
            raise Reply(
                400,
                error_body(
                    "VALIDATION_ERROR",
                    problems[0].message
                    if len(problems) == 1
                    else f"{len(problems)} problems with the import request: "
                    + "; ".join(p.message for p in problems),
                    errors=[{"message": p.message, "in": p.where} for p in problems],
                ),
            )
        # Every part with a filename was streamed to a file of its own (see parse_parts).
        uploads = {str(p.filename): p for p in file_parts if p.path is not None}
        stored_paths = {name: p.path for name, p in uploads.items() if p.path is not None}
        spec = spec_from_request(request, stored_paths, self.aliases)
        missing_list = missing_required(spec, self.catalog)
        if missing_list:
            missing = missing_list[0]  # HubSpot's message names one object
            raise Reply(
                400,
                error_body(
                    "VALIDATION_ERROR",
                    missing.message,
                    context={
                        f"{missing.object_name} properties": [f"[{', '.join(missing.provided)}]"]
                    },
                ),
            )
        now = datetime.now(UTC)
        with self.lock:
            import_id = str(self._next_import)
            self._next_import += 1
            stored: dict[str, StoredFile] = {}
            for entry in request["files"]:
                upload = uploads[entry["fileName"]]
                stored[entry["fileName"]] = StoredFile(
                    entry["fileName"],
                    self._next_file,
                    stored_paths[entry["fileName"]],
                    upload.size,
                    upload.content_type,
                    sha256=upload.sha256,
                    rows=upload.rows,
                    kept=upload.kept,
                )
                self._next_file += 1
            record = ImportRecord(
                id=import_id,
                name=request["name"],
                request=request,
                request_text=text,
                files=stored,
                spec=spec,
                api_version=route.version,
                created_at=now,
                updated_at=now,
                parts=[(p.name, p.filename, p.content_type) for p in parts],
            )
            if (
                request.get("createContactListFromImport")
                and "0-1" in record.mapped_object_type_ids()
            ):
                record.list_id = str(self._next_list)
                self._next_list += 1
            self.imports[import_id] = record
            body = record.to_json()
        self.runner.start(record, folder)
        return body

    def list_imports(self, route: Route, query: Mapping[str, str], host: str) -> dict[str, Any]:
        limit = _limit(query, DEFAULT_LIMITS["list"])
        after = _cursor(query)
        with self.lock:
            newest_first = sorted(self.imports.values(), key=lambda r: int(r.id), reverse=True)
            if after is not None:
                newest_first = [r for r in newest_first if int(r.id) < after]
            page = newest_first[:limit]
            body: dict[str, Any] = {"results": [r.to_json() for r in page]}
        if len(newest_first) > limit:
            body["paging"] = _next_page(
                host, route.prefix, {"after": page[-1].id, "limit": str(limit)}
            )
        return body

    def record_of(self, route: Route) -> ImportRecord:
        number = _int64(_segment(route.import_id or ""))
        if number is None:
            raise Reply(
                400,
                error_body(
                    "VALIDATION_ERROR",
                    f"importId {shorten(route.import_id or '')!r} must be an integer",
                ),
            )
        record = self.imports.get(str(number))
        if record is None:
            raise Reply(404, error_body("OBJECT_NOT_FOUND", f"Import {number} not found"))
        return record

    def get_import(self, route: Route) -> dict[str, Any]:
        with self.lock:
            return self.record_of(route).to_json()

    def cancel(self, route: Route) -> dict[str, Any]:
        requested = datetime.now(UTC)
        with self.lock:
            record = self.record_of(route)
            if record.state not in ACTIVE_STATES:
                raise Reply(
                    400,
                    error_body(
                        "VALIDATION_ERROR",
                        f"Import {record.id} is {record.state}: only STARTED, PROCESSING or "
                        "DEFERRED imports can be canceled",
                    ),
                )
            record.touch("CANCELED")
            done = record.updated_at
        return {
            "status": "COMPLETE",
            "requestedAt": iso(requested),
            "startedAt": iso(requested),
            "completedAt": iso(done),
        }

    def import_errors(self, route: Route, query: Mapping[str, str], host: str) -> dict[str, Any]:
        limit = _limit(query, DEFAULT_LIMITS["errors"])
        include_message = _flag(query, "includeErrorMessage")
        include_row = _flag(query, "includeRowData")
        start = _cursor(query) or 0
        with self.lock:
            errors = list(self.record_of(route).errors)
        page = errors[start : start + limit]
        body: dict[str, Any] = {"results": [e.to_json(include_message, include_row) for e in page]}
        if start + limit < len(errors):
            params = {"after": str(start + limit), "limit": str(limit)}
            params.update(
                {k: query[k] for k in ("includeErrorMessage", "includeRowData") if k in query}
            )
            body["paging"] = _next_page(host, f"{route.prefix}/{route.import_id}/errors", params)
        return body

    def properties(self, route: Route, query: Mapping[str, str]) -> dict[str, Any]:
        obj_id = self._object_of(route.object_type or "")
        obj = self.catalog.object(obj_id)
        if obj is None or _flag(query, "archived"):
            return {"results": []}
        sensitivity = query.get("dataSensitivity", "non_sensitive")
        wanted = {n.strip() for n in query.get("properties", "").split(",") if n.strip()}
        results = []
        for order, prop in enumerate(obj.properties.values()):
            if wanted and prop.name not in wanted:
                continue
            body = property_body(prop, obj, order)
            if body.get("dataSensitivity", "non_sensitive") == sensitivity:
                results.append(body)
        return {"results": results}

    def single_property(self, route: Route) -> dict[str, Any]:
        obj_id = self._object_of(route.object_type or "")
        obj = self.catalog.object(obj_id)
        prop = obj.properties.get(route.property_name or "") if obj else None
        if obj is None or prop is None:
            raise Reply(
                404,
                error_body("OBJECT_NOT_FOUND", f"Property {route.property_name} does not exist"),
            )
        return property_body(prop, obj, 0)

    def schemas(self) -> dict[str, Any]:
        return {
            "results": [
                schema_body(obj)
                for oid, obj in sorted(self.catalog.objects.items())
                if CUSTOM_OBJECT_ID.match(oid)
            ]
        }

    def schema(self, route: Route) -> dict[str, Any]:
        obj_id = self._object_of(route.object_type or "")
        obj = self.catalog.object(obj_id) if CUSTOM_OBJECT_ID.match(obj_id) else None
        if obj is None:
            raise Reply(
                404,
                error_body(
                    "OBJECT_NOT_FOUND", f"Object type {route.object_type} has no custom schema"
                ),
            )
        return schema_body(obj)

    def _object_of(self, named: str) -> str:
        named = _segment(named)
        found = resolve_object(named, self.aliases)
        if found is None or (CUSTOM_OBJECT_ID.match(found) and self.catalog.object(found) is None):
            raise Reply(
                400,
                error_body(
                    "VALIDATION_ERROR", f"Unable to infer object type from: {shorten(named)}"
                ),
            )
        return found

    def note(self, exchange: Exchange) -> None:
        with self.lock:
            self.log.append(exchange)
            if len(self.log) > MAX_LOG:
                del self.log[: len(self.log) - MAX_LOG]

    def note_failure(self, exc: BaseException) -> None:
        with self.lock:
            self.failures.append(f"{type(exc).__name__}: {exc}"[:1000])
            del self.failures[:-1000]


def is_loopback(host: str) -> bool:
    """Whether an address (as bound: numeric) is reachable from this machine only."""
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def listens_beyond_loopback(host: str) -> bool:
    """Whether binding to `host` may serve other machines (a name resolving elsewhere does)."""
    try:
        found = socket.getaddrinfo(
            host or None, 0, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except (OSError, UnicodeError):
        return not is_loopback(host)
    return not found or any(not is_loopback(str(info[4][0])) for info in found)


def _custom_aliases(catalog: Catalog) -> dict[str, str]:
    """Custom objects by schema name and fully qualified name, as requests may name them."""
    objects = catalog.objects
    # The bundled catalog loads objects lazily; it holds no custom objects, so skip walking it.
    if not catalog.is_snapshot and catalog.source == "bundled":
        return {}
    aliases = {}
    for oid, obj in objects.items():
        if CUSTOM_OBJECT_ID.match(oid):
            aliases[obj.name] = oid
            aliases[f"p{SANDBOX_PORTAL_ID}_{obj.name}"] = oid
    return aliases


def _needed_scopes(route: Route) -> tuple[str, ...]:
    if route.name in account_routes.ROUTES:
        return account_routes.scopes(route.name, resolve_object(route.object_type or ""))
    if route.name == "batch_read":
        return ("crm.objects.*",)
    if route.name in ("properties", "property"):
        return ("crm.objects.*", "crm.schemas.*")
    if route.name in ("schemas", "schema"):
        return SCHEMA_SCOPES
    return (IMPORT_SCOPE,)


def _grants(scope: str, needed: str) -> bool:
    if needed.endswith(".*"):
        return scope.startswith(needed[:-1])
    return scope == needed


def parse_query(text: str) -> dict[str, str]:
    """The query's parameters; a 400 for one that is not UTF-8, repeated, or too many of them."""
    try:
        pairs = parse_qsl(
            text, keep_blank_values=True, errors="strict", max_num_fields=MAX_QUERY_FIELDS
        )
    except ValueError:  # UnicodeDecodeError is one, and so is "Max number of fields exceeded"
        raise Reply(
            400,
            error_body(
                "VALIDATION_ERROR",
                "The query string must be UTF-8, percent-encoded, with at most "
                f"{MAX_QUERY_FIELDS} parameters",
            ),
        ) from None
    query: dict[str, str] = {}
    for name, value in pairs:
        if name in query:
            raise Reply(
                400,
                error_body(
                    "VALIDATION_ERROR", f"The query parameter {shorten(name)!r} is given twice"
                ),
            )
        query[name] = value
    return query


def _segment(text: str) -> str:
    """A path segment, percent-decoded; a 400 when its bytes are not UTF-8."""
    try:
        return unquote(text, errors="strict")
    except UnicodeDecodeError:
        raise Reply(
            400, error_body("VALIDATION_ERROR", "The path must be UTF-8, percent-encoded")
        ) from None


def _int64(text: str) -> int | None:
    """A non-negative int64 written in ASCII digits, or None.

    Not `str.isdigit()`: it is true for "²" and "٣", which `int()` refuses or reads, and a
    number of 5,000 digits passes Python's int-conversion limit.
    """
    if not text or len(text) > 19 or not set(text) <= ASCII_DIGITS:
        return None
    number = int(text)
    return number if number <= INT64_MAX else None


def _cursor(query: Mapping[str, str]) -> int | None:
    text = query.get("after")
    if text is None:
        return None
    number = _int64(text)
    if number is None:
        raise Reply(
            400,
            error_body(
                "VALIDATION_ERROR", f"after {shorten(text)!r} is not a paging cursor this API gave"
            ),
        )
    return number


def _limit(query: Mapping[str, str], default: int) -> int:
    text = query.get("limit")
    if text is None:
        return default
    number = _int64(text)
    if number is None or not 1 <= number <= MAX_LIMIT:
        raise Reply(
            400,
            error_body(
                "VALIDATION_ERROR",
                f"limit must be an integer from 1 to {MAX_LIMIT}, not {shorten(text)!r}",
            ),
        )
    return number


def _flag(query: Mapping[str, str], name: str) -> bool:
    text = query.get(name, "false").lower()
    if text not in ("true", "false"):
        raise Reply(
            400,
            error_body("VALIDATION_ERROR", f"{name} must be true or false, not {shorten(text)!r}"),
        )
    return text == "true"


def too_large(message: str) -> tuple[int, dict[str, Any], dict[str, str]]:
    """HubSpot's answer to an upload over its size limit: a 429 (its docs), and no Retry-After,
    since sending the same file again cannot succeed."""
    return (
        429,
        error_body(
            "VALIDATION_ERROR",
            f"The upload is too large: {message}. Split the file into imports under HubSpot's "
            "limits (1,048,576 rows or 512 MB per file)",
        ),
        {"Connection": "close"},
    )


def _next_page(host: str, path: str, params: dict[str, str]) -> dict[str, Any]:
    return {"next": {"after": params["after"], "link": f"http://{host}{path}?{urlencode(params)}"}}


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a slow-fault answer must not hold up shutdown
    allow_reuse_address = True
    request_queue_size = LISTEN_BACKLOG
    sandbox: SandboxServer

    def server_bind(self) -> None:
        if ":" in str(self.server_address[0]):
            self.address_family = socket.AF_INET6
            self.socket = socket.socket(self.address_family, self.socket_type)
        super().server_bind()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # socketserver prints a traceback here. A client that resets, stalls or goes away is no
        # error of the sandbox's; anything else escaped the handler's own guard.
        exc = sys.exc_info()[1]
        if exc is not None and not isinstance(exc, OSError):
            self.sandbox.note_failure(exc)
            _log.debug("the sandbox failed on a connection", exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as HubSpot's API serves clients
    server_version = "specc-sandbox"
    sys_version = ""
    timeout = IDLE_SECONDS
    server: _HTTPServer
    _answered = False

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the sandbox keeps its own log (SandboxServer.log), without headers or tokens

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The HTTP parser's own refusals (an overlong request line or header, a malformed
        request line, an unknown method) in HubSpot's error shape instead of an HTML page."""
        self.close_connection = True
        # A request line too broken to name its version is answered as HTTP/1.1, not as 0.9
        # (a bare body): the client should see the status.
        if self.request_version == "HTTP/0.9":
            self.request_version = self.protocol_version
        shortmsg = self.responses.get(code, ("Error", ""))[0]
        text = shorten(message or shortmsg)
        with contextlib.suppress(OSError):  # the client may be gone
            self._answer(None, self.command or "", code, error_body(_category(code), text))
        self._linger()  # the rest of an overlong line or header is still unread

    def handle_expect_100(self) -> bool:
        # Refused before the client sends a body it was about to send in vain.
        route = match_route(self.command, urlsplit(self.path).path)
        try:
            length = content_length(self.headers.get_all("Content-Length") or [])
        except UploadError:
            length = None  # refused with the request (see _serve)
        if length is not None and length > self._max_body(route):
            self.close_connection = True
            status, body, headers = self._body_refusal(route, TooLarge(f"{length:,} bytes"))
            self._answer(route, self.command, status, body, headers)
            return False
        return super().handle_expect_100()

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        """Answer one request: whatever happens, an answer in HubSpot's shape or a closed
        connection, never an exception for socketserver to print."""
        self._answered = False
        try:
            self._serve(method)
        except (ConnectionError, TimeoutError):
            self.close_connection = True  # the client gave up (e.g. its timeout): nobody to answer
        except Exception as exc:
            self.close_connection = True
            self.server.sandbox.note_failure(exc)
            _log.debug("the sandbox failed on %s %s", method, self.path, exc_info=True)
            if not self._answered:
                body = error_body(
                    "INTERNAL_ERROR",
                    f"The sandbox failed ({type(exc).__name__}): a bug of specc's sandbox; "
                    "run it with --debug to see where",
                )
                with contextlib.suppress(OSError):
                    self._answer(None, method, 500, body)

    def _serve(self, method: str) -> None:
        sandbox = self.server.sandbox
        url = urlsplit(self.path)
        route = match_route(method, url.path)
        if route is not None:
            with sandbox.lock:
                sandbox.requests[route.name] += 1
        try:
            body = Body(
                self.rfile,
                content_length(self.headers.get_all("Content-Length") or []),
                self.headers.get("Transfer-Encoding"),
                self._max_body(route),
            )
        except UploadError as exc:
            self._refuse_body(route, method, exc)
            return
        fault: Fault | None = None
        try:
            try:
                if route is None:
                    raise Reply(
                        404,
                        error_body("NOT_FOUND", f"No such endpoint: {method} {shorten(url.path)}"),
                    )
                if EXPECTED_METHOD.get(route.name, "GET") != method:
                    raise Reply(
                        405,
                        error_body(
                            "METHOD_NOT_ALLOWED", f"{method} is not allowed on {shorten(url.path)}"
                        ),
                    )
                sandbox.authorize(route, self.headers.get("Authorization"))
                decision = sandbox.faults.decide(route.name)
                if decision.before is not None:
                    fault = decision.before
                    self._finish_body(body)
                    self._fault(route, method, fault, decision.delay)
                    return
                status, answer = 200, self._handle(route, url.query, body)
                if decision.after is not None:
                    fault = decision.after
                    self._fault(route, method, fault, decision.delay)
                    return
                self._sleep(decision.delay)
                self._answer(route, method, status, answer)
            except Reply as reply:
                self._finish_body(body)
                self._answer(route, method, reply.status, reply.body, reply.headers)
                if self.close_connection and not body.complete:
                    self._linger()
        except UploadError as exc:
            self._refuse_body(route, method, exc)

    def _max_body(self, route: Route | None) -> int:
        if route is not None and route.name == "create":
            return self.server.sandbox.limits.body_bytes
        return MAX_OTHER_BODY

    def _finish_body(self, body: Body) -> None:
        """Read what is left of the body before answering, up to a budget; past it, the answer
        closes the connection (a refused 500 MB upload is not read to its end)."""
        if not body.drain(DRAIN_BUDGET):
            self.close_connection = True

    def _body_refusal(
        self, route: Route | None, exc: UploadError
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        if isinstance(exc, TooLarge) and route is not None and route.name == "create":
            return too_large(str(exc))
        message = str(exc) if not isinstance(exc, TooLarge) else f"the body is too large: {exc}"
        return 400, error_body("VALIDATION_ERROR", message), {"Connection": "close"}

    def _refuse_body(self, route: Route | None, method: str, exc: UploadError) -> None:
        """Answer a body that cannot be read to its end, then close the connection."""
        self.close_connection = True
        status, body, headers = self._body_refusal(route, exc)
        self._answer(route, method, status, body, headers)
        self._linger()

    def _linger(self) -> None:
        """Read and drop what the client still sends for a moment before closing.

        Closing a socket with unread bytes makes the kernel send a reset, and a reset can make
        the client lose the answer it was about to read.
        """
        connection: socket.socket = self.connection
        deadline = time.monotonic() + LINGER_SECONDS
        try:
            self.wfile.flush()
            connection.shutdown(socket.SHUT_WR)
            while (remaining := deadline - time.monotonic()) > 0:
                connection.settimeout(remaining)
                if not connection.recv(CHUNK):
                    break
        except OSError:
            pass

    def _handle(self, route: Route, query_text: str, body: Body) -> dict[str, Any]:
        sandbox = self.server.sandbox
        query = parse_query(query_text)
        host = self.headers.get("Host") or f"{sandbox.host}:{sandbox.port}"
        if route.name == "create":
            return sandbox.create(route, self.headers.get("Content-Type"), body)
        if route.name == "batch_read":
            status, answer = sandbox.records.batch_read(
                sandbox._object_of(route.object_type or ""), query, b"".join(body)
            )
            if status != 200:
                raise Reply(status, answer)  # 207: some records not found, as HubSpot answers
            return answer
        self._finish_body(body)
        if route.name == "list":
            return sandbox.list_imports(route, query, host)
        if route.name == "get":
            return sandbox.get_import(route)
        if route.name == "cancel":
            return sandbox.cancel(route)
        if route.name == "errors":
            return sandbox.import_errors(route, query, host)
        if route.name == "properties":
            return sandbox.properties(route, query)
        if route.name == "property":
            return sandbox.single_property(route)
        if route.name == "schemas":
            return sandbox.schemas()
        if route.name in account_routes.ROUTES:
            oid = sandbox._object_of(route.object_type) if route.object_type else None
            try:
                return account_routes.answer(
                    route.name,
                    sandbox.catalog,
                    oid,
                    query,
                    lambda q: account_routes.page_link(f"http://{host}", route.prefix, q),
                )
            except account_routes.Refused as refused:
                raise Reply(refused.status, refused.body) from None
        return sandbox.schema(route)

    def _fault(self, route: Route, method: str, fault: Fault, delay: float) -> None:
        self._sleep(delay)
        if fault.kind == "drop":
            self.close_connection = True
            self.server.sandbox.note(Exchange(route.name, method, self.path, None, "drop"))
            return
        if fault.kind == "rate_limit":
            headers = {
                "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
                "X-HubSpot-RateLimit-Max": "190",
                "X-HubSpot-RateLimit-Remaining": "0",
            }
            if fault.retry_after is not None:
                seconds = fault.retry_after
                headers["Retry-After"] = (
                    str(int(seconds)) if float(seconds).is_integer() else str(seconds)
                )
            body = error_body(
                "RATE_LIMITS",
                "You have reached your ten_secondly_rolling limit.",
                extra={"errorType": "RATE_LIMIT", "policyName": "TEN_SECONDLY_ROLLING"},
            )
            self._answer(route, method, 429, body, headers, fault="rate_limit")
            return
        body = error_body(
            "INTERNAL_ERROR", f"The server failed to answer (injected {fault.status}); try again"
        )
        self._answer(route, method, fault.status, body, fault="server_error")

    def _sleep(self, delay: float) -> None:
        if delay > 0:
            self.server.sandbox.stopping.wait(delay)

    def _answer(
        self,
        route: Route | None,
        method: str,
        status: int,
        body: dict[str, Any],
        headers: Mapping[str, str] | None = None,
        fault: str | None = None,
    ) -> None:
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        path = getattr(self, "path", "")  # unset when the request line itself was refused
        # Logged before the answer leaves, so a client that got it always finds it in the log.
        self.server.sandbox.note(
            Exchange(route.name if route else None, method, path, status, fault)
        )
        self._answered = True
        headers = dict(headers or {})
        if self.close_connection:  # decided before the answer (an unread body): say so
            headers.setdefault("Connection", "close")
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        correlation = body.get("correlationId")
        if isinstance(correlation, str):
            self.send_header("X-HubSpot-Correlation-Id", correlation)
        for name, value in headers.items():
            self.send_header(name, value)  # sets close_connection for "Connection: close"
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(payload)
        self.wfile.flush()


def _category(status: int) -> str:
    """HubSpot's error category for a status the HTTP parser chose."""
    if status == 404:
        return "NOT_FOUND"
    if status == 405 or status == 501:
        return "METHOD_NOT_ALLOWED"
    return "VALIDATION_ERROR"


def serve(
    host: str = "127.0.0.1",
    port: int = 0,
    catalog: Catalog | None = None,
    faults: FaultPlan | None = None,
    *,
    tokens: Mapping[str, set[str] | frozenset[str]] | None = None,
    timing: Timing | None = None,
    limits: UploadLimits | None = None,
    allow_remote: bool = False,
) -> SandboxServer:
    """Start a sandbox in a background thread; `port=0` picks a free port (see `.base_url`)."""
    return SandboxServer(
        host,
        port,
        catalog,
        faults,
        tokens=tokens,
        timing=timing,
        limits=limits,
        allow_remote=allow_remote,
    ).start()
