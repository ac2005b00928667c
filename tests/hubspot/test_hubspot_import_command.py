"""`specc import` and `specc emit` from a spec, through the real CLI, against the sandbox.

The sandbox's own runs decide how an import ends when the test does not; where a test needs
a particular end (FAILED, REVERTED, given row errors), it holds the import in STARTED and
finishes it on the server's side, as HubSpot's workers would, and the client sees only HTTP.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hubspot_support import TOKEN
from sandbox_process import interrupted_while_waiting

from specc.cli import cli
from specc.sandbox import FaultPlan, RowError, SandboxServer, Timing, serve

FAST_ENV = {
    "SPECC_RETRY_BASE": "0.01",
    "SPECC_RETRY_CAP": "0.05",
    "SPECC_RETRY_ATTEMPTS": "3",
    "SPECC_POLL_INTERVAL": "0.02",
    "SPECC_POLL_CAP": "0.1",
}
SPEC = """\
specc: 1
name: November event leads
operations:
  contacts: create
files:
  - path: my leads.csv
    object: contacts
    columns:
      First Name: firstname
      Last Name: lastname
      Email: {property: email, id: true}
"""
# Bob's row fails at HubSpot (INVALID_EMAIL): these tests send it anyway (`--no-check`; import
# otherwise refuses, tests/hubspot/test_import_checks_rows.py) to see what HubSpot reports.
LEADS = (
    "First Name,Last Name,Email\n"
    "Ada,Lovelace,ada@example.com\n"
    "Bob,Smith,not-an-email\n"
    "Grace,Hopper,grace@example.com\n"
)
# The import of the tests' spec, its rows sent as they are (see LEADS).
IMPORT = ["import", "leads.yaml", "--no-check"]
HELD = Timing(started=60, processing=60)  # imports wait until the test finishes them


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "leads.yaml").write_text(SPEC)
    (tmp_path / "my leads.csv").write_text(LEADS)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def held_sandbox() -> Iterator[SandboxServer]:
    with serve(timing=HELD) as server:
        yield server


def run(args: list[str], **env: str) -> Result:
    environ = {**FAST_ENV, "HUBSPOT_ACCESS_TOKEN": TOKEN, **env}
    result = CliRunner().invoke(cli, args, env=environ, catch_exceptions=False)
    assert TOKEN not in result.output
    return result


def compiled(project: Path) -> str:
    result = run(["compile", "leads.yaml"])
    assert result.exit_code == 0, result.output
    return result.stdout


def finish_when_created(
    sandbox: SandboxServer, state: str, errors: list[RowError] | None = None
) -> threading.Thread:
    """Play HubSpot's worker: once the import exists, end it in `state` with `errors`."""

    def work() -> None:
        deadline = time.monotonic() + 20
        while not sandbox.imports and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.1)  # let the client poll it while it is still STARTED
        with sandbox.lock:
            (record,) = sandbox.imports.values()
            file_id = next(iter(record.files.values())).file_id
            record.errors = [RowError(**{**e.__dict__, "file_id": file_id}) for e in (errors or [])]
            record.counters = {"TOTAL_ROWS": 3, "CREATED_OBJECTS": 3 - len(record.errors)}
            record.touch(state)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def row_error(line: int, column: int, error_type: str, value: str) -> RowError:
    return RowError(
        id=f"e{line}",
        created_at=1_700_000_000_000,
        error_type=error_type,
        line=line,
        file_id=0,
        row_data=(),
        message=f"{value!r} is wrong",
        invalid_value=value,
        column_number=column,
    )


def test_import_sends_the_compiled_request_and_the_file_bytes(
    project: Path, held_sandbox: SandboxServer
) -> None:
    result = run([*IMPORT, "--yes", "--base-url", held_sandbox.base_url])
    assert result.exit_code == 0, result.output
    (record,) = held_sandbox.imports.values()
    assert f"import {record.id} started" in result.stdout
    assert f"specc status {record.id}" in result.stdout
    assert record.request_text == compiled(project)
    assert record.files["my leads.csv"].data == (project / "my leads.csv").read_bytes()
    assert f"my leads.csv: {len(LEADS)} bytes, 3 columns" in result.stderr  # the plan


def test_wait_reports_counters_and_row_errors_with_line_column_and_spec(
    project: Path, held_sandbox: SandboxServer
) -> None:
    finish_when_created(
        held_sandbox,
        "DONE",
        [
            row_error(3, 2, "INVALID_EMAIL", "not-an-email"),
            row_error(4, 0, "COULD_NOT_PARSE_DATE", "Grace"),
        ],
    )
    result = run(
        [*IMPORT, "--yes", "--wait", "--format", "json", "--base-url", held_sandbox.base_url]
    )
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    assert document["import"]["state"] == "DONE"
    assert document["import"]["counters"]["TOTAL_ROWS"] == 3
    by_type = {d["hubspot_error"]: d for d in document["diagnostics"]}
    email = by_type["INVALID_EMAIL"]
    assert email["code"] == "SPC520"
    assert email["data"] == {
        "file": "my leads.csv",
        "line": 3,
        "row": 2,
        "column": "Email",
        "value": "not-an-email",
    }
    assert email["spec"]["file"] == "leads.yaml"
    assert email["spec"]["line"] == 11  # the `Email:` mapping
    assert by_type["COULD_NOT_PARSE_DATE"]["data"]["column"] == "First Name"


def test_wait_in_text_groups_errors_by_type(project: Path, held_sandbox: SandboxServer) -> None:
    finish_when_created(
        held_sandbox,
        "DONE",
        [row_error(3, 2, "INVALID_EMAIL", "x"), row_error(4, 2, "INVALID_EMAIL", "y")],
    )
    result = run([*IMPORT, "--yes", "--wait", "--base-url", held_sandbox.base_url])
    assert result.exit_code == 1
    assert "row errors reported by HubSpot: 2" in result.stdout
    assert "INVALID_EMAIL: 2" in result.stdout
    assert "my leads.csv:3:" in result.stdout and "my leads.csv:4:" in result.stdout
    assert "TOTAL_ROWS: 3" in result.stdout


def test_done_without_errors_exits_0(project: Path, held_sandbox: SandboxServer) -> None:
    finish_when_created(held_sandbox, "DONE")
    result = run([*IMPORT, "--yes", "--wait", "--base-url", held_sandbox.base_url])
    assert result.exit_code == 0, result.output
    assert "DONE" in result.stdout


@pytest.mark.parametrize(
    ("state", "code", "exit_code"),
    [("FAILED", "SPC510", 1), ("CANCELED", "SPC511", 1), ("REVERTED", "SPC512", 0)],
)
def test_end_states(
    project: Path, held_sandbox: SandboxServer, state: str, code: str, exit_code: int
) -> None:
    finish_when_created(held_sandbox, state)
    result = run(
        [*IMPORT, "--yes", "--wait", "--format", "json", "--base-url", held_sandbox.base_url]
    )
    assert result.exit_code == exit_code, result.output
    codes = [d["code"] for d in json.loads(result.stdout)["diagnostics"]]
    assert codes == [code]


def test_lint_errors_refuse_before_sending(project: Path, held_sandbox: SandboxServer) -> None:
    (project / "my leads.csv").write_text("Given,Family,Mail\nA,B,c@d.com\n")
    result = run([*IMPORT, "--yes", "--base-url", held_sandbox.base_url])
    assert result.exit_code == 1
    assert held_sandbox.log == []


def test_lost_answer_is_adopted_and_reported(project: Path) -> None:
    with serve(faults=FaultPlan().drop("create"), timing=HELD) as sandbox:
        result = run([*IMPORT, "--yes", "--format", "json", "--base-url", sandbox.base_url])
        assert len(sandbox.imports) == 1
        assert sandbox.count("create") == 1
    assert result.exit_code == 0, result.output
    (note,) = json.loads(result.stdout)["diagnostics"]
    assert note["code"] == "SPC530"
    assert "checking whether HubSpot created the import" in result.stderr


@pytest.mark.parametrize(
    ("faults", "code"),
    [
        (lambda: FaultPlan().rate_limit("create", times=None, retry_after=0), "SPC503"),
        (lambda: FaultPlan().server_error("create", times=None), "SPC504"),
    ],
)
def test_hubspot_unavailable_exits_2_with_its_code(project: Path, faults, code: str) -> None:
    with serve(faults=faults(), timing=HELD) as sandbox:
        result = run([*IMPORT, "--yes", "--format", "json", "--base-url", sandbox.base_url])
        assert sandbox.imports == {}
    assert result.exit_code == 2
    assert [d["code"] for d in json.loads(result.stdout)["diagnostics"]] == [code]


@pytest.mark.parametrize(
    ("tokens", "code"),
    [({"other": {"crm.import"}}, "SPC501"), ({TOKEN: {"crm.objects.contacts.read"}}, "SPC502")],
)
def test_auth_refusals_are_reported_with_their_code(
    project: Path, tokens: dict[str, set[str]], code: str
) -> None:
    with serve(tokens=tokens, timing=HELD) as sandbox:
        result = run([*IMPORT, "--yes", "--base-url", sandbox.base_url])
        assert sandbox.imports == {}
    assert result.exit_code == 1
    assert f"error[{code}]" in result.stdout
    assert "hint:" in result.stdout


def test_400_refusal_is_spc500(project: Path) -> None:
    # An account whose contacts require `phone` on CREATE: the bundled catalog (which lint
    # uses, the spec naming no snapshot) cannot know, HubSpot refuses the request.
    from specc.sandbox import load_catalog_file

    snapshot = project / "account.json"
    snapshot.write_text(
        json.dumps(
            {
                "catalog": 1,
                "objects": [
                    {
                        "objectTypeId": "0-1",
                        "name": "contacts",
                        "requiredProperties": ["phone"],
                        "properties": [
                            {"name": n, "type": "string", "fieldType": "text"}
                            for n in ("email", "firstname", "lastname", "phone")
                        ],
                    }
                ],
            }
        )
    )
    with serve(catalog=load_catalog_file(snapshot), timing=HELD) as sandbox:
        result = run([*IMPORT, "--yes", "--base-url", sandbox.base_url])
        assert sandbox.imports == {}
    assert result.exit_code == 1, result.output
    assert "error[SPC500]" in result.stdout
    assert "HTTP 400, VALIDATION_ERROR" in result.stdout
    assert "correlation id:" in result.stdout


def test_ctrl_c_while_waiting_leaves_the_import_running(
    project: Path, held_sandbox: SandboxServer
) -> None:
    env = {**os.environ, **FAST_ENV, "HUBSPOT_ACCESS_TOKEN": TOKEN, "SPECC_POLL_CAP": "0.05"}
    args = [*IMPORT, "--yes", "--wait", "--base-url", held_sandbox.base_url]
    code, out, err = interrupted_while_waiting(args, project, env, held_sandbox)
    (record,) = held_sandbox.imports.values()
    assert code == 130, err
    assert f"specc status {record.id}" in err
    assert record.state == "STARTED"  # still running at HubSpot, not canceled
    assert held_sandbox.count("cancel") == 0
    assert "Traceback" not in err
    assert TOKEN not in out + err


def test_asks_on_a_terminal(project: Path, held_sandbox: SandboxServer) -> None:
    import pty

    def answer(reply: bytes) -> tuple[int, str]:
        master, slave = pty.openpty()
        env = {**os.environ, **FAST_ENV, "HUBSPOT_ACCESS_TOKEN": TOKEN}
        child = subprocess.Popen(
            [sys.executable, "-m", "specc", *IMPORT, "--base-url", held_sandbox.base_url],
            cwd=project,
            env=env,
            stdin=slave,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        os.close(slave)
        os.write(master, reply)
        out, err = child.communicate(timeout=60)
        os.close(master)
        return child.returncode, (out + err).decode()

    code, output = answer(b"n\n")
    assert code == 1 and "nothing was sent" in output
    assert "Upload it?" in output and "my leads.csv" in output
    assert held_sandbox.imports == {}
    code, output = answer(b"y\n")
    assert code == 0, output
    assert len(held_sandbox.imports) == 1


@pytest.mark.parametrize("form", ["curl", "python"])
def test_emit_from_a_spec_runs_against_the_sandbox(
    project: Path, held_sandbox: SandboxServer, form: str
) -> None:
    result = run(
        ["emit", "leads.yaml", "--as", form, "-o", "upload.x", "--base-url", held_sandbox.base_url]
    )
    assert result.exit_code == 0, result.output
    script = project / "upload.x"
    assert os.access(script, os.X_OK)
    assert TOKEN not in script.read_text()
    command = [sys.executable, str(script)] if form == "python" else ["sh", str(script)]
    done = subprocess.run(
        command,
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "HUBSPOT_ACCESS_TOKEN": TOKEN},
    )
    assert done.returncode == 0, done.stderr
    (record,) = held_sandbox.imports.values()
    assert record.request_text == compiled(project)
    assert record.files["my leads.csv"].data == (project / "my leads.csv").read_bytes()


def test_emit_refuses_a_spec_with_errors(project: Path) -> None:
    (project / "leads.yaml").write_text(SPEC.replace("name: November event leads\n", ""))
    result = run(["emit", "leads.yaml", "--as", "curl"])
    assert result.exit_code == 1
    assert "curl" not in result.stdout


def test_sandbox_row_checks_end_to_end(project: Path) -> None:
    """The sandbox's own checks find the bad email; specc maps it back to line and column."""
    with serve() as sandbox:
        result = run(
            [*IMPORT, "--yes", "--wait", "--format", "json", "--base-url", sandbox.base_url]
        )
    document = json.loads(result.stdout)
    assert result.exit_code == 1, result.output
    assert document["import"]["state"] == "DONE"
    rows = [d for d in document["diagnostics"] if d["code"] == "SPC520"]
    assert [(d["hubspot_error"], d["data"]["line"], d["data"]["column"]) for d in rows] == [
        ("INVALID_EMAIL", 3, "Email")
    ]


def test_errors_with_the_spec_points_at_its_mappings(
    project: Path, held_sandbox: SandboxServer
) -> None:
    finish_when_created(held_sandbox, "DONE", [row_error(3, 2, "INVALID_EMAIL", "not-an-email")])
    run([*IMPORT, "--yes", "--wait", "--base-url", held_sandbox.base_url])
    (import_id,) = held_sandbox.imports
    result = run(
        [
            "errors",
            import_id,
            "--spec",
            "leads.yaml",
            "--format",
            "json",
            "--base-url",
            held_sandbox.base_url,
        ]
    )
    assert result.exit_code == 1
    (found,) = json.loads(result.stdout)["diagnostics"]
    assert found["spec"]["file"] == "leads.yaml" and found["spec"]["line"] == 11
    assert found["data"]["row"] == 2  # read from the local file the spec names
    text = run(["errors", import_id, "--spec", "leads.yaml", "--base-url", held_sandbox.base_url])
    assert "my leads.csv:3: error[SPC520] INVALID_EMAIL: " in text.stdout
    assert "1 error in 1 spec (1 data file)" in text.stdout


def test_debug_logging_never_shows_the_token(project: Path, held_sandbox: SandboxServer) -> None:
    finish_when_created(held_sandbox, "DONE", [row_error(3, 2, "INVALID_EMAIL", "x")])
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "specc",
            *IMPORT,
            "--yes",
            "--wait",
            "--debug",
            "--base-url",
            held_sandbox.base_url,
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **FAST_ENV, "HUBSPOT_ACCESS_TOKEN": TOKEN},
    )
    assert done.returncode == 1, done.stderr
    assert "HTTP Request: POST" in done.stderr  # the debug log is on
    assert TOKEN not in done.stdout + done.stderr


def test_sandbox_command_prints_its_url_and_serves(tmp_path: Path) -> None:
    import httpx

    child = subprocess.Popen(
        [sys.executable, "-m", "specc", "sandbox", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        url = child.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        answer = httpx.get(f"{url}/crm/v3/imports", headers={"Authorization": "Bearer t"})
        assert answer.status_code == 200
        assert answer.json()["results"] == []
    finally:
        child.terminate()
        child.wait(timeout=10)
