"""Hostile servers: every answer specc reads is bounded in bytes and in time.

Each test starts a small server on 127.0.0.1 that answers badly on purpose (a body that never
ends, 2 GB announced, a byte every 0.2 s, garbage, JSON nested 200,000 deep, a number of
20,000 digits, redirects) and runs the real CLI against it as a process. Every run must end
with exit 2 (1 when the answer is a refusal), within 20 s, under 1 GiB, without a traceback,
saying what went wrong and naming the server.
"""

from __future__ import annotations

import json
import shutil
import socket
import ssl
import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import hostile_http as h
import pytest
from hostile_kit import DEFAULT_MEMORY_MIB, run_specc

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TOKEN = "pat-na1-5e1f0a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
ANSWER_SECONDS = 1.0
ENV = {
    "HUBSPOT_ACCESS_TOKEN": TOKEN,
    # The answer deadline is what these tests prove; a short one keeps them quick. The byte
    # bounds are the shipped ones.
    "SPECC_ANSWER_TIMEOUT": str(ANSWER_SECONDS),
    "SPECC_UPLOAD_TIMEOUT": "1",
    "SPECC_RETRY_ATTEMPTS": "2",
    "SPECC_RETRY_BASE": "0.01",
    "SPECC_RETRY_CAP": "0.05",
}
COMMANDS = {
    "status": ["status", "123"],
    "errors": ["errors", "123"],
    "imports": ["imports"],
    "import": ["import", "contacts-create/spec.yaml", "--yes"],
    "catalog-pull": ["catalog", "pull", "-o", "out.json"],
}

TOO_LARGE = "is larger than"
TOO_SLOW = f"did not finish its answer within {ANSWER_SECONDS:g} s"
DROPPED = "the connection dropped"
NOT_JSON = "is not JSON HubSpot would send"


def run_against(server: h.Server, command: str, work: Path) -> tuple[int, str, str, float, float]:
    shutil.copytree(EXAMPLES / "contacts-create", work / "contacts-create")
    code, out, err, seconds, peak, timed_out = run_specc(
        [*COMMANDS[command], "--base-url", server.base_url], work, env=ENV, seconds=20
    )
    assert not timed_out, f"specc {command} still running after 20 s\n{err[-2000:]}"
    assert peak < DEFAULT_MEMORY_MIB, f"specc {command} peaked at {peak:.0f} MiB"
    assert "Traceback" not in out + err, err[-3000:]
    assert TOKEN not in out + err
    return code, out, err, seconds, peak


def expect(
    server: h.Server, command: str, work: Path, exit_code: int, *texts: str
) -> tuple[str, float]:
    code, out, err, seconds, _ = run_against(server, command, work)
    assert code == exit_code, f"exit {code}, expected {exit_code}\n{out[-1000:]}\n{err[-2000:]}"
    for text in texts:
        assert text in err, f"stderr lacks {text!r}\n{err[-2000:]}"
    return err, seconds


# --- bodies without end: every command, since each reads its own endpoints -------------------

ENDLESS: dict[str, tuple[Callable[..., None], str]] = {
    "chunked-forever": (h.endless_chunked, TOO_LARGE),
    "2GB-content-length": (h.huge_length, TOO_LARGE),
    "gzip-bomb": (h.gzip_bomb, TOO_LARGE),
    "trickle": (h.trickle, TOO_SLOW),
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("kind", ENDLESS)
def test_network_endless_answer_is_cut(kind: str, command: str, tmp_path: Path) -> None:
    behaviour, text = ENDLESS[kind]
    with h.serving(behaviour) as server:
        err, seconds = expect(server, command, tmp_path, 2, text)
    # The message names the server, so the user knows which --base-url misbehaved.
    assert server.base_url in err
    if kind == "trickle":
        # Per-read timeouts never fire (a byte comes every 0.2 s): only the deadline ends it.
        assert seconds < 15


def test_network_announced_size_is_refused_before_reading(tmp_path: Path) -> None:
    with h.serving(h.huge_length) as server:
        expect(server, "status", tmp_path, 2, "larger than 4 MiB (it announces 2 GiB)")


# --- answers that never get past their headers -------------------------------------------------


@pytest.mark.parametrize(
    ("behaviour", "command"),
    [
        (h.trickle_headers, "status"),
        (h.trickle_headers, "import"),
        (h.endless_continue, "imports"),
        (h.endless_continue, "catalog-pull"),
    ],
    ids=[
        "trickled-headers-status",
        "trickled-headers-import",
        "100-continue-forever-imports",
        "100-continue-forever-catalog",
    ],
)
def test_network_headers_without_end_meet_the_deadline(
    behaviour: Callable[..., None], command: str, tmp_path: Path
) -> None:
    with h.serving(behaviour) as server:
        _, seconds = expect(server, command, tmp_path, 2, TOO_SLOW)
    assert seconds < 15


# --- broken and strange answers ------------------------------------------------------------


def length_of_20000_digits(conn: socket.socket, request: h.Request, server: h.Server) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: " + b"9" * 20000 + b"\r\n\r\n{}")


STRANGE: dict[str, tuple[Callable[..., None], str, int]] = {
    "closed-mid-body": (h.close_mid_body, DROPPED, 2),
    "not-http": (h.not_http, DROPPED, 2),
    "html-page": (
        h.body_of(b"<html><body>Welcome</body></html>", content_type="text/html"),
        NOT_JSON,
        2,
    ),
    "binary-garbage": (
        h.body_of(bytes(range(256)) * 64, content_type="application/json"),
        NOT_JSON,
        2,
    ),
    "200000-brackets": (h.body_of(b"[" * 200_000), "nests deeper than 64 levels", 2),
    "200000-objects": (h.body_of(b'{"a":' * 200_000), "nests deeper than 64 levels", 2),
    "20000-digit-number": (h.body_of(b"9" * 20_000), "a number of 20,000 digits", 2),
    "20000-digit-id": (
        h.body_of(b'{"id": ' + b"1" * 20_000 + b', "results": []}'),
        "a number of 20,000 digits",
        2,
    ),
    "20000-digit-content-length": (length_of_20000_digits, DROPPED, 2),
    "2GB-error-answer": (h.huge_error, "HTTP 400", 1),
}


def strange_pairs() -> list[tuple[str, str]]:
    """Each kind of answer against `status` and one other command, in turn: every command
    meets broken answers, and the suite stays quick."""
    others = list(COMMANDS)[1:]
    pairs = []
    for n, kind in enumerate(STRANGE):
        pairs += [(kind, "status"), (kind, others[n % len(others)])]
    return pairs


@pytest.mark.parametrize(("kind", "command"), strange_pairs())
def test_network_strange_answer_ends_cleanly(kind: str, command: str, tmp_path: Path) -> None:
    behaviour, text, exit_code = STRANGE[kind]
    with h.serving(behaviour) as server:
        expect(server, command, tmp_path, exit_code, text)


def test_network_an_empty_answer_is_not_shown_as_an_import(tmp_path: Path) -> None:
    with h.serving(h.body_of(b"")) as server:
        code, out, err, _, _ = run_against(server, "status", tmp_path)
    assert code == 2
    assert "is not an import" in err
    assert "None" not in out


# --- redirects: never followed, so the token never goes elsewhere --------------------------


@pytest.mark.parametrize("command", ["status", "import", "catalog-pull"])
def test_network_redirect_loop_is_refused(command: str, tmp_path: Path) -> None:
    loop = h.redirect_to(lambda request, server: server.base_url + request.target)
    with h.serving(loop) as server:
        expect(server, command, tmp_path, 2, "answered with a redirect (HTTP 301)")
    assert len(server.requests) <= 2  # one try (the upload: one, then the listing)


@pytest.mark.parametrize(
    "status",
    ["301 Moved Permanently", "302 Found", "307 Temporary Redirect", "308 Permanent Redirect"],
)
@pytest.mark.parametrize("command", ["status", "import"])
def test_network_token_never_follows_a_redirect_to_another_host(
    status: str, command: str, tmp_path: Path
) -> None:
    # 127.0.0.2 is this machine too (all of 127/8 is loopback), but another host by name.
    with h.serving(h.body_of(b'{"id": "123", "state": "DONE"}'), host="127.0.0.2") as elsewhere:
        away = h.redirect_to(lambda request, _: elsewhere.base_url + request.target, status)
        with h.serving(away) as server:
            expect(server, command, tmp_path, 2, f"redirect (HTTP {status.split()[0]})")
        assert not h.wait_for(lambda: bool(elsewhere.requests), 0.2)
    assert elsewhere.requests == []
    assert all(r.headers.get("authorization") == f"Bearer {TOKEN}" for r in server.requests)


# --- over TLS, as HubSpot is reached: the deadline cuts an encrypted connection too ---------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    yield cert, key


class TLSServer(h.Server):
    context: ssl.SSLContext

    def _serve(self, conn: socket.socket) -> None:
        try:
            conn = self.context.wrap_socket(conn, server_side=True)
        except OSError:
            return
        super()._serve(conn)


@pytest.mark.parametrize(
    ("behaviour", "text"),
    [(h.trickle, TOO_SLOW), (h.trickle_headers, TOO_SLOW), (h.endless_chunked, TOO_LARGE)],
    ids=["trickle", "trickled-headers", "chunked-forever"],
)
def test_network_bounds_hold_over_tls(
    behaviour: Callable[..., None], text: str, certificate: tuple[Path, Path], tmp_path: Path
) -> None:
    cert, key = certificate
    server = TLSServer(behaviour)
    server.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.context.load_cert_chain(cert, key)
    with server:
        code, out, err, seconds, peak, timed_out = run_specc(
            ["status", "123", "--base-url", f"https://127.0.0.1:{server.port}"],
            tmp_path,
            env={**ENV, "SSL_CERT_FILE": str(cert)},
            seconds=20,
        )
    assert server.requests, "the TLS handshake failed: nothing was asked"
    assert (code, timed_out) == (2, False), err[-2000:]
    assert text in err and "Traceback" not in out + err
    assert seconds < 15 and peak < DEFAULT_MEMORY_MIB


# --- answers small enough one by one, too much together ------------------------------------


def endless_pages(item: bytes, per_page: int) -> h.Behaviour:
    """Page after page of `per_page` results, each with a new cursor: HubSpot's paging, with
    no end."""
    body = (
        b'{"results": [' + b",".join([item] * per_page) + b'], "paging": {"next": {"after": "%d"}}}'
    )
    cursors = iter(range(1 << 62))

    def behave(conn: socket.socket, request: h.Request, server: h.Server) -> None:
        h.answer(conn, "200 OK", body.replace(b'"%d"', b'"%d"' % next(cursors)))

    return behave


@pytest.mark.parametrize(
    ("command", "behaviour"),
    [
        # 8 MiB pages of long names: the text kept grows by 8 MiB a page.
        ("imports", endless_pages(b'{"id": "1", "importName": "%s"}' % (b"x" * 8000), 1000)),
        # Pages of empty objects: each costs 64 bytes parsed for 3 of text.
        ("errors", endless_pages(b"{}", 1_000_000)),
        # One answer of tiny values, each far larger in memory than in text.
        (
            "catalog-pull",
            h.body_of(b'{"results": [' + b",".join([b'{"a":{}}'] * 2_000_000) + b"]}"),
        ),
    ],
    ids=["pages-of-text", "pages-of-empty-objects", "one-answer-of-tiny-objects"],
)
def test_network_what_is_kept_is_bounded_in_all(
    command: str, behaviour: h.Behaviour, tmp_path: Path
) -> None:
    with h.serving(behaviour) as server:
        _, seconds = expect(server, command, tmp_path, 2, "specc keeps no more")
    assert seconds < 15


# --- an upload whose answer is cut: the import is looked for, never sent twice ---------------


def test_network_an_endless_upload_answer_is_followed_by_a_look_not_a_second_upload(
    tmp_path: Path,
) -> None:
    """The upload went out and its answer never ended: HubSpot may have created the import,
    so specc lists the imports and adopts the one it finds instead of sending again."""

    def behave(conn: socket.socket, request: h.Request, server: h.Server) -> None:
        if request.method == "POST":
            h.endless_chunked(conn, request, server)
            return
        record = {
            "id": "4242",
            "state": "STARTED",
            "importName": "November Marketing Event Leads",
            "createdAt": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        }
        h.answer(conn, "200 OK", json.dumps({"results": [record]}).encode())

    with h.serving(behave) as server:
        code, out, err, _, _ = run_against(server, "import", tmp_path)
    assert code == 0, err[-2000:]
    assert "import 4242 was created by this upload" in err
    assert "import 4242 started" in out
    assert [r.method for r in server.requests].count("POST") == 1
