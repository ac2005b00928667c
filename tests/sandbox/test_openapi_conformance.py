"""Every kind of sandbox response validates against HubSpot's own OpenAPI files.

The files are HubSpot's (../shared/reference/hubspot-openapi/, copied verbatim); `$ref`s are
resolved within each file. Besides this sweep, the `responses_seen` fixture validates every
response any sandbox test receives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import jsonschema
import pytest
from sandbox_support import (
    AUTH,
    CONTACTS_CSV,
    check_response,
    contacts_request,
    expected_schema,
    openapi_available,
    upload,
    validate,
)

from specc.sandbox import FaultPlan, SandboxServer, Timing

pytestmark = pytest.mark.skipif(
    not openapi_available(), reason="HubSpot's OpenAPI files (../shared/reference) are not here"
)
Make = Callable[..., SandboxServer]
MakeClient = Callable[..., httpx.Client]
IMPORT_BASES = [
    "/crm/v3/imports",
    "/crm/imports/2025-09",
    "/crm/imports/2026-03",
    "/crm/imports/2026-09",
]


def checked(response: httpx.Response, status: int, component: str) -> Any:
    assert response.status_code == status, response.text
    expected = expected_schema(response.request.method, response.url.path, status)
    assert expected.component == component
    body = response.json()
    check_response(response.request.method, response.url.path, status, body)
    return body


@pytest.mark.parametrize("base", IMPORT_BASES)
def test_imports_endpoints_conform(make_sandbox: Make, make_client: MakeClient, base: str) -> None:
    sandbox = make_sandbox(timing=Timing(started=30.0, processing=30.0))
    client = make_client(sandbox, headers=AUTH)
    request = contacts_request()
    request["createContactListFromImport"] = True
    created = checked(
        client.post(base, **upload(request, {"contacts.csv": CONTACTS_CSV})),
        200,
        "PublicImportResponse",
    )
    client.post(base, **upload(contacts_request(name="second"), {"contacts.csv": CONTACTS_CSV}))
    listed = checked(
        client.get(base, params={"limit": 1}),
        200,
        "CollectionResponsePublicImportResponseForwardPaging",
    )
    assert listed["paging"]["next"]["after"]
    checked(client.get(f"{base}/{created['id']}"), 200, "PublicImportResponse")
    checked(
        client.get(
            f"{base}/{created['id']}/errors",
            params={"includeErrorMessage": "true", "includeRowData": "true"},
        ),
        200,
        "CollectionResponsePublicImportErrorForwardPaging",
    )
    checked(client.post(f"{base}/{created['id']}/cancel"), 200, "ActionResponse")
    for response, status in [
        (client.post(f"{base}/{created['id']}/cancel"), 400),
        (client.get(f"{base}/999"), 404),
        (client.get(f"{base}/abc"), 400),
        (client.post(base, json={"name": "x"}), 415),
        (client.post(base, data={"importRequest": "{"}, files=[("files", ("a.csv", b"a\n"))]), 400),
        (make_client(sandbox).get(base), 401),
    ]:
        checked(response, status, "Error")


def test_errors_with_row_errors_conform(make_sandbox: Make, make_client: MakeClient) -> None:
    sandbox = make_sandbox()
    client = make_client(sandbox, headers=AUTH)
    data = b"Email,First name,Age\r\nnot-an-email,Ann,thirty\r\n,Bob,4\r\n"
    import_id = client.post(
        "/crm/v3/imports", **upload(contacts_request(), {"contacts.csv": data})
    ).json()["id"]
    record = sandbox.wait(import_id)
    assert record.state == "DONE", record.failure  # the row checks ran
    assert [(e.error_type, e.line) for e in record.errors] == [
        ("INVALID_EMAIL", 2),
        ("COULD_NOT_PARSE_NUMBER", 2),
    ]
    for base in IMPORT_BASES:
        for flags in (
            {},
            {"includeErrorMessage": "true", "includeRowData": "true"},
            {"limit": "1"},
        ):
            checked(
                client.get(f"{base}/{import_id}/errors", params=flags),
                200,
                "CollectionResponsePublicImportErrorForwardPaging",
            )
        checked(client.get(f"{base}/{import_id}"), 200, "PublicImportResponse")


@pytest.mark.parametrize(
    "path",
    [
        "/crm/v3/properties/contacts",
        "/crm/v3/properties/cars",
        "/crm/properties/2026-03/0-3",
        "/crm/properties/2026-09/companies",
    ],
)
def test_properties_conform(client: httpx.Client, path: str) -> None:
    checked(client.get(path), 200, "CollectionResponsePropertyNoPaging")


def test_the_bundled_catalogs_properties_conform(
    make_sandbox: Make, make_client: MakeClient
) -> None:
    client = make_client(make_sandbox(catalog=None), headers=AUTH)
    for name in (
        "contacts",
        "companies",
        "deals",
        "tickets",
        "products",
        "line_items",
        "calls",
        "notes",
    ):
        body = checked(
            client.get(f"/crm/v3/properties/{name}"), 200, "CollectionResponsePropertyNoPaging"
        )
        assert body["results"], name


def test_single_property_and_schemas_conform(client: httpx.Client) -> None:
    checked(client.get("/crm/v3/properties/contacts/lifecyclestage"), 200, "Property")
    checked(client.get("/crm/v3/properties/contacts/nope"), 404, "Error")
    checked(client.get("/crm/v3/properties/widgets"), 400, "Error")
    checked(client.get("/crm/v3/schemas"), 200, "CollectionResponseObjectSchemaNoPaging")
    checked(
        client.get("/crm-object-schemas/v3/schemas"), 200, "CollectionResponseObjectSchemaNoPaging"
    )
    checked(client.get("/crm/v3/schemas/cars"), 200, "ObjectSchema")
    checked(client.get("/crm/v3/schemas/contacts"), 404, "Error")


def test_fault_and_auth_answers_conform(make_sandbox: Make, make_client: MakeClient) -> None:
    plan = (
        FaultPlan()
        .rate_limit("list")
        .server_error("list", status=502)
        .server_error("get", status=500)
    )
    sandbox = make_sandbox(faults=plan, tokens={"t": {"crm.objects.contacts.read"}})
    client = make_client(sandbox, headers={"Authorization": "Bearer t"})
    checked(client.get("/crm/v3/imports"), 403, "Error")
    sandbox.tokens = {"t": frozenset({"crm.import"})}
    checked(client.get("/crm/v3/imports"), 429, "Error")
    checked(client.get("/crm/imports/2026-09"), 502, "Error")
    checked(client.get("/crm/imports/2026-03/5"), 500, "Error")
    checked(client.get("/crm/v3/nothing"), 404, "Error")


def test_the_validator_catches_a_wrong_shape() -> None:
    # Guards the guard: a body missing required fields or with a wrong enum must fail.
    good = {
        "completedAt": "2026-01-01T00:00:00.000Z",
        "startedAt": "2026-01-01T00:00:00.000Z",
        "status": "COMPLETE",
    }
    validate(good, "crm-imports-v3.json", "ActionResponse")
    for bad in (
        {**good, "status": "DONE"},
        {k: v for k, v in good.items() if k != "startedAt"},
        {**good, "completedAt": "yesterday"},
    ):
        with pytest.raises(jsonschema.ValidationError):
            validate(bad, "crm-imports-v3.json", "ActionResponse")
    row = {
        "lineNumber": 2,
        "rowData": [],
        "additionalRowData": [],
        "containsEncryptedProperties": False,
    }
    with pytest.raises(jsonschema.ValidationError):
        validate(
            {**row, "fileId": 2**40}, "crm-imports-2026-09.json", "ImportRowCore"
        )  # int32 there
    validate({**row, "fileId": 2**40}, "crm-imports-v3.json", "ImportRowCore")  # int64 here
    with pytest.raises(jsonschema.ValidationError):
        validate(
            {"message": "x", "category": "Y", "correlationId": "not-a-uuid"},
            "crm-imports-v3.json",
            "Error",
        )
