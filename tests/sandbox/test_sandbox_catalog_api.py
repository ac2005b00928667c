"""The properties and schemas endpoints: a catalog served in HubSpot's full shapes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sandbox_support import AUTH

from specc.errors import InputError
from specc.sandbox import SandboxServer, load_catalog_file

Make = Callable[..., SandboxServer]
MakeClient = Callable[..., httpx.Client]


@pytest.mark.parametrize(
    "path",
    ["/crm/v3/properties/contacts", "/crm/v3/properties/0-1", "/crm/properties/2026-03/contact"],
)
def test_properties_by_any_object_name(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    names = [p["name"] for p in response.json()["results"]]
    assert names == [
        "email",
        "firstname",
        "lastname",
        "age",
        "birthday",
        "lifecyclestage",
        "hs_object_id",
    ]


def test_a_property_has_the_fields_a_catalog_lacks(client: httpx.Client) -> None:
    by_name = {p["name"]: p for p in client.get("/crm/v3/properties/contacts").json()["results"]}
    stage = by_name["lifecyclestage"]
    assert stage["type"] == "enumeration" and stage["fieldType"] == "radio"
    assert stage["groupName"] == "contactinformation"
    assert stage["description"] == ""
    assert stage["options"] == [
        {"label": "Lead", "value": "lead", "hidden": False, "displayOrder": 0, "description": ""},
        {
            "label": "Customer",
            "value": "customer",
            "hidden": False,
            "displayOrder": 1,
            "description": "",
        },
    ]
    assert stage["modificationMetadata"] == {
        "archivable": False,
        "readOnlyDefinition": True,
        "readOnlyValue": False,
    }
    assert by_name["hs_object_id"]["modificationMetadata"]["readOnlyValue"] is True
    assert by_name["email"]["textDisplayHint"] == "email"
    assert by_name["email"]["options"] == []


def test_a_custom_objects_properties_are_its_own(client: httpx.Client) -> None:
    by_name = {p["name"]: p for p in client.get("/crm/v3/properties/cars").json()["results"]}
    assert by_name["vin"]["hasUniqueValue"] is True
    assert by_name["vin"]["hubspotDefined"] is False
    assert by_name["vin"]["modificationMetadata"]["archivable"] is True
    assert by_name["model"]["groupName"] == "carsinformation"


def test_one_property(client: httpx.Client) -> None:
    response = client.get("/crm/v3/properties/deals/amount")
    assert response.status_code == 200
    assert response.json()["type"] == "number"
    assert client.get("/crm/v3/properties/deals/nope").status_code == 404


def test_filters_of_the_properties_endpoint(client: httpx.Client) -> None:
    assert client.get("/crm/v3/properties/contacts", params={"archived": "true"}).json() == {
        "results": []
    }
    sensitive = client.get("/crm/v3/properties/contacts", params={"dataSensitivity": "sensitive"})
    assert sensitive.json() == {"results": []}
    some = client.get("/crm/v3/properties/contacts", params={"properties": "email,age"}).json()[
        "results"
    ]
    assert [p["name"] for p in some] == ["email", "age"]


def test_an_unknown_object_type_is_a_400(client: httpx.Client) -> None:
    for path in ("/crm/v3/properties/widgets", "/crm/v3/properties/2-999"):
        response = client.get(path)
        assert response.status_code == 400
        assert response.json()["message"].startswith("Unable to infer object type from")


def test_a_standard_object_the_catalog_lacks_has_no_properties(client: httpx.Client) -> None:
    assert client.get("/crm/v3/properties/tickets").json() == {"results": []}


@pytest.mark.parametrize("path", ["/crm/v3/schemas", "/crm-object-schemas/v3/schemas"])
def test_schemas_list_the_custom_objects(client: httpx.Client, path: str) -> None:
    (schema,) = client.get(path).json()["results"]
    assert schema["objectTypeId"] == "2-7654321"
    assert schema["id"] == "7654321"
    assert schema["name"] == "cars"
    assert schema["requiredProperties"] == ["vin"]
    assert schema["fullyQualifiedName"].endswith("_cars")
    assert [p["name"] for p in schema["properties"]] == ["vin", "model"]


def test_one_schema(client: httpx.Client) -> None:
    assert client.get("/crm/v3/schemas/2-7654321").json()["name"] == "cars"
    assert client.get("/crm/v3/schemas/cars").json()["objectTypeId"] == "2-7654321"
    assert client.get("/crm/v3/schemas/contacts").status_code == 404


def test_the_bundled_catalog_by_default(make_sandbox: Make, make_client: MakeClient) -> None:
    sandbox = make_sandbox(catalog=None)
    client = make_client(sandbox, headers=AUTH)
    contacts = {p["name"]: p for p in client.get("/crm/v3/properties/contacts").json()["results"]}
    assert {"email", "firstname", "lastname", "hs_object_id"} <= set(contacts)
    assert all(p["groupName"] and "modificationMetadata" in p for p in contacts.values())
    assert client.get("/crm/v3/schemas").json() == {"results": []}


def snapshot(tmp_path: Path) -> Path:
    document = {
        "catalog": 1,
        "portalId": 12345678,
        "pulledAt": "2026-11-29T10:00:00Z",
        "objects": [
            {
                "objectTypeId": "0-1",
                "name": "contacts",
                "requiredProperties": ["email"],
                "properties": [
                    {
                        "name": "email",
                        "label": "Email",
                        "type": "string",
                        "fieldType": "text",
                        "groupName": "contact_basics",
                        "description": "The contact's email",
                        "displayOrder": 3,
                        "hasUniqueValue": False,
                        "modificationMetadata": {"readOnlyValue": False},
                    },
                    {
                        "name": "tier",
                        "type": "enumeration",
                        "fieldType": "select",
                        "options": [{"label": "Gold", "value": "gold"}],
                    },
                ],
            },
            {
                "objectTypeId": "2-111",
                "name": "pets",
                "requiredProperties": ["pet_name"],
                "properties": [{"name": "pet_name", "type": "string", "fieldType": "text"}],
            },
        ],
    }
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_a_snapshot_keeps_its_own_fields_and_gains_the_missing_ones(
    tmp_path: Path, make_sandbox: Make, make_client: MakeClient
) -> None:
    sandbox = make_sandbox(catalog=load_catalog_file(snapshot(tmp_path)))
    client = make_client(sandbox, headers=AUTH)
    email, tier = client.get("/crm/v3/properties/contacts").json()["results"]
    assert email["groupName"] == "contact_basics"
    assert email["description"] == "The contact's email"
    assert email["displayOrder"] == 3
    assert email["modificationMetadata"]["readOnlyValue"] is False
    assert {"archivable", "readOnlyDefinition"} <= set(email["modificationMetadata"])
    assert tier["label"] == "tier"
    assert tier["options"] == [
        {"label": "Gold", "value": "gold", "hidden": False, "displayOrder": 0, "description": ""}
    ]
    (pets,) = client.get("/crm/v3/schemas").json()["results"]
    assert pets["requiredProperties"] == ["pet_name"]


def test_a_broken_catalog_file_cannot_be_served(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"catalog": 1, "objects": "no"}', encoding="utf-8")
    with pytest.raises(InputError, match="cannot serve the catalog"):
        load_catalog_file(broken)
    with pytest.raises(InputError):
        load_catalog_file(tmp_path / "missing.json")
