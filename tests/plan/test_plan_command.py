"""`specc plan SPEC` through the CLI, against an in-process sandbox over HTTP: what it needs,
what it refuses, its formats, and how it meets rate limits and missing scopes."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result
from plan_support import project

from specc.cli import cli
from specc.sandbox import FaultPlan, SandboxServer, serve
from specc.schemas import load_schema

TOKEN = "plan-command-token"
SPEC = """\
specc: 1
name: Leads
operations:
  contacts: create
files:
  - path: leads.csv
    object: contacts
    columns:
      First Name: firstname
      Email: {property: email, id: true}
"""
CSV = "First Name,Email\nAda,ada@example.com\nGrace,grace@example.com\nAlan,alan@example.com\n"


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("SPECC_BASE_URL", raising=False)
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", TOKEN)
    monkeypatch.setenv("SPECC_RETRY_BASE", "0.01")
    monkeypatch.setenv("SPECC_RETRY_CAP", "0.05")
    monkeypatch.chdir(tmp_path)
    project(tmp_path, SPEC, {"leads.csv": CSV})
    yield


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with serve() as server:
        server.records.add("0-1", {"email": "grace@example.com", "firstname": "Grace"})
        yield server


def plan(sandbox: SandboxServer, *args: str) -> Result:
    return CliRunner().invoke(cli, ["plan", "spec.yaml", "--base-url", sandbox.base_url, *args])


def test_rows_that_would_fail_are_errors_at_their_lines_and_exit_1(
    sandbox: SandboxServer,
) -> None:
    result = plan(sandbox)
    assert result.exit_code == 1, result.output
    assert "leads.csv:3: error[SPC600] CREATE_ONLY_IMPORT: contacts record" in result.stdout
    assert "leads.csv: 3 rows: 2 create, 0 update, 1 fail (CREATE_ONLY_IMPORT 1)" in result.stdout
    assert sandbox.count("batch_read") == 1  # three emails, one call


def test_no_failing_row_exits_0(sandbox: SandboxServer, tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(SPEC.replace("create", "upsert"), encoding="utf-8")
    result = plan(sandbox)
    assert result.exit_code == 0, result.output
    assert "leads.csv: 3 rows: 2 create, 1 update, 0 fail" in result.stdout


def test_json_adds_the_plan_to_the_usual_document(sandbox: SandboxServer) -> None:
    result = plan(sandbox, "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    jsonschema.validate(document, load_schema("diagnostics"))
    assert document["plan"] == {
        "files": [{"file": "leads.csv", "create": 2, "update": 0, "fail": 1, "rows": 3}]
    }
    (diagnostic,) = document["diagnostics"]
    assert diagnostic["hubspot_error"] == "CREATE_ONLY_IMPORT"
    assert diagnostic["data"] == {
        "file": "leads.csv",
        "line": 3,
        "row": 2,
        "column": "Email",
        "value": "grace@example.com",
    }
    assert document["summary"]["errors_by_type"] == {"CREATE_ONLY_IMPORT": 1}


def test_sarif_keeps_stdout_one_document_and_the_plan_goes_to_stderr(
    sandbox: SandboxServer,
) -> None:
    result = plan(sandbox, "--format", "sarif")
    assert result.exit_code == 1
    json.loads(result.stdout)
    assert "leads.csv: 3 rows: 2 create" in result.stderr


def test_a_sample_says_it_is_an_estimate(sandbox: SandboxServer) -> None:
    result = plan(sandbox, "--sample", "2", "--format", "json")
    (entry,) = json.loads(result.stdout)["plan"]["files"]
    assert (entry["rows"], entry["estimate"], entry["sampled"]) == (3, True, 2)
    text = plan(sandbox, "--sample", "2")
    assert "leads.csv: an estimate from 2 of 3 rows, scaled: about" in text.stdout


def test_no_token_exits_2_before_anything_is_read(
    sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HUBSPOT_ACCESS_TOKEN")
    result = plan(sandbox)
    assert result.exit_code == 2
    assert "no HubSpot access token" in result.stderr
    assert sandbox.count("batch_read") == 0


def test_a_spec_with_errors_is_reported_and_the_account_is_not_read(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    (tmp_path / "spec.yaml").write_text(SPEC.replace("firstname", "hs_createdate"), "utf-8")
    result = plan(sandbox)
    assert result.exit_code == 1
    assert "error[SPC203]" in result.stdout
    assert "plan against" not in result.stdout
    assert sandbox.count("batch_read") == 0


def test_a_token_without_read_access_names_the_scope_it_needs(tmp_path: Path) -> None:
    with serve(tokens={TOKEN: {"crm.import"}}) as server:
        result = plan(server)
    assert result.exit_code == 1
    assert "crm.objects.contacts.read" in result.stderr


def test_rate_limits_are_waited_out_and_the_plan_completes() -> None:
    faults = FaultPlan().rate_limit("batch_read", times=2, retry_after=0.05)
    with serve(faults=faults) as server:
        server.records.add("0-1", {"email": "grace@example.com"})
        result = plan(server)
        assert server.count("batch_read") == 3  # refused twice, then answered
    assert result.exit_code == 1
    assert "HTTP 429; trying again in 0.1s" in result.stderr
    assert "1 fail (CREATE_ONLY_IMPORT 1)" in result.stdout


def test_a_dated_api_version_reads_through_its_own_path() -> None:
    with serve() as server:
        result = plan(server, "--api-version", "2026-03")
        paths = [e.path for e in server.log if e.route == "batch_read"]
    assert result.exit_code == 0, result.output
    assert paths == ["/crm/objects/2026-03/0-1/batch/read"]


# Variables that would make rich (or specc) decide about the terminal instead of asking it.
TERMINAL_OVERRIDES = ("GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "SPECC_DEBUG")


def on_a_terminal(cwd: Path, *args: str) -> tuple[str, str, int]:
    """`specc plan` with its stderr on a pseudo-terminal: what the terminal received, stdout,
    and the exit code."""
    master, terminal = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in TERMINAL_OVERRIDES}
    process = subprocess.Popen(
        [sys.executable, "-m", "specc", "plan", *args],
        cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=terminal,
    )  # fmt: skip
    os.close(terminal)
    shown = bytearray()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if select.select([master], [], [], 0.1)[0]:
            try:
                data = os.read(master, 65536)
            except OSError:  # the terminal closed: the process is gone
                break
            if not data:
                break
            shown += data
        elif process.poll() is not None:
            break
    os.close(master)
    assert process.stdout is not None
    out = process.stdout.read().decode("utf-8")
    return shown.decode("utf-8", "replace"), out, process.wait(timeout=60)


def test_on_a_terminal_a_bar_counts_the_values_looked_up(tmp_path: Path) -> None:
    rows = "".join(f"P{n},p{n}@example.com\n" for n in range(150))
    (tmp_path / "leads.csv").write_text("First Name,Email\n" + rows, encoding="utf-8")
    with serve() as server:
        shown, out, code = on_a_terminal(tmp_path, "spec.yaml", "--base-url", server.base_url)
        assert code == 0, shown
        assert "150 rows: 150 create" in out
        assert "looking up records" in shown and "150/150" in shown
        assert "\x1b[2K" in shown[shown.rindex("150/150") :]  # the bar erased once done
        shown, out, code = on_a_terminal(
            tmp_path, "spec.yaml", "--base-url", server.base_url, "--format", "json"
        )
    assert code == 0 and json.loads(out)["plan"]["files"][0]["create"] == 150
    assert shown == ""  # a machine reads the output: no bar
