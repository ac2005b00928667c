"""Fixtures: a sandbox per test, and an httpx client whose every response is checked against
HubSpot's OpenAPI schemas when the test ends (skipped only when the files are absent)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from sandbox_support import check_response, openapi_available, small_catalog

from specc.sandbox import FaultPlan, SandboxServer, Timing, serve

Seen = list[tuple[str, str, int, Any]]


@pytest.fixture
def responses_seen() -> Iterator[Seen]:
    """Every response a test's clients received; validated after the test."""
    seen: Seen = []
    yield seen
    if not openapi_available():
        return
    for method, path, status, body in seen:
        check_response(method, path, status, body)


@pytest.fixture
def make_sandbox() -> Iterator[Callable[..., SandboxServer]]:
    started: list[SandboxServer] = []

    def make(**options: Any) -> SandboxServer:
        options.setdefault("catalog", small_catalog())
        options.setdefault("timing", Timing(started=0.0, processing=0.0))
        server = serve(**options)
        started.append(server)
        return server

    yield make
    for server in started:
        server.shutdown()


@pytest.fixture
def sandbox(make_sandbox: Callable[..., SandboxServer]) -> SandboxServer:
    return make_sandbox(faults=FaultPlan())


@pytest.fixture
def make_client(responses_seen: Seen) -> Iterator[Callable[..., httpx.Client]]:
    clients: list[httpx.Client] = []

    def record(response: httpx.Response) -> None:
        if response.request.method == "HEAD":
            return
        response.read()
        body = response.json() if response.content else None
        responses_seen.append(
            (response.request.method, response.url.path, response.status_code, body)
        )

    def make(server: SandboxServer, **options: Any) -> httpx.Client:
        options.setdefault("timeout", 10.0)
        client = httpx.Client(
            base_url=server.base_url, event_hooks={"response": [record]}, **options
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(sandbox: SandboxServer, make_client: Callable[..., httpx.Client]) -> httpx.Client:
    return make_client(sandbox, headers={"Authorization": "Bearer sandbox-test-token"})
