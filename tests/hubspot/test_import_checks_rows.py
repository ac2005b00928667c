"""`specc import` checks every row before it sends anything (issue 12, item 4): rows that
would fail stop the upload, with the count and the commands that show or set them apart;
`--no-check` skips the rows (not the lint); the row errors HubSpot reports afterwards carry
the hints `check` gives."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hubspot_support import TOKEN

from specc.cli import cli
from specc.sandbox import SandboxServer, serve

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
GOOD = "First Name,Email\nAda,ada@example.com\nGrace,grace@example.com\n"
BAD = "First Name,Email\nAda,ada@example.com\nBob,not-an-email\nEve,eve@example\n"
FAST_ENV = {"SPECC_POLL_INTERVAL": "0.02", "SPECC_POLL_CAP": "0.1", "NO_COLOR": "1"}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "leads.yaml").write_text(SPEC, "utf-8")
    (tmp_path / "leads.csv").write_text(BAD, "utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with serve() as server:
        yield server


def run(sandbox: SandboxServer, *args: str) -> Result:
    env = {**FAST_ENV, "HUBSPOT_ACCESS_TOKEN": TOKEN, "SPECC_BASE_URL": sandbox.base_url}
    return CliRunner().invoke(cli, ["import", "leads.yaml", "--yes", *args], env=env)


def test_rows_that_would_fail_stop_the_upload(project: Path, sandbox: SandboxServer) -> None:
    done = run(sandbox, "--wait")
    assert done.exit_code == 1
    assert sandbox.imports == {}
    # The count, not each row (a file may hold thousands): `check` shows them.
    assert done.stdout == (
        "row errors by type: INVALID_EMAIL 2\n"
        "2 errors (2 not shown) in 1 spec (1 data file, 3 rows checked)\n"
    )
    assert done.stderr == (
        "specc: error: nothing was sent: the rows hold 2 errors HubSpot would report\n"
        "  hint: `specc check leads.yaml` shows each one; `specc check leads.yaml --rejects "
        "DIR` writes the failing rows apart, to fix and import on their own; --no-check sends "
        "the file as it is\n"
    )


def test_with_json_the_refusal_is_the_check_document(project: Path, sandbox: SandboxServer) -> None:
    done = run(sandbox, "--format", "json")
    assert done.exit_code == 1 and sandbox.imports == {}
    document = json.loads(done.stdout)
    assert document["ok"] is False
    assert document["summary"]["errors_by_type"] == {"INVALID_EMAIL": 2}
    assert [d["data"]["line"] for d in document["diagnostics"]] == [3, 4]


def test_clean_rows_are_sent(project: Path, sandbox: SandboxServer) -> None:
    (project / "leads.csv").write_text(GOOD, "utf-8")
    done = run(sandbox, "--wait")
    assert done.exit_code == 0, done.output
    assert len(sandbox.imports) == 1


def test_no_check_sends_the_rows_and_maps_hubspots_errors_with_checks_hints(
    project: Path, sandbox: SandboxServer
) -> None:
    done = run(sandbox, "--wait", "--no-check")
    assert done.exit_code == 1  # the import has row errors
    assert len(sandbox.imports) == 1
    assert "row errors reported by HubSpot: 2" in done.stdout
    assert done.stdout.count("  hint: write one address like jane.doe@example.com\n") == 2


def test_no_check_still_lints(project: Path, sandbox: SandboxServer) -> None:
    (project / "leads.yaml").write_text(SPEC.replace("firstname", "hs_createdate"), "utf-8")
    done = run(sandbox, "--no-check")
    assert done.exit_code == 1 and sandbox.imports == {}
    assert "error[SPC203] 'hs_createdate' of contacts (0-1) is read-only" in done.stdout


def test_a_spec_error_is_shown_whole_before_any_row(project: Path, sandbox: SandboxServer) -> None:
    """Errors of the spec itself are shown as lint shows them (the rows are not read then:
    the header decides how they would be read)."""
    (project / "leads.csv").write_text("Given,Email\nAda,ada@example\n", "utf-8")
    done = run(sandbox)
    assert done.exit_code == 1 and sandbox.imports == {}
    assert "error[SPC301] column 'First Name' is not in leads.csv's header" in done.stdout
    assert "nothing was sent" not in done.stderr
