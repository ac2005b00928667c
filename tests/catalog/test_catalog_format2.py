"""Format 2 snapshots: owners, pipelines and validation rules; absent means not known."""

from __future__ import annotations

import json
from pathlib import Path

from specc.catalog.model import Property
from specc.catalog.snapshot import parse_snapshot, snapshot_document, write_snapshot

CASE = Path(__file__).resolve().parent.parent / "cases" / "catalog" / "valid-format-2"


def test_format_2_loads_owners_pipelines_and_rules() -> None:
    catalog, found = parse_snapshot((CASE / "snapshot.json").read_text("utf-8"), "s.json")
    assert found == [] and catalog is not None
    (ada,) = catalog.owners or ()
    assert (ada.id, ada.email, ada.full_name, ada.user_id) == (
        "110",
        "ada@example.com",
        "Ada Lovelace",
        9001,
    )
    deals = catalog.object("0-3")
    assert deals is not None and deals.pipelines is not None
    (sales,) = deals.pipelines
    assert (sales.id, sales.label, [s.id for s in sales.stages]) == (
        "default",
        "Sales Pipeline",
        ["appointmentscheduled"],
    )
    assert deals.validation_rules == {}  # present and empty: the account has none
    contacts = catalog.object("0-1")
    assert contacts is not None and contacts.pipelines is None  # absent: not known
    rules = (contacts.validation_rules or {})["zip"]
    assert [(r.rule_type, r.arguments, r.normalize) for r in rules] == [
        ("REGEX", ("^[0-9]{5}$", "five digits"), False),
        ("MAX_LENGTH", ("5",), False),  # a hand-written number is the string HubSpot sends
    ]


def test_format_1_knows_none_of_them() -> None:
    text = '{"catalog": 1, "objects": [{"objectTypeId": "0-3", "name": "deals", "properties": []}]}'
    catalog, found = parse_snapshot(text, "s.json")
    assert found == [] and catalog is not None
    assert catalog.owners is None
    deals = catalog.object("0-3")
    assert deals is not None and deals.pipelines is None and deals.validation_rules is None


def test_empty_owners_means_none_rather_than_unknown() -> None:
    catalog, _ = parse_snapshot('{"catalog": 2, "owners": [], "objects": []}', "s.json")
    assert catalog is not None and catalog.owners == ()


def test_a_broken_pipeline_points_at_its_place() -> None:
    text = json.dumps(
        {
            "catalog": 2,
            "objects": [
                {
                    "objectTypeId": "0-3",
                    "name": "deals",
                    "properties": [],
                    "pipelines": [{"id": "default", "stages": []}],
                }
            ],
        },
        indent=1,
    )
    catalog, found = parse_snapshot(text, "s.json")
    assert catalog is None
    assert [d.code for d in found] == ["SPC353"]
    assert "'label' is a required property" in found[0].message
    assert found[0].spec is not None and found[0].spec.pointer == "/objects/0/pipelines/0"


def test_snapshot_property_knows_who_controls_the_options() -> None:
    def load(prop: dict[str, object]) -> Property:
        doc = {
            "catalog": 2,
            "objects": [{"objectTypeId": "0-8", "name": "line_items", "properties": [prop]}],
        }
        catalog, _ = parse_snapshot(json.dumps(doc), "s.json")
        assert catalog is not None
        found = catalog.property("0-8", str(prop["name"]))
        assert found is not None
        return found

    fixed = load(
        {
            "name": "a",
            "type": "enumeration",
            "fieldType": "select",
            "modificationMetadata": {"readOnlyOptions": True},
        }
    )
    editable = load({"name": "b", "type": "enumeration", "fieldType": "select"})
    flag = load({"name": "c", "type": "bool", "fieldType": "booleancheckbox"})
    money = load(
        {"name": "price", "type": "number", "fieldType": "number", "showCurrencySymbol": True}
    )
    term = load({"name": "hs_recurring_billing_period", "type": "string", "fieldType": "text"})
    assert [p.options_editable for p in (fixed, editable, flag)] == [False, True, False]
    assert money.show_currency_symbol is True
    assert term.value_format == "term"


def test_pull_writes_format_2_and_leaves_out_what_it_did_not_pull(tmp_path: Path) -> None:
    objects = [
        {
            "objectTypeId": "0-1",
            "name": "contacts",
            "properties": [],
            "validationRules": [
                {"propertyName": "zip", "propertyValidationRules": []},
                {"propertyName": "age", "propertyValidationRules": []},
            ],
        }
    ]
    owners = [{"id": "20", "archived": False}, {"id": "3", "archived": False}]
    doc = snapshot_document(objects, 1, "2026-12-06T10:00:00Z", owners=owners)
    assert doc["catalog"] == 2
    assert [o["id"] for o in doc["owners"]] == ["3", "20"]
    assert [r["propertyName"] for r in doc["objects"][0]["validationRules"]] == ["age", "zip"]
    assert "pipelines" not in doc["objects"][0]
    assert "owners" not in snapshot_document(objects, 1, "2026-12-06T10:00:00Z")
    path = tmp_path / "catalog.json"
    write_snapshot(doc, path)
    catalog, found = parse_snapshot(path.read_text("utf-8"), "catalog.json")
    assert (
        found == [] and catalog is not None and [o.id for o in catalog.owners or ()] == ["3", "20"]
    )
