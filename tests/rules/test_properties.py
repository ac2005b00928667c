"""Unit tests of the property rules (SPC200-SPC206) on specs and catalogs built in code."""

from __future__ import annotations

from rules_support import codes_of, col, csv_file, make_spec, only, small_catalog

from specc.catalog.bundled import bundled_catalog
from specc.diagnostics import Severity
from specc.rules import check_mapping


def lint(*columns, snapshot=True, **kw):  # type: ignore[no-untyped-def]
    spec = make_spec(csv_file(list(columns)), **kw)
    return check_mapping(spec, small_catalog(snapshot=snapshot))


def test_clean_contacts_mapping_has_no_diagnostics() -> None:
    found = lint(col("Email", "email", id=True), col("First", "firstname"), col("Last", "lastname"))
    assert found == []


def test_unknown_property_is_an_error_with_a_snapshot_and_suggests_the_name() -> None:
    [d] = only(lint(col("Email", "email", id=True), col("X", "emial")), "SPC200")
    assert d.severity is Severity.ERROR
    assert d.hubspot_error == "PROPERTY_DEFINITION_NOT_FOUND"
    assert "'email'" in (d.hint or "")
    assert d.spec is not None and d.spec.pointer == "/files/0/columns/X"


def test_unknown_property_is_a_warning_with_the_bundled_catalog() -> None:
    [d] = only(
        lint(col("Email", "email", id=True), col("X", "my_custom"), snapshot=False), "SPC200"
    )
    assert d.severity is Severity.WARNING
    assert "account" in (d.hint or "")


def test_a_label_typed_for_a_name_is_an_error_naming_the_internal_name() -> None:
    for snapshot in (True, False):
        [d] = only(
            lint(col("Email", "email", id=True), col("F", "First Name"), snapshot=snapshot),
            "SPC200",
        )
        assert d.severity is Severity.ERROR  # with the bundled catalog too
        assert "label" in d.message and "'firstname'" in (d.hint or "")
    [d] = only(
        lint(col("Email", "email", id=True), col("F", "first name"), snapshot=False), "SPC200"
    )
    assert d.severity is Severity.ERROR and "'firstname'" in (d.hint or "")


def test_a_name_with_whitespace_is_an_error_everywhere() -> None:
    [d] = only(
        lint(col("Email", "email", id=True), col("S", "Shoe Size"), snapshot=False), "SPC200"
    )
    assert d.severity is Severity.ERROR
    assert "whitespace" in d.message and "'shoe_size'" in (d.hint or "")


def test_unknown_property_of_a_partly_known_object_is_a_note() -> None:
    spec = make_spec(
        csv_file(
            [
                col("Name", "hs_order_name", obj="0-123"),
                col("X", "hs_order_discount_code", obj="0-123"),
            ]
        )
    )
    found = check_mapping(spec, bundled_catalog())
    [d] = only(found, "SPC200")
    assert d.severity is Severity.INFO
    assert bundled_catalog().object("0-123").properties_complete is False  # type: ignore[union-attr]


def test_property_of_another_object_names_it() -> None:
    [d] = only(lint(col("Email", "email", id=True), col("Deal", "dealname")), "SPC201")
    assert "deals (0-3)" in d.message
    assert "`object: deals`" in (d.hint or "")
    assert d.severity is Severity.ERROR
    assert (
        codes_of(
            lint(col("Email", "email", id=True), col("Deal", "dealname"), snapshot=False),
            Severity.ERROR,
        )
        == []
    )


def test_object_missing_from_the_catalog_is_reported_once_as_info() -> None:
    found = lint(col("A", "x", obj="2-999"), col("B", "y", obj="2-999"), snapshot=False)
    assert codes_of(found) == ["SPC202", "SPC212"]
    assert found[0].severity is Severity.INFO
    found = lint(col("A", "x", obj="2-999"), col("B", "hs_object_id", obj="2-999", id=True))
    assert [(d.code, d.severity) for d in found] == [("SPC202", Severity.WARNING)]


def test_read_only_and_calculated_properties_are_errors() -> None:
    found = lint(
        col("Email", "email", id=True), col("N", "num_notes"), col("S", "hs_analytics_score")
    )
    assert codes_of(found) == ["SPC203", "SPC203"]
    assert "read-only" in found[0].message and "calculated" in found[1].message


def test_record_id_as_identifier_is_not_a_write() -> None:
    assert (
        lint(
            col("Record ID", "hs_object_id", id=True),
            col("Phone", "phone"),
            operations={"0-1": "UPDATE"},
        )
        == []
    )


def test_unknown_writability_says_nothing() -> None:
    assert lint(col("Email", "email", id=True), col("M", "mystery")) == []


def test_record_id_without_id_is_an_error_pointing_at_the_id_mapping() -> None:
    found = lint(col("Record ID", "hs_object_id"), col("Phone", "phone"))
    assert [(d.code, d.severity) for d in found] == [("SPC206", Severity.ERROR)]
    assert found[0].hubspot_error == "FAILED_VALIDATION"
    assert "{property: hs_object_id, id: true}" in (found[0].hint or "")


def test_id_on_a_property_that_identifies_nothing_is_an_error() -> None:
    [d] = only(lint(col("Phone", "phone", id=True), col("Email", "email")), "SPC204")
    assert d.severity is Severity.ERROR
    assert "'email'" in (d.hint or "") and "'hs_object_id'" in (d.hint or "")


def test_id_on_a_unique_property_is_fine() -> None:
    assert lint(col("No", "member_no", id=True), col("Email", "email", id=True)) == []


def test_id_on_a_property_the_bundle_does_not_know_is_not_flagged() -> None:
    found = lint(col("Key", "my_unique_key", id=True), snapshot=False)
    assert codes_of(found) == ["SPC200"]  # the unknown property warning, nothing about `id`


def test_property_mapped_twice_in_one_file_is_an_error() -> None:
    [d] = only(
        lint(col("Email", "email", id=True), col("Phone", "phone"), col("Phone 2", "phone")),
        "SPC205",
    )
    assert "'Phone' and 'Phone 2'" in d.message
    assert d.spec is not None and d.spec.pointer == "/files/0/columns/Phone 2"


def test_same_property_of_two_objects_is_not_mapped_twice() -> None:
    found = lint(
        col("Name", "name", obj="0-2"),
        col("Other", "name", obj="0-2"),
        col("Email", "email", id=True),
    )
    assert codes_of(found).count("SPC205") == 1
    found = lint(
        col("Company", "name", obj="0-2"),
        col("Email", "email", id=True),
        col("Domain", "domain", obj="0-2", id=True),
        col("Deal", "dealname", obj="0-3"),
    )
    assert "SPC205" not in codes_of(found)


def test_bundled_catalog_knows_default_properties() -> None:
    spec = make_spec(
        csv_file(
            [
                col("Email", "email", id=True),
                col("First", "firstname"),
                col("Created", "createdate"),
                col("Owner", "hubspot_owner_id"),
            ]
        )
    )
    found = check_mapping(spec, bundled_catalog())
    assert codes_of(found, Severity.ERROR) == [], found
