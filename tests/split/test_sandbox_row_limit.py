"""The sandbox refuses a CSV file over HubSpot's row limit with a 429, counting the rows as
they arrive, and deletes what it stored once the import has ended."""

from __future__ import annotations

import json
import time

import httpx

from specc.sandbox import serve
from specc.sandbox.upload import UploadLimits

REQUEST = {
    "name": "rows",
    "files": [
        {
            "fileName": "c.csv",
            "fileFormat": "CSV",
            "fileImportPage": {
                "hasHeader": True,
                "columnMappings": [
                    {
                        "columnObjectTypeId": "0-1",
                        "columnName": "Email",
                        "propertyName": "email",
                        "columnType": "HUBSPOT_ALTERNATE_ID",
                    }
                ],
            },
        }
    ],
}


def post(base_url: str, content: bytes) -> httpx.Response:
    return httpx.post(
        f"{base_url}/crm/v3/imports",
        headers={"Authorization": "Bearer t"},
        files=[
            ("importRequest", (None, json.dumps(REQUEST).encode(), "application/json")),
            ("files", ("c.csv", content, "text/csv")),
        ],
    )


def rows(count: int) -> bytes:
    # Quoted line breaks and empty lines are no extra rows.
    body = "".join(f'"p{i}@x.com\n"\n\n' if i % 2 else f"p{i}@x.com\r\n" for i in range(count))
    return ("Email\n" + body).encode()


def test_rows_over_the_limit_are_a_429_and_at_the_limit_an_import() -> None:
    with serve(limits=UploadLimits(file_rows=50)) as sandbox:
        refused = post(sandbox.base_url, rows(51))
        assert refused.status_code == 429
        assert "more than HubSpot's limit of 50 rows per file" in refused.json()["message"]
        assert "Retry-After" not in refused.headers
        assert sandbox.imports == {}
        accepted = post(sandbox.base_url, rows(50))
        assert accepted.status_code == 200
        record = sandbox.wait(accepted.json()["id"])
        assert record.files["c.csv"].rows == 50
        # The import ended: its upload is gone from disk, its bytes are still known.
        deadline = time.monotonic() + 5
        while list(sandbox._folder.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert list(sandbox._folder.iterdir()) == []
        assert not record.files["c.csv"].path.exists()
        assert record.files["c.csv"].data == rows(50)
