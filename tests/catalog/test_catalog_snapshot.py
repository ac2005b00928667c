"""What a snapshot's content means (spec-format.md, "Catalog snapshots")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from specc.catalog.snapshot import load_snapshot, parse_snapshot, snapshot_property

CASES = Path(__file__).resolve().parent.parent / "cases" / "catalog"


def prop(**fields: Any) -> dict[str, Any]:
    return {"name": "p", "type": "string", "fieldType": "text", **fields}


def test_missing_read_only_means_writable() -> None:
    assert snapshot_property(prop()).read_only is False
    assert snapshot_property(prop(modificationMetadata={})).read_only is False
    assert snapshot_property(prop(modificationMetadata={"readOnlyValue": True})).read_only is True
    assert snapshot_property(prop(modificationMetadata={"readOnlyValue": None})).read_only is None


def test_enumeration_options_are_complete() -> None:
    p = snapshot_property(
        prop(type="enumeration", fieldType="select", options=[{"label": "A", "value": "a"}])
    )
    assert p.options_complete and p.options_listed_complete
    assert p.options[0].label == "A" and p.options[0].value == "a" and not p.options[0].hidden


def test_external_options_without_options_are_not_complete() -> None:
    owner = snapshot_property(
        prop(
            type="enumeration",
            fieldType="select",
            externalOptions=True,
            options=[],
            referencedObjectType="OWNER",
        )
    )
    assert not owner.options_complete and owner.external_options
    assert owner.referenced_object_type == "OWNER"


def test_external_options_that_are_listed_are_complete() -> None:
    stages = snapshot_property(
        prop(
            type="enumeration",
            fieldType="radio",
            externalOptions=True,
            options=[{"label": "Lead", "value": "lead"}],
        )
    )
    assert stages.options_complete


def test_bool_options_are_never_complete() -> None:
    flag = snapshot_property(
        prop(
            type="bool",
            fieldType="booleancheckbox",
            options=[{"label": "Yes", "value": "true"}, {"label": "No", "value": "false"}],
        )
    )
    assert not flag.options_complete


def test_unknown_fields_are_kept_and_ignored() -> None:
    raw = prop(groupName="g", displayOrder=3, somethingNew={"x": 1})
    p = snapshot_property(raw)
    assert p.raw["somethingNew"] == {"x": 1}


def test_hints_and_uniqueness() -> None:
    p = snapshot_property(
        prop(hasUniqueValue=True, textDisplayHint="email", numberDisplayHint=None, calculated=True)
    )
    assert p.has_unique_value and p.calculated and p.text_display_hint == "email"


def test_custom_object_from_a_snapshot() -> None:
    catalog, found = load_snapshot(CASES / "valid-custom-object" / "snapshot.json", "cat.json")
    assert found == [] and catalog is not None
    pets = catalog.object("2-1234567")
    assert pets is not None and pets.name == "pets"
    assert pets.required.all_of == ("pet_name",)
    assert "snapshot" in pets.required.source
    assert pets.identifiers() == {"hs_object_id", "chip_id"}
    species = pets.properties["species"]
    assert species.options_complete and [o.value for o in species.options] == ["dog", "cat"]
    assert not pets.properties["hubspot_owner_id"].options_complete


def test_standard_object_without_required_properties_keeps_the_documented_rule() -> None:
    catalog, _ = load_snapshot(CASES / "valid-custom-object" / "snapshot.json", "cat.json")
    deals = catalog.object("0-3")  # type: ignore[union-attr]
    assert deals is not None
    assert set(deals.required.all_of) == {"dealname", "pipeline", "dealstage"}
    assert catalog.property("0-3", "amount").number_display_hint == "currency"  # type: ignore[union-attr]


def test_snapshot_required_properties_win_over_the_documented_rule() -> None:
    catalog, _ = load_snapshot(CASES / "valid-minimal" / "snapshot.json", "cat.json")
    contacts = catalog.object("0-1")  # type: ignore[union-attr]
    assert contacts is not None
    assert contacts.required.all_of == ("email",) and contacts.required.one_of == ()
    assert contacts.alternate_ids == ("email",)
    assert catalog.object("0-2") is None  # type: ignore[union-attr]


def test_empty_snapshot_is_a_catalog_of_nothing() -> None:
    catalog, found = parse_snapshot('{"catalog": 1, "objects": []}', "c.json")
    assert found == [] and catalog is not None and catalog.is_snapshot
    assert catalog.object("0-1") is None


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_bytes(b'\xef\xbb\xbf{"catalog": 1, "objects": []}')
    catalog, found = load_snapshot(path, "c.json")
    assert catalog is not None and found == []


@pytest.mark.parametrize("version", ["3", '"1"', '"2"', "0", "1.5"])
def test_other_versions_are_refused(version: str) -> None:
    catalog, found = parse_snapshot(f'{{"catalog": {version}, "objects": []}}', "c.json")
    assert catalog is None
    assert [d.code for d in found] == ["SPC354"]


def test_boolean_version_is_a_format_error() -> None:
    catalog, found = parse_snapshot('{"catalog": true, "objects": []}', "c.json")
    assert catalog is None and [d.code for d in found] == ["SPC353"]


def test_many_format_errors_are_capped() -> None:
    props = ",".join(f'{{"name": "p{i}"}}' for i in range(40))
    text = (
        '{"catalog": 1, "objects": [{"objectTypeId": "0-1", "name": "contacts", '
        f'"properties": [{props}]}}]}}'
    )
    catalog, found = parse_snapshot(text, "c.json")
    assert catalog is None
    assert len(found) == 21 and "more format errors" in found[-1].message


def test_catalog_schema_is_a_valid_2020_12_schema() -> None:
    from jsonschema import Draft202012Validator

    from specc.schemas import load_schema

    schema = load_schema("catalog")
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"].endswith("2020-12/schema")


def test_the_spec_format_example_is_a_valid_snapshot() -> None:
    """spec-format.md's "Catalog snapshots" example, verbatim."""
    text = """{
      "catalog": 1,
      "portalId": 12345678,
      "pulledAt": "2026-11-29T10:00:00Z",
      "objects": [
        {
          "objectTypeId": "0-1",
          "name": "contacts",
          "requiredProperties": ["email"],
          "properties": [
            {"name": "email", "label": "Email", "type": "string", "fieldType": "text",
             "hasUniqueValue": false, "modificationMetadata": {"readOnlyValue": false}}
          ]
        }
      ]
    }"""
    catalog, found = parse_snapshot(text, "c.json")
    assert found == [] and catalog is not None
