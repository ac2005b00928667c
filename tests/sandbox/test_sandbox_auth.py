"""Authentication: bearer tokens, HubSpot's 401 and 403 bodies, scopes per API."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from sandbox_support import CONTACTS_CSV, contacts_request, upload

from specc.sandbox import SandboxServer

Make = Callable[..., SandboxServer]
MakeClient = Callable[..., httpx.Client]
TOKENS = {
    "good": {"crm.import", "crm.objects.contacts.read", "crm.schemas.custom.read"},
    "no-import": {"crm.objects.contacts.read"},
    "import-only": {"crm.import"},
}


@pytest.fixture
def guarded(make_sandbox: Make) -> SandboxServer:
    return make_sandbox(tokens=TOKENS)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic Z29vZDo="},
        {"Authorization": "good"},
    ],
)
def test_no_bearer_token_is_a_401(
    guarded: SandboxServer, make_client: MakeClient, headers: dict[str, str]
) -> None:
    response = make_client(guarded, headers=headers).get("/crm/v3/imports")
    assert response.status_code == 401
    body = response.json()
    assert body["category"] == "INVALID_AUTHENTICATION"
    assert "Authorization: Bearer" in body["message"]
    assert response.headers["X-HubSpot-Correlation-Id"] == body["correlationId"]


def test_an_unknown_token_is_a_401(guarded: SandboxServer, make_client: MakeClient) -> None:
    response = make_client(guarded, headers=bearer("stolen")).get("/crm/v3/imports")
    assert response.status_code == 401
    assert "invalid or has expired" in response.json()["message"]


def test_a_token_without_crm_import_gets_403_with_missing_scopes(
    guarded: SandboxServer, make_client: MakeClient
) -> None:
    client = make_client(guarded, headers=bearer("no-import"))
    response = client.post(
        "/crm/v3/imports", **upload(contacts_request(), {"contacts.csv": CONTACTS_CSV})
    )
    assert response.status_code == 403
    body = response.json()
    assert body["category"] == "MISSING_SCOPES"
    assert body["context"] == {"missingScopes": ["crm.import"]}
    assert body["errors"][0]["context"] == {"requiredGranularScopes": ["crm.import"]}
    assert guarded.imports == {}
    for path in ("/crm/v3/imports", "/crm/imports/2026-09/5/errors"):
        assert client.get(path).status_code == 403
    # The same token reads properties: that API asks for object or schema scopes instead.
    assert client.get("/crm/v3/properties/contacts").status_code == 200


def test_crm_import_alone_does_not_read_properties_or_schemas(
    guarded: SandboxServer, make_client: MakeClient
) -> None:
    client = make_client(guarded, headers=bearer("import-only"))
    assert client.get("/crm/v3/imports").status_code == 200
    denied = client.get("/crm/v3/properties/contacts")
    assert denied.status_code == 403
    assert denied.json()["context"]["missingScopes"] == [
        "crm.objects.contacts.read",
        "crm.schemas.contacts.read",
    ]
    response = client.get("/crm/v3/schemas")
    assert response.status_code == 403
    assert "crm.schemas.custom.read" in response.json()["context"]["missingScopes"]


def test_a_token_with_every_scope_is_served(
    guarded: SandboxServer, make_client: MakeClient
) -> None:
    client = make_client(guarded, headers=bearer("good"))
    response = client.post(
        "/crm/v3/imports", **upload(contacts_request(), {"contacts.csv": CONTACTS_CSV})
    )
    assert response.status_code == 200
    assert client.get("/crm/v3/schemas").status_code == 200


def test_without_configured_tokens_any_bearer_token_works(
    sandbox: SandboxServer, make_client: MakeClient
) -> None:
    assert (
        make_client(sandbox, headers=bearer("anything")).get("/crm/v3/imports").status_code == 200
    )
    assert make_client(sandbox).get("/crm/v3/imports").status_code == 401


def test_the_token_never_reaches_the_log(guarded: SandboxServer, make_client: MakeClient) -> None:
    make_client(guarded, headers=bearer("good")).get("/crm/v3/imports?limit=5")
    assert "good" not in repr(guarded.log)
