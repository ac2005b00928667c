"""compile_request: each column kind, key order, bytes, and the documented HubSpot examples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from specc.compiler import compile_column, compile_request, request_json
from specc.spec.model import Association, Column, DataFile, SourceMap, Spec

ROOT = Path(__file__).resolve().parents[2]
DOCS = Path(__file__).resolve().parent / "hubspot-doc-examples"
# Which example folder reproduces which documented request.
DOCUMENTED = {
    "a-contacts-create.json": "contacts-create",
    "b-marketing-event-participants.json": "marketing-event-participants",
    "c-association-labels.json": "association-labels",
    "d-contact-company-two-files.json": "contact-company-two-files",
}


@pytest.mark.parametrize("doc", sorted(DOCUMENTED))
def test_examples_reproduce_hubspots_documented_requests(doc: str) -> None:
    documented = json.loads((DOCS / doc).read_text("utf-8"))
    golden = json.loads(
        (ROOT / "examples" / DOCUMENTED[doc] / "expected-request.json").read_text("utf-8")
    )
    assert golden == documented


def column(**kwargs: Any) -> Column:
    kwargs.setdefault("name", "C")
    kwargs.setdefault("pointer", "/files/0/columns/C")
    kwargs.setdefault("object_type_id", "0-1")
    return Column(**kwargs)


@pytest.mark.parametrize(
    ("col", "mapping"),
    [
        (
            column(property="firstname"),
            {"columnObjectTypeId": "0-1", "columnName": "C", "propertyName": "firstname"},
        ),
        (
            column(property="email", id=True),
            {
                "columnObjectTypeId": "0-1",
                "columnName": "C",
                "propertyName": "email",
                "columnType": "HUBSPOT_ALTERNATE_ID",
            },
        ),
        (
            column(property="hs_object_id", id=True),
            {
                "columnObjectTypeId": "0-1",
                "columnName": "C",
                "propertyName": "hs_object_id",
                "columnType": "HUBSPOT_OBJECT_ID",
            },
        ),
        (
            column(property="email", id=True, association_key=True),
            {
                "columnObjectTypeId": "0-1",
                "columnName": "C",
                "propertyName": "email",
                "columnType": "HUBSPOT_ALTERNATE_ID",
                "associationIdentifierColumn": True,
            },
        ),
        (
            column(property="firstname", standard=True),
            {
                "columnObjectTypeId": "0-1",
                "columnName": "C",
                "propertyName": "firstname",
                "columnType": "STANDARD",
            },
        ),
        (
            column(property="email", association_keys=True),
            {
                "columnObjectTypeId": "0-1",
                "columnName": "C",
                "propertyName": "email",
                "columnType": "ASSOCIATION_KEYS",
            },
        ),
        (
            column(
                object_type_id="0-2",
                references="0-1",
                association=Association(280, "HUBSPOT_DEFINED"),
            ),
            {
                "columnObjectTypeId": "0-2",
                "columnName": "C",
                "propertyName": None,
                "toColumnObjectTypeId": "0-1",
                "foreignKeyType": {
                    "associationTypeId": 280,
                    "associationCategory": "HUBSPOT_DEFINED",
                },
            },
        ),
        (
            column(label="0-2"),
            {
                "columnObjectTypeId": "0-1",
                "columnName": "C",
                "columnType": "FLEXIBLE_ASSOCIATION_LABEL",
                "toColumnObjectTypeId": "0-2",
            },
        ),
        (
            column(object_type_id="0-54", event="LEFT"),
            {
                "columnObjectTypeId": "0-54",
                "columnName": "C",
                "columnType": "EVENT_TIMESTAMP",
                "marketingEventSubmissionType": "LEFT",
            },
        ),
        (column(ignore=True), {"columnObjectTypeId": "0-1", "columnName": "C", "ignored": True}),
    ],
    ids=[
        "property",
        "alternate-id",
        "record-id",
        "association-key",
        "standard",
        "association-keys",
        "references",
        "label",
        "event",
        "ignore",
    ],
)
def test_each_column_kind(col: Column, mapping: dict[str, Any]) -> None:
    compiled = compile_column(col)
    assert compiled == mapping
    assert list(compiled) == list(mapping)  # key order too: it is the output's order


def minimal_spec(**kwargs: Any) -> Spec:
    data = DataFile(
        "/files/0",
        Path("/w/ä.csv"),
        "ä.csv",
        "ä.csv",
        "CSV",
        "0-1",
        True,
        (column(property="email", id=True),),
    )
    return Spec(Path("/w/s.yaml"), SourceMap("s.yaml"), "Ümlaut leads", files=(data,), **kwargs)


def test_top_level_key_order_and_optional_fields() -> None:
    request = compile_request(
        minimal_spec(
            operations={"0-1": "CREATE"},
            marketable=True,
            create_list=False,
            time_zone="Europe/Berlin",
            marketing_event=12,
        )
    )
    assert list(request) == [
        "name",
        "importOperations",
        "dateFormat",
        "marketableContactImport",
        "createContactListFromImport",
        "timeZone",
        "marketingEventObjectId",
        "files",
    ]
    bare = compile_request(minimal_spec())
    assert list(bare) == ["name", "dateFormat", "files"]  # dateFormat is always emitted


def test_request_json_is_stable_bytes() -> None:
    text = request_json(compile_request(minimal_spec()))
    assert text == request_json(compile_request(minimal_spec()))
    assert text.endswith("}\n") and "Ümlaut" in text and "\\u" not in text
    assert text.startswith('{\n  "name": ')
