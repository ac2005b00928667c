"""The upload over real HTTP: what the sandbox receives is the request and the files' bytes."""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path

import pytest
from hubspot_support import CONTACTS_CSV, TOKEN, make_upload

from specc.hubspot.events import UploadProgress, UploadStarted
from specc.hubspot.runner import start_import
from specc.sandbox import SandboxServer


def test_body_is_the_request_and_the_exact_file_bytes(
    tmp_path: Path, sandbox: SandboxServer, client_for
) -> None:
    # Bytes a careless client would alter: a BOM, CRLF, a non-ASCII name, no final newline.
    odd = "\ufeffFirst Name,Last Name,Email\r\nZoë,Ångström,zoe@example.com".encode()
    upload = make_upload(
        tmp_path,
        name="Ünïcode leads",
        files={"leads one.csv": CONTACTS_CSV.encode(), "zweite Datei.csv": odd},
    )
    client, _ = client_for(sandbox)
    started = start_import(client, upload)

    record = sandbox.imports[started.import_id]
    assert record.request_text == upload.request_json
    assert json.loads(record.request_text)["name"] == "Ünïcode leads"
    assert record.files["leads one.csv"].data == CONTACTS_CSV.encode()
    assert record.files["zweite Datei.csv"].data == odd
    # One importRequest part (JSON), then one `files` part per file, named as its fileName.
    assert record.parts == [
        ("importRequest", None, "application/json"),
        ("files", "leads one.csv", "text/csv"),
        ("files", "zweite Datei.csv", "text/csv"),
    ]
    assert started.response["id"] == started.import_id
    assert started.adopted is False
    assert sandbox.count("create") == 1


@pytest.mark.parametrize(
    ("version", "prefix"),
    [
        ("2026-03", "/crm/imports/2026-03"),
        ("2026-09", "/crm/imports/2026-09"),
        ("v3", "/crm/v3/imports"),
    ],
)
def test_api_version_picks_the_path(
    tmp_path: Path, sandbox: SandboxServer, client_for, version: str, prefix: str
) -> None:
    client, _ = client_for(sandbox, api_version=version)
    started = start_import(client, make_upload(tmp_path))
    assert sandbox.imports[started.import_id].api_version == version
    assert [e.path for e in sandbox.log if e.route == "create"] == [prefix]
    assert client.get_import(started.import_id)["id"] == started.import_id


def test_files_are_streamed_in_chunks_with_progress(
    tmp_path: Path, sandbox: SandboxServer, client_for
) -> None:
    rows = "".join(f"N{i},S{i},p{i}@example.com\n" for i in range(40_000))
    content = ("First Name,Last Name,Email\n" + rows).encode()
    assert len(content) > 1_000_000
    upload = make_upload(tmp_path, files={"big.csv": content})
    client, recorder = client_for(sandbox)
    started = start_import(client, upload)

    assert sandbox.imports[started.import_id].files["big.csv"].data == content
    progress = recorder.of(UploadProgress)
    # Many reports, each a 64 KiB read: the file went out piece by piece, not in one read.
    assert len(progress) >= len(content) // (64 * 1024)
    assert max(b.sent - a.sent for a, b in itertools.pairwise(progress)) <= 64 * 1024
    assert progress[-1].sent == progress[-1].total == len(content)
    assert recorder.of(UploadStarted)[0].total == len(content)


def test_the_token_is_sent_as_bearer_and_never_kept_in_the_log(
    tmp_path: Path, sandbox: SandboxServer, client_for
) -> None:
    client, _ = client_for(sandbox)
    start_import(client, make_upload(tmp_path))
    assert TOKEN not in repr(client.connection)
    assert TOKEN not in repr(sandbox.log)


def test_a_file_that_vanished_is_a_clear_error(
    tmp_path: Path, sandbox: SandboxServer, client_for
) -> None:
    from specc.errors import SpeccError

    upload = make_upload(tmp_path)
    os.unlink(upload.files[0].path)
    client, _ = client_for(sandbox)
    with pytest.raises(SpeccError, match=r"cannot read leads\.csv"):
        start_import(client, upload)
    assert sandbox.count("create") == 0
