"""Imports over time: states, list paging, get, cancel, DEFERRED, the dated paths."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest
from sandbox_support import AUTH, CONTACTS_CSV, contacts_request, upload

from specc.sandbox import SandboxServer, Timing

Make = Callable[..., SandboxServer]
MakeClient = Callable[..., httpx.Client]
WAITING = Timing(started=30.0, processing=30.0)  # never reaches the checks within a test


def create(
    client: httpx.Client, name: str = "Contacts import", base: str = "/crm/v3/imports"
) -> str:
    response = client.post(
        base, **upload(contacts_request(name=name), {"contacts.csv": CONTACTS_CSV})
    )
    assert response.status_code == 200, response.text
    import_id: str = response.json()["id"]
    return import_id


@pytest.fixture
def waiting(make_sandbox: Make) -> SandboxServer:
    return make_sandbox(timing=WAITING)


def test_get_returns_the_import_as_created(waiting: SandboxServer, make_client: MakeClient) -> None:
    client = make_client(waiting, headers=AUTH)
    import_id = create(client)
    body = client.get(f"/crm/v3/imports/{import_id}").json()
    assert body["id"] == import_id
    assert body["state"] == "STARTED"
    assert body["importSource"] == "API"
    assert body["optOutImport"] is False
    assert body["createdAt"] == body["updatedAt"]
    assert body["metadata"] == {
        "counters": {},
        "fileIds": [str(waiting.imports[import_id].files["contacts.csv"].file_id)],
        "objectLists": [],
    }


def test_the_list_is_newest_first_and_pages_by_cursor(
    waiting: SandboxServer, make_client: MakeClient
) -> None:
    client = make_client(waiting, headers=AUTH)
    ids = [create(client, f"import {n}") for n in range(5)]
    first = client.get("/crm/v3/imports", params={"limit": 2}).json()
    assert [r["id"] for r in first["results"]] == ids[::-1][:2]
    cursor = first["paging"]["next"]["after"]
    assert first["paging"]["next"]["link"].endswith(f"/crm/v3/imports?after={cursor}&limit=2")
    # An import created while paging does not shift the pages already cursor-ed.
    create(client, "latecomer")
    second = client.get("/crm/v3/imports", params={"limit": 2, "after": cursor}).json()
    assert [r["id"] for r in second["results"]] == ids[::-1][2:4]
    third = client.get(
        "/crm/v3/imports", params={"limit": 2, "after": second["paging"]["next"]["after"]}
    ).json()
    assert [r["id"] for r in third["results"]] == [ids[0]]
    assert "paging" not in third


def test_the_default_page_holds_ten(waiting: SandboxServer, make_client: MakeClient) -> None:
    client = make_client(waiting, headers=AUTH)
    for n in range(11):
        create(client, f"import {n}")
    page = client.get("/crm/v3/imports").json()
    assert len(page["results"]) == 10 and "paging" in page


@pytest.mark.parametrize("query", ["limit=0", "limit=abc", "limit=5000", "after=xyz"])
def test_bad_paging_is_a_400(client: httpx.Client, query: str) -> None:
    response = client.get(f"/crm/v3/imports?{query}")
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"


def test_unknown_and_malformed_ids(client: httpx.Client) -> None:
    assert client.get("/crm/v3/imports/123").status_code == 404
    assert client.get("/crm/v3/imports/123/errors").status_code == 404
    assert client.post("/crm/v3/imports/123/cancel").status_code == 404
    assert client.get("/crm/v3/imports/abc").status_code == 400


def test_unknown_paths_and_methods(client: httpx.Client) -> None:
    assert client.get("/crm/v3/imports/1/retry").status_code == 404
    assert client.get("/crm/v4/imports").status_code == 404
    assert client.delete("/crm/v3/imports/1").status_code == 405
    assert client.get("/crm/v3/imports/1/cancel").status_code == 405


def test_cancel_stops_an_active_import(waiting: SandboxServer, make_client: MakeClient) -> None:
    client = make_client(waiting, headers=AUTH)
    import_id = create(client)
    answer = client.post(f"/crm/v3/imports/{import_id}/cancel")
    assert answer.status_code == 200
    assert answer.json()["status"] == "COMPLETE"
    assert client.get(f"/crm/v3/imports/{import_id}").json()["state"] == "CANCELED"
    again = client.post(f"/crm/v3/imports/{import_id}/cancel")
    assert again.status_code == 400
    assert "is CANCELED" in again.json()["message"]
    assert waiting.wait(import_id, timeout=1).state == "CANCELED"


def test_states_move_from_started_through_processing(
    make_sandbox: Make, make_client: MakeClient
) -> None:
    sandbox = make_sandbox(timing=Timing(started=0.3, processing=30.0))
    client = make_client(sandbox, headers=AUTH)
    import_id = create(client)
    assert client.get(f"/crm/v3/imports/{import_id}").json()["state"] == "STARTED"
    deadline = time.monotonic() + 5
    seen = set()
    while time.monotonic() < deadline:
        state = client.get(f"/crm/v3/imports/{import_id}").json()["state"]
        seen.add(state)
        if state != "STARTED":
            break
        time.sleep(0.05)
    # PROCESSING until the processing delay ends (or FAILED if the checks could not run).
    assert seen & {"PROCESSING", "FAILED"}
    if "PROCESSING" in seen:
        assert client.post(f"/crm/v3/imports/{import_id}/cancel").status_code == 200
        assert sandbox.wait(import_id, timeout=1).state == "CANCELED"


def test_imports_beyond_the_concurrency_limit_are_deferred(
    make_sandbox: Make, make_client: MakeClient
) -> None:
    sandbox = make_sandbox(timing=Timing(started=0.0, processing=30.0, max_concurrent=1))
    client = make_client(sandbox, headers=AUTH)
    first, second = create(client, "first"), create(client, "second")
    deadline = time.monotonic() + 5
    while (
        time.monotonic() < deadline
        and client.get(f"/crm/v3/imports/{second}").json()["state"] != "DEFERRED"
    ):
        time.sleep(0.02)
    assert client.get(f"/crm/v3/imports/{second}").json()["state"] == "DEFERRED"
    # Cancelling the first frees its slot: the second moves on.
    client.post(f"/crm/v3/imports/{first}/cancel")
    while (
        time.monotonic() < deadline
        and client.get(f"/crm/v3/imports/{second}").json()["state"] == "DEFERRED"
    ):
        time.sleep(0.02)
    assert client.get(f"/crm/v3/imports/{second}").json()["state"] != "DEFERRED"
    assert client.post(f"/crm/v3/imports/{second}/cancel").status_code in (200, 400)


@pytest.mark.parametrize("version", ["2025-09", "2026-03", "2026-09"])
def test_dated_paths_share_the_same_imports(
    waiting: SandboxServer, make_client: MakeClient, version: str
) -> None:
    client = make_client(waiting, headers=AUTH)
    base = f"/crm/imports/{version}"
    import_id = create(client, base=base)
    assert waiting.imports[import_id].api_version == version
    assert client.get(f"/crm/v3/imports/{import_id}").json()["id"] == import_id
    assert [r["id"] for r in client.get(base).json()["results"]] == [import_id]
    assert client.get(f"{base}/{import_id}/errors").json() == {"results": []}
    assert client.post(f"{base}/{import_id}/cancel").status_code == 200


def test_a_contact_list_when_asked_for(waiting: SandboxServer, make_client: MakeClient) -> None:
    client = make_client(waiting, headers=AUTH)
    request = contacts_request()
    request["createContactListFromImport"] = True
    body = client.post("/crm/v3/imports", **upload(request, {"contacts.csv": CONTACTS_CSV})).json()
    assert body["metadata"]["objectLists"] == [{"listId": "1", "objectType": "contacts"}]


def test_shutdown_removes_the_uploaded_files(make_sandbox: Make, make_client: MakeClient) -> None:
    sandbox = make_sandbox(timing=WAITING)
    import_id = create(make_client(sandbox, headers=AUTH))
    stored = sandbox.imports[import_id].files["contacts.csv"].path
    assert stored.exists()
    sandbox.shutdown()
    assert not stored.exists()
