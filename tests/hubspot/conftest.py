"""Fixtures for the HubSpot client tests: a real sandbox on loopback and clients for it.

Everything talks HTTP to `specc.sandbox` over 127.0.0.1; nothing of the client is mocked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hubspot_support import Recorder, connect, fast_retry

from specc.hubspot.client import HubSpotClient
from specc.hubspot.retry import RetryPolicy
from specc.sandbox import SandboxServer, serve


@pytest.fixture(autouse=True)
def _no_real_hubspot(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing here may reach api.hubapi.com, even by a default: clear the URL variables."""
    monkeypatch.delenv("SPECC_BASE_URL", raising=False)
    monkeypatch.delenv("HUBSPOT_ACCESS_TOKEN", raising=False)


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with serve() as server:
        yield server


@pytest.fixture
def client_for() -> Iterator[Callable[..., tuple[HubSpotClient, Recorder]]]:
    made: list[HubSpotClient] = []

    def make(
        server: SandboxServer,
        *,
        retry: RetryPolicy | None = None,
        page_size: int = 100,
        **connection: Any,
    ) -> tuple[HubSpotClient, Recorder]:
        recorder = Recorder()
        client = HubSpotClient(
            connect(server.base_url, **connection),
            retry or fast_retry(),
            on_event=recorder,
            page_size=page_size,
        )
        made.append(client)
        return client, recorder

    yield make
    for client in made:
        client.close()
