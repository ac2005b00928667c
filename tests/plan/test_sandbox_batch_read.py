"""The sandbox's CRM records and `POST /crm/v3/objects/{objectType}/batch/read`, over HTTP.

The answers take the shapes of HubSpot's OpenAPI files (BatchResponseSimplePublicObject, and
...WithErrors with one OBJECT_NOT_FOUND error naming the inputs not found, status 207); what
HubSpot would refuse is a 400 in its error shape.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from plan_support import loaded, project

from specc.plan import Key
from specc.sandbox import SandboxServer, Timing, serve
from specc.sandbox.records import RecordStore

AUTH = {"Authorization": "Bearer batch-read-token"}
READ = "/crm/v3/objects/contacts/batch/read"


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with serve(timing=Timing(0, 0)) as server:
        server.records.add("0-1", {"email": "Ada@Example.com", "firstname": "Ada"})
        server.records.add("0-1", {"email": "grace@example.com", "firstname": "Grace"})
        yield server


def read(sandbox: SandboxServer, body: Any, path: str = READ, **params: str) -> httpx.Response:
    return httpx.post(
        sandbox.base_url + path, headers=AUTH, json=body, params=params or None, timeout=10
    )


def by_email(*emails: str, **more: Any) -> dict[str, Any]:
    return {"inputs": [{"id": e} for e in emails], "idProperty": "email", **more}


def test_every_record_found_is_a_200(sandbox: SandboxServer) -> None:
    answer = read(sandbox, by_email("ada@example.com", "GRACE@example.com", properties=["email"]))
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "COMPLETE" and "errors" not in body
    assert {"startedAt", "completedAt"} <= set(body)
    emails = [r["properties"]["email"] for r in body["results"]]
    assert emails == ["ada@example.com", "grace@example.com"]  # stored as HubSpot does
    first = body["results"][0]
    assert set(first) == {"id", "properties", "createdAt", "updatedAt", "archived"}
    assert first["properties"]["hs_object_id"] == first["id"]


def test_records_not_found_are_named_in_one_error_of_a_207(sandbox: SandboxServer) -> None:
    answer = read(sandbox, by_email("ada@example.com", "nobody@example.com", "x@example.com"))
    assert answer.status_code == 207
    body = answer.json()
    assert len(body["results"]) == 1
    assert body["numErrors"] == 1
    (error,) = body["errors"]
    assert error["status"] == "error"
    assert error["category"] == "OBJECT_NOT_FOUND"
    assert error["message"].startswith("Could not get some CONTACT objects")
    assert error["context"] == {"ids": ["nobody@example.com", "x@example.com"]}


def test_by_record_id_without_id_property(sandbox: SandboxServer) -> None:
    found = sandbox.records.find(Key("0-1", "email"), "grace@example.com")
    assert found is not None
    answer = read(sandbox, {"inputs": [{"id": found}, {"id": "999"}], "properties": ["firstname"]})
    assert answer.status_code == 207
    (record,) = answer.json()["results"]
    assert (record["id"], record["properties"]["firstname"]) == (found, "Grace")
    assert answer.json()["errors"][0]["context"] == {"ids": ["999"]}


def test_the_dated_path_and_an_object_type_id_read_the_same_records(
    sandbox: SandboxServer,
) -> None:
    answer = read(sandbox, by_email("ada@example.com"), path="/crm/objects/2026-03/0-1/batch/read")
    assert answer.status_code == 200 and len(answer.json()["results"]) == 1


def test_archived_records_are_none(sandbox: SandboxServer) -> None:
    answer = read(sandbox, by_email("ada@example.com"), archived="true")
    assert answer.status_code == 207 and answer.json()["results"] == []


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"inputs": [{"id": str(n)} for n in range(101)]}, "at most 100 inputs"),
        (by_email("ada@example.com") | {"idProperty": "firstname"}, "not a unique identifier"),
        ({"properties": []}, "`inputs` is required"),
        ({"inputs": [{"id": None}]}, "needs an `id`"),
        ({"inputs": "ada"}, "`inputs` is required"),
        ([1, 2], "must be a JSON object"),
    ],
)
def test_what_hubspot_refuses_is_a_400(sandbox: SandboxServer, body: Any, says: str) -> None:
    answer = read(sandbox, body)
    assert answer.status_code == 400
    assert answer.json()["category"] == "VALIDATION_ERROR"
    assert says in answer.json()["message"]


def test_a_body_that_is_not_json_is_a_400(sandbox: SandboxServer) -> None:
    answer = httpx.post(sandbox.base_url + READ, headers=AUTH, content=b"{not json", timeout=10)
    assert answer.status_code == 400 and "Invalid input JSON" in answer.json()["message"]
    deep = b"[" * 10_000 + b"]" * 10_000
    answer = httpx.post(sandbox.base_url + READ, headers=AUTH, content=deep, timeout=10)
    assert answer.status_code == 400


def test_an_unknown_object_and_a_wrong_method(sandbox: SandboxServer) -> None:
    unknown = read(sandbox, by_email("a@b.co"), path="/crm/v3/objects/nonsense/batch/read")
    assert unknown.status_code == 400 and "nonsense" in unknown.json()["message"]
    wrong = httpx.get(sandbox.base_url + READ, headers=AUTH, timeout=10)
    assert wrong.status_code == 405


def test_an_update_by_record_id_moves_the_email_that_finds_the_record(
    sandbox: SandboxServer,
) -> None:
    ada = sandbox.records.find(Key("0-1", "email"), "ada@example.com")
    request = {
        "name": "Rename",
        "importOperations": {"0-1": "UPDATE"},
        "files": [
            {
                "fileName": "ids.csv",
                "fileFormat": "CSV",
                "fileImportPage": {
                    "hasHeader": True,
                    "columnMappings": [
                        {
                            "columnObjectTypeId": "0-1",
                            "columnName": "Record ID",
                            "propertyName": "hs_object_id",
                            "columnType": "HUBSPOT_OBJECT_ID",
                        },
                        {
                            "columnObjectTypeId": "0-1",
                            "columnName": "Email",
                            "propertyName": "email",
                        },
                    ],
                },
            }
        ],
    }
    created = httpx.post(
        sandbox.base_url + "/crm/v3/imports",
        headers=AUTH,
        data={"importRequest": json.dumps(request)},
        files=[("files", ("ids.csv", f"Record ID,Email\n{ada},ada@lovelace.org\n".encode()))],
        timeout=10,
    )
    record = sandbox.wait(created.json()["id"])
    assert record.counters["UPDATED_OBJECTS"] == 1 and record.errors == []
    answer = read(sandbox, by_email("ada@example.com", "ada@lovelace.org"))
    assert answer.status_code == 207
    assert [r["id"] for r in answer.json()["results"]] == [ada]
    assert answer.json()["errors"][0]["context"] == {"ids": ["ada@example.com"]}


def test_the_store_is_bounded(tmp_path: Path) -> None:
    path = project(
        tmp_path,
        "specc: 1\nname: Leads\nfiles:\n  - path: leads.csv\n    object: contacts\n"
        "    columns:\n      First Name: firstname\n      Email: {property: email, id: true}\n",
        {"leads.csv": "First Name,Email\nAda,a@example.com\nBo,b@example.com\nCy,c@example.com\n"},
    )
    spec, catalog = loaded(path)
    store = RecordStore(catalog, max_records=2, max_text=len("Adaa@example.com") + 1)
    written = store.write(spec, [])
    assert written.failures == []
    # Past MAX_RECORDS an import's records are not kept (the import still counts them)...
    assert (len(store), store.not_kept) == (2, 1)
    # ... and past the text bound a record keeps only what finds it.
    b = store.find(Key("0-1", "email"), "b@example.com")
    assert b is not None
    assert store.records["0-1"][b].properties == {"email": "b@example.com"}
