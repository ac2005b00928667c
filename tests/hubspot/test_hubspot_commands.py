"""The HubSpot commands through the real CLI, against the sandbox over loopback HTTP.

status, errors, cancel, imports and catalog pull; the token must never appear in any output,
with or without --debug; a missing token or an unreachable server exits 2.
"""

from __future__ import annotations

import csv
import io
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hubspot_support import TOKEN, connect, fast_retry, make_upload

from specc.cli import cli
from specc.hubspot.client import HubSpotClient
from specc.hubspot.runner import start_import
from specc.sandbox import RowError, SandboxServer, Timing, serve

FAST_ENV = {
    "SPECC_RETRY_BASE": "0.01",
    "SPECC_RETRY_CAP": "0.05",
    "SPECC_RETRY_ATTEMPTS": "3",
    "SPECC_POLL_INTERVAL": "0.02",
    "SPECC_POLL_CAP": "0.1",
}


def run(args: list[str], *, token: str | None = TOKEN, **env: str) -> Result:
    environ: dict[str, str | None] = {**FAST_ENV, **env, "HUBSPOT_ACCESS_TOKEN": token}
    result = CliRunner().invoke(cli, args, env=environ, catch_exceptions=False)
    assert TOKEN not in result.output
    assert TOKEN not in (result.stderr if result.stderr_bytes is not None else "")
    return result


@pytest.fixture
def slow_sandbox() -> Iterator[SandboxServer]:
    """Imports stay PROCESSING long enough to cancel them."""
    with serve(timing=Timing(started=30, processing=30)) as server:
        yield server


def started_import(sandbox: SandboxServer, folder: Path, name: str = "Leads import") -> str:
    with HubSpotClient(connect(sandbox.base_url), fast_retry()) as client:
        return start_import(client, make_upload(folder, name=name)).import_id


def with_errors(sandbox: SandboxServer, import_id: str, count: int) -> None:
    """Give a finished import `count` row errors (as HubSpot would report them)."""
    record = sandbox.imports[import_id]
    file_id = next(iter(record.files.values())).file_id
    record.errors = [
        RowError(
            id=f"{import_id}-{n}",
            created_at=1_700_000_000_000,
            error_type="INVALID_EMAIL" if n % 2 else "COULD_NOT_PARSE_DATE",
            line=n + 2,
            file_id=file_id,
            row_data=("Ada", "Lovelace", f"bad{n}"),
            message=f"bad value {n}",
            invalid_value=f"bad{n}",
            column_number=2 if n % 2 else 0,
        )
        for n in range(count)
    ]
    record.touch("DONE")


@pytest.mark.parametrize(
    "args",
    [
        ["status", "1"],
        ["errors", "1"],
        ["cancel", "1"],
        ["imports"],
        ["catalog", "pull", "-o", "out.json"],
    ],
)
def test_no_token_exits_2_with_a_clear_message(args: list[str], sandbox: SandboxServer) -> None:
    result = run([*args, "--base-url", sandbox.base_url], token=None)
    assert result.exit_code == 2
    assert "HUBSPOT_ACCESS_TOKEN" in result.output
    assert sandbox.log == []


def test_import_without_token_exits_2(tmp_path: Path, sandbox: SandboxServer) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text("specc: 1\n")
    result = run(["import", str(spec), "--yes", "--base-url", sandbox.base_url], token=None)
    assert result.exit_code == 2
    assert "HUBSPOT_ACCESS_TOKEN" in result.output


def test_import_without_terminal_or_yes_refuses(tmp_path: Path, sandbox: SandboxServer) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text("specc: 1\n")
    result = run(["import", str(spec), "--base-url", sandbox.base_url])
    assert result.exit_code == 2
    assert "--yes" in result.output
    assert sandbox.log == []


def test_status_shows_state_and_counters(tmp_path: Path, sandbox: SandboxServer) -> None:
    import_id = started_import(sandbox, tmp_path)
    with_errors(sandbox, import_id, 0)
    sandbox.imports[import_id].counters = {"TOTAL_ROWS": 3, "CREATED_OBJECTS": 3}
    result = run(["status", import_id, "--base-url", sandbox.base_url, "--debug"])
    assert result.exit_code == 0, result.output
    assert f"import {import_id}: Leads import" in result.output
    assert "state: DONE" in result.output
    assert "TOTAL_ROWS: 3" in result.output

    as_json = run(["status", import_id, "--format", "json", "--base-url", sandbox.base_url])
    assert json.loads(as_json.stdout)["id"] == import_id


def test_errors_fetches_every_page_with_line_and_column(
    tmp_path: Path, sandbox: SandboxServer
) -> None:
    import_id = started_import(sandbox, tmp_path)
    sandbox.wait(import_id)
    with_errors(sandbox, import_id, 250)  # the client asks 100 a page: three pages
    result = run(["errors", import_id, "--format", "json", "--base-url", sandbox.base_url])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    found = document["diagnostics"]
    assert len(found) == 250
    assert sandbox.count("errors") == 3
    lines = sorted(d["data"]["line"] for d in found)
    assert lines == list(range(2, 252))
    email = next(d for d in found if d["data"]["line"] == 3)
    assert email["hubspot_error"] == "INVALID_EMAIL"
    assert email["data"]["column"] == "Email"  # knownColumnNumber 2, named by the request
    assert email["data"]["value"] == "bad1"
    assert email["data"]["file"] == "leads.csv"
    assert document["import"]["id"] == import_id


def test_errors_as_a_csv_fix_list(tmp_path: Path, sandbox: SandboxServer) -> None:
    import_id = started_import(sandbox, tmp_path)
    sandbox.wait(import_id)
    with_errors(sandbox, import_id, 3)
    out = tmp_path / "fix.csv"
    result = run(
        ["errors", import_id, "--format", "csv", "-o", str(out), "--base-url", sandbox.base_url]
    )
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [(r["line"], r["column"], r["error_type"], r["value"]) for r in rows] == [
        ("2", "First Name", "COULD_NOT_PARSE_DATE", "bad0"),
        ("4", "First Name", "COULD_NOT_PARSE_DATE", "bad2"),
        ("3", "Email", "INVALID_EMAIL", "bad1"),
    ]


def test_errors_text_groups_by_type(tmp_path: Path, sandbox: SandboxServer) -> None:
    import_id = started_import(sandbox, tmp_path)
    sandbox.wait(import_id)
    with_errors(sandbox, import_id, 3)
    result = run(["errors", import_id, "--base-url", sandbox.base_url])
    assert result.exit_code == 1
    assert "COULD_NOT_PARSE_DATE: 2" in result.output
    assert "INVALID_EMAIL: 1" in result.output
    assert "leads.csv:3:" in result.output


def test_no_errors_exit_0(tmp_path: Path, sandbox: SandboxServer) -> None:
    import_id = started_import(sandbox, tmp_path)
    sandbox.wait(import_id)
    with_errors(sandbox, import_id, 0)
    result = run(["errors", import_id, "--format", "csv", "--base-url", sandbox.base_url])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["file,line,row,column,error_type,value,message"]


def test_cancel(tmp_path: Path, slow_sandbox: SandboxServer) -> None:
    import_id = started_import(slow_sandbox, tmp_path)
    result = run(["cancel", import_id, "--base-url", slow_sandbox.base_url])
    assert result.exit_code == 0, result.output
    assert slow_sandbox.imports[import_id].state == "CANCELED"
    again = run(["cancel", import_id, "--base-url", slow_sandbox.base_url])
    assert again.exit_code == 0
    assert "already CANCELED" in again.output


def test_cancel_whose_answer_is_lost(tmp_path: Path, slow_sandbox: SandboxServer) -> None:
    import_id = started_import(slow_sandbox, tmp_path)
    slow_sandbox.faults.drop("cancel")  # canceled, but the answer never comes back
    result = run(["cancel", import_id, "--base-url", slow_sandbox.base_url])
    assert result.exit_code == 0, result.output
    assert slow_sandbox.imports[import_id].state == "CANCELED"
    assert slow_sandbox.count("cancel") == 2


def test_cancel_of_a_finished_import_is_refused(tmp_path: Path, sandbox: SandboxServer) -> None:
    import_id = started_import(sandbox, tmp_path)
    sandbox.wait(import_id)
    result = run(["cancel", import_id, "--base-url", sandbox.base_url])
    assert result.exit_code == 1  # HubSpot refuses to cancel a finished import
    assert "HTTP 400" in result.output


def test_imports_lists_every_page(tmp_path: Path, sandbox: SandboxServer) -> None:
    ids = [started_import(sandbox, tmp_path, name=f"batch {n}") for n in range(3)]
    result = run(["imports", "--base-url", sandbox.base_url])
    assert result.exit_code == 0
    for import_id in ids:
        assert import_id in result.output
    listed = run(["imports", "--format", "json", "--base-url", sandbox.base_url])
    as_json = json.loads(listed.stdout)
    assert sorted(i["id"] for i in as_json) == sorted(ids)


@pytest.mark.parametrize("version", ["v3", "2026-03", "2026-09"])
def test_api_version_reaches_the_dated_paths(
    tmp_path: Path, sandbox: SandboxServer, version: str
) -> None:
    import_id = started_import(sandbox, tmp_path)
    result = run(["status", import_id, "--api-version", version, "--base-url", sandbox.base_url])
    assert result.exit_code == 0
    prefix = "/crm/v3/imports" if version == "v3" else f"/crm/imports/{version}"
    assert sandbox.log[-1].path == f"{prefix}/{import_id}"


def test_base_url_from_the_environment(tmp_path: Path, sandbox: SandboxServer) -> None:
    import_id = started_import(sandbox, tmp_path)
    result = run(["status", import_id], SPECC_BASE_URL=sandbox.base_url)
    assert result.exit_code == 0
    assert "state:" in result.output


def test_network_down_exits_2() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run(["imports", "--base-url", f"http://127.0.0.1:{port}"])
    assert result.exit_code == 2
    assert "could not list the imports" in result.output
    assert "Traceback" not in result.output


def test_bad_token_exits_1_with_what_to_do(sandbox: SandboxServer) -> None:
    with serve(tokens={"some-other-token": {"crm.import"}}) as strict:
        result = run(["imports", "--base-url", strict.base_url])
    assert result.exit_code == 1
    assert "HTTP 401" in result.output
    assert "HUBSPOT_ACCESS_TOKEN" in result.output


def test_plain_http_elsewhere_than_loopback_is_refused() -> None:
    result = run(["imports", "--base-url", "http://example.com"])
    assert result.exit_code == 2
    assert "unencrypted" in result.output


def test_a_token_with_a_line_break_is_refused_without_echoing_it() -> None:
    result = run(["imports", "--base-url", "http://127.0.0.1:9"], token=TOKEN + "\nX")
    assert result.exit_code == 2
    assert "characters an access token cannot have" in result.output


def catalog_snapshot(path: Path) -> Path:
    document: dict[str, Any] = {
        "catalog": 1,
        "portalId": None,
        "pulledAt": None,
        "objects": [
            {
                "objectTypeId": "0-1",
                "name": "contacts",
                "properties": [
                    {"name": "email", "label": "Email", "type": "string", "fieldType": "text"},
                    {"name": "firstname", "label": "First", "type": "string", "fieldType": "text"},
                ],
            },
            {
                "objectTypeId": "2-3456",
                "name": "pets",
                "requiredProperties": ["pet_name"],
                "properties": [
                    {"name": "pet_name", "label": "Name", "type": "string", "fieldType": "text"},
                ],
            },
        ],
    }
    path.write_text(json.dumps(document))
    return path


def test_catalog_pull_writes_a_valid_snapshot(tmp_path: Path) -> None:
    from specc.catalog.snapshot import load_snapshot
    from specc.sandbox import load_catalog_file

    catalog = load_catalog_file(catalog_snapshot(tmp_path / "source.json"))
    out = tmp_path / "pulled.json"
    with serve(catalog=catalog) as sandbox:
        result = run(
            [
                "catalog",
                "pull",
                "--object",
                "contacts",
                "--object",
                "pets",
                "-o",
                str(out),
                "--base-url",
                sandbox.base_url,
            ]
        )
        assert result.exit_code == 0, result.output
        assert sandbox.count("schemas") == 1
        assert sandbox.count("properties") == 2
    document = json.loads(out.read_text())
    by_id = {o["objectTypeId"]: o for o in document["objects"]}
    assert sorted(by_id) == ["0-1", "2-3456"]
    assert {p["name"] for p in by_id["0-1"]["properties"]} == {"email", "firstname"}
    assert by_id["2-3456"]["requiredProperties"] == ["pet_name"]
    assert by_id["2-3456"]["name"] == "pets"
    pulled, problems = load_snapshot(out, "pulled.json")
    assert pulled is not None and not [p for p in problems if p.severity.value == "error"]


def test_catalog_pull_default_objects_and_custom_ones(tmp_path: Path) -> None:
    from specc.sandbox import load_catalog_file

    catalog = load_catalog_file(catalog_snapshot(tmp_path / "source.json"))
    out = tmp_path / "pulled.json"
    with serve(catalog=catalog) as sandbox:
        result = run(["catalog", "pull", "-o", str(out), "--base-url", sandbox.base_url])
        assert result.exit_code == 0, result.output
        # The eleven standard objects, each asked for, and every custom object.
        assert sandbox.count("properties") == 12
    ids = [o["objectTypeId"] for o in json.loads(out.read_text())["objects"]]
    assert "0-1" in ids and "0-2" in ids and "2-3456" in ids


def test_catalog_pull_unknown_object_is_a_usage_error(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    out = tmp_path / "x.json"
    result = run(
        ["catalog", "pull", "--object", "contcts", "-o", str(out), "--base-url", sandbox.base_url]
    )
    assert result.exit_code == 2
    assert 'did you mean "contacts"' in result.output
    assert not out.exists()
