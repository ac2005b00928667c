"""Bounds on what a client may send: uploads sized like HubSpot's, bugs answered, loopback only.

The limits are HubSpot's (512 MB per file); these tests lower them through `UploadLimits` so a
few kilobytes prove what a gigabyte would.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator

import httpx
import pytest
from sandbox_support import AUTH, CONTACTS_CSV, contacts_request, upload

from specc.errors import UsageError
from specc.sandbox import SandboxServer, run_forever
from specc.sandbox.server import is_loopback
from specc.sandbox.upload import UploadLimits

IMPORTS = "/crm/v3/imports"
SMALL = UploadLimits(file_bytes=4096, text_bytes=2048, parts=5, body_bytes=16 * 1024)


def chunked(data: bytes, size: int = 1000) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def multipart_of(request: dict[str, object], files: dict[str, bytes]) -> tuple[bytes, str]:
    built = httpx.Request("POST", "http://x/", **upload(request, files))
    return built.read(), built.headers["Content-Type"]


@pytest.fixture
def small(make_sandbox: Callable[..., SandboxServer]) -> SandboxServer:
    return make_sandbox(limits=SMALL)


def uploaded_folders(server: SandboxServer) -> list[str]:
    return sorted(p.name for p in server._folder.iterdir())


def test_a_file_over_the_limit_is_refused_while_it_streams_with_hubspots_429(
    small: SandboxServer, make_client: Callable[..., httpx.Client]
) -> None:
    body, content_type = multipart_of(contacts_request(), {"contacts.csv": b"x" * 5000})
    client = make_client(small, headers=AUTH)
    # Chunked: no Content-Length to refuse it by, so the bytes are counted as they arrive.
    response = client.post(IMPORTS, content=chunked(body), headers={"Content-Type": content_type})
    assert response.status_code == 429
    assert "Retry-After" not in response.headers  # sending it again cannot help
    assert "4,096 bytes per file" in response.json()["message"]
    assert small.imports == {}
    assert uploaded_folders(small) == []  # the part written so far is deleted


def test_a_file_at_the_limit_is_accepted(
    small: SandboxServer, make_client: Callable[..., httpx.Client]
) -> None:
    data = CONTACTS_CSV + b"\n" * (4096 - len(CONTACTS_CSV))
    body, content_type = multipart_of(contacts_request(), {"contacts.csv": data})
    client = make_client(small, headers=AUTH)
    response = client.post(IMPORTS, content=chunked(body), headers={"Content-Type": content_type})
    assert response.status_code == 200, response.text
    assert small.imports[response.json()["id"]].files["contacts.csv"].size == 4096


def test_a_chunked_body_over_the_limit_is_refused_while_it_streams(
    make_sandbox: Callable[..., SandboxServer], make_client: Callable[..., httpx.Client]
) -> None:
    server = make_sandbox(limits=UploadLimits(file_bytes=10**9, body_bytes=8192))
    files = {f"f{n}.csv": b"x" * 3000 for n in range(3)}  # each file fine, together too much
    body, content_type = multipart_of(contacts_request(), files)
    client = make_client(server, headers=AUTH)
    response = client.post(IMPORTS, content=chunked(body), headers={"Content-Type": content_type})
    assert response.status_code == 429
    assert "8,192 bytes" in response.json()["message"]
    assert server.imports == {}


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_sent(
    small: SandboxServer,
) -> None:
    head = (
        f"POST {IMPORTS} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 1000000\r\n\r\n"
    )
    with socket.create_connection((small.host, small.port), timeout=5) as sock:
        sock.sendall(head.encode())  # and not one byte of the body: the answer comes anyway
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 429 ")
    assert b"Connection: close" in answer


def test_an_import_request_over_the_text_limit_is_a_400_even_as_a_file_part(
    small: SandboxServer, make_client: Callable[..., httpx.Client]
) -> None:
    request = contacts_request(name="x" * 3000)
    client = make_client(small, headers=AUTH)
    as_text = client.post(IMPORTS, **upload(request, {"contacts.csv": CONTACTS_CSV}))
    assert as_text.status_code == 400
    files = [
        ("importRequest", ("request.json", json.dumps(request).encode(), "application/json")),
        ("files", ("contacts.csv", CONTACTS_CSV, "text/csv")),
    ]
    as_file = client.post(IMPORTS, files=files)
    assert as_file.status_code == 400
    assert "2,048 bytes" in as_file.json()["message"]


def test_text_parts_are_bounded_together(
    small: SandboxServer, make_client: Callable[..., httpx.Client]
) -> None:
    client = make_client(small, headers=AUTH)
    notes = {"note1": "x" * 1000, "note2": "x" * 1000}  # each under the bound, not together
    response = client.post(
        IMPORTS,
        data={"importRequest": json.dumps(contacts_request()), **notes},
        files=[("files", ("contacts.csv", CONTACTS_CSV, "text/csv"))],
    )
    assert response.status_code == 400
    assert "text parts may hold 2,048 bytes" in response.json()["message"]


def test_too_many_parts_is_a_400(
    small: SandboxServer, make_client: Callable[..., httpx.Client]
) -> None:
    client = make_client(small, headers=AUTH)
    response = client.post(
        IMPORTS,
        data={"importRequest": json.dumps(contacts_request())},
        files=[("files", (f"f{n}.csv", b"a\n", "text/csv")) for n in range(6)],
    )
    assert response.status_code == 400
    assert "more than 5 parts" in response.json()["message"]


def test_a_refused_small_upload_keeps_the_connection_and_a_large_one_closes_it(
    sandbox: SandboxServer, make_client: Callable[..., httpx.Client]
) -> None:
    client = make_client(sandbox, headers={"Authorization": "Basic eDp5"})  # not a bearer: 401
    refused = client.post(IMPORTS, **upload(contacts_request(), {"contacts.csv": CONTACTS_CSV}))
    assert refused.status_code == 401
    assert refused.headers.get("Connection") != "close"  # the body was read: the next may come
    # More than the sandbox reads of a refused body (1 MiB): answered, then the connection ends.
    big, content_type = multipart_of(contacts_request(), {"contacts.csv": b"x" * 3 * 2**20})
    response = client.post(
        IMPORTS, content=chunked(big, 65536), headers={"Content-Type": content_type}
    )
    assert response.status_code == 401
    assert response.headers["Connection"] == "close"


def test_a_bug_is_a_500_in_hubspots_shape_and_prints_nothing(
    sandbox: SandboxServer,
    client: httpx.Client,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    def broken(*args: object) -> None:
        raise ZeroDivisionError("a sandbox bug")

    monkeypatch.setattr(sandbox, "list_imports", broken)
    response = client.get(IMPORTS)
    assert response.status_code == 500
    assert response.json()["category"] == "INTERNAL_ERROR"
    assert "ZeroDivisionError" in response.json()["message"]
    assert sandbox.failures == ["ZeroDivisionError: a sandbox bug"]
    monkeypatch.undo()
    assert client.get(IMPORTS).status_code == 200  # and it lives on
    assert capfd.readouterr().err == ""


def test_every_malformed_request_so_far_was_answered_without_a_bug(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    for path in (f"{IMPORTS}?after=²", f"{IMPORTS}/{'9' * 5000}", f"{IMPORTS}?limit=%FF"):
        assert client.get(path).status_code == 400
    assert sandbox.failures == []


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.10", False),
        ("example.com", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_listening_beyond_loopback_needs_allow_remote() -> None:
    with pytest.raises(UsageError, match="accepts any token") as caught:
        SandboxServer("0.0.0.0", 0)
    assert caught.value.hint is not None and "--allow-remote" in caught.value.hint
    with pytest.raises(UsageError, match="accepts any token"):
        run_forever(0, host="0.0.0.0")
    server = SandboxServer("0.0.0.0", 0, allow_remote=True)
    server.shutdown()
