"""compile, lint and check on real specs written into a temporary folder: the whole pipeline."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click.testing
import jsonschema
import pytest
from click.testing import CliRunner

from specc.cli import cli
from specc.schemas import load_schema

REPO = Path(__file__).resolve().parents[2]

CLEAN_SPEC = """\
specc: 1
name: November leads
operations:
  contacts: create
files:
  - path: leads.csv
    object: contacts
    columns:
      First Name: firstname
      Email: {property: email, id: true}
"""

CLEAN_CSV = "First Name,Email\nAda,ada@example.com\nGrace,grace@example.com\n"

# `emial` is not a property: with the bundled catalog that is a warning (it may be the
# account's own), so lint passes, and fails with --strict.
WARNING_SPEC = CLEAN_SPEC.replace("First Name: firstname", "First Name: firstnaem")

# An unknown top-level key is an error on line 3.
BROKEN_SPEC = CLEAN_SPEC.replace("operations:", "operashuns:")


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    (tmp_path / "leads.csv").write_text(CLEAN_CSV, encoding="utf-8")
    (tmp_path / "clean.yaml").write_text(CLEAN_SPEC, encoding="utf-8")
    (tmp_path / "warning.yaml").write_text(WARNING_SPEC, encoding="utf-8")
    (tmp_path / "broken.yaml").write_text(BROKEN_SPEC, encoding="utf-8")
    yield tmp_path


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args))


def _json(out: str) -> Any:
    return json.loads(out)


# --- compile --------------------------------------------------------------------------------


def test_compile_prints_only_the_request(workdir: Path) -> None:
    result = run("compile", "clean.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    request = _json(result.stdout)
    assert request["name"] == "November leads"
    assert request["importOperations"] == {"0-1": "CREATE"}
    mappings = request["files"][0]["fileImportPage"]["columnMappings"]
    assert [m["columnName"] for m in mappings] == ["First Name", "Email"]
    assert mappings[1]["columnType"] == "HUBSPOT_ALTERNATE_ID"
    jsonschema.Draft202012Validator(load_schema("request")).validate(request)


def test_compile_is_byte_identical(workdir: Path) -> None:
    assert run("compile", "clean.yaml").stdout_bytes == run("compile", "clean.yaml").stdout_bytes


def test_compile_output_file(workdir: Path) -> None:
    (workdir / "in-the-way").write_text("a file, not a folder")
    result = run("compile", "clean.yaml", "-o", "in-the-way/request.json")
    assert result.exit_code == 2  # no folder can be made there: could not do its job
    result = run("compile", "clean.yaml", "-o", "out/request.json")  # out/ is made
    assert result.exit_code == 0
    assert result.stdout == ""
    assert (workdir / "out/request.json").read_bytes() == run("compile", "clean.yaml").stdout_bytes


def test_compile_refuses_a_spec_with_errors(workdir: Path) -> None:
    result = run("compile", "broken.yaml")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "broken.yaml:" in result.stderr
    assert "error[" in result.stderr


def test_compile_var_overrides(workdir: Path) -> None:
    templated = CLEAN_SPEC.replace("name: November leads", 'name: "Leads {{ vars.batch }}"')
    templated = templated.replace("specc: 1", "specc: 1\nvars:\n  batch: one")
    (workdir / "tpl.yaml").write_text(templated, encoding="utf-8")
    assert _json(run("compile", "tpl.yaml").stdout)["name"] == "Leads one"
    assert _json(run("compile", "tpl.yaml", "--var", "batch=two").stdout)["name"] == "Leads two"


# --- lint -----------------------------------------------------------------------------------


def test_lint_clean_spec(workdir: Path) -> None:
    result = run("lint", "clean.yaml")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[-1].startswith("no problems in 1 spec")


def test_lint_error_points_at_the_line(workdir: Path) -> None:
    result = run("lint", "broken.yaml")
    assert result.exit_code == 1
    assert result.stdout.startswith("broken.yaml:3:1: error[")
    assert "operashuns" in result.stdout


def test_lint_several_specs_in_one_call(workdir: Path) -> None:
    result = run("lint", "clean.yaml", "broken.yaml", "--format", "json")
    assert result.exit_code == 1
    doc = _json(result.stdout)
    jsonschema.Draft202012Validator(load_schema("diagnostics")).validate(doc)
    assert doc["ok"] is False
    assert {d["spec"]["file"] for d in doc["diagnostics"] if d["spec"]} == {"broken.yaml"}
    assert doc["summary"]["files"] == 1  # only the clean spec's data file could be counted


def test_warnings_pass_unless_strict(workdir: Path) -> None:
    plain = run("lint", "warning.yaml", "--format", "json")
    assert plain.exit_code == 0, plain.stdout
    doc = _json(plain.stdout)
    assert doc["ok"] is True and doc["summary"]["warnings"] >= 1
    strict = run("lint", "warning.yaml", "--strict", "--format", "json")
    assert strict.exit_code == 1
    doc = _json(strict.stdout)
    assert doc["ok"] is False and doc["summary"]["warnings"] == 0
    assert doc["summary"]["errors"] >= 1


def test_github_format_is_the_default_under_github_actions(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run("lint", "broken.yaml")
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=broken.yaml,line=3,col=1,title=SPC")
    assert run("lint", "broken.yaml", "--format", "text").stdout.startswith("broken.yaml:3:1:")


def test_sarif_output_validates(workdir: Path) -> None:
    result = run("lint", "broken.yaml", "warning.yaml", "--format", "sarif")
    log = _json(result.stdout)
    schema_path = REPO / "tests" / "report" / "sarif-schema-2.1.0.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    assert log["runs"][0]["results"]


# --- check ----------------------------------------------------------------------------------


def test_check_clean_data(workdir: Path) -> None:
    result = run("check", "clean.yaml", "--format", "json")
    assert result.exit_code == 0, result.stdout
    assert _json(result.stdout)["summary"]["rows_checked"] == 2
    text = run("check", "clean.yaml")
    assert text.stdout.splitlines()[-1] == "no problems in 1 spec (1 data file, 2 rows checked)"


def test_check_bad_row_names_its_line(workdir: Path) -> None:
    (workdir / "leads.csv").write_text(CLEAN_CSV + "Linus,not-an-email\n", encoding="utf-8")
    result = run("check", "clean.yaml", "--format", "json")
    assert result.exit_code == 1
    rows = [d for d in _json(result.stdout)["diagnostics"] if d["data"] and d["data"]["line"]]
    assert any(d["data"]["line"] == 4 and d["data"]["column"] == "Email" for d in rows)
    text = run("check", "clean.yaml").stdout
    assert "leads.csv:4: error[" in text


def test_check_summarises_errors_by_type_even_past_max_errors(workdir: Path) -> None:
    bad = "".join(f"Linus{i},not-an-email-{i}\n" for i in range(5))
    (workdir / "leads.csv").write_text(CLEAN_CSV + bad, encoding="utf-8")
    result = run("check", "clean.yaml", "--format", "json", "--max-errors", "2")
    doc = _json(result.stdout)
    jsonschema.Draft202012Validator(load_schema("diagnostics")).validate(doc)
    assert doc["summary"]["errors_by_type"] == {"INVALID_EMAIL": 5}
    shown = [d for d in doc["diagnostics"] if d["hubspot_error"] == "INVALID_EMAIL"]
    assert len(shown) == 2
    text = run("check", "clean.yaml", "--max-errors", "2").stdout
    assert "row errors by type: INVALID_EMAIL 5" in text


def test_warnings_filling_max_errors_hide_no_error_and_the_exit_code_counts_it(
    workdir: Path,
) -> None:
    """Five emails with a stray space (warnings) above one bad email: with room for two, the
    error is shown and the command fails, as HubSpot would fail that row."""
    spaced = "".join(f"Ada{i}, ada{i}@example.com\n" for i in range(5))
    rows = CLEAN_CSV + spaced + "Linus,not-an-email\n"
    (workdir / "leads.csv").write_text(rows, encoding="utf-8")
    result = run("check", "clean.yaml", "--format", "json", "--max-errors", "2")
    assert result.exit_code == 1
    doc = _json(result.stdout)
    assert doc["ok"] is False
    codes = [(d["code"], d["data"]["line"]) for d in doc["diagnostics"] if d["data"]["line"]]
    assert codes == [("SPC411", 4), ("SPC401", 9)]
    text = run("check", "clean.yaml", "--max-errors", "2")
    assert text.exit_code == 1
    assert 'leads.csv:9: error[SPC401] "not-an-email"' in text.stdout


def test_check_rejects_folder(workdir: Path) -> None:
    (workdir / "leads.csv").write_text(CLEAN_CSV + "Linus,not-an-email\n", encoding="utf-8")
    result = run("check", "clean.yaml", "--rejects", "rejects")
    assert result.exit_code == 1
    assert (workdir / "rejects").is_dir()


# --- the real process: import cost of lint ----------------------------------------------------


def test_lint_imports_nothing_it_does_not_need(workdir: Path) -> None:
    code = (
        "import sys\n"
        "from specc.cli import cli\n"
        "try:\n"
        "    cli.main(['lint', 'clean.yaml'], standalone_mode=False)\n"
        "finally:\n"
        "    print('MODULES', ' '.join(sorted(sys.modules)))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("MODULES "))
    loaded = set(line.split()[1:])
    assert not loaded & {"httpx", "polars", "pyarrow", "rich"}
