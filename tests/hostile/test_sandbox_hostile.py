"""Hostile requests to `specc sandbox`, a real process answering real HTTP on loopback.

Each malformed request gets an answer in HubSpot's `Error` shape, the server answers the next
request as before, and it prints nothing: no traceback, not even for clients that reset the
connection halfway. 200 clients at once all get their answer; an .xlsx bomb fails its import
without the server's memory passing 1 GiB; listening beyond loopback takes --allow-remote.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hostile_kit import run_specc

TOKEN = "hostile-sandbox-token"
BOUNDARY = "hostileboundary"
MULTIPART = f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
IMPORTS = "/crm/v3/imports"
TRACEBACK = "Traceback (most recent call last)"


# --- the sandbox as a process -------------------------------------------------------------


@dataclass
class Sandbox:
    process: subprocess.Popen[bytes]
    base_url: str
    stderr_path: Path

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])

    def stderr(self) -> str:
        return self.stderr_path.read_text("utf-8", "replace")

    def memory_mib(self, field: str = "VmHWM") -> float:
        """Peak (VmHWM) or current (VmRSS) resident memory of the process, in MiB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
        raise AssertionError(f"no {field} in /proc/{self.process.pid}/status")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def start_sandbox(folder: Path, *args: str) -> Sandbox:
    """`specc sandbox ARGS` on a free port, once it printed its base URL.

    stderr goes to a file: readable while the server runs, and a server that prints cannot
    block on a full pipe.
    """
    stderr_path = folder / "sandbox-stderr.txt"
    environ = {k: v for k, v in os.environ.items() if k != "SPECC_DEBUG"}
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "specc", "sandbox", "--port", "0", *args],
            cwd=folder,
            env=environ,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr,
        )
    assert process.stdout is not None
    first = process.stdout.readline().decode().strip()
    if not first.startswith("http://"):
        process.kill()
        process.wait()
        raise AssertionError(f"the sandbox did not start: {stderr_path.read_text()}")
    return Sandbox(process, first, stderr_path)


# --- raw HTTP -------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def exchange(sandbox: Sandbox, raw: bytes, timeout: float = 10.0) -> Answer:
    """Send raw bytes and read the one answer (every request here says Connection: close)."""
    with socket.create_connection(("127.0.0.1", sandbox.port), timeout=timeout) as sock:
        # The server may answer and stop reading before the end of a refused body.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(raw)
        received = b""
        while not _complete(received):
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            received += chunk
    return parse_answer(received)


def _complete(received: bytes) -> bool:
    head, sep, body = received.partition(b"\r\n\r\n")
    if not sep:
        return False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value)
    return False


def parse_answer(received: bytes) -> Answer:
    head, sep, body = received.partition(b"\r\n\r\n")
    assert sep, f"no complete answer: {received[:300]!r}"
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", len(body)))
    return Answer(int(lines[0].split(" ", 2)[1]), headers, body[:length])


def request(method: str, target: str, headers: str = "", body: bytes = b"") -> bytes:
    """A raw HTTP/1.1 request with the token, Connection: close and (unless `headers` frame
    the body themselves) a Content-Length. `target` is sent as Latin-1 bytes, as written."""
    head = f"{method} {target} HTTP/1.1\r\nHost: sandbox\r\nAuthorization: Bearer {TOKEN}\r\n"
    head += f"Connection: close\r\n{headers}"
    if "content-length:" not in headers.lower() and "transfer-encoding:" not in headers.lower():
        head += f"Content-Length: {len(body)}\r\n"
    return head.encode("latin-1") + b"\r\n" + body


def multipart(parts: list[tuple[str, bytes]], boundary: str = BOUNDARY) -> bytes:
    out = b""
    for header, data in parts:
        out += f"--{boundary}\r\n{header}\r\n\r\n".encode() + data + b"\r\n"
    return out + f"--{boundary}--\r\n".encode()


def import_request(file_name: str = "contacts.csv", file_format: str = "CSV") -> dict[str, Any]:
    mapping = {
        "columnName": "Email",
        "columnObjectTypeId": "0-1",
        "propertyName": "email",
        "columnType": "HUBSPOT_ALTERNATE_ID",
    }
    return {
        "name": "hostile",
        "files": [
            {
                "fileName": file_name,
                "fileFormat": file_format,
                "fileImportPage": {"hasHeader": True, "columnMappings": [mapping]},
            }
        ],
        "importOperations": {"0-1": "UPSERT"},
    }


def upload(request_json: bytes, files: dict[str, bytes]) -> bytes:
    parts = [('Content-Disposition: form-data; name="importRequest"', request_json)]
    for name, data in files.items():
        parts.append((f'Content-Disposition: form-data; name="files"; filename="{name}"', data))
    return multipart(parts)


CSV = b"Email\r\nann@example.com\r\n"
GOOD_REQUEST = json.dumps(import_request()).encode()


def post_upload(body: bytes, headers: str = MULTIPART) -> bytes:
    return request("POST", IMPORTS, headers, body)


# --- malformed requests ---------------------------------------------------------------------


def get(target: str, headers: str = "") -> bytes:
    return request("GET", target, headers)


def post(headers: str, body: bytes = b"") -> bytes:
    return request("POST", IMPORTS, headers, body)


def with_request(request_json: bytes) -> bytes:
    return post_upload(upload(request_json, {"contacts.csv": CSV}))


DIGITS_5000 = "9" * 5000
CHUNKED = f"{MULTIPART}Transfer-Encoding: chunked\r\n"
ERRORS = f"{IMPORTS}/71000001/errors"
TOO_LONG_PART_HEADER = f'Content-Disposition: form-data; name="importRequest"; x="{"a" * 10_000}"'
FILE_PART = 'Content-Disposition: form-data; name="files"; filename="contacts.csv"'
# (id, raw request, expected status)
MALFORMED: list[tuple[str, bytes, int]] = [
    # Query parameters: str.isdigit() is true for "²" and "٣", int() refuses "²".
    ("after-superscript", get(f"{IMPORTS}?after=²"), 400),
    ("after-superscript-utf8", get(f"{IMPORTS}?after=%C2%B2"), 400),
    ("after-arabic-indic", get(f"{IMPORTS}?after=%D9%A3"), 400),
    ("after-negative", get(f"{IMPORTS}?after=-1"), 400),
    ("after-empty", get(f"{IMPORTS}?after="), 400),
    ("after-5000-digits", get(f"{IMPORTS}?after={DIGITS_5000}"), 400),
    ("after-past-int64", get(f"{IMPORTS}?after=9223372036854775808"), 400),
    ("after-non-utf8", get(f"{IMPORTS}?after=%FF"), 400),
    ("after-repeated", get(f"{IMPORTS}?after=1&after=2"), 400),
    ("limit-superscript", get(f"{IMPORTS}?limit=²"), 400),
    ("limit-empty", get(f"{IMPORTS}?limit="), 400),
    ("limit-zero", get(f"{IMPORTS}?limit=0"), 400),
    ("limit-plus-sign", get(f"{IMPORTS}?limit=%2B5"), 400),
    ("limit-spaces", get(f"{IMPORTS}?limit=%205%20"), 400),
    ("limit-5000-digits", get(f"{IMPORTS}?limit={DIGITS_5000}"), 400),
    ("limit-repeated", get(f"{IMPORTS}?limit=1&limit=2"), 400),
    ("query-500-parameters", get(IMPORTS + "?" + "&".join(f"p{n}=1" for n in range(500))), 400),
    ("errors-after-superscript", get(f"{ERRORS}?after=²"), 400),
    ("errors-limit-superscript", get(f"{ERRORS}?limit=²"), 400),
    ("errors-flag-not-utf8", get(f"{ERRORS}?includeRowData=%FF"), 400),
    # Path ids: importId is an int64.
    ("id-5000-digits", get(f"{IMPORTS}/{DIGITS_5000}"), 400),
    ("id-5000-digits-errors", get(f"{IMPORTS}/{DIGITS_5000}/errors"), 400),
    ("id-5000-digits-cancel", request("POST", f"{IMPORTS}/{DIGITS_5000}/cancel"), 400),
    ("id-past-int64", get(f"{IMPORTS}/9223372036854775808"), 400),
    ("id-superscript", get(f"{IMPORTS}/²"), 400),
    ("id-superscript-utf8", get(f"{IMPORTS}/%C2%B2"), 400),
    ("id-negative", get(f"{IMPORTS}/-1"), 400),
    ("id-non-utf8", get(f"{IMPORTS}/%FF"), 400),
    ("object-type-non-utf8", get("/crm/v3/properties/%FF%FE"), 400),
    # What the HTTP parser refuses, in HubSpot's shape too.
    ("url-70000-characters", get(f"{IMPORTS}?after={'1' * 70_000}"), 414),
    ("header-70000-characters", get(IMPORTS, f"X-Long: {'a' * 70_000}\r\n"), 431),
    ("150-headers", get(IMPORTS, "".join(f"X-H{n}: 1\r\n" for n in range(150))), 431),
    ("request-line-garbage", b"NONSENSE\r\n\r\n", 400),
    ("http-version-9", b"GET /crm/v3/imports HTTP/9.9\r\nConnection: close\r\n\r\n", 505),
    ("unknown-method", request("BREW", IMPORTS), 501),
    # Body framing.
    ("content-length-superscript", post(f"{MULTIPART}Content-Length: ²\r\n"), 400),
    ("content-length-negative", post(f"{MULTIPART}Content-Length: -1\r\n"), 400),
    ("content-length-5000-digits", post(f"{MULTIPART}Content-Length: {DIGITS_5000}\r\n"), 400),
    ("content-length-twice", post("Content-Length: 5\r\nContent-Length: 6\r\n", b"abcdef"), 400),
    ("transfer-encoding-gzip", post(f"{MULTIPART}Transfer-Encoding: gzip\r\n"), 400),
    ("chunked-malformed", post(CHUNKED, b"zz\r\nabc\r\n0\r\n\r\n"), 400),
    ("chunk-longer-than-its-size", post(CHUNKED, b"2\r\nabcdef\r\n0\r\n\r\n"), 400),
    ("get-with-10-mib-body", get(IMPORTS, "Content-Length: 10485760\r\n"), 400),
    # Over HubSpot's 512 MB per file: refused from the declared length, before any byte is read.
    ("upload-declares-2-gib", post(f"{MULTIPART}Content-Length: 2147483648\r\n", b"--x"), 429),
    (
        "upload-expects-100-for-2-gib",
        post(f"{MULTIPART}Expect: 100-continue\r\nContent-Length: 2147483648\r\n"),
        429,
    ),
    # Content types and multipart.
    ("json-not-multipart", post_upload(GOOD_REQUEST, "Content-Type: application/json\r\n"), 415),
    ("no-content-type", post_upload(GOOD_REQUEST, ""), 415),
    (
        "multipart-without-boundary",
        post_upload(upload(GOOD_REQUEST, {"a.csv": CSV}), "Content-Type: multipart/form-data\r\n"),
        400,
    ),
    (
        "multipart-boundary-300-characters",
        post_upload(b"x", f"Content-Type: multipart/form-data; boundary={'b' * 300}\r\n"),
        400,
    ),
    ("multipart-truncated", post_upload(upload(GOOD_REQUEST, {"contacts.csv": CSV})[:-40]), 400),
    ("multipart-garbage", post_upload(bytes(range(256)) * 4), 400),
    ("multipart-201-parts", post_upload(multipart([(FILE_PART, b"1")] * 201)), 400),
    ("multipart-part-header-10-kib", post_upload(multipart([(TOO_LONG_PART_HEADER, b"{}")])), 400),
    # Bad JSON in the importRequest.
    ("import-request-not-json", with_request(b"{name: hostile"), 400),
    ("import-request-nested-100000-deep", with_request(b"[" * 100_000), 400),
    ("import-request-5000-digit-number", with_request(b'{"name": ' + b"1" * 5000 + b"}"), 400),
    ("import-request-not-utf8", with_request(b'{"name": "\xff\xfe"}'), 400),
    ("import-request-a-list", with_request(b"[1, 2]"), 400),
    ("import-request-missing", post_upload(multipart([(FILE_PART, CSV)])), 400),
]


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    server = start_sandbox(tmp_path_factory.mktemp("sandbox"))
    yield server
    server.stop()
    assert TRACEBACK not in server.stderr()


def assert_hubspot_error(answer: Answer, status: int) -> None:
    assert answer.status == status, answer.body[:500]
    assert answer.headers["content-type"].startswith("application/json")
    body = answer.json()
    assert body["status"] == "error"
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["category"], str) and body["category"]
    uuid.UUID(body["correlationId"])


def assert_alive_and_quiet(sandbox: Sandbox, printed_before: int = 0) -> None:
    """The server answers a plain request, and printed nothing after `printed_before` chars."""
    answer = exchange(sandbox, request("GET", f"{IMPORTS}?limit=1"))
    assert answer.status == 200, answer.body[:500]
    assert "results" in answer.json()
    assert sandbox.stderr()[printed_before:] == ""


@pytest.mark.parametrize(
    ("raw", "status"),
    [(raw, status) for _, raw, status in MALFORMED],
    ids=[m[0] for m in MALFORMED],
)
def test_a_malformed_request_gets_hubspots_error_shape(
    sandbox: Sandbox, raw: bytes, status: int
) -> None:
    printed = len(sandbox.stderr())
    started = time.monotonic()
    answer = exchange(sandbox, raw)
    assert time.monotonic() - started < 5
    assert_hubspot_error(answer, status)
    assert_alive_and_quiet(sandbox, printed)


def test_a_file_name_longer_than_the_file_system_allows_is_still_stored(sandbox: Sandbox) -> None:
    printed = len(sandbox.stderr())
    name = "contacts-" + "x" * 1000 + ".csv"  # NAME_MAX is 255 bytes
    body = upload(json.dumps(import_request(name)).encode(), {name: CSV})
    answer = exchange(sandbox, post_upload(body))
    assert answer.status == 200, answer.body[:500]
    assert answer.json()["importRequestJson"]["files"][0]["fileName"] == name
    assert_alive_and_quiet(sandbox, printed)


def test_client_resets_and_broken_pipes_are_silent(sandbox: Sandbox) -> None:
    printed = len(sandbox.stderr())
    halves = [
        b"GET /crm/v3/imp",  # inside the request line
        f"GET {IMPORTS} HTTP/1.1\r\nHost: sandbox\r\nAuthorization: Bear".encode(),  # headers
        post_upload(upload(GOOD_REQUEST, {"contacts.csv": CSV * 1000}))[:3000],  # the body
        request("GET", f"{IMPORTS}?limit=1000"),  # whole, then gone before the answer
    ]
    for number in range(50):
        sock = socket.create_connection(("127.0.0.1", sandbox.port), timeout=5)
        # SO_LINGER 0: close() sends a reset instead of a clean end of stream.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.sendall(halves[number % len(halves)])
        if number % 2:
            time.sleep(0.01)  # half of them after the server began reading
        sock.close()
    time.sleep(0.5)  # the server's threads meet the resets
    assert_alive_and_quiet(sandbox, printed)


def test_200_concurrent_clients_each_get_their_answer(sandbox: Sandbox) -> None:
    printed = len(sandbox.stderr())
    clients = 200
    barrier = threading.Barrier(clients)
    statuses: list[int] = []
    failures: list[str] = []

    def one() -> None:
        barrier.wait()
        try:
            statuses.append(exchange(sandbox, request("GET", IMPORTS), timeout=5).status)
        except Exception as exc:
            failures.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=one) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    assert statuses == [200] * clients
    assert_alive_and_quiet(sandbox, printed)


# --- an .xlsx bomb --------------------------------------------------------------------------


def _column(number: int) -> str:
    name = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    return name


def xlsx_bomb(path: Path, rows: int = 100_000, columns: int = 200) -> Path:
    """About 1 MB of .xlsx whose one sheet inflates to rows x columns cells (~440 MB of XML)
    and says so in its <dimension>, like the issue's bomb."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    office = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    header = "".join(
        f'<c t="inlineStr"><is><t>{"Email" if n == 0 else f"C{n}"}</t></is></c>'
        for n in range(columns)
    )
    row = ("<row>" + '<c t="n"><v>1</v></c>' * columns + "</row>").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{office}.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{office}.worksheet+xml"/></Types>',
        )
        book.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" '
            f'Type="{relations}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        book.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{relations}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" '
            f'Type="{relations}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                f'<worksheet xmlns="{main}"><dimension ref="A1:{_column(columns - 1)}{rows}"/>'
                f"<sheetData><row>{header}</row>".encode()
            )
            hundred = row * 100
            for _ in range((rows - 1) // 100):
                sheet.write(hundred)
            sheet.write(row * ((rows - 1) % 100))
            sheet.write(b"</sheetData></worksheet>")
    return path


def test_an_xlsx_bomb_upload_fails_its_import_quickly_and_in_bounded_memory(
    tmp_path: Path,
) -> None:
    bomb = xlsx_bomb(tmp_path / "bomb.xlsx").read_bytes()
    assert len(bomb) < 2_000_000
    server = start_sandbox(tmp_path)
    try:
        request_json = json.dumps(import_request("bomb.xlsx", "SPREADSHEET")).encode()
        started = time.monotonic()
        answer = exchange(server, post_upload(upload(request_json, {"bomb.xlsx": bomb})))
        assert answer.status == 200, answer.body[:500]
        import_id = answer.json()["id"]
        state = answer.json()["state"]
        while state not in ("DONE", "FAILED", "CANCELED") and time.monotonic() - started < 20:
            # A server that parses the bomb grows fast: stop it before it hurts the machine.
            assert server.memory_mib("VmRSS") < 1024, "the sandbox passed 1 GiB"
            time.sleep(0.05)
            state = exchange(server, request("GET", f"{IMPORTS}/{import_id}")).json()["state"]
        assert state == "FAILED", f"still {state} after 20 s"
        errors = exchange(
            server, request("GET", f"{IMPORTS}/{import_id}/errors?includeErrorMessage=true")
        ).json()["results"]
        assert [e["errorType"] for e in errors] == ["INVALID_SPREADSHEET"]
        assert server.memory_mib() < 1024, server.memory_mib()
        assert_alive_and_quiet(server)
    finally:
        server.stop()


# --- listening beyond loopback --------------------------------------------------------------


def test_listening_on_every_interface_needs_allow_remote(tmp_path: Path) -> None:
    code, out, err, *_ = run_specc(["sandbox", "--host", "0.0.0.0", "--port", "0"], tmp_path)
    assert code == 2
    assert out == ""
    assert "--allow-remote" in err and "accepts any token" in err
    assert TRACEBACK not in err


def test_allow_remote_serves_and_warns_that_any_token_is_accepted(tmp_path: Path) -> None:
    server = start_sandbox(tmp_path, "--host", "0.0.0.0", "--allow-remote")
    try:
        assert server.base_url.startswith("http://0.0.0.0:")
        assert "warning" in server.stderr() and "accepts any token" in server.stderr()
        answer = exchange(server, request("GET", IMPORTS))
        assert answer.status == 200
    finally:
        server.stop()


def test_loopback_needs_no_flag_and_says_nothing(tmp_path: Path) -> None:
    server = start_sandbox(tmp_path, "--host", "localhost")
    try:
        assert server.base_url.startswith("http://127.0.0.1:")
        assert_alive_and_quiet(server)
    finally:
        server.stop()
