"""Faults on the wire: every one ends with exactly one import, and waits are honoured.

Each test runs a real sandbox with a FaultPlan and a real client; the assertions read what the
server holds afterwards.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from hubspot_support import fast_retry, make_upload

from specc.errors import ConnectionFailed
from specc.hubspot.connection import Timeouts
from specc.hubspot.errors import HubSpotUnavailable, UnknownOutcome
from specc.hubspot.events import Adopted, OutcomeUnknown, Resending, Retrying
from specc.hubspot.runner import matching_imports, start_import
from specc.sandbox import FaultPlan, serve


def test_429_on_upload_waits_retry_after_then_sends_again(tmp_path: Path, client_for) -> None:
    with serve(faults=FaultPlan().rate_limit("create", times=1, retry_after=1)) as sandbox:
        client, recorder = client_for(sandbox)
        began = time.monotonic()
        started = start_import(client, make_upload(tmp_path))
        elapsed = time.monotonic() - began
        assert elapsed >= 1.0  # Retry-After: 1, not the 0.01 s backoff
        assert list(sandbox.imports) == [started.import_id]
        assert sandbox.count("create") == 2
        # A 429 created nothing, so no listing was needed to decide.
        assert sandbox.count("list") == 0
        assert [e.delay for e in recorder.of(Retrying)] == [1.0]


def test_retry_after_on_a_get_is_honoured(tmp_path: Path, client_for) -> None:
    with serve(faults=FaultPlan().rate_limit("get", times=2, retry_after=0.6)) as sandbox:
        client, _ = client_for(sandbox)
        started = start_import(client, make_upload(tmp_path))
        began = time.monotonic()
        assert client.get_import(started.import_id)["id"] == started.import_id
        assert time.monotonic() - began >= 1.2
        assert sandbox.count("get") == 3


@pytest.mark.parametrize(
    "plan",
    [
        pytest.param(lambda: FaultPlan().drop("create"), id="dropped-after-created"),
        pytest.param(
            lambda: FaultPlan().server_error("create", status=502, after_processing=True),
            id="5xx-after-created",
        ),
        pytest.param(lambda: FaultPlan().slow("create", delay=1.5), id="timeout-after-created"),
    ],
)
def test_unknown_outcome_adopts_the_import_instead_of_sending_again(
    tmp_path: Path, client_for, plan
) -> None:
    with serve(faults=plan()) as sandbox:
        client, recorder = client_for(
            sandbox, timeouts=Timeouts(connect=2, read=5, upload_read=0.5, write=5)
        )
        started = start_import(client, make_upload(tmp_path))
        assert started.adopted is True
        assert list(sandbox.imports) == [started.import_id]
        assert sandbox.count("create") == 1
        assert sandbox.count("list") >= 1
        assert len(recorder.of(OutcomeUnknown)) == 1
        assert recorder.of(Adopted) == [Adopted(started.import_id, 1)]


def test_5xx_before_anything_was_created_lists_then_sends_again(tmp_path: Path, client_for) -> None:
    with serve(faults=FaultPlan().server_error("create", times=2, status=503)) as sandbox:
        client, recorder = client_for(sandbox)
        started = start_import(client, make_upload(tmp_path))
        assert started.adopted is False
        assert list(sandbox.imports) == [started.import_id]
        assert sandbox.count("create") == 3
        # Before each resend it checked that nothing had been created.
        assert sandbox.count("list") == 2
        assert len(recorder.of(Resending)) == 2


def test_dropped_before_created_lists_then_sends_again(tmp_path: Path, client_for) -> None:
    with serve(faults=FaultPlan().drop("create", after_processing=False)) as sandbox:
        client, _ = client_for(sandbox)
        started = start_import(client, make_upload(tmp_path))
        assert list(sandbox.imports) == [started.import_id]
        assert sandbox.count("create") == 2


def test_an_older_import_of_the_same_name_is_not_adopted(tmp_path: Path, client_for) -> None:
    with serve() as sandbox:
        client, _ = client_for(sandbox)
        old = start_import(client, make_upload(tmp_path))
        # Pretend the first import is from yesterday: the adoption window must exclude it.
        record = sandbox.imports[old.import_id]
        record.created_at = record.created_at.replace(year=record.created_at.year - 1)
        sandbox.faults.drop("create", after_processing=False)
        started = start_import(client, make_upload(tmp_path))
        assert started.import_id != old.import_id
        assert len(sandbox.imports) == 2  # the old one and exactly one new one


def test_adoption_pages_through_every_listed_import(tmp_path: Path, client_for) -> None:
    with serve() as sandbox:
        client, _ = client_for(sandbox, page_size=2)
        for number in range(5):
            start_import(client, make_upload(tmp_path, name=f"other {number}"))
        sandbox.faults.drop("create")
        started = start_import(client, make_upload(tmp_path, name="the one"))
        assert started.adopted
        assert sandbox.imports[started.import_id].name == "the one"
        assert len(sandbox.imports) == 6
        # Newest first: the new import is on page 1, but the listing reads to the end.
        assert sandbox.count("list") == 3


def test_when_listing_also_fails_nothing_is_sent_again(tmp_path: Path, client_for) -> None:
    plan = FaultPlan().drop("create").server_error("list", times=None)
    with serve(faults=plan) as sandbox:
        client, _ = client_for(sandbox, retry=fast_retry(attempts=3))
        with pytest.raises(UnknownOutcome, match="could not be listed") as caught:
            start_import(client, make_upload(tmp_path))
        assert caught.value.exit_code == 2
        assert "specc imports" in (caught.value.hint or "")
        assert sandbox.count("create") == 1
        assert len(sandbox.imports) == 1


def test_rate_limit_that_never_clears_gives_up_with_nothing_created(
    tmp_path: Path, client_for
) -> None:
    plan = FaultPlan().rate_limit("create", times=None, retry_after=0)
    with serve(faults=plan) as sandbox:
        client, _ = client_for(sandbox, retry=fast_retry(attempts=3))
        with pytest.raises(HubSpotUnavailable, match="HTTP 429") as caught:
            start_import(client, make_upload(tmp_path))
        assert caught.value.exit_code == 2
        assert sandbox.count("create") == 3
        assert sandbox.imports == {}


def test_retry_after_beyond_the_limit_is_not_waited_for(tmp_path: Path, client_for) -> None:
    plan = FaultPlan().rate_limit("create", retry_after=3600)
    with serve(faults=plan) as sandbox:
        client, _ = client_for(sandbox, retry=fast_retry(max_retry_after=5))
        began = time.monotonic()
        with pytest.raises(HubSpotUnavailable):
            start_import(client, make_upload(tmp_path))
        assert time.monotonic() - began < 5
        assert sandbox.count("create") == 1


@pytest.mark.parametrize("route", ["get", "list", "errors"])
@pytest.mark.parametrize("kind", ["server_error", "drop", "rate_limit"])
def test_gets_retry_faults(tmp_path: Path, client_for, route: str, kind: str) -> None:
    with serve() as sandbox:
        client, recorder = client_for(sandbox)
        started = start_import(client, make_upload(tmp_path))
        plan = sandbox.faults
        if kind == "server_error":
            plan.server_error(route, times=2)
        elif kind == "drop":
            plan.drop(route, times=2)
        else:
            plan.rate_limit(route, times=2, retry_after=0)
        if route == "get":
            assert client.get_import(started.import_id)["id"] == started.import_id
        elif route == "list":
            assert [i["id"] for i in client.list_imports()] == [started.import_id]
        else:
            sandbox.wait(started.import_id)
            assert isinstance(client.import_errors(started.import_id), list)
        assert sandbox.count(route) == 3
        assert len(recorder.of(Retrying)) == 2


def test_server_down_is_connection_failed() -> None:
    from hubspot_support import connect

    from specc.hubspot.client import HubSpotClient

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = HubSpotClient(connect(f"http://127.0.0.1:{port}"), fast_retry(attempts=2))
    with client, pytest.raises(ConnectionFailed, match="could not list the imports") as caught:
        client.list_imports()
    assert caught.value.exit_code == 2


def test_upload_to_a_server_that_is_down_never_claims_success(tmp_path: Path) -> None:
    from hubspot_support import connect

    from specc.hubspot.client import HubSpotClient

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = HubSpotClient(connect(f"http://127.0.0.1:{port}"), fast_retry(attempts=2))
    with client, pytest.raises(ConnectionFailed, match="could not start the import"):
        start_import(client, make_upload(tmp_path))


def test_matching_imports_window() -> None:
    from datetime import UTC, datetime, timedelta

    began = datetime(2026, 11, 29, 10, 0, 0, tzinfo=UTC)
    at = lambda delta: (began + delta).isoformat().replace("+00:00", "Z")  # noqa: E731
    imports = [
        {"id": "1", "importName": "x", "createdAt": at(timedelta(seconds=-61))},
        {"id": "2", "importName": "x", "createdAt": at(timedelta(seconds=-59))},
        {"id": "3", "importName": "y", "createdAt": at(timedelta(seconds=5))},
        {"id": "4", "importName": "x", "createdAt": at(timedelta(seconds=5))},
        {"id": "5", "importName": "x"},
    ]
    assert [i["id"] for i in matching_imports(imports, "x", began)] == ["4", "2"]
