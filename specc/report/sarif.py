"""SARIF 2.1.0, for code scanning: one run, the code registry as rules, one result per diagnostic.

Spec diagnostics point at a line and column of the spec; data diagnostics at the row's physical
line in the data file (the cell's column is a header name, so it goes into the result's
properties, not into the region). When a diagnostic has both places, the other one is a related
location.
"""

from __future__ import annotations

import inspect
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from specc.codes import Code, lookup
from specc.diagnostics import Diagnostic, Result, Severity
from specc.report.json_text import indented
from specc.report.options import ReportOptions
from specc.report.shared import Place, full_message, primary_place

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL_BY_SEVERITY = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "note",
}


def render_sarif(result: Result, options: ReportOptions) -> str:
    # json.dumps(indent=2)'s text, laid out without its pure-Python encoder (json_text)
    return indented(sarif_log(result, options)) + "\n"


def sarif_log(result: Result, options: ReportOptions) -> dict[str, Any]:
    diagnostics = result.sorted()
    rules = _rules(diagnostics)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "specc",
                        "version": options.tool_version,
                        "semanticVersion": options.tool_version,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_result(d, index[d.code]) for d in diagnostics],
            }
        ],
    }


def _rules(diagnostics: list[Diagnostic]) -> list[dict[str, Any]]:
    """The registry's entry of each code the results use, in code order.

    Only the codes used, so that a clean run stays small; a code the registry lacks (which a
    test guards against) still gets a rule, so every result's ruleIndex resolves.
    """
    rules = []
    for name in sorted({d.code for d in diagnostics}):
        code = lookup(name)
        if code is None:
            first = next(d for d in diagnostics if d.code == name)
            code = Code(name, first.severity, name, first.message, first.hubspot_error)
        rules.append(_rule(code))
    return rules


def _rule(code: Code) -> dict[str, Any]:
    explanation = inspect.cleandoc(code.explanation)
    rule: dict[str, Any] = {
        "id": code.code,
        "shortDescription": {"text": code.title},
        "fullDescription": {"text": explanation},
        "help": {"text": explanation},
        "defaultConfiguration": {"level": LEVEL_BY_SEVERITY[code.severity]},
    }
    if code.hubspot_error:
        rule["properties"] = {"hubspotError": code.hubspot_error}
    return rule


def _result(d: Diagnostic, rule_index: int) -> dict[str, Any]:
    text = full_message(d)
    if d.hint:
        text += f"\nhint: {d.hint}"
    entry: dict[str, Any] = {
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": LEVEL_BY_SEVERITY[d.severity],
        "message": {"text": text},
    }
    place = primary_place(d)
    if place is not None:
        entry["locations"] = [_location(place)]
        related = _related_place(d, place)
        if related is not None:
            related_location = _location(related)
            related_location["id"] = 1
            related_location["message"] = {
                "text": "the column's mapping in the spec" if related.in_spec else "the data file"
            }
            entry["relatedLocations"] = [related_location]
    properties: dict[str, Any] = {}
    if d.hubspot_error:
        properties["hubspotError"] = d.hubspot_error
    if d.data is not None:
        data = d.to_json()["data"]
        properties["data"] = {k: v for k, v in data.items() if v is not None}
    if d.spec is not None and d.spec.pointer:
        properties["specPointer"] = d.spec.pointer
    if properties:
        entry["properties"] = properties
    return entry


def _related_place(d: Diagnostic, primary: Place) -> Place | None:
    if primary.in_spec:
        if d.data is not None:
            return Place(d.data.file, d.data.line, None, in_spec=False)
        return None
    if d.spec is not None:
        return Place(d.spec.file, d.spec.line, d.spec.column, in_spec=True)
    return None


def _location(place: Place) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": file_uri(place.file)}}
    if place.line is not None and place.line >= 1:
        region: dict[str, Any] = {"startLine": place.line}
        if place.column is not None and place.column >= 1:
            region["startColumn"] = place.column
        physical["region"] = region
    return {"physicalLocation": physical}


def file_uri(name: str) -> str:
    """A URI reference for a file name: relative names stay relative (code scanning resolves
    them against the repository root), absolute ones become file: URIs."""
    path = PurePath(name)
    if path.is_absolute():
        return path.as_uri()
    return quote(path.as_posix(), safe="/")
