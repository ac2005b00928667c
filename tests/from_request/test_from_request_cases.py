"""`specc init --from-request`: each shape a request can take, what no spec can say, files that
are not requests, and the command line."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from specc.cli import cli
from specc.diff import MAX_REQUEST_BYTES, diff_requests
from specc.from_request import convert_request_file
from specc.pipeline import compile_spec
from specc.run import Options


def contacts(*mappings: dict[str, Any], **top: Any) -> dict[str, Any]:
    """A one-file request with these column mappings (contacts unless they say otherwise)."""
    return {
        "name": "Leads",
        **top,
        "files": [
            {
                "fileName": "leads.csv",
                "fileFormat": "CSV",
                "fileImportPage": {"hasHeader": True, "columnMappings": list(mappings)},
            }
        ],
    }


EMAIL = {"columnObjectTypeId": "0-1", "columnName": "Email", "propertyName": "email"}


def column(**fields: Any) -> dict[str, Any]:
    return {"columnObjectTypeId": "0-1", **fields}


def save(folder: Path, request: Any, name: str = "request.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(request, ensure_ascii=False), encoding="utf-8")
    return path


def convert(folder: Path, request: Any) -> Any:
    path = save(folder, request)
    return convert_request_file(path, path.name)


def round_trip(folder: Path, request: dict[str, Any]) -> str:
    """The spec written for `request`, after checking that it compiles back to it."""
    done = convert(folder, request)
    assert done.spec_text is not None, [d.message for d in done.result.diagnostics]
    spec = folder / "spec.yaml"
    spec.write_text(done.spec_text, encoding="utf-8")
    compiled, result = compile_spec(spec, Options(cwd=folder, environ={}))
    assert compiled is not None, result.diagnostics
    assert diff_requests(request, compiled) == []
    return done.spec_text


def refusal(folder: Path, request: Any) -> list[tuple[str, str, int]]:
    """(code, message, line in the request file) of each error; no spec was made."""
    done = convert(folder, request)
    assert done.spec_text is None
    return [
        (d.code, d.message, d.spec.line if d.spec else 0)
        for d in done.result.diagnostics
        if d.severity.value == "error"
    ]


# --- shapes that become specs ----------------------------------------------------------------


def test_every_kind_of_column(tmp_path: Path) -> None:
    request = {
        "name": "Participants",
        "importOperations": {"0-1": "UPSERT", "0-54": "CREATE"},
        "dateFormat": "YEAR_MONTH_DAY",
        "timeZone": "America/New_York",
        "marketingEventObjectId": 377224141223,
        "marketableContactImport": True,
        "files": [
            {
                "fileName": "people.xlsx",
                "fileFormat": "SPREADSHEET",
                "fileImportPage": {
                    "hasHeader": True,
                    "columnMappings": [
                        {
                            **EMAIL,
                            "columnType": "HUBSPOT_ALTERNATE_ID",
                            "associationIdentifierColumn": True,
                        },
                        column(columnName="First", propertyName="firstname", columnType="STANDARD"),
                        {
                            "columnObjectTypeId": "0-2",
                            "columnName": "Domain",
                            "propertyName": "domain",
                        },
                        {
                            "columnObjectTypeId": "0-1",
                            "columnName": "Label",
                            "columnType": "FLEXIBLE_ASSOCIATION_LABEL",
                            "toColumnObjectTypeId": "0-2",
                        },
                        column(
                            columnName="Colleague",
                            propertyName="email",
                            columnType="ASSOCIATION_KEYS",
                        ),
                        {
                            "columnObjectTypeId": "0-54",
                            "columnName": "Joined",
                            "columnType": "EVENT_TIMESTAMP",
                            "marketingEventSubmissionType": "JOINED",
                        },
                        column(
                            columnName="Record ID",
                            propertyName="hs_object_id",
                            columnType="HUBSPOT_OBJECT_ID",
                        ),
                        column(columnName="Skip", ignored=True),
                    ],
                },
            },
            {
                "fileName": "deals.csv",
                "fileFormat": "CSV",
                "fileImportPage": {
                    "hasHeader": False,
                    "columnMappings": [
                        {
                            "columnObjectTypeId": "0-3",
                            "columnName": "Deal",
                            "propertyName": "dealname",
                        },
                        {
                            "columnObjectTypeId": "0-3",
                            "toColumnObjectTypeId": "0-1",
                            "columnName": "Email",
                            "propertyName": None,
                            "foreignKeyType": {
                                "associationTypeId": 3,
                                "associationCategory": "HUBSPOT_DEFINED",
                            },
                        },
                        {
                            "columnObjectTypeId": "0-3",
                            "toColumnObjectTypeId": "0-2",
                            "columnName": "Domain",
                            "foreignKeyType": {
                                "associationTypeId": 5,
                                "associationCategory": "HUBSPOT_DEFINED",
                            },
                        },
                    ],
                },
            },
        ],
    }
    text = round_trip(tmp_path, request)
    assert text.splitlines()[3:] == [
        "specc: 1",
        "name: Participants",
        "date_format: YEAR_MONTH_DAY",
        "operations:",
        "  contacts: upsert",
        "  marketing_events: create",
        "marketable: true",
        "time_zone: America/New_York",
        "marketing_event: 377224141223",
        "files:",
        "  - path: people.xlsx",
        "    object: contacts",
        "    columns:",
        "      Email: {property: email, id: true, association_key: true}",
        "      First: {property: firstname, standard: true}",
        "      Domain: {property: domain, object: companies}",
        "      Label: {label: companies}",
        "      Colleague: {property: email, association_keys: true}",
        "      Joined: {event: joined}",
        "      Record ID: {property: hs_object_id, id: true}",
        "      Skip: {ignore: true}",
        "  - path: deals.csv",
        "    object: deals",
        "    has_header: false",
        "    columns:",
        "      Deal: dealname",
        "      Email: {references: contacts}",
        "      Domain: {references: companies, association: {type_id: 5, category: "
        "HUBSPOT_DEFINED}}",
    ]


def test_a_custom_object_is_named_by_its_id(tmp_path: Path) -> None:
    request = contacts(
        {
            "columnObjectTypeId": "2-140990150",
            "columnName": "PK",
            "propertyName": "pk",
            "columnType": "HUBSPOT_ALTERNATE_ID",
        },
        importOperations={"2-140990150": "UPDATE"},
    )
    text = round_trip(tmp_path, request)
    assert '    object: "2-140990150"\n' in text
    assert 'operations:\n  "2-140990150": update\n' in text


def test_no_operations_and_no_date_format_stay_hubspots_defaults(tmp_path: Path) -> None:
    text = round_trip(tmp_path, contacts(EMAIL))
    assert "operations" not in text
    assert "\n# date_format: MONTH_DAY_YEAR  # HubSpot's default: the request gives none\n" in text


def test_a_format_the_extension_does_not_say_is_written(tmp_path: Path) -> None:
    request = contacts(EMAIL)
    request["files"][0]["fileName"] = "leads.txt"
    assert "    format: csv\n" in round_trip(tmp_path, request)
    request["files"][0]["fileName"] = "leads.csv"
    request["files"][0]["fileFormat"] = "SPREADSHEET"
    assert "    format: spreadsheet\n" in round_trip(tmp_path, request)


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("Import: March", '"Import: March"'),
        ("yes", '"yes"'),
        ("#x", '"#x"'),
        ("  lead", '"  lead"'),
        ("a\u2028b", '"a\\Lb"'),
        ("Téléphone", "Téléphone"),
        ("{{ vars.x }}", "\"{{ '{' }}{{ '{' }} vars.x }}\""),
    ],
)
def test_names_are_quoted_when_yaml_needs_it(tmp_path: Path, name: str, written: str) -> None:
    request = contacts(column(columnName=name, propertyName=name.strip() or "x"), name=name)
    text = round_trip(tmp_path, request)
    assert f"\nname: {written}\n" in text


def test_a_repeated_name_or_a_name_too_long_for_a_key_takes_the_list_form(tmp_path: Path) -> None:
    long = "L" * 1500
    text = round_trip(tmp_path, contacts(EMAIL, column(columnName=long, propertyName="x")))
    assert f"      - {{column: {long}, property: x}}\n" in text
    text = round_trip(tmp_path, contacts(EMAIL, dict(EMAIL)))
    assert text.count("      - {column: Email, property: email}\n") == 2


# --- what no spec can say --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (
            contacts(
                column(columnName="Email", propertyName="email", columnType="HUBSPOT_OBJECT_ID")
            ),
            'the request\'s id of column "Email" in leads.csv is "HUBSPOT_OBJECT_ID"; the '
            'closest spec compiles it to "HUBSPOT_ALTERNATE_ID"',
        ),
        (
            contacts(
                column(
                    columnName="Company ID",
                    propertyName=None,
                    idColumnType="HUBSPOT_OBJECT_ID",
                    foreignKeyType={
                        "associationTypeId": 1,
                        "associationCategory": "HUBSPOT_DEFINED",
                    },
                )
            ),
            "a foreignKeyType without toColumnObjectTypeId (the legacy record-id association)",
        ),
        (
            contacts({"columnObjectTypeId": "p_cars", "columnName": "Car", "propertyName": "x"}),
            "object 'p_cars' is neither an object type id nor a standard object's name",
        ),
        (
            contacts(EMAIL, importOperations={"0-1": "CREATE", "contact": "UPDATE"}),
            "'contact' and '0-1' name the same object with different operations",
        ),
        (
            contacts(
                {
                    "columnObjectTypeId": "0-1",
                    "columnName": "Joined",
                    "columnType": "EVENT_TIMESTAMP",
                    "marketingEventSubmissionType": "JOINED",
                },
                marketingEventObjectId=5,
            ),
            "an EVENT_TIMESTAMP column of '0-1'",
        ),
        (
            contacts(column(columnName="Email", propertyName=" email")),
            'the request\'s property of column "Email" in leads.csv is " email"; the closest '
            'spec compiles it to "email"',
        ),
        (
            contacts(EMAIL, name="   "),
            "the spec written from this would not compile: name is empty",
        ),
        (
            contacts(column(columnName="   ", propertyName="email")),
            "the spec written from this would not compile: a column's header name is empty",
        ),
        (
            contacts(EMAIL, timeZone="Eastern"),
            "time_zone 'Eastern' is not an IANA time zone name",
        ),
        (
            contacts(EMAIL, marketingEventObjectId=2**64),
            "would not compile",
        ),
        (
            contacts(
                column(columnName="pat-na1-11111111-2222-3333-4444-555555555555", propertyName="x")
            ),
            "the request holds text shaped like an access token",
        ),
    ],
    ids=[
        "object-id-on-email",
        "legacy-record-id-association",
        "custom-object-name",
        "two-operations",
        "event-of-contacts",
        "spaced-property",
        "blank-name",
        "blank-column",
        "time-zone",
        "huge-event-id",
        "token",
    ],
)
def test_what_no_spec_can_say_is_refused_where_the_request_says_it(
    tmp_path: Path, request_: dict[str, Any], message: str
) -> None:
    found = refusal(tmp_path, request_)
    assert found, "refused"
    assert all(code == "SPC152" for code, _, _ in found)
    assert any(message in text for _, text, _ in found), found
    assert all(line > 0 for _, _, line in found)


def test_files_with_their_own_different_date_formats_are_refused(tmp_path: Path) -> None:
    request = contacts(EMAIL)
    second = copy.deepcopy(request["files"][0])
    second["fileName"] = "more.csv"
    request["files"][0]["dateFormat"] = "DAY_MONTH_YEAR"
    request["files"].append(second)  # no dateFormat: HubSpot's default for this one
    found = refusal(tmp_path, request)
    assert [code for code, _, _ in found] == ["SPC152"]
    assert "own dateFormat DAY_MONTH_YEAR differs from the import's" in found[0][1]


def test_a_field_the_request_does_not_have_is_left_out_with_a_hint(tmp_path: Path) -> None:
    done = convert(tmp_path, contacts(EMAIL, dateFomat="DAY_MONTH_YEAR"))
    assert done.spec_text is not None
    (warning,) = done.result.diagnostics
    assert warning.code == "SPC153"
    assert warning.hint == "did you mean 'dateFormat'?"
    assert "DAY_MONTH_YEAR" not in done.spec_text


# --- files that are not requests ------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message", "line", "column"),
    [
        (b'{"name": "x",\n  "files": [,]}', "is not valid JSON: expecting value", 2, 13),
        (b'{"name": "x",\n  "files": [1,],\n}', "a comma before the closing bracket", 2, 14),
        (b'{"name": "caf\xe9"}', "is not UTF-8 text (byte 0xe9 at offset 13)", 1, 14),
        (b'{"a":\n' + b"[" * 100 + b"]" * 100 + b"}", "deeper than 64 levels", 2, 64),
        (b'{"marketingEventObjectId":\n ' + b"9" * 5000 + b"}", "a number of 5,000 digits", 2, 2),
        (b'{"name": "x",\n "name": "y"}', 'names the key "name" twice in one object', 2, 2),
        (b'{"marketingEventObjectId": NaN}', "holds NaN, which is not JSON", 1, 28),
        (b"[" * 100_000, "deeper than 64 levels", 1, 65),
    ],
    ids=[
        "syntax",
        "trailing-comma",
        "not-utf8",
        "too-deep",
        "long-integer",
        "duplicate-key",
        "nan",
        "100k-brackets",
    ],
)
def test_a_file_that_is_not_json_is_refused_at_its_place(
    tmp_path: Path, content: bytes, message: str, line: int, column: int
) -> None:
    path = tmp_path / "request.json"
    path.write_bytes(content)
    done = convert_request_file(path, "request.json")
    assert done.spec_text is None
    (problem,) = done.result.diagnostics
    assert problem.code == "SPC151"
    assert message in problem.message
    assert problem.spec is not None
    assert (problem.spec.line, problem.spec.column) == (line, column)


def test_a_request_breaking_a_rule_in_every_column_shows_the_first_fifty(tmp_path: Path) -> None:
    request = contacts(*[{"columnName": f"c{n}"} for n in range(400)])
    found = refusal(tmp_path, request)
    assert len(found) == 51
    assert "in more places; the first 50 are shown" in found[-1][1]


# --- the command line ------------------------------------------------------------------------


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


def test_writes_beside_the_request_by_default_and_says_how_it_lints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    save(tmp_path, contacts({**EMAIL, "columnType": "HUBSPOT_ALTERNATE_ID"}))
    done = invoke("init", "--from-request", "request.json")
    assert done.exit_code == 0, done.output
    assert done.stdout == ""
    assert "wrote request.yaml" in done.stderr
    # The data file is not there yet: lint says so, the spec is still written.
    assert "request.yaml does not lint clean yet (1 error, 0 warnings)" in done.stderr
    (tmp_path / "leads.csv").write_text("Email\nada@example.com\n", encoding="utf-8")
    again = invoke("init", "--from-request", "request.json", "--force")
    assert again.exit_code == 0
    assert "request.yaml lints clean" in again.stderr


def test_refuses_to_overwrite_without_force_and_never_overwrites_the_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    save(tmp_path, contacts(EMAIL))
    (tmp_path / "spec.yaml").write_text("# mine\n")
    done = invoke("init", "--from-request", "request.json", "-o", "spec.yaml")
    assert done.exit_code == 2
    assert "spec.yaml exists" in done.stderr and "--force" in done.stderr
    assert (tmp_path / "spec.yaml").read_text() == "# mine\n"
    assert (
        invoke("init", "--from-request", "request.json", "-o", "spec.yaml", "--force").exit_code
        == 0
    )
    assert "specc: 1" in (tmp_path / "spec.yaml").read_text()
    save(tmp_path, contacts(EMAIL), name="request.yaml")
    itself = invoke("init", "--from-request", "request.yaml", "--force")
    assert itself.exit_code == 2
    assert "would overwrite the request request.yaml" in itself.stderr


def test_dash_prints_the_spec_and_only_the_spec(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    save(tmp_path, contacts(EMAIL))
    done = invoke("init", "--from-request", "request.json", "-o", "-")
    assert done.exit_code == 0
    assert done.stdout.startswith("# yaml-language-server:")
    assert done.stderr == ""
    assert not (tmp_path / "request.yaml").exists()


def test_a_refused_request_writes_nothing_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    save(tmp_path, contacts(EMAIL, dateFormat="yyyy-mm-dd"))
    done = invoke("init", "--from-request", "request.json")
    assert done.exit_code == 1
    assert "request.json:1:" in done.stderr and "error[SPC150]" in done.stderr
    assert not (tmp_path / "request.yaml").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["init", "data.csv", "--from-request", "request.json"], "not both"),
        (["init", "--from-request", "request.json", "--object", "contacts"], "--object"),
        (["init", "--from-request", "request.json", "--catalog", "c.json"], "--catalog"),
        (["init"], "name a data file to draft a spec for, or an importRequest"),
        (["init", "--from-request", "missing.json"], "missing.json: does not exist"),
        (["init", "--from-request", "."], "is a directory"),
    ],
)
def test_command_line_mistakes_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    save(tmp_path, contacts(EMAIL))
    done = invoke(*args)
    assert done.exit_code == 2
    assert message in done.output
    assert "Traceback" not in done.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    os.mkfifo(tmp_path / "request.json")
    done = invoke("init", "--from-request", "request.json", "-o", "-")
    assert done.exit_code == 2
    assert "is a FIFO (named pipe), not a regular file" in done.stderr


def test_a_file_over_the_bound_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with (tmp_path / "request.json").open("wb") as handle:
        handle.truncate(MAX_REQUEST_BYTES + 1)
    done = invoke("init", "--from-request", "request.json", "-o", "-")
    assert done.exit_code == 2
    assert "is larger than 4 MiB" in done.stderr
