"""`specc sandbox`: a HubSpot-compatible imports server on loopback, for dry runs and tests.

It speaks the imports API (v3 and dated paths), the properties API and the schemas API from a
catalog, checks uploads the way HubSpot does before accepting them, then runs every check of
`specc check` on the uploaded bytes and ends each import DONE with its row errors in HubSpot's
`PublicImportError` shape. Faults (429, 5xx, dropped connections, slow answers) can be planned.

In tests:

    with serve(faults=FaultPlan().rate_limit("create", times=2)) as sandbox:
        httpx.post(f"{sandbox.base_url}/crm/v3/imports", ...)
        assert sandbox.count("create") == 3 and len(sandbox.imports) == 1

From the command line, `specc sandbox [--port N] [--catalog FILE]` calls `run_forever`, and
prints the base URL it is handed as the first line of its output. Like the rest of the library,
the sandbox never writes to the terminal itself; it logs (`logging`, shown by --debug).
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Callable, Mapping
from pathlib import Path

from specc.catalog.model import Catalog
from specc.diagnostics import Severity
from specc.errors import InputError, UsageError
from specc.sandbox.adapter import spec_from_request
from specc.sandbox.faults import Fault, FaultPlan
from specc.sandbox.imports import ImportRecord, RowError, StoredFile, Timing
from specc.sandbox.server import Exchange, SandboxServer, serve
from specc.sandbox.upload import UploadLimits

__all__ = [
    "FAULTS_ENV",
    "Exchange",
    "Fault",
    "FaultPlan",
    "ImportRecord",
    "RowError",
    "SandboxServer",
    "StoredFile",
    "Timing",
    "load_catalog_file",
    "run_forever",
    "serve",
    "spec_from_request",
]

# Faults for `specc sandbox`, in FaultPlan's text form (see specc.sandbox.faults).
FAULTS_ENV = "SPECC_SANDBOX_FAULTS"

_log = logging.getLogger(__name__)


def load_catalog_file(path: Path) -> Catalog:
    """A catalog snapshot to serve; InputError when it cannot be used."""
    from specc.catalog.snapshot import load_snapshot

    catalog, found = load_snapshot(path, str(path))
    problems = [d for d in found if d.severity is Severity.ERROR]
    if catalog is None or problems:
        shown = "; ".join(d.message for d in problems[:3]) or "it is not a catalog snapshot"
        raise InputError(
            f"cannot serve the catalog {path}: {shown}",
            hint="pull it again with `specc catalog pull -o FILE`",
        )
    return catalog


def run_forever(
    port: int = 0,
    catalog_path: Path | None = None,
    *,
    host: str = "127.0.0.1",
    faults: str | FaultPlan | None = None,
    tokens: Mapping[str, set[str] | frozenset[str]] | None = None,
    timing: Timing | None = None,
    environ: Mapping[str, str] | None = None,
    ready: Callable[[str], None] | None = None,
    allow_remote: bool = False,
) -> None:
    """Serve until interrupted (Ctrl-C and SIGTERM return normally).

    `ready` is called with the base URL once the server listens, before any request is
    served: `specc sandbox` prints it, so a script can read it as the first line.
    `faults` is a FaultPlan or its text form; when None, the SPECC_SANDBOX_FAULTS variable of
    `environ` is read. SPECC_MAX_FILE_ROWS and SPECC_MAX_FILE_BYTES of `environ` lower
    HubSpot's per-file limits (for tests: a few kilobytes then prove what 512 MB would).
    Raises UsageError for a bad fault plan, InputError for a bad catalog,
    UsageError for a `host` beyond loopback without `allow_remote` (any token is accepted).
    """
    if faults is None:
        faults = (environ or {}).get(FAULTS_ENV)
    try:
        plan = faults if isinstance(faults, FaultPlan) else FaultPlan.parse(faults)
    except ValueError as exc:
        raise UsageError(f"bad sandbox fault plan: {exc}") from None
    catalog = load_catalog_file(catalog_path) if catalog_path is not None else None
    # HubSpot's per-file limits, unless SPECC_MAX_FILE_ROWS / SPECC_MAX_FILE_BYTES lower them.
    limits = UploadLimits.from_environ(environ or {})
    try:
        sandbox = SandboxServer(
            host,
            port,
            catalog,
            plan,
            tokens=tokens,
            timing=timing,
            limits=limits,
            allow_remote=allow_remote,
        )
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    # SIGTERM (a process manager, `kill`) stops it as cleanly as Ctrl-C: uploads are deleted.
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, lambda *_: sandbox.stopping.set())
    try:
        with sandbox:
            _log.info(
                "listening on %s, serving the %s catalog",
                sandbox.base_url,
                catalog_path or "bundled",
            )
            # Ctrl-C is how a user stops it, also the moment the base URL is handed out.
            with contextlib.suppress(KeyboardInterrupt):
                if ready is not None:
                    ready(sandbox.base_url)
                while not sandbox.stopping.wait(0.5):
                    pass
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
