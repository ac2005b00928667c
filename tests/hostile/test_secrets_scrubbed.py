"""A server that echoes the token back: specc never shows it, on screen or in a file.

The server puts the `Authorization` header it received, and the token alone in several
encodings (raw, JSON-escaped, URL-encoded, HTML-escaped, broken over two lines), into its
error answers (400, 401, 403, 500), into its headers, into a redirect's Location, and into
the import, row errors and properties it serves. The real CLI runs against it as a process
in every output form, with and without --debug; neither its streams nor any file it writes
may hold the token in any of those forms, and `[redacted]` shows where it was.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import socket
from pathlib import Path
from urllib.parse import quote

import hostile_http as h
import pytest
from hostile_kit import DEFAULT_MEMORY_MIB, run_specc

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PLACEHOLDER = "[redacted]"
TOKENS = {
    # The shape of HubSpot's private app tokens.
    "hubspot-shaped": "pat-na1-0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
    # Characters every encoding changes: JSON (" and /), URLs (/ + = " ' & < >), HTML.
    "odd-characters": "s3cr3t/T0KEN+with=signs\"quote'amp&lt<gt>end",
}
ENV = {"SPECC_RETRY_ATTEMPTS": "2", "SPECC_RETRY_BASE": "0.01", "SPECC_RETRY_CAP": "0.05"}


def forms_of(token: str) -> list[str]:
    """Every way the token may be written that must not appear anywhere, and each one's
    halves (a scrubber that replaced only part of it would leave the rest)."""
    forms = {
        token,
        json.dumps(token)[1:-1],
        json.dumps(token)[1:-1].replace("/", "\\/"),
        quote(token, safe=""),
        re.sub("%[0-9A-F]{2}", lambda m: m[0].lower(), quote(token, safe="")),
        html.escape(token),
        token.replace('"', '""'),  # in a CSV cell
    }
    halves = {half for form in forms for half in (form[: len(form) // 2], form[len(form) // 2 :])}
    return sorted(forms | halves)


def echoes(request: h.Request) -> dict[str, str]:
    auth = request.headers.get("authorization", "")
    token = auth.removeprefix("Bearer ")
    return {
        "auth": auth,
        "token": token,
        "url": quote(token, safe=""),
        "html": html.escape(token),
        "broken": token[:12] + "\n        " + token[12:],
    }


def dumps(data: object) -> bytes:
    # `\/` as some servers write it: still JSON, another spelling to catch.
    return json.dumps(data).replace("/", "\\/").encode()


def error_body(request: h.Request) -> bytes:
    e = echoes(request)
    return dumps(
        {
            "status": "error",
            "message": f"the header {e['auth']} is not valid (as a URL: {e['url']})",
            "category": "INVALID_AUTHENTICATION",
            "correlationId": e["html"],
            "context": {"authorization": [e["auth"]], "folded": [e["broken"]]},
            "errors": [{"message": f"token {e['token']}", "in": e["token"], "code": e["url"]}],
        }
    )


def echoing_error(status: str) -> h.Behaviour:
    def behave(conn: socket.socket, request: h.Request, server: h.Server) -> None:
        e = echoes(request)
        h.answer(conn, status, error_body(request), X_Echo=e["auth"], X_Token=e["url"])

    return behave


def echoing_redirect(conn: socket.socket, request: h.Request, server: h.Server) -> None:
    e = echoes(request)
    h.answer(conn, "302 Found", b"", Location=f"https://example.test/?auth={e['url']}")


def echoing_success(conn: socket.socket, request: h.Request, server: h.Server) -> None:
    """A working HubSpot whose every string carries the token back."""
    e = echoes(request)
    path = request.path
    if path.endswith("/errors"):
        body = {
            "results": [
                {
                    "id": "1",
                    "errorType": "INVALID_EMAIL",
                    "errorMessage": f"{e['auth']} is not an email address",
                    "invalidValue": e["token"],
                    "knownColumnNumber": 2,
                    "objectType": "CONTACT",
                    "sourceData": {
                        "lineNumber": 2,
                        "fileId": "1",
                        "rowData": [e["token"], e["url"], e["html"]],
                    },
                }
            ]
        }
    elif path.startswith("/crm/v3/imports/") or path.startswith("/crm/imports/"):
        body = {
            "id": "123",
            "state": "DONE",
            "importName": f"import by {e['auth']}",
            "importSource": e["url"],
            "createdAt": "2026-01-01T00:00:00Z",
            "metadata": {"counters": {"TOTAL_ROWS": 3, "ERRORS": 1}, "fileIds": ["1"]},
        }
    elif path.endswith("/imports"):  # the upload (POST) and the listing (GET)
        record = {"id": "123", "state": "STARTED", "importName": f"by {e['auth']}"}
        body = record if request.method == "POST" else {"results": [record]}
    elif path.startswith("/crm/v3/owners"):
        body = {
            "results": [
                {
                    "id": "7",
                    "email": "owner@example.com",
                    "firstName": f"Owner {e['auth']}",
                    "lastName": e["html"],
                    "userId": 7,
                    "archived": False,
                    "createdAt": "2026-01-01T00:00:00Z",
                    "updatedAt": "2026-01-01T00:00:00Z",
                }
            ]
        }
    elif path.startswith(("/crm/v3/schemas", "/crm/v3/pipelines", "/crm/v3/property-validations")):
        body = {"results": []}
    else:  # properties
        body = {
            "results": [
                {
                    "name": "firstname",
                    "label": f"First name {e['auth']}",
                    "description": e["html"] + " " + e["url"],
                    "type": "string",
                    "fieldType": "text",
                    "groupName": "contactinformation",
                }
            ]
        }
    h.answer(conn, "200 OK", dumps(body), X_Echo=e["auth"])


def run(args: list[str], server: h.Server, token: str, work: Path) -> tuple[int, str]:
    """specc ARGS against the server; every stream and every file written must be clean.

    Returns the exit code and everything shown or written, for further checks.
    """
    shutil.copytree(EXAMPLES / "contacts-create", work / "contacts-create")
    before = {p for p in work.rglob("*") if p.is_file()}
    code, out, err, _, peak, timed_out = run_specc(
        [*args, "--base-url", server.base_url],
        work,
        env={**ENV, "HUBSPOT_ACCESS_TOKEN": token},
    )
    assert not timed_out and peak < DEFAULT_MEMORY_MIB
    assert "Traceback" not in out + err or "--debug" in args
    written = [p for p in work.rglob("*") if p.is_file() and p not in before]
    shown = {"stdout": out, "stderr": err}
    shown.update({str(p.relative_to(work)): p.read_text("utf-8", "replace") for p in written})
    for name, text in shown.items():
        for form in forms_of(token):
            assert form not in text, f"{name} shows the token as {form!r}:\n{text[-3000:]}"
    # The token reached the server in its header only, never in a URL (which proxies log
    # and httpx quotes in its errors).
    assert server.requests, "specc sent nothing"
    for request in server.requests:
        assert request.headers.get("authorization") == f"Bearer {token}"
        assert not any(form in request.target for form in forms_of(token)), request.target
    # The user sees where the token was.
    everything = "\n".join(shown.values())
    assert PLACEHOLDER in everything, everything[-3000:]
    return code, everything


ERROR_STATUSES = ["400 Bad Request", "401 Unauthorized", "403 Forbidden", "500 Server Error"]
COMMANDS = {
    "status": ["status", "123"],
    "status-json": ["status", "123", "--format", "json"],
    "status-debug": ["status", "123", "--debug"],
    "errors-json": ["errors", "123", "--format", "json"],
    "import": ["import", "contacts-create/spec.yaml", "--yes"],
    "import-json-debug": [
        "import",
        "contacts-create/spec.yaml",
        "--yes",
        "--format",
        "json",
        "--debug",
    ],
    "catalog-pull": ["catalog", "pull", "--object", "contacts", "-o", "out.json"],
    "imports-debug": ["imports", "--debug"],
}


# Every command meets the 401 (what a server that echoes headers most often answers); the
# other statuses meet the --debug runs, whose tracebacks and logs are the likeliest leaks.
ERROR_CASES = [("401 Unauthorized", command) for command in COMMANDS] + [
    (status, command)
    for status in ERROR_STATUSES
    if status != "401 Unauthorized"
    for command in ("status-debug", "import-json-debug")
]


@pytest.mark.parametrize(("status", "command"), ERROR_CASES)
@pytest.mark.parametrize("token", TOKENS.values(), ids=TOKENS.keys())
def test_secrets_echoed_in_an_error_answer(
    token: str, status: str, command: str, tmp_path: Path
) -> None:
    with h.serving(echoing_error(status)) as server:
        code, everything = run(COMMANDS[command], server, token, tmp_path)
    assert code == (2 if status.startswith("5") else 1)
    # What the server said still shows, only without the token.
    assert f"{PLACEHOLDER} is not valid" in everything


@pytest.mark.parametrize("token", TOKENS.values(), ids=TOKENS.keys())
def test_secrets_echoed_in_a_redirect(token: str, tmp_path: Path) -> None:
    with h.serving(echoing_redirect) as server:
        code, everything = run(["status", "123", "--debug"], server, token, tmp_path)
    assert code == 2
    assert "redirect (HTTP 302)" in everything


OUTPUTS = {
    "status-text": ["status", "123"],
    "status-json": ["status", "123", "--format", "json"],
    "errors-text": ["errors", "123"],
    "errors-json-file": ["errors", "123", "--format", "json", "-o", "errors.json"],
    "errors-csv-file": ["errors", "123", "--format", "csv", "-o", "fix.csv"],
    "errors-sarif": ["errors", "123", "--format", "sarif", "--spec", "contacts-create/spec.yaml"],
    "imports-json": ["imports", "--format", "json"],
    "import-wait-json": [
        "import",
        "contacts-create/spec.yaml",
        "--yes",
        "--wait",
        "--format",
        "json",
    ],
    "import-wait-text-debug": ["import", "contacts-create/spec.yaml", "--yes", "--wait", "--debug"],
    "catalog-pull-file": ["catalog", "pull", "--object", "contacts", "-o", "snapshot.json"],
}


@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("token", TOKENS.values(), ids=TOKENS.keys())
def test_secrets_in_what_a_working_server_returns(token: str, output: str, tmp_path: Path) -> None:
    with h.serving(echoing_success) as server:
        code, everything = run(OUTPUTS[output], server, token, tmp_path)
    assert code in (0, 1), everything[-2000:]  # 1: the import reports a row error
    if output.endswith("-file"):
        assert any(tmp_path.glob(OUTPUTS[output][-1])), "the file was not written"
