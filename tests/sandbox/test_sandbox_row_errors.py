"""Imports run to DONE through specc's own checks; their row errors in HubSpot's shape."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from typing import Any

import httpx
import openpyxl
import pytest
from sandbox_support import AUTH, CONTACTS_CSV, contacts_request, mapping, upload

from specc.sandbox import SandboxServer

Make = Callable[..., SandboxServer]
PLANTED = (
    b"Email,First name,Age\r\n"
    b"ann@example.com,Ann,31\r\n"  # line 2: clean
    b"not-an-email,Bob,42\r\n"  # line 3: INVALID_EMAIL, column 0
    b"carl@example.com,Carl,thirty\r\n"  # line 4: COULD_NOT_PARSE_NUMBER, column 2
    b",,5\r\n"  # line 5: no email, first name or last name on a CREATE
    b'ANN@example.com,"Ann\nSecond line",1\r\n'  # line 6 (two lines): email repeated
    b"dan@example.com,Dan,7,extra\r\n"  # line 8: four cells
    b"eve@example.com,Eve,\r\n"  # line 9: clean (a blank age is no value)
)
EXPECTED = [
    (3, 0, "INVALID_EMAIL", "not-an-email"),
    (4, 2, "COULD_NOT_PARSE_NUMBER", "thirty"),
    (5, 0, "MISSING_REQUIRED_PROPERTY", ""),
    (6, 0, "DUPLICATE_ALTERNATE_ID", "ANN@example.com"),
    (8, None, "INCORRECT_NUMBER_OF_COLUMNS", "dan@example.com,Dan,7,extra"),
]


def run(
    client: httpx.Client, sandbox: SandboxServer, request: dict[str, Any], files: dict[str, bytes]
) -> str:
    response = client.post("/crm/v3/imports", **upload(request, files))
    assert response.status_code == 200, response.text
    import_id: str = response.json()["id"]
    record = sandbox.wait(import_id)
    assert record.state == "DONE", record.failure
    return import_id


def all_errors(client: httpx.Client, import_id: str, **params: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    query: dict[str, str] = dict(params)
    while True:
        page = client.get(f"/crm/v3/imports/{import_id}/errors", params=query).json()
        found.extend(page["results"])
        if "paging" not in page:
            return found
        query["after"] = page["paging"]["next"]["after"]


def test_planted_errors_come_back_at_their_line_and_column(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    import_id = run(client, sandbox, contacts_request(), {"contacts.csv": PLANTED})
    errors = all_errors(client, import_id)
    found = [
        (
            e["sourceData"]["lineNumber"],
            e.get("knownColumnNumber"),
            e["errorType"],
            e.get("invalidValue"),
        )
        for e in errors
    ]
    assert found == EXPECTED
    file_id = sandbox.imports[import_id].files["contacts.csv"].file_id
    for error in errors:
        assert error["objectType"] == "CONTACT" and error["objectTypeId"] == "0-1"
        assert error["sourceData"]["fileId"] == file_id
        assert error["sourceData"]["rowData"] == []  # only with includeRowData
        assert "errorMessage" not in error  # only with includeErrorMessage
        assert error["sourceData"]["containsEncryptedProperties"] is False
    assert len({e["id"] for e in errors}) == len(errors)


def test_row_data_and_messages_when_asked(sandbox: SandboxServer, client: httpx.Client) -> None:
    import_id = run(client, sandbox, contacts_request(), {"contacts.csv": PLANTED})
    errors = all_errors(client, import_id, includeRowData="true", includeErrorMessage="true")
    rows = {e["sourceData"]["lineNumber"]: e["sourceData"]["rowData"] for e in errors}
    assert rows[3] == ["not-an-email", "Bob", "42"]
    assert rows[6] == ["ANN@example.com", "Ann\nSecond line", "1"]
    assert rows[8] == ["dan@example.com", "Dan", "7", "extra"]
    messages = {e["errorType"]: e["errorMessage"] for e in errors}
    assert "not-an-email" in messages["INVALID_EMAIL"]


def test_counters_count_what_the_clean_rows_write(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    import_id = run(client, sandbox, contacts_request(), {"contacts.csv": PLANTED})
    counters = client.get(f"/crm/v3/imports/{import_id}").json()["metadata"]["counters"]
    assert counters == {
        "TOTAL_ROWS": 7,
        "CREATED_OBJECTS": 2,  # lines 2 and 9
        "UPDATED_OBJECTS": 0,
        "UNIQUE_OBJECTS_WRITTEN": 2,
        "PROPERTY_VALUES_EMITTED": 5,  # 3 + 2 (Eve has no age)
        "ERRORS": 5,
    }


def test_a_clean_file_ends_done_without_errors(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    import_id = run(client, sandbox, contacts_request(), {"contacts.csv": CONTACTS_CSV})
    body = client.get(f"/crm/v3/imports/{import_id}").json()
    assert body["state"] == "DONE"
    assert body["metadata"]["counters"]["CREATED_OBJECTS"] == 3
    assert body["metadata"]["counters"]["ERRORS"] == 0
    assert client.get(f"/crm/v3/imports/{import_id}/errors").json() == {"results": []}


def test_update_imports_count_updates(sandbox: SandboxServer, client: httpx.Client) -> None:
    # The records must exist first: an UPDATE of records the account lacks fails its rows
    # (UPDATE_ONLY_IMPORT; tests/plan covers that).
    run(client, sandbox, contacts_request(), {"contacts.csv": CONTACTS_CSV})
    import_id = run(
        client, sandbox, contacts_request(operation="UPDATE"), {"contacts.csv": CONTACTS_CSV}
    )
    counters = sandbox.imports[import_id].counters
    assert (counters["UPDATED_OBJECTS"], counters["CREATED_OBJECTS"]) == (3, 0)


@pytest.mark.parametrize("limit", [1, 2, 3, 100])
def test_every_error_page_together_is_the_whole_list(
    sandbox: SandboxServer, client: httpx.Client, limit: int
) -> None:
    import_id = run(client, sandbox, contacts_request(), {"contacts.csv": PLANTED})
    paged = all_errors(client, import_id, limit=str(limit))
    assert [e["id"] for e in paged] == [e.id for e in sandbox.imports[import_id].errors]
    first = client.get(f"/crm/v3/imports/{import_id}/errors", params={"limit": limit}).json()
    assert len(first["results"]) == min(limit, len(EXPECTED))
    if limit < len(EXPECTED):
        link = first["paging"]["next"]["link"]
        assert f"/crm/v3/imports/{import_id}/errors?after={limit}&limit={limit}" in link


def test_errors_of_two_files_keep_their_file(sandbox: SandboxServer, client: httpx.Client) -> None:
    request = contacts_request(operation=None)
    request["files"].append(
        {
            "fileName": "companies.csv",
            "fileFormat": "CSV",
            "fileImportPage": {
                "hasHeader": True,
                "columnMappings": [
                    mapping("Name", "name", "0-2"),
                    mapping("Domain", "domain", "0-2", columnType="HUBSPOT_ALTERNATE_ID"),
                ],
            },
        }
    )
    companies = b"Name,Domain\nAcme,acme.com\nBad,not a domain\n"
    import_id = run(
        client, sandbox, request, {"contacts.csv": CONTACTS_CSV, "companies.csv": companies}
    )
    (error,) = all_errors(client, import_id)
    assert error["errorType"] == "INVALID_DOMAIN"
    assert error["sourceData"]["lineNumber"] == 3 and error["knownColumnNumber"] == 1
    assert (
        error["sourceData"]["fileId"] == sandbox.imports[import_id].files["companies.csv"].file_id
    )
    assert (error["objectType"], error["objectTypeId"]) == ("COMPANY", "0-2")
    assert sandbox.imports[import_id].counters["CREATED_OBJECTS"] == 4


def test_a_column_missing_from_the_header_fails_the_import(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    # The docs: a mapping that does not match the file "results in an error when the import is
    # started"; no errorType names it, so the import ends FAILED and writes nothing.
    data = b"Email,First name\nann@example.com,Ann\n"  # the request maps three columns
    response = client.post("/crm/v3/imports", **upload(contacts_request(), {"contacts.csv": data}))
    record = sandbox.wait(response.json()["id"])
    assert record.state == "FAILED"
    assert "'Age' is not in contacts.csv's header" in str(record.failure)
    assert record.counters["CREATED_OBJECTS"] == 0
    assert client.get(f"/crm/v3/imports/{record.id}").json()["state"] == "FAILED"


def test_an_unmapped_header_column_is_a_file_wide_error(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    # The docs: an unmapped column gives "the Incorrect number of columns error".
    data = b"Email,First name,Age,Shoe size\nann@example.com,Ann,3,38\n"
    import_id = run(client, sandbox, contacts_request(), {"contacts.csv": data})
    errors = all_errors(client, import_id)
    # Reported at the header's line, where specc finds it; no data row has its own error.
    assert [(e["errorType"], e["sourceData"]["lineNumber"]) for e in errors] == [
        ("INCORRECT_NUMBER_OF_COLUMNS", 1)
    ]
    assert sandbox.imports[import_id].counters["CREATED_OBJECTS"] == 0


def test_an_unknown_property_is_a_file_wide_error(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    request = contacts_request(
        columns=[
            mapping("Email", "email", columnType="HUBSPOT_ALTERNATE_ID"),
            mapping("Shoe size", "shoe_size"),
        ]
    )
    import_id = run(
        client, sandbox, request, {"contacts.csv": b"Email,Shoe size\nann@example.com,38\n"}
    )
    (error,) = all_errors(client, import_id)
    assert error["errorType"] == "PROPERTY_DEFINITION_NOT_FOUND"
    assert error["sourceData"]["lineNumber"] == 0 and error["knownColumnNumber"] == 1


def test_a_spreadsheet_is_checked_too(sandbox: SandboxServer, client: httpx.Client) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (
        ["Email", "First name", "Age"],
        ["ann@example.com", "Ann", 31],
        ["nope", "Bob", 40],
    ):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    request = contacts_request(file_name="contacts.xlsx")
    request["files"][0]["fileFormat"] = "SPREADSHEET"
    import_id = run(client, sandbox, request, {"contacts.xlsx": buffer.getvalue()})
    (error,) = all_errors(client, import_id, includeRowData="true")
    assert (error["errorType"], error["sourceData"]["lineNumber"]) == ("INVALID_EMAIL", 3)
    assert error["sourceData"]["rowData"] == ["nope", "Bob", "40"]
    assert sandbox.imports[import_id].counters["CREATED_OBJECTS"] == 1


def test_a_workbook_too_large_to_open_fails_the_import_before_any_reader_opens_it(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    book = openpyxl.Workbook()
    book.active.append(["Email", "First name", "Age"])
    book.active.append(["ann@example.com", "Ann", 31])
    buffer = io.BytesIO()
    book.save(buffer)
    # The same workbook, declaring every cell of the grid used: 17 billion cells in 5 KB.
    bomb = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(bomb, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', data)
            target.writestr(info, data)
    request = contacts_request(file_name="contacts.xlsx")
    request["files"][0]["fileFormat"] = "SPREADSHEET"
    response = client.post("/crm/v3/imports", **upload(request, {"contacts.xlsx": bomb.getvalue()}))
    assert response.status_code == 200, response.text  # HubSpot reads files after accepting
    record = sandbox.wait(response.json()["id"])
    assert record.state == "FAILED"
    assert "contacts.xlsx cannot be opened" in str(record.failure)
    (error,) = all_errors(client, record.id, includeErrorMessage="true")
    assert error["errorType"] == "INVALID_SPREADSHEET"
    assert error["sourceData"]["lineNumber"] == 0
    assert "declares a used range" in error["errorMessage"]
    assert client.get(f"/crm/v3/imports/{record.id}").json()["metadata"]["counters"] == {
        "TOTAL_ROWS": 0,
        "CREATED_OBJECTS": 0,
        "UPDATED_OBJECTS": 0,
        "PROPERTY_VALUES_EMITTED": 0,
        "ERRORS": 1,
    }


def test_the_bundled_catalog_judges_a_users_dry_run(
    make_sandbox: Make, make_client: Callable[..., httpx.Client]
) -> None:
    sandbox = make_sandbox(catalog=None)
    client = make_client(sandbox, headers=AUTH)
    request = contacts_request(
        columns=[mapping("Email", "email", columnType="HUBSPOT_ALTERNATE_ID")]
    )
    import_id = run(client, sandbox, request, {"contacts.csv": b"Email\nann@example.com\nann@\n"})
    (error,) = all_errors(client, import_id)
    assert (error["errorType"], error["sourceData"]["lineNumber"]) == ("INVALID_EMAIL", 3)
