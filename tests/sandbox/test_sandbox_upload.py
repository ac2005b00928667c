"""POST /imports over real loopback HTTP: what is stored, and what HubSpot would refuse (400)."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable

import httpx
import pytest
from sandbox_support import AUTH, CONTACTS_CSV, contacts_request, mapping, upload

from specc.sandbox import SandboxServer

IMPORTS = "/crm/v3/imports"


def test_the_server_stores_exactly_the_request_and_bytes_it_received(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    request = contacts_request()
    response = client.post(IMPORTS, **upload(request, {"contacts.csv": CONTACTS_CSV}))
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "STARTED"
    assert body["importName"] == "Contacts import"
    assert body["importRequestJson"] == request
    assert body["mappedObjectTypeIds"] == ["0-1"]
    record = sandbox.imports[body["id"]]
    assert record.request == request
    assert json.loads(record.request_text) == request
    assert record.files["contacts.csv"].data == CONTACTS_CSV
    assert record.files["contacts.csv"].size == len(CONTACTS_CSV)
    assert body["metadata"]["fileIds"] == [str(record.files["contacts.csv"].file_id)]
    assert record.parts == [("importRequest", None, None), ("files", "contacts.csv", "text/csv")]
    assert sandbox.count("create") == 1


def test_binary_bytes_and_crlf_survive_untouched(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    # Every byte value, a BOM and bare CRs: the multipart parser must not normalise anything.
    payload = b"\xef\xbb\xbfEmail,First name,Age\r\n" + bytes(range(256)) + b"\r\r\n--\r\n"
    response = client.post(
        IMPORTS, **upload(contacts_request(operation=None), {"contacts.csv": payload})
    )
    assert response.status_code == 200
    assert sandbox.imports[response.json()["id"]].files["contacts.csv"].data == payload


def test_several_files_with_spaces_and_unicode_in_their_names(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    request = contacts_request(file_name="Nov event leads.csv", operation=None)
    companies = {
        "fileName": "Sociétés 2026.csv",
        "fileFormat": "CSV",
        "fileImportPage": {
            "hasHeader": True,
            "columnMappings": [
                mapping("Company name", "name", "0-2"),
                mapping("Company domain name", "domain", "0-2", columnType="HUBSPOT_ALTERNATE_ID"),
            ],
        },
    }
    request["files"].append(companies)
    files = {
        "Nov event leads.csv": CONTACTS_CSV,
        "Sociétés 2026.csv": b"Company name,Company domain name\nAcme,acme.example\n",
    }
    response = client.post(IMPORTS, **upload(request, files))
    assert response.status_code == 200, response.text
    record = sandbox.imports[response.json()["id"]]
    assert {name: f.data for name, f in record.files.items()} == files
    assert response.json()["mappedObjectTypeIds"] == ["0-1", "0-2"]
    assert len(set(response.json()["metadata"]["fileIds"])) == 2


def test_a_large_file_streams_to_disk_byte_for_byte(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    row = b"someone@example.com,Someone,40\r\n"
    payload = b"Email,First name,Age\r\n" + row * 200_000  # ~6.6 MB, several parser chunks
    response = client.post(
        IMPORTS, **upload(contacts_request(operation=None), {"contacts.csv": payload})
    )
    assert response.status_code == 200
    stored = sandbox.imports[response.json()["id"]].files["contacts.csv"]
    assert stored.size == len(payload)
    assert stored.data == payload


def test_a_chunked_upload_is_read_like_a_sized_one(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    request = httpx.Request(
        "POST",
        f"{sandbox.base_url}{IMPORTS}",
        **upload(contacts_request(), {"contacts.csv": CONTACTS_CSV}),
    )
    body = request.read()

    def pieces() -> object:
        for start in range(0, len(body), 7):
            yield body[start : start + 7]

    headers = {"Content-Type": request.headers["Content-Type"], **AUTH}
    response = client.post(IMPORTS, content=pieces(), headers=headers)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    assert sandbox.imports[response.json()["id"]].files["contacts.csv"].data == CONTACTS_CSV


def test_the_documented_curl_form_with_a_json_typed_text_part(sandbox: SandboxServer) -> None:
    # The docs' curl: -F "files=@import_file.csv;type=text/csv"
    #                 -F "importRequest=$myJSON;type=application/json"
    boundary = "------------------------curlform"
    request = json.dumps(contacts_request()).encode()
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="contacts.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n".encode()
        + CONTACTS_CSV
        + f'\r\n--{boundary}\r\nContent-Disposition: form-data; name="importRequest"\r\n'
        "Content-Type: application/json\r\n\r\n".encode()
        + request
        + f"\r\n--{boundary}--\r\n".encode()
    )
    raw = (
        f"POST {IMPORTS} HTTP/1.1\r\nHost: {sandbox.host}\r\nAuthorization: Bearer t\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body
    with socket.create_connection((sandbox.host, sandbox.port), timeout=5) as sock:
        sock.sendall(raw)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200")
    (record,) = sandbox.imports.values()
    assert record.files["contacts.csv"].data == CONTACTS_CSV
    assert record.parts[1] == ("importRequest", None, "application/json")


def refused(client: httpx.Client, **kwargs: object) -> dict[str, object]:
    response = client.post(IMPORTS, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 400, response.text
    body: dict[str, object] = response.json()
    assert body["category"] == "VALIDATION_ERROR"
    return body


def test_unparseable_request_json_is_a_400(sandbox: SandboxServer, client: httpx.Client) -> None:
    body = refused(
        client,
        data={"importRequest": '{"name": "x", files: []}'},
        files=[("files", ("contacts.csv", CONTACTS_CSV, "text/csv"))],
    )
    assert "Unable to parse the importRequest JSON" in str(body["message"])
    assert "line 1 column 15" in str(body["message"])
    assert sandbox.imports == {}


@pytest.mark.parametrize(
    ("file_name", "uploaded", "says"),
    [
        ("contacts.csv", {"other.csv": CONTACTS_CSV}, "No uploaded file is named 'contacts.csv'"),
        ("contacts", {"contacts.csv": CONTACTS_CSV}, "No uploaded file is named 'contacts'"),
        (
            "contacts.csv",
            {"contacts.csv": CONTACTS_CSV, "extra.csv": b"a\n"},
            "'extra.csv' matches no fileName",
        ),
    ],
)
def test_file_names_must_match_both_ways(
    sandbox: SandboxServer,
    client: httpx.Client,
    file_name: str,
    uploaded: dict[str, bytes],
    says: str,
) -> None:
    body = refused(client, **upload(contacts_request(file_name=file_name), uploaded))
    assert says in str(body["message"])
    assert {"in": "files"}.items() <= body["errors"][0].items()  # type: ignore[index]
    assert sandbox.imports == {}


def test_create_without_required_properties_is_refused_like_hubspot(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    # hubspot-domain.md §4.1: the changelog's example error for contacts.
    request = contacts_request(columns=[mapping("Age", "age"), mapping("Notes", "hs_notes")])
    body = refused(client, **upload(request, {"contacts.csv": b"Age,Notes\n3,x\n"}))
    assert body["message"] == (
        "Some required properties for CONTACT creates are missing: "
        "[One of [firstname, email, lastname]]"
    )
    assert body["context"] == {"CONTACT properties": ["[age, hs_notes]"]}
    assert sandbox.imports == {}


def test_create_of_deals_names_every_missing_property(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    request = contacts_request(columns=[mapping("Deal", "dealname", "0-3")])
    request["importOperations"] = {"0-3": "CREATE"}
    body = refused(client, **upload(request, {"contacts.csv": b"Deal\nBig one\n"}))
    assert (
        body["message"]
        == "Some required properties for DEAL creates are missing: [pipeline, dealstage]"
    )


def test_upsert_and_update_need_no_required_properties(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    for operation in ("UPSERT", "UPDATE", None):
        request = contacts_request(operation=operation, columns=[mapping("Age", "age")])
        response = client.post(IMPORTS, **upload(request, {"contacts.csv": b"Age\n3\n"}))
        assert response.status_code == 200, (operation, response.text)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda r: r.pop("name"), "The import needs a name"),
        (lambda r: r.update(files=[]), "at least one file"),
        (lambda r: r.update(dateFormat="DD/MM/YYYY"), "dateFormat 'DD/MM/YYYY' is not one of"),
        (lambda r: r.update(importOperations={"0-1": "MERGE"}), "Unknown import operation 'MERGE'"),
        (
            lambda r: r.update(importOperations={"widgets": "CREATE"}),
            "Unknown object type 'widgets'",
        ),
        (lambda r: r["files"][0].update(fileFormat="XLSX"), "fileFormat 'XLSX' is not one of"),
        (lambda r: r["files"][0].pop("fileImportPage"), "columnMappings"),
        (
            lambda r: r["files"][0]["fileImportPage"]["columnMappings"][0].update(
                columnObjectTypeId="nope"
            ),
            "Unknown columnObjectTypeId 'nope'",
        ),
        (
            lambda r: r["files"][0]["fileImportPage"]["columnMappings"][0].update(
                columnType="PRIMARY"
            ),
            "columnType 'PRIMARY' is not one of",
        ),
    ],
)
def test_malformed_requests_are_refused_with_the_field(
    sandbox: SandboxServer,
    client: httpx.Client,
    change: Callable[[dict[str, object]], object],
    says: str,
) -> None:
    request = contacts_request()
    change(request)
    body = refused(client, **upload(request, {"contacts.csv": CONTACTS_CSV}))
    assert says in str(body["message"])
    assert sandbox.imports == {}


def test_the_upload_needs_one_import_request_part(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    body = refused(client, files=[("files", ("contacts.csv", CONTACTS_CSV, "text/csv"))])
    assert "exactly one 'importRequest' part" in str(body["message"])


def test_a_files_part_needs_a_filename(sandbox: SandboxServer, client: httpx.Client) -> None:
    body = refused(
        client,
        data={"importRequest": json.dumps(contacts_request())},
        files=[("files", (None, b"Email\nx@y.z\n"))],
    )
    assert "needs a filename" in str(body["message"])


def test_a_body_that_is_not_multipart_is_refused(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    response = client.post(IMPORTS, json=contacts_request())
    assert response.status_code == 415
    assert "multipart/form-data" in response.json()["message"]


def test_a_truncated_multipart_body_is_a_400(sandbox: SandboxServer, client: httpx.Client) -> None:
    request = httpx.Request(
        "POST",
        f"{sandbox.base_url}{IMPORTS}",
        **upload(contacts_request(), {"contacts.csv": CONTACTS_CSV}),
    )
    body = request.read()[:-40]  # the closing boundary is cut off
    response = client.post(
        IMPORTS, content=body, headers={"Content-Type": request.headers["Content-Type"], **AUTH}
    )
    assert response.status_code == 400
    assert "closing boundary" in response.json()["message"]
    assert sandbox.imports == {}


def test_the_connection_stays_usable_after_a_refusal(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    refused(client, **upload(contacts_request(file_name="x.csv"), {"contacts.csv": CONTACTS_CSV}))
    ok = client.post(IMPORTS, **upload(contacts_request(), {"contacts.csv": CONTACTS_CSV}))
    assert ok.status_code == 200
    assert len(sandbox.imports) == 1


def test_custom_objects_are_named_by_id_or_schema_name(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    request = contacts_request(
        operation=None,
        columns=[
            mapping("VIN", "vin", "cars", columnType="HUBSPOT_ALTERNATE_ID"),
            mapping("Model", "model", "2-7654321"),
        ],
    )
    request["importOperations"] = {"2-7654321": "UPSERT"}
    response = client.post(IMPORTS, **upload(request, {"contacts.csv": b"VIN,Model\nV1,T\n"}))
    assert response.status_code == 200, response.text
    assert response.json()["mappedObjectTypeIds"] == ["2-7654321"]


def test_an_import_request_sent_as_a_file_part_is_read_too(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    # curl -F importRequest=@request.json: a filename on the part. Read all the same, and
    # recorded, so a test can tell how a client sent it.
    files = [
        (
            "importRequest",
            ("request.json", json.dumps(contacts_request()).encode(), "application/json"),
        ),
        ("files", ("contacts.csv", CONTACTS_CSV, "text/csv")),
    ]
    response = client.post(IMPORTS, files=files)
    assert response.status_code == 200, response.text
    record = sandbox.imports[response.json()["id"]]
    assert record.parts[0] == ("importRequest", "request.json", "application/json")
    assert record.files["contacts.csv"].data == CONTACTS_CSV
