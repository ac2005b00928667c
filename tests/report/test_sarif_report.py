"""SARIF output, validated against the official SARIF 2.1.0 schema.

tests/report/sarif-schema-2.1.0.json is OASIS's published schema (errata 01,
`Schemata/sarif-schema-2.1.0.json` of oasis-tcs/sarif-spec), vendored unchanged.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from specc import __version__
from specc.codes import lookup
from specc.diagnostics import DataLocation, Diagnostic, Result, Severity, SpecLocation
from specc.report import ReportOptions
from specc.report.sarif import file_uri, render_sarif

SCHEMA_PATH = Path(__file__).with_name("sarif-schema-2.1.0.json")


@cache
def _validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def _log(result: Result) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render_sarif(result, ReportOptions()))
    return data


def test_the_vendored_schema_is_the_official_one() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]


def test_log_validates_against_the_sarif_schema(mixed_result: Result) -> None:
    _validator().validate(_log(mixed_result))


def test_empty_log_validates() -> None:
    log = _log(Result())
    _validator().validate(log)
    assert log["runs"][0]["results"] == []


def test_schema_catches_a_broken_log(mixed_result: Result) -> None:
    """The validation test can fail: a log missing a result's message is refused."""
    log = _log(mixed_result)
    del log["runs"][0]["results"][0]["message"]
    assert not _validator().is_valid(log)


def test_driver_and_rules_come_from_the_code_registry(mixed_result: Result) -> None:
    driver = _log(mixed_result)["runs"][0]["tool"]["driver"]
    assert driver["name"] == "specc"
    assert driver["version"] == __version__
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert set(rules) == {"SPC001", "SPC200", "SPC202", "SPC300"}
    code = lookup("SPC200")
    assert code is not None
    rule = rules["SPC200"]
    assert rule["shortDescription"]["text"] == code.title
    assert rule["fullDescription"]["text"].split()[:5] == code.explanation.split()[:5]
    assert rule["help"]["text"]
    assert "\n    " not in rule["fullDescription"]["text"]  # the docstring indent is gone
    assert rule["defaultConfiguration"]["level"] == "error"
    assert rule["properties"]["hubspotError"] == "PROPERTY_DEFINITION_NOT_FOUND"


def test_results_point_at_their_rule_level_and_place(mixed_result: Result) -> None:
    run = _log(mixed_result)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    by_rule = {r["ruleId"]: r for r in run["results"]}
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]

    spec = by_rule["SPC200"]
    assert spec["level"] == "error"
    assert (
        spec["message"]["text"] == 'contacts have no property "emial"\nhint: did you mean "email"?'
    )
    assert spec["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "imports/leads.yaml"},
        "region": {"startLine": 7, "startColumn": 25},
    }

    row = by_rule["SPC300"]
    assert row["level"] == "warning"
    assert row["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "imports/leads.csv"},
        "region": {"startLine": 42},
    }
    related = row["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"]["uri"] == "imports/leads.yaml"
    assert related["region"] == {"startLine": 7, "startColumn": 7}
    assert row["properties"]["data"] == {
        "file": "imports/leads.csv",
        "line": 42,
        "row": 41,
        "column": "Email",
        "value": "not-an-email",
    }

    assert by_rule["SPC202"]["level"] == "note"
    assert by_rule["SPC202"]["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "imports/leads.csv"}
    }
    assert "locations" not in by_rule["SPC001"]


def test_unregistered_code_still_gets_a_rule() -> None:
    code = next(f"SPC{n}" for n in range(999, 0, -1) if lookup(f"SPC{n}") is None)
    result = Result(diagnostics=[Diagnostic(code, Severity.WARNING, "from the future")])
    log = _log(result)
    _validator().validate(log)
    rule = log["runs"][0]["tool"]["driver"]["rules"][0]
    assert rule["id"] == code
    assert rule["defaultConfiguration"]["level"] == "warning"


@pytest.mark.parametrize(
    ("name", "uri"),
    [
        ("imports/leads.yaml", "imports/leads.yaml"),
        ("my data/Nov leads#1.csv", "my%20data/Nov%20leads%231.csv"),
        ("/abs/path/a b.csv", "file:///abs/path/a%20b.csv"),
    ],
)
def test_file_uris(name: str, uri: str) -> None:
    assert file_uri(name) == uri


def test_odd_file_names_still_validate() -> None:
    result = Result(
        diagnostics=[
            Diagnostic("SPC010", Severity.ERROR, "m", spec=SpecLocation("/tmp/ä ö/s.yaml", 1, 1)),
            Diagnostic("SPC300", Severity.ERROR, "m", data=DataLocation("d#1.csv", 2, 1, "A", "")),
        ]
    )
    _validator().validate(_log(result))
