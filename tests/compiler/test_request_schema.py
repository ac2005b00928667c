"""The importRequest schema: HubSpot's documented requests pass, broken variants fail, and the
generated fast validator (specc/_request_validator.py) gives the same verdicts."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from specc import _request_validator
from specc.compiler import request_errors, request_is_valid
from specc.schemas import load_schema, schema_text

ROOT = Path(__file__).resolve().parents[2]
DOCS = Path(__file__).resolve().parent / "hubspot-doc-examples"
DOCUMENTED = sorted(DOCS.glob("*.json"))


def documented(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DOCS / name).read_text("utf-8"))
    return data


def test_the_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(load_schema("request"))


@pytest.mark.parametrize("path", DOCUMENTED, ids=[p.stem for p in DOCUMENTED])
def test_documented_requests_pass(path: Path) -> None:
    request = json.loads(path.read_text("utf-8"))
    assert request_errors(request) == []
    assert request_is_valid(request)


def mapping(request: dict[str, Any], file: int = 0, column: int = 0) -> dict[str, Any]:
    found: dict[str, Any] = request["files"][file]["fileImportPage"]["columnMappings"][column]
    return found


Breaker = Callable[[dict[str, Any]], None]

BROKEN: dict[str, tuple[str, Breaker]] = {
    "no name": ("a", lambda r: r.pop("name")),
    "empty name": ("a", lambda r: r.update(name="")),
    "no files": ("a", lambda r: r.pop("files")),
    "empty files": ("a", lambda r: r.update(files=[])),
    "unknown operation": ("a", lambda r: r["importOperations"].update({"0-1": "INSERT"})),
    "lower-case operation": ("a", lambda r: r["importOperations"].update({"0-1": "create"})),
    "bad operations key": ("a", lambda r: r["importOperations"].update({"0 1": "CREATE"})),
    "date format as a pattern": ("a", lambda r: r.update(dateFormat="DD/MM/YYYY")),
    "marketable as text": ("a", lambda r: r.update(marketableContactImport="true")),
    "event id as text": ("b", lambda r: r.update(marketingEventObjectId="377224141223")),
    "event columns without event id": ("b", lambda r: r.pop("marketingEventObjectId")),
    "file format XLSX": ("a", lambda r: r["files"][0].update(fileFormat="XLSX")),
    "file name without extension": ("a", lambda r: r["files"][0].update(fileName="leads")),
    "file name with a folder": ("a", lambda r: r["files"][0].update(fileName="exports/a.csv")),
    "no fileImportPage": ("a", lambda r: r["files"][0].pop("fileImportPage")),
    "no hasHeader": ("a", lambda r: r["files"][0]["fileImportPage"].pop("hasHeader")),
    "no mappings": ("a", lambda r: r["files"][0]["fileImportPage"].update(columnMappings=[])),
    "misspelt mappings": (
        "a",
        lambda r: r["files"][0]["fileImportPage"].update(
            columnMapping=r["files"][0]["fileImportPage"].pop("columnMappings")
        ),
    ),
    "unknown file key": ("a", lambda r: r["files"][0].update(sheet="Sheet1")),
    "mapping without columnName": ("a", lambda r: mapping(r).pop("columnName")),
    "mapping without object": ("a", lambda r: mapping(r).pop("columnObjectTypeId")),
    "bad object id": ("a", lambda r: mapping(r).update(columnObjectTypeId="0 1")),
    "property column without property": ("a", lambda r: mapping(r).pop("propertyName")),
    "property null on a property column": ("a", lambda r: mapping(r).update(propertyName=None)),
    "empty property": ("a", lambda r: mapping(r).update(propertyName="")),
    "misspelt propertyName": (
        "a",
        lambda r: mapping(r).update(propertyname=mapping(r).pop("propertyName")),
    ),
    "unknown column type": ("a", lambda r: mapping(r, 0, 2).update(columnType="UNIQUE_ID")),
    "event column without submission type": (
        "b",
        lambda r: mapping(r, 0, 3).pop("marketingEventSubmissionType"),
    ),
    "unknown submission type": (
        "b",
        lambda r: mapping(r, 0, 3).update(marketingEventSubmissionType="ATTENDED"),
    ),
    "submission type on a property column": (
        "b",
        lambda r: mapping(r, 0, 0).update(marketingEventSubmissionType="JOINED"),
    ),
    "event column with a property": (
        "b",
        lambda r: mapping(r, 0, 3).update(propertyName="hs_timestamp"),
    ),
    "label column without target": ("c", lambda r: mapping(r, 0, 2).pop("toColumnObjectTypeId")),
    "label column with a property": ("c", lambda r: mapping(r, 0, 2).update(propertyName="x")),
    "target without label or foreign key": (
        "c",
        lambda r: mapping(r, 0, 0).update(toColumnObjectTypeId="0-2"),
    ),
    "foreign key with a property": ("d", lambda r: mapping(r, 1, 2).update(propertyName="email")),
    "foreign key without category": (
        "d",
        lambda r: mapping(r, 1, 2)["foreignKeyType"].pop("associationCategory"),
    ),
    "foreign key category CUSTOM": (
        "d",
        lambda r: mapping(r, 1, 2)["foreignKeyType"].update(associationCategory="CUSTOM"),
    ),
    "foreign key type id as text": (
        "d",
        lambda r: mapping(r, 1, 2)["foreignKeyType"].update(associationTypeId="280"),
    ),
    "association identifier without property": (
        "d",
        lambda r: mapping(r, 0, 2).update(propertyName=None),
    ),
    "legacy id type unknown": ("e", lambda r: mapping(r, 0, 1).update(idColumnType="EMAIL")),
    "legacy object in lower case": (
        "e",
        lambda r: mapping(r, 0, 0).update(columnObjectType="contact"),
    ),
    "ignored as text": ("e", lambda r: mapping(r, 0, 0).update(ignored="no")),
    "too many columns": (
        "a",
        lambda r: r["files"][0]["fileImportPage"].update(columnMappings=[mapping(r)] * 1000),
    ),
}
BASES = {p.name[0]: p.name for p in DOCUMENTED}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_variants_fail_with_both_validators(name: str) -> None:
    base, breaker = BROKEN[name]
    request = copy.deepcopy(documented(BASES[base]))
    breaker(request)
    assert request_errors(request) != []
    assert not request_is_valid(request)


def test_the_generated_validator_is_built_from_this_schema() -> None:
    digest = hashlib.sha256(schema_text("request").encode("utf-8")).hexdigest()
    assert digest == _request_validator.SCHEMA_SHA256, "run tools/gen_request_validator.py"


def test_the_generated_validator_is_what_the_generator_writes_now() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "gen_request_validator", ROOT / "tools" / "gen_request_validator.py"
    )
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    current = (ROOT / "specc" / "_request_validator.py").read_text("utf-8")
    assert generator.generate() == current


def test_the_validator_never_changes_the_request() -> None:
    request = documented(BASES["e"])
    before = json.dumps(request, sort_keys=True)
    request_is_valid(request)
    assert json.dumps(request, sort_keys=True) == before  # no defaults filled in
