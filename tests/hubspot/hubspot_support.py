"""Helpers for the HubSpot client tests: a real sandbox on loopback, data files, fast retries.

Everything here talks HTTP to `specc.sandbox` over 127.0.0.1; nothing of the client is mocked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from specc.hubspot.connection import Connection, Secret, Timeouts
from specc.hubspot.events import Event
from specc.hubspot.retry import PollPolicy, RetryPolicy
from specc.hubspot.upload import Upload, UploadFile, content_type_for
from specc.sandbox import FaultPlan, SandboxServer, serve

# Unique enough that finding it anywhere in output means it leaked.
TOKEN = "pat-na1-SECRET-e2e-7f3a9c1d-token-never-printed"

CONTACTS_CSV = (
    "First Name,Last Name,Email\n"
    "Ada,Lovelace,ada@example.com\n"
    "Alan,Turing,alan@example.com\n"
    "Grace,Hopper,grace@example.com\n"
)


def make_sandbox(faults: FaultPlan | None = None, **kwargs: Any) -> SandboxServer:
    return serve(faults=faults, **kwargs)


@dataclass
class Recorder:
    events: list[Event] = field(default_factory=list)

    def __call__(self, event: Event) -> None:
        self.events.append(event)

    def of(self, kind: type) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]


def fast_retry(attempts: int = 5, **kwargs: Any) -> RetryPolicy:
    return RetryPolicy(attempts=attempts, base=0.01, cap=0.05, **kwargs)


FAST_POLL = PollPolicy(first=0.02, factor=1.2, cap=0.1)


def connect(
    base_url: str,
    *,
    api_version: str = "v3",
    timeouts: Timeouts | None = None,
    token: str = TOKEN,
) -> Connection:
    return Connection(
        base_url=base_url,
        api_version=api_version,
        token=Secret(token),
        timeouts=timeouts or Timeouts(connect=2, read=5, upload_read=5, write=5),
    )


def contacts_request(name: str, file_names: list[str]) -> dict[str, Any]:
    """An importRequest for contacts files with the CONTACTS_CSV header."""
    return {
        "name": name,
        "dateFormat": "MONTH_DAY_YEAR",
        "files": [
            {
                "fileName": file_name,
                "fileFormat": "CSV",
                "fileImportPage": {
                    "hasHeader": True,
                    "columnMappings": [
                        {
                            "columnObjectTypeId": "0-1",
                            "columnName": "First Name",
                            "propertyName": "firstname",
                        },
                        {
                            "columnObjectTypeId": "0-1",
                            "columnName": "Last Name",
                            "propertyName": "lastname",
                        },
                        {
                            "columnObjectTypeId": "0-1",
                            "columnName": "Email",
                            "propertyName": "email",
                            "columnType": "HUBSPOT_ALTERNATE_ID",
                        },
                    ],
                },
            }
            for file_name in file_names
        ],
    }


def make_upload(
    folder: Path,
    name: str = "Leads import",
    files: dict[str, bytes] | None = None,
) -> Upload:
    """An Upload of contacts CSV files written into `folder` (name -> bytes)."""
    files = files or {"leads.csv": CONTACTS_CSV.encode()}
    items = []
    for file_name, content in files.items():
        path = folder / file_name
        path.write_bytes(content)
        items.append(
            UploadFile(
                path=path,
                shown_path=file_name,
                file_name=file_name,
                content_type=content_type_for(path, "CSV"),
                size=len(content),
                object_type_id="0-1",
                columns=3,
            )
        )
    request = contacts_request(name, list(files))
    return Upload(
        name=name,
        request_json=json.dumps(request, ensure_ascii=False, separators=(",", ":")),
        files=tuple(items),
        operations={},
    )
