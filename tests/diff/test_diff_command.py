"""`specc diff SPEC --against FILE`: every example against its own golden request is the same
request (exit 0); a changed copy differs (exit 1) and the output names the change; what cannot
be compared ends with exit 2, a broken spec or saved request with their diagnostics (exit 1)."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from specc.cli import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SPEC_NAMES = ("spec.yaml", "spec.toml")
FOLDERS = sorted(f for f in EXAMPLES.iterdir() if (f / "expected-request.json").is_file())


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("HUBSPOT_ACCESS_TOKEN", raising=False)
    monkeypatch.delenv("SPECC_BASE_URL", raising=False)
    yield


def spec_of(folder: Path) -> str:
    return next(n for n in SPEC_NAMES if (folder / n).is_file())


def golden(folder: Path) -> dict[str, Any]:
    request: dict[str, Any] = json.loads((folder / "expected-request.json").read_text("utf-8"))
    return request


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["diff", *args])


def saved(tmp_path: Path, request: Any, name: str = "saved.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(request, indent=2), encoding="utf-8")
    return str(path)


def first_property_column(request: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    for entry in request["files"]:
        for mapping in entry["fileImportPage"]["columnMappings"]:
            if mapping.get("propertyName"):
                return entry["fileName"], mapping
    raise AssertionError("no property column")


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_each_example_is_the_same_request_as_its_golden(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder)
    result = run(spec_of(folder), "--against", "expected-request.json")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("the same request as expected-request.json, as HubSpot reads it\n")
    document = json.loads(
        run(spec_of(folder), "--against", "expected-request.json", "--format", "json").stdout
    )
    assert document == {
        "version": 1,
        "same": True,
        "against": {"file": "expected-request.json"},
        "changes": [],
    }


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_a_remapped_column_of_each_example_is_named_at_its_spec_line(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = golden(folder)
    file_name, mapping = first_property_column(before)
    spec_property = mapping["propertyName"]
    mapping["propertyName"] = "old_property"
    monkeypatch.chdir(folder)
    result = run(spec_of(folder), "--against", saved(tmp_path, before))
    assert result.exit_code == 1, result.output
    column = json.dumps(mapping["columnName"], ensure_ascii=False)
    change = f"~ {file_name}: column {column}: property old_property -> {spec_property}"
    first, summary = result.stdout.splitlines()
    assert first.endswith(f": {change}"), first
    assert summary.startswith("1 change against ")
    # The location is the column's line in the spec, which names the column.
    where, line = first.split(": ", 1)[0].split(":")[:2]
    assert where == spec_of(folder)
    spec_line = (folder / where).read_text("utf-8").splitlines()[int(line) - 1]
    assert mapping["columnName"] in spec_line


def test_an_added_column_and_a_changed_operation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = EXAMPLES / "contacts-create"
    before = golden(folder)
    before["importOperations"] = {"0-1": "UPSERT"}
    del before["files"][0]["fileImportPage"]["columnMappings"][1]  # Last Name
    monkeypatch.chdir(folder)
    result = run("spec.yaml", "--against", saved(tmp_path, before), "--format", "json")
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    assert document["same"] is False
    assert [
        (c["kind"], c["field"], c["column"], c["before"], c["after"]) for c in document["changes"]
    ] == [
        ("changed", "operation", None, "UPSERT", "CREATE"),
        ("added", "column", "Last Name", None, {"object": "0-1", "property": "lastname"}),
    ]
    operation, column = document["changes"]
    assert operation["object"] == "0-1"
    assert operation["spec"] == {
        "file": "spec.yaml",
        "line": 7,
        "column": 3,
        "pointer": "/operations/contacts",
    }
    assert column["spec"]["pointer"] == "/files/0/columns/Last Name"
    text = run("spec.yaml", "--against", saved(tmp_path, before)).stdout.splitlines()
    assert text == [
        "spec.yaml:7:3: ~ operation of contacts UPSERT -> CREATE",
        'spec.yaml:13:7: + Nov-event-leads.csv: column "Last Name": property lastname of contacts',
        f"2 changes against {tmp_path / 'saved.json'}",
    ]


def test_a_removed_column_points_at_its_file_in_the_spec(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = EXAMPLES / "contacts-create"
    before = golden(folder)
    before["files"][0]["fileImportPage"]["columnMappings"].append(
        {"columnObjectTypeId": "0-1", "columnName": "Phone", "propertyName": "phone"}
    )
    monkeypatch.chdir(folder)
    result = run("spec.yaml", "--against", saved(tmp_path, before))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        'spec.yaml:11:5: - Nov-event-leads.csv: column "Phone": property phone of contacts'
    )


def test_a_legacy_request_of_the_same_import_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = EXAMPLES / "contacts-create"
    before = golden(folder)
    for mapping in before["files"][0]["fileImportPage"]["columnMappings"]:
        del mapping["columnObjectTypeId"]
        mapping["columnObjectType"] = "CONTACT"
        mapping["idColumnType"] = mapping.pop("columnType", None)
        mapping["ignored"] = False
    before["importOperations"] = {"contacts": "CREATE"}
    monkeypatch.chdir(folder)
    result = run("spec.yaml", "--against", saved(tmp_path, before))
    assert result.exit_code == 0, result.output


def test_a_new_name_alone_is_listed_as_minor_and_exits_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = EXAMPLES / "contacts-create"
    before = golden(folder)
    before["name"] = "October Marketing Event Leads"
    monkeypatch.chdir(folder)
    result = run("spec.yaml", "--against", saved(tmp_path, before))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        'spec.yaml:4:1: ~ name "October Marketing Event Leads" -> '
        '"November Marketing Event Leads" (minor)',
        f"the same request as {tmp_path / 'saved.json'}, as HubSpot reads it, "
        "apart from names (minor)",
    ]
    document = json.loads(
        run("spec.yaml", "--against", saved(tmp_path, before), "--format", "json").stdout
    )
    assert document["same"] is True
    assert [c["minor"] for c in document["changes"]] == [True]


def test_github_format_annotates_the_spec_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = EXAMPLES / "contacts-create"
    before = golden(folder)
    before["dateFormat"] = "YEAR_MONTH_DAY"
    monkeypatch.chdir(folder)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run("spec.yaml", "--against", saved(tmp_path, before))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "::notice file=spec.yaml,line=5,col=1,title=specc diff::"
        "~ date_format YEAR_MONTH_DAY -> DAY_MONTH_YEAR"
    )


def test_an_invalid_saved_request_gets_the_schema_diagnostics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = EXAMPLES / "contacts-create"
    before = golden(folder)
    before["dateFormat"] = "yyyy-mm-dd"
    path = saved(tmp_path, before)
    line = Path(path).read_text().splitlines().index('  "dateFormat": "yyyy-mm-dd",') + 1
    monkeypatch.chdir(folder)
    result = run("spec.yaml", "--against", path)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert (
        f"{path}:{line}:3: error[SPC150] the saved request breaks the importRequest schema at "
        "/dateFormat: 'yyyy-mm-dd' is not one of"
    ) in result.stderr
    document = json.loads(run("spec.yaml", "--against", path, "--format", "json").stderr)
    (found,) = document["diagnostics"]
    assert found["spec"] == {"file": path, "line": line, "column": 3, "pointer": "/dateFormat"}


def test_a_spec_with_errors_exits_1_with_its_diagnostics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = EXAMPLES / "contacts-create"
    (tmp_path / "broken.yaml").write_text(
        (folder / "spec.yaml").read_text("utf-8").replace("operations:", "operashuns:")
    )
    monkeypatch.chdir(tmp_path)
    result = run("broken.yaml", "--against", str(folder / "expected-request.json"))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "broken.yaml:6:1: error[" in result.stderr


def test_what_cannot_be_compared_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = EXAMPLES / "contacts-create"
    monkeypatch.chdir(folder)
    (tmp_path / "text.json").write_text('{"name": ', encoding="utf-8")
    (tmp_path / "latin1.json").write_bytes(b'{"name": "Caf\xe9"}')
    os.mkfifo(tmp_path / "fifo.json")
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (tmp_path / "twice.json").write_text('{"name": "a",\n "name": "b"}', encoding="utf-8")
    (tmp_path / "nan.json").write_text('{"marketingEventObjectId": NaN}', encoding="utf-8")
    with (tmp_path / "huge.json").open("wb") as huge:
        huge.truncate(4 * 1024 * 1024 + 1)
    cases = {
        str(tmp_path / "missing.json"): "does not exist",
        str(tmp_path): "is a folder, not a regular file",
        str(tmp_path / "fifo.json"): "is a FIFO (named pipe), not a regular file",
        "/dev/zero": "is a character device",
        str(tmp_path / "text.json"): "not an importRequest: it is not valid JSON: expecting "
        "value (line 1, column 10)",
        str(tmp_path / "latin1.json"): "not an importRequest: it is not UTF-8 text (byte 0xe9 "
        "at offset 13) (line 1, column 14)",
        str(tmp_path / "deep.json"): "not an importRequest: it nests arrays and objects deeper "
        "than 64 levels (line 1, column 65)",
        str(tmp_path / "twice.json"): 'not an importRequest: it names the key "name" twice in '
        "one object (line 2, column 2)",
        str(tmp_path / "nan.json"): "not an importRequest: it holds NaN, which is not JSON "
        "(line 1, column 28)",
        str(tmp_path / "huge.json"): "is larger than 4 MiB",
    }
    for path, reason in cases.items():
        result = run("spec.yaml", "--against", path)
        assert result.exit_code == 2, (path, result.output)
        assert result.stdout == ""
        assert f"specc: error: {path}: {reason}" in result.stderr


def test_the_baseline_is_one_of_a_file_or_an_import(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLES / "contacts-create")
    for args in ([], ["--against", "expected-request.json", "--against-import", "1"]):
        result = run("spec.yaml", *args)
        assert result.exit_code == 2
        assert "give one of --against FILE or --against-import ID" in result.stderr


def test_a_past_import_needs_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLES / "contacts-create")
    result = run("spec.yaml", "--against-import", "71000001")
    assert result.exit_code == 2
    assert "no HubSpot access token: set the environment variable HUBSPOT_ACCESS_TOKEN" in (
        result.stderr
    )


def test_the_saved_request_may_repeat_what_the_spec_compiles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`specc compile -o` output is what people save; diffing against it is a no-op."""
    folder = EXAMPLES / "deals-toml"
    monkeypatch.chdir(folder)
    compiled = CliRunner().invoke(cli, ["compile", "spec.toml", "-o", str(tmp_path / "c.json")])
    assert compiled.exit_code == 0
    assert run("spec.toml", "--against", str(tmp_path / "c.json")).exit_code == 0
    changed = copy.deepcopy(json.loads((tmp_path / "c.json").read_text()))
    changed["importOperations"]["0-3"] = "UPDATE"
    result = run("spec.toml", "--against", saved(tmp_path, changed))
    assert result.exit_code == 1
    assert "~ operation of deals UPDATE -> CREATE" in result.stdout


def test_a_request_broken_in_every_column_shows_the_first_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = EXAMPLES / "contacts-create"
    before = golden(folder)
    before["files"][0]["fileImportPage"]["columnMappings"] = [
        {"columnObjectTypeId": "0-1", "columnName": f"C{i}", "columnType": "NOT_A_TYPE"}
        for i in range(80)
    ]
    monkeypatch.chdir(folder)
    result = run("spec.yaml", "--against", saved(tmp_path, before), "--format", "json")
    assert result.exit_code == 1
    found = json.loads(result.stderr)["diagnostics"]
    assert len(found) == 51
    # Two problems a column: the column type, and no property for a plain column.
    summary = [d for d in found if "places" in d["message"]]
    assert [d["message"] for d in summary] == [
        "the saved request breaks the importRequest schema in 160 places; the first 50 are shown"
    ]


def test_next_weeks_batch_is_the_same_request_apart_from_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A templated spec names its import and data file after the batch: those change every
    week and are minor; the mapping is what is compared."""
    monkeypatch.chdir(EXAMPLES / "custom-object-update")
    result = run("spec.yaml", "--var", "batch=2026-12", "--against", "expected-request.json")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        'spec.yaml:6:1: ~ name "Pets update 2026-11" -> "Pets update 2026-12" (minor)',
        'spec.yaml:16:5: ~ pets-2026-12.csv: file name "pets-2026-11.csv" -> '
        '"pets-2026-12.csv" (minor)',
        "the same request as expected-request.json, as HubSpot reads it, apart from names (minor)",
    ]
