"""A server that echoes a hostile `importRequestJson`: the import's record is well-formed JSON,
but the request inside it, given as text, is not one HubSpot would send (100,000 `[`, a
number of 20,000 digits, NaN, no JSON at all).

`specc errors ID` reads that text to name the files and columns of the row errors, and
`specc diff --against-import ID` to compare a spec with it. Each reads it with the bounds of
a saved request (specc.json_input, specc.diff.REQUEST_BOUNDS) and refuses it as a malformed
answer: exit 2, what is wrong and where, never a traceback. specc runs as a process against
a small server on 127.0.0.1 (hostile_http).
"""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path

import hostile_http as h
import pytest
from hostile_kit import DEFAULT_MEMORY_MIB, run_specc

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TOKEN = "pat-na1-5e1f0a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
ENV = {"HUBSPOT_ACCESS_TOKEN": TOKEN, "SPECC_RETRY_ATTEMPTS": "1"}
REQUEST = json.loads((EXAMPLES / "contacts-create" / "expected-request.json").read_text("utf-8"))
# HubSpot's row error: the third line of the only file has a bad value in column 3 (Email).
ROW_ERROR = {
    "id": "e1",
    "errorType": "INVALID_EMAIL",
    "sourceData": {"lineNumber": 3, "fileId": "11", "rowData": ["Ada", "Lovelace", "bad@"]},
    "knownColumnNumber": 2,
    "invalidValue": "bad@",
    "errorMessage": "not an email",
}

HOSTILE = {
    "100000-brackets": ("[" * 100_000, "nests arrays and objects deeper than 64 levels"),
    "100000-objects": ('{"a":' * 100_000, "nests arrays and objects deeper than 64 levels"),
    "20000-digit-number": (
        json.dumps(REQUEST)[:-1] + ', "marketingEventObjectId": ' + "9" * 20_000 + "}",
        "holds a number of 20,000 digits",
    ),
    "nan": ('{"name": NaN}', "holds NaN, which is not JSON"),
    "not-json": ("<html>importRequest</html>", "is not valid JSON"),
    "duplicate-key": ('{"name": "a", "name": "b"}', 'names the key "name" twice'),
}


def server_echoing(request_json: object) -> h.Behaviour:
    """Import 123, DONE, echoing `request_json` as its importRequestJson, with one row error."""
    record = {
        "id": "123",
        "state": "DONE",
        "importName": "November Marketing Event Leads",
        "metadata": {"fileIds": ["11"], "counters": {"TOTAL_ROWS": 2}},
        "importRequestJson": request_json,
    }

    def behave(conn: socket.socket, request: h.Request, server: h.Server) -> None:
        if request.path.endswith("/errors"):
            h.answer(conn, "200 OK", json.dumps({"results": [ROW_ERROR]}).encode())
        else:
            h.answer(conn, "200 OK", json.dumps(record).encode())

    return behave


def run(server: h.Server, args: list[str], work: Path) -> tuple[int, str, str]:
    shutil.copytree(EXAMPLES / "contacts-create", work / "contacts-create")
    code, out, err, _, peak, timed_out = run_specc(
        [*args, "--base-url", server.base_url], work / "contacts-create", env=ENV, seconds=20
    )
    assert not timed_out, f"specc {args[0]} still running after 20 s\n{err[-2000:]}"
    assert peak < DEFAULT_MEMORY_MIB
    assert "Traceback" not in out + err and "internal error" not in err, err[-3000:]
    assert TOKEN not in out + err
    return code, out, err


@pytest.mark.parametrize("kind", HOSTILE)
def test_errors_refuses_a_hostile_importRequestJson_as_a_malformed_answer(
    kind: str, tmp_path: Path
) -> None:
    text, problem = HOSTILE[kind]
    with h.serving(server_echoing(text)) as server:
        code, out, err = run(server, ["errors", "123"], tmp_path)
    assert code == 2, err[-2000:]
    assert (
        "could not map the row errors of import 123 to its files: the importRequestJson in "
        "the server's answer is not JSON HubSpot would send (it " + problem
    ) in err
    assert "hint: check that --base-url points at HubSpot's API" in err
    assert out == ""


@pytest.mark.parametrize("kind", ["100000-brackets", "nan"])
def test_diff_against_a_hostile_import_refuses_it(kind: str, tmp_path: Path) -> None:
    text, problem = HOSTILE[kind]
    with h.serving(server_echoing(text)) as server:
        code, out, err = run(server, ["diff", "spec.yaml", "--against-import", "123"], tmp_path)
    assert code == 2, err[-2000:]
    assert f"import 123: its importRequestJson is not a request (it {problem}" in err
    assert out == ""


def test_errors_with_the_spec_do_not_need_the_echoed_request(tmp_path: Path) -> None:
    """The hint's way out: with --spec the files and columns come from the spec, and the
    hostile text is never read."""
    with h.serving(server_echoing("[" * 100_000)) as server:
        code, out, err = run(server, ["errors", "123", "--spec", "spec.yaml"], tmp_path)
    assert code == 1, err[-2000:]
    assert "Nov-event-leads.csv:3:" in out and "INVALID_EMAIL" in out and "Email" in out


@pytest.mark.parametrize("shape", ["text", "object"])
def test_errors_name_the_column_from_a_well_formed_echoed_request(
    shape: str, tmp_path: Path
) -> None:
    """The control: the same answer with HubSpot's request, as text or as the object, maps
    the row error to its file, line and column."""
    echoed = json.dumps(REQUEST) if shape == "text" else REQUEST
    with h.serving(server_echoing(echoed)) as server:
        code, out, err = run(server, ["errors", "123", "--format", "json"], tmp_path)
    assert code == 1, err[-2000:]
    (found,) = json.loads(out)["diagnostics"]
    assert found["hubspot_error"] == "INVALID_EMAIL"
    assert found["data"]["file"] == "Nov-event-leads.csv"
    assert (found["data"]["line"], found["data"]["column"]) == (3, "Email")
