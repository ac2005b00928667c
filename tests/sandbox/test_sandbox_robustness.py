"""No body, however broken, makes the sandbox crash, hang or answer outside HubSpot's shapes."""

from __future__ import annotations

import socket

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st
from sandbox_support import AUTH, CONTACTS_CSV, contacts_request, small_catalog, upload

from specc.sandbox import FaultPlan, SandboxServer, Timing, serve

BOUNDARY = "b0undary"


def multipart(parts: list[tuple[str, bytes]]) -> bytes:
    out = b""
    for header, data in parts:
        out += f"--{BOUNDARY}\r\n{header}\r\n\r\n".encode("latin-1", "replace") + data + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


bodies = st.one_of(
    st.binary(max_size=400),
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    'Content-Disposition: form-data; name="importRequest"',
                    'Content-Disposition: form-data; name="files"; filename="contacts.csv"',
                    'Content-Disposition: form-data; name="files"; filename="../../etc/x.csv"',
                    "Content-Disposition: attachment",
                    "X-Nothing: here",
                ]
            ),
            st.one_of(st.binary(max_size=200), st.just(b'{"name": "x", "files": [{}]}')),
        ),
        max_size=4,
    ).map(multipart),
)


def post_raw(server: SandboxServer, body: bytes) -> bytes:
    head = (
        f"POST /crm/v3/imports HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((server.host, server.port), timeout=5) as sock:
        sock.sendall(head + body)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def test_broken_uploads_get_a_4xx_and_the_server_lives_on() -> None:
    with serve(catalog=small_catalog(), faults=FaultPlan(), timing=Timing(30, 30)) as server:

        @settings(max_examples=80, deadline=None)
        @given(body=bodies)
        def one(body: bytes) -> None:
            answer = post_raw(server, body)
            status = int(answer.split(b" ", 2)[1])
            assert 400 <= status < 500, answer[:300]
            assert server.imports == {}

        one()
        # ...and a proper upload still works after all of them.
        with httpx.Client(base_url=server.base_url, headers=AUTH, timeout=5) as client:
            response = client.post(
                "/crm/v3/imports", **upload(contacts_request(), {"contacts.csv": CONTACTS_CSV})
            )
        assert response.status_code == 200
