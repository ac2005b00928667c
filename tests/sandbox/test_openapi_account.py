"""The sandbox's account endpoints (owners, pipelines, property validations): shaped as
HubSpot's OpenAPI files say, read by HubSpot's own Python client, and pulled by
`specc catalog pull` into a format 2 snapshot, also with a token that lacks a scope."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sandbox_support import OPENAPI_DIR, validate

from specc.catalog.snapshot import parse_snapshot
from specc.sandbox import SandboxServer, serve

HERE = Path(__file__).resolve().parent
PIPELINES_FILE = HERE / "openapi" / "crm-pipelines-v3.json"
VALIDATIONS_FILE = "crm-property-validations-v3.json"
TOKEN = "account-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

OWNERS = [
    {
        "id": str(100 + n),
        "email": f"user{n}@example.com",
        "firstName": f"User{n}",
        "lastName": "Example",
        "userId": 9000 + n,
        "archived": False,
    }
    for n in range(7)
] + [
    {
        "id": "200",
        "email": "gone@example.com",
        "firstName": "Gone",
        "lastName": "User",
        "archived": True,
    }
]
SNAPSHOT: dict[str, Any] = {
    "catalog": 2,
    "owners": OWNERS,
    "objects": [
        {
            "objectTypeId": "0-1",
            "name": "contacts",
            "properties": [
                {"name": "email", "type": "string", "fieldType": "text"},
                {"name": "zip", "type": "string", "fieldType": "text"},
            ],
            "validationRules": [
                {
                    "propertyName": "zip",
                    "propertyValidationRules": [
                        {"ruleType": "ALPHANUMERIC", "ruleArguments": ["NUMERIC_ONLY"]},
                        {"ruleType": "MAX_LENGTH", "ruleArguments": ["5"]},
                    ],
                }
            ],
        },
        {
            "objectTypeId": "0-3",
            "name": "deals",
            "properties": [{"name": "dealname", "type": "string", "fieldType": "text"}],
            "pipelines": [
                {
                    "id": "default",
                    "label": "Sales Pipeline",
                    "displayOrder": 0,
                    "stages": [
                        {
                            "id": "appointmentscheduled",
                            "label": "Appointment Scheduled",
                            "displayOrder": 0,
                            "metadata": {"probability": "0.2"},
                        },
                        {
                            "id": "closedwon",
                            "label": "Closed Won",
                            "displayOrder": 1,
                            "metadata": {"probability": "1.0"},
                        },
                    ],
                },
                {
                    "id": "812723471",
                    "label": "Renewals",
                    "displayOrder": 1,
                    "stages": [{"id": "1234912", "label": "Negotiation"}],
                },
            ],
            "validationRules": [],
        },
    ],
}


@pytest.fixture
def account() -> Iterator[SandboxServer]:
    catalog, found = parse_snapshot(json.dumps(SNAPSHOT), "account.json")
    assert catalog is not None, found
    server = serve(catalog=catalog)
    yield server
    server.shutdown()


def _get(server: SandboxServer, path: str, **params: str) -> httpx.Response:
    with httpx.Client(base_url=server.base_url, headers=AUTH, timeout=10) as client:
        return client.get(path, params=params)


def _validate_pipelines(body: Any, component: str) -> None:
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    document = json.loads(PIPELINES_FILE.read_text("utf-8"))
    uri = "urn:hubspot:crm-pipelines-v3.json"
    registry: Registry[Any] = Registry().with_resource(
        uri, Resource.from_contents(document, default_specification=DRAFT202012)
    )
    schema = {"$ref": f"{uri}#/components/schemas/{component}"}
    jsonschema.Draft202012Validator(schema, registry=registry).validate(body)


def test_pipelines_conform_to_hubspots_openapi_file(account: SandboxServer) -> None:
    answer = _get(account, "/crm/v3/pipelines/deals")
    assert answer.status_code == 200
    body = answer.json()
    _validate_pipelines(body, "CollectionResponsePipelineNoPaging")
    assert [p["id"] for p in body["results"]] == ["default", "812723471"]
    assert body["results"][0]["stages"][0]["metadata"] == {"probability": "0.2"}
    assert _get(account, "/crm/v3/pipelines/0-3").json() == body  # by id as by name
    refused = _get(account, "/crm/v3/pipelines/not-an-object")
    assert refused.status_code == 400
    _validate_pipelines(refused.json(), "Error")


@pytest.mark.skipif(
    not (OPENAPI_DIR / VALIDATIONS_FILE).is_file(), reason="HubSpot's OpenAPI files are not here"
)
def test_validations_conform_to_hubspots_openapi_file(account: SandboxServer) -> None:
    body = _get(account, "/crm/v3/property-validations/0-1").json()
    validate(body, VALIDATIONS_FILE, "CollectionResponsePublicPropertyValidationRuleMapNoPaging")
    assert body["results"][0]["propertyName"] == "zip"
    assert _get(account, "/crm/v3/property-validations/0-3").json() == {"results": []}


def test_owners_page_forward_and_filter(account: SandboxServer) -> None:
    first = _get(account, "/crm/v3/owners", limit="3").json()
    assert [o["id"] for o in first["results"]] == ["100", "101", "102"]
    after = first["paging"]["next"]["after"]
    assert first["paging"]["next"]["link"].startswith(account.base_url + "/crm/v3/owners?")
    rest = _get(account, "/crm/v3/owners", limit="3", after=after).json()
    last = _get(account, "/crm/v3/owners", limit="3", after=rest["paging"]["next"]["after"])
    assert [o["id"] for o in last.json()["results"]] == ["106"]
    assert "paging" not in last.json()
    assert [
        o["id"] for o in _get(account, "/crm/v3/owners", archived="true").json()["results"]
    ] == ["200"]
    found = _get(account, "/crm/v3/owners", email="USER3@example.com").json()["results"]
    assert [o["id"] for o in found] == ["103"]
    assert _get(account, "/crm/v3/owners", limit="0").status_code == 400


def test_hubspots_python_client_reads_all_three(account: SandboxServer) -> None:
    import hubspot

    client = hubspot.HubSpot(access_token=TOKEN, host=account.base_url, base_url=account.base_url)
    page = client.crm.owners.owners_api.get_page(limit=5)
    assert [o.id for o in page.results] == ["100", "101", "102", "103", "104"]
    assert page.results[0].email == "user0@example.com" and page.results[0].user_id == 9000
    rest = client.crm.owners.owners_api.get_page(limit=5, after=page.paging.next.after)
    assert [o.id for o in rest.results] == ["105", "106"] and rest.paging is None
    pipelines = client.crm.pipelines.pipelines_api.get_all(object_type="deals")
    assert [p.label for p in pipelines.results] == ["Sales Pipeline", "Renewals"]
    assert [s.id for s in pipelines.results[0].stages] == ["appointmentscheduled", "closedwon"]
    # hubspot-api-client 12 has no property validations API: its generic request reads them.
    answer = client.api_request({"method": "GET", "path": "/crm/v3/property-validations/0-1"})
    assert answer.status_code == 200
    rules = answer.json()["results"][0]["propertyValidationRules"]
    assert [r["ruleType"] for r in rules] == ["ALPHANUMERIC", "MAX_LENGTH"]


def _pull(
    server: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, token: str
) -> tuple[int, str, Path]:
    from click.testing import CliRunner

    from specc.cli import cli

    monkeypatch.chdir(tmp_path)
    env = {"HUBSPOT_ACCESS_TOKEN": token, "SPECC_BASE_URL": server.base_url}
    result = CliRunner().invoke(
        cli, ["catalog", "pull", "--object", "contacts", "--object", "deals"], env=env
    )
    return result.exit_code, result.output, tmp_path / ".specc" / "catalog.json"


def test_catalog_pull_writes_format_2_to_the_default_place(
    account: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, output, written = _pull(account, tmp_path, monkeypatch, TOKEN)
    assert code == 0, output
    document = json.loads(written.read_text("utf-8"))
    assert document["catalog"] == 2
    assert [o["id"] for o in document["owners"]] == [o["id"] for o in OWNERS[:7]]
    deals = next(o for o in document["objects"] if o["objectTypeId"] == "0-3")
    assert [p["id"] for p in deals["pipelines"]] == ["default", "812723471"]
    contacts = next(o for o in document["objects"] if o["objectTypeId"] == "0-1")
    assert contacts["validationRules"][0]["propertyName"] == "zip"
    assert "pipelines" not in contacts  # contacts have none to pull
    catalog, found = parse_snapshot(written.read_text("utf-8"), "catalog.json")
    assert catalog is not None and not [d for d in found if d.severity.value == "error"]


def test_a_token_without_the_owners_scope_still_gets_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog, _ = parse_snapshot(json.dumps(SNAPSHOT), "account.json")
    scopes = {
        "crm.objects.contacts.read",
        "crm.schemas.contacts.read",
        "crm.objects.deals.read",
        "crm.schemas.deals.read",
        "crm.schemas.custom.read",
    }
    server = serve(catalog=catalog, tokens={"limited": scopes})
    try:
        code, output, written = _pull(server, tmp_path, monkeypatch, "limited")
    finally:
        server.shutdown()
    assert code == 0, output
    assert "crm.objects.owners.read" in output and "owners" in output
    document = json.loads(written.read_text("utf-8"))
    assert "owners" not in document  # not known, rather than "none"
    deals = next(o for o in document["objects"] if o["objectTypeId"] == "0-3")
    assert len(deals["pipelines"]) == 2 and deals["properties"]
