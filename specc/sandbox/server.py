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

HubSpot does not document the order of `GET /imports`. The sandbox lists newest first, so a
client looking for an import it just started finds it on the first page, and pages by import
id, so an import created while a client pages never shifts a page. Clients should not rely on
the order.
"""

from __future__ import annotations

import json
import shutil
import socket
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from specc.catalog.model import Catalog
from specc.catalog.objects import CUSTOM_OBJECT_ID, resolve_object, standard_objects
from specc.sandbox.adapter import spec_from_request
from specc.sandbox.faults import Fault, FaultPlan
from specc.sandbox.imports import ACTIVE_STATES, ImportRecord, Runner, StoredFile, Timing
from specc.sandbox.shapes import SANDBOX_PORTAL_ID, error_body, iso, property_body, schema_body
from specc.sandbox.upload import Part, UploadError, body_chunks, boundary_of, drain, parse_parts
from specc.sandbox.validate import missing_required, request_problems

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
    for prefix in SCHEMA_PREFIXES:
        if path == prefix:
            return Route("schemas", method, "v3", prefix)
        if path.startswith(prefix + "/") and "/" not in path[len(prefix) + 1 :]:
            return Route("schema", method, "v3", prefix, object_type=path[len(prefix) + 1 :])
    return None


EXPECTED_METHOD = {"create": "POST", "cancel": "POST"}


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
    ) -> None:
        if catalog is None:
            from specc.catalog.bundled import bundled_catalog

            catalog = bundled_catalog()
        self.catalog = catalog
        self.faults = faults if faults is not None else FaultPlan()
        # None: any bearer token is valid, with every scope (a user's dry run needs no setup).
        self.tokens = None if tokens is None else {t: frozenset(s) for t, s in tokens.items()}
        self.timing = timing or Timing()
        self.imports: dict[str, ImportRecord] = {}
        self.requests: Counter[str] = Counter()
        self.log: list[Exchange] = []
        self.lock = threading.RLock()
        self.stopping = threading.Event()
        # Bound first: a busy port must not leave a temporary folder behind.
        self._httpd = _HTTPServer((host, port), _Handler)
        self._httpd.sandbox = self
        self._folder = Path(tempfile.mkdtemp(prefix="specc-sandbox-"))
        self._next_import = FIRST_IMPORT_ID
        self._next_file = FIRST_FILE_ID
        self._next_list = 1
        self._uploads = 0
        self.aliases = _custom_aliases(catalog)
        self.runner = Runner(catalog, self.timing, self.lock, self.stopping)
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
        if route.name not in ("properties", "property"):
            return list(needed)
        found = resolve_object(route.object_type or "", self.aliases) or ""
        info = standard_objects().get(found)
        name = "custom" if CUSTOM_OBJECT_ID.match(found) or info is None else info.name
        return [f"crm.objects.{name}.read", f"crm.schemas.{name}.read"]

    def create(
        self, route: Route, content_type: str | None, chunks: Iterator[bytes]
    ) -> dict[str, Any]:
        try:
            boundary = boundary_of(content_type)
        except UploadError as exc:
            drain(chunks)
            raise Reply(415, error_body("VALIDATION_ERROR", str(exc))) from None
        with self.lock:
            self._uploads += 1
            folder = self._folder / f"upload-{self._uploads}"
        folder.mkdir()
        try:
            return self._create(route, parse_parts(chunks, boundary, folder), folder)
        except UploadError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise Reply(
                400, error_body("VALIDATION_ERROR", str(exc)), {"Connection": "close"}
            ) from None
        except Reply:
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
        after = query.get("after")
        if after is not None and not after.isdigit():
            raise Reply(
                400,
                error_body(
                    "VALIDATION_ERROR", f"after {after!r} is not a paging cursor this API gave"
                ),
            )
        with self.lock:
            newest_first = sorted(self.imports.values(), key=lambda r: int(r.id), reverse=True)
            if after is not None:
                newest_first = [r for r in newest_first if int(r.id) < int(after)]
            page = newest_first[:limit]
            body: dict[str, Any] = {"results": [r.to_json() for r in page]}
        if len(newest_first) > limit:
            body["paging"] = _next_page(
                host, route.prefix, {"after": page[-1].id, "limit": str(limit)}
            )
        return body

    def record_of(self, route: Route) -> ImportRecord:
        import_id = route.import_id or ""
        if not import_id.isdigit():
            raise Reply(
                400, error_body("VALIDATION_ERROR", f"importId {import_id!r} must be an integer")
            )
        record = self.imports.get(str(int(import_id)))
        if record is None:
            raise Reply(404, error_body("OBJECT_NOT_FOUND", f"Import {import_id} not found"))
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
        after = query.get("after", "0")
        if not after.isdigit():
            raise Reply(
                400,
                error_body(
                    "VALIDATION_ERROR", f"after {after!r} is not a paging cursor this API gave"
                ),
            )
        start = int(after)
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
        found = resolve_object(named, self.aliases)
        if found is None or (CUSTOM_OBJECT_ID.match(found) and self.catalog.object(found) is None):
            raise Reply(
                400, error_body("VALIDATION_ERROR", f"Unable to infer object type from: {named}")
            )
        return found

    def note(self, exchange: Exchange) -> None:
        with self.lock:
            self.log.append(exchange)


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
    if route.name in ("properties", "property"):
        return ("crm.objects.*", "crm.schemas.*")
    if route.name in ("schemas", "schema"):
        return SCHEMA_SCOPES
    return (IMPORT_SCOPE,)


def _grants(scope: str, needed: str) -> bool:
    if needed.endswith(".*"):
        return scope.startswith(needed[:-1])
    return scope == needed


def _limit(query: Mapping[str, str], default: int) -> int:
    text = query.get("limit")
    if text is None:
        return default
    if not text.isdigit() or not 1 <= int(text) <= MAX_LIMIT:
        raise Reply(
            400,
            error_body(
                "VALIDATION_ERROR", f"limit must be an integer from 1 to {MAX_LIMIT}, not {text!r}"
            ),
        )
    return int(text)


def _flag(query: Mapping[str, str], name: str) -> bool:
    text = query.get(name, "false").lower()
    if text not in ("true", "false"):
        raise Reply(
            400, error_body("VALIDATION_ERROR", f"{name} must be true or false, not {text!r}")
        )
    return text == "true"


def _next_page(host: str, path: str, params: dict[str, str]) -> dict[str, Any]:
    return {"next": {"after": params["after"], "link": f"http://{host}{path}?{urlencode(params)}"}}


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a slow-fault answer must not hold up shutdown
    allow_reuse_address = True
    sandbox: SandboxServer

    def server_bind(self) -> None:
        if ":" in str(self.server_address[0]):
            self.address_family = socket.AF_INET6
            self.socket = socket.socket(self.address_family, self.socket_type)
        super().server_bind()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as HubSpot's API serves clients
    server_version = "specc-sandbox"
    sys_version = ""
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the sandbox keeps its own log (SandboxServer.log), without headers or tokens

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
        sandbox = self.server.sandbox
        url = urlsplit(self.path)
        route = match_route(method, url.path)
        chunks = body_chunks(
            self.rfile, self.headers.get("Content-Length"), self.headers.get("Transfer-Encoding")
        )
        if route is not None:
            with sandbox.lock:
                sandbox.requests[route.name] += 1
        fault: Fault | None = None
        try:
            try:
                if route is None:
                    raise Reply(
                        404, error_body("NOT_FOUND", f"No such endpoint: {method} {url.path}")
                    )
                if EXPECTED_METHOD.get(route.name, "GET") != method:
                    raise Reply(
                        405,
                        error_body("METHOD_NOT_ALLOWED", f"{method} is not allowed on {url.path}"),
                    )
                sandbox.authorize(route, self.headers.get("Authorization"))
                decision = sandbox.faults.decide(route.name)
                if decision.before is not None:
                    fault = decision.before
                    drain(chunks)
                    self._fault(route, method, fault, decision.delay)
                    return
                status, body = 200, self._handle(route, url.query, chunks)
                if decision.after is not None:
                    fault = decision.after
                    self._fault(route, method, fault, decision.delay)
                    return
                self._sleep(decision.delay)
                self._answer(route, method, status, body)
            except Reply as reply:
                drain(chunks)
                self._answer(route, method, reply.status, reply.body, reply.headers)
        except UploadError:
            self.close_connection = True  # the body cannot be read to its end
            self._answer(
                route, method, 400, error_body("VALIDATION_ERROR", "unreadable request body")
            )
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (e.g. its timeout): nothing to answer

    def _handle(self, route: Route, query_text: str, chunks: Iterator[bytes]) -> dict[str, Any]:
        sandbox = self.server.sandbox
        query = {k: v[-1] for k, v in parse_qs(query_text, keep_blank_values=True).items()}
        host = self.headers.get("Host") or f"{sandbox.host}:{sandbox.port}"
        if route.name == "create":
            return sandbox.create(route, self.headers.get("Content-Type"), chunks)
        drain(chunks)
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
        # Logged before the answer leaves, so a client that got it always finds it in the log.
        self.server.sandbox.note(
            Exchange(route.name if route else None, method, self.path, status, fault)
        )
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        correlation = body.get("correlationId")
        if isinstance(correlation, str):
            self.send_header("X-HubSpot-Correlation-Id", correlation)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
            if name.lower() == "connection" and value.lower() == "close":
                self.close_connection = True
        self.end_headers()
        self.wfile.write(payload)
        self.wfile.flush()


def serve(
    host: str = "127.0.0.1",
    port: int = 0,
    catalog: Catalog | None = None,
    faults: FaultPlan | None = None,
    *,
    tokens: Mapping[str, set[str] | frozenset[str]] | None = None,
    timing: Timing | None = None,
) -> SandboxServer:
    """Start a sandbox in a background thread; `port=0` picks a free port (see `.base_url`)."""
    return SandboxServer(host, port, catalog, faults, tokens=tokens, timing=timing).start()
