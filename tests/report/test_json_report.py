from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from specc.diagnostics import MAX_SHOWN_VALUE, DataLocation, Diagnostic, Result, Severity
from specc.report import ReportOptions
from specc.report.json_document import render_json
from specc.schemas import load_schema


def _validator() -> jsonschema.Draft202012Validator:
    schema = load_schema("diagnostics")
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_document_has_the_contract_shape(mixed_result: Result) -> None:
    doc = json.loads(render_json(mixed_result, ReportOptions()))
    assert doc["version"] == 1
    assert doc["ok"] is False
    assert doc["summary"] == {"errors": 2, "warnings": 1, "files": 1, "rows_checked": 1000}
    row = next(d for d in doc["diagnostics"] if d["data"] and d["data"]["line"] == 42)
    assert row == {
        "code": "SPC300",
        "severity": "warning",
        "hubspot_error": "INVALID_EMAIL",
        "message": "not-an-email is not a valid email address",
        "hint": None,
        "spec": {
            "file": "imports/leads.yaml",
            "line": 7,
            "column": 7,
            "pointer": "/files/0/columns/Email",
        },
        "data": {
            "file": "imports/leads.csv",
            "line": 42,
            "row": 41,
            "column": "Email",
            "value": "not-an-email",
        },
    }


def test_document_validates_against_the_bundled_schema(mixed_result: Result) -> None:
    _validator().validate(json.loads(render_json(mixed_result, ReportOptions())))


def test_clean_document_is_ok_and_validates() -> None:
    doc = json.loads(render_json(Result(files=2), ReportOptions()))
    assert doc == {
        "version": 1,
        "ok": True,
        "summary": {"errors": 0, "warnings": 0, "files": 2, "rows_checked": 0},
        "diagnostics": [],
    }
    _validator().validate(doc)


def test_warnings_alone_are_ok() -> None:
    result = Result(diagnostics=[Diagnostic("SPC214", Severity.WARNING, "w")])
    assert json.loads(render_json(result, ReportOptions()))["ok"] is True


def test_long_values_are_shortened() -> None:
    value = "x" * 70_000
    result = Result(
        diagnostics=[
            Diagnostic("SPC300", Severity.ERROR, "m", data=DataLocation("a.csv", 2, 1, "A", value))
        ]
    )
    shown = json.loads(render_json(result, ReportOptions()))["diagnostics"][0]["data"]["value"]
    assert len(shown) == MAX_SHOWN_VALUE


@pytest.mark.parametrize(
    "broken",
    [
        {"version": 2},
        {"summary": {"errors": -1, "warnings": 0, "files": 0, "rows_checked": 0}},
        {"diagnostics": [{"code": "E1"}]},
    ],
)
def test_schema_rejects_broken_documents(mixed_result: Result, broken: dict[str, Any]) -> None:
    doc = json.loads(render_json(mixed_result, ReportOptions()))
    doc.update(broken)
    assert not _validator().is_valid(doc)


def test_schema_describes_every_field_the_document_has(mixed_result: Result) -> None:
    """Keeps the schema honest: a field added to the output must be added to the schema."""
    schema = load_schema("diagnostics")
    doc = json.loads(render_json(mixed_result, ReportOptions()))
    assert set(doc) == set(schema["properties"]) == set(schema["required"])
    # errors_by_type is there only when `check` found row errors.
    summary_fields = set(schema["properties"]["summary"]["properties"]) - {"errors_by_type"}
    assert set(doc["summary"]) == summary_fields
    defs = schema["$defs"]
    for entry in doc["diagnostics"]:
        assert set(entry) == set(defs["diagnostic"]["properties"])
        if entry["spec"]:
            assert set(entry["spec"]) == set(defs["specLocation"]["properties"])
        if entry["data"]:
            assert set(entry["data"]) == set(defs["dataLocation"]["properties"])


def test_errors_by_type_is_described_and_valid(mixed_result: Result) -> None:
    mixed_result.errors_by_type = {"INVALID_EMAIL": 3, "SPC452": 1}
    doc = json.loads(render_json(mixed_result, ReportOptions()))
    assert doc["summary"]["errors_by_type"] == {"INVALID_EMAIL": 3, "SPC452": 1}
    jsonschema.Draft202012Validator(load_schema("diagnostics")).validate(doc)
