"""Unit tests of the operation rules (SPC210-SPC218)."""

from __future__ import annotations

from rules_support import codes_of, col, csv_file, make_spec, only, small_catalog

from specc.catalog.bundled import bundled_catalog
from specc.diagnostics import Severity
from specc.rules import check_mapping


def lint(*columns, snapshot=True, **kw):  # type: ignore[no-untyped-def]
    spec = make_spec(csv_file(list(columns)), **kw)
    return check_mapping(spec, small_catalog(snapshot=snapshot))


# --- identifiers ----------------------------------------------------------------------------


def test_update_without_identifier_is_an_error_at_the_operation() -> None:
    [d] = lint(col("Phone", "phone"), col("First", "firstname"), operations={"0-1": "UPDATE"})
    assert (d.code, d.severity) == ("SPC210", Severity.ERROR)
    assert d.spec is not None and d.spec.pointer == "/operations/0-1"
    assert "'email'" in (d.hint or "")


def test_update_by_record_id_email_or_unique_property_is_fine() -> None:
    for identifier in (
        col("ID", "hs_object_id", id=True),
        col("E", "email", id=True),
        col("M", "member_no", id=True),
    ):
        assert lint(identifier, col("Phone", "phone"), operations={"0-1": "UPDATE"}) == []


def test_unmarked_identifier_satisfies_update_with_a_hint_to_mark_it() -> None:
    [d] = lint(col("E", "email"), col("Phone", "phone"), operations={"0-1": "UPDATE"})
    assert (d.code, d.severity) == ("SPC211", Severity.INFO)
    assert "`id: true`" in (d.hint or "")


def test_update_of_an_object_the_catalog_lacks_is_a_warning() -> None:
    found = lint(col("Name", "pet_name", obj="2-5"), operations={"2-5": "UPDATE"})
    assert [(d.code, d.severity) for d in only(found, "SPC210")] == [("SPC210", Severity.WARNING)]
    found = lint(col("Key", "pet_key", obj="2-5", id=True), operations={"2-5": "UPDATE"})
    assert "SPC210" not in codes_of(found)


def test_upsert_without_identifier_is_a_warning_explicit_or_default() -> None:
    for operations in (None, {"0-1": "UPSERT"}):
        [d] = lint(col("First", "firstname"), col("Phone", "phone"), operations=operations)
        assert (d.code, d.severity) == ("SPC212", Severity.WARNING)
    assert "default" in lint(col("First", "firstname"))[0].message


def test_create_needs_no_identifier() -> None:
    assert lint(col("First", "firstname"), col("E", "email"), operations={"0-1": "CREATE"}) == []


# --- required properties --------------------------------------------------------------------


def test_create_without_required_properties_is_an_error() -> None:
    spec = make_spec(
        csv_file([col("Name", "dealname", obj="0-3"), col("A", "amount", obj="0-3")], obj="0-3"),
        operations={"0-3": "CREATE"},
    )
    [d] = check_mapping(spec, small_catalog())
    assert (d.code, d.severity) == ("SPC213", Severity.ERROR)
    assert "'pipeline' and 'dealstage'" in d.message


def test_create_with_one_of_a_group_is_enough() -> None:
    found = lint(col("Last", "lastname"), operations={"0-1": "CREATE"})
    assert [(d.code, d.severity) for d in found] == [("SPC214", Severity.WARNING)]  # no email
    [d] = lint(col("Phone", "phone"), operations={"0-1": "CREATE"})
    assert d.code == "SPC213" and "one of 'email', 'firstname' or 'lastname'" in d.message


def test_upsert_does_not_check_required_properties() -> None:
    spec = make_spec(
        csv_file(
            [col("ID", "hs_object_id", obj="0-3", id=True), col("A", "amount", obj="0-3")],
            obj="0-3",
        )
    )
    assert check_mapping(spec, small_catalog()) == []


def test_bundled_rules_apply_to_create() -> None:
    spec = make_spec(
        csv_file([col("Subject", "subject", obj="0-5")], obj="0-5"), operations={"0-5": "CREATE"}
    )
    [d] = check_mapping(spec, bundled_catalog())
    assert d.code == "SPC213" and "'hs_pipeline'" in d.message


# --- activities -----------------------------------------------------------------------------


def notes_spec(operations=None, *extra):  # type: ignore[no-untyped-def]
    columns = [
        col("Body", "hs_note_body", obj="0-46"),
        col("When", "hs_timestamp", obj="0-46"),
        col("Email", "email", obj="0-1", id=True),
        *extra,
    ]
    return make_spec(csv_file(columns, obj="0-46"), operations=operations)


def test_notes_created_with_a_contact_are_clean() -> None:
    assert check_mapping(notes_spec({"0-46": "CREATE", "0-1": "UPDATE"}), small_catalog()) == []
    assert check_mapping(notes_spec(), small_catalog()) == []


def test_update_of_notes_is_an_error_upsert_a_warning() -> None:
    [d] = check_mapping(notes_spec({"0-46": "UPDATE", "0-1": "UPDATE"}), small_catalog())
    assert (d.code, d.severity) == ("SPC215", Severity.ERROR)
    [d] = check_mapping(notes_spec({"0-46": "UPSERT", "0-1": "UPDATE"}), small_catalog())
    assert (d.code, d.severity) == ("SPC215", Severity.WARNING)


def test_record_id_of_notes_without_operations_is_a_warning() -> None:
    spec = notes_spec(None, col("Note ID", "hs_object_id", obj="0-46", id=True))
    found = check_mapping(spec, small_catalog())
    assert [(d.code, d.severity) for d in found] == [("SPC215", Severity.WARNING)]


def test_notes_without_an_associated_record_are_a_warning() -> None:
    spec = make_spec(
        csv_file(
            [col("Body", "hs_note_body", obj="0-46"), col("When", "hs_timestamp", obj="0-46")],
            obj="0-46",
        )
    )
    [d] = check_mapping(spec, small_catalog())
    assert (d.code, d.severity) == ("SPC216", Severity.WARNING)


def test_notes_missing_their_body_warn_without_create_and_fail_with_it() -> None:
    columns = [col("When", "hs_timestamp", obj="0-46"), col("Email", "email", id=True)]
    found = check_mapping(make_spec(csv_file(columns, obj="0-46")), small_catalog())
    assert [(d.code, d.severity) for d in found] == [("SPC213", Severity.WARNING)]
    found = check_mapping(
        make_spec(csv_file(columns, obj="0-46"), operations={"0-46": "CREATE", "0-1": "UPSERT"}),
        small_catalog(),
    )
    assert [(d.code, d.severity) for d in found] == [("SPC213", Severity.ERROR)]


def test_notes_without_activity_date_get_the_recommendation() -> None:
    columns = [col("Body", "hs_note_body", obj="0-46"), col("Email", "email", id=True)]
    found = check_mapping(make_spec(csv_file(columns, obj="0-46")), small_catalog())
    assert [(d.code, d.severity) for d in found] == [("SPC214", Severity.WARNING)]
    assert "'hs_timestamp'" in found[0].message


# --- operations and options -----------------------------------------------------------------


def test_operation_for_an_object_without_columns_is_a_warning() -> None:
    found = lint(col("E", "email", id=True), operations={"0-1": "UPSERT", "0-2": "UPDATE"})
    [d] = found
    assert (d.code, d.severity) == ("SPC217", Severity.WARNING)
    assert d.spec is not None and d.spec.pointer == "/operations/0-2"


def test_a_create_of_an_object_without_columns_misses_its_required_properties() -> None:
    """HubSpot checks each CREATE of importOperations for the object's required properties
    and refuses the request (400) when they are missing: with no column, they all are."""
    found = lint(col("E", "email", id=True), operations={"0-1": "UPSERT", "0-2": "CREATE"})
    assert [(d.code, d.severity) for d in found] == [
        ("SPC213", Severity.ERROR),
        ("SPC217", Severity.WARNING),
    ]
    assert "CREATE of companies (0-2) needs one of 'name' or 'domain'" in found[0].message
    assert all(d.spec is not None and d.spec.pointer == "/operations/0-2" for d in found)


def test_event_columns_use_the_marketing_events_object() -> None:
    spec = make_spec(
        csv_file([col("E", "email", id=True), col("Registered", None, event="REGISTERED")]),
        operations={"0-1": "UPSERT", "0-54": "CREATE"},
        marketing_event=42,
    )
    assert check_mapping(spec, small_catalog()) == []


def test_marketable_without_contacts_is_a_warning() -> None:
    spec = make_spec(csv_file([col("D", "domain", obj="0-2", id=True)], obj="0-2"), marketable=True)
    [d] = check_mapping(spec, small_catalog())
    assert (d.code, d.severity) == ("SPC218", Severity.WARNING)
    assert lint(col("E", "email", id=True), marketable=True, create_list=True) == []


def test_upsert_by_an_unmarked_unique_property_gets_the_note_email_does_not() -> None:
    assert lint(col("E", "email"), col("Phone", "phone")) == []
    [d] = lint(col("M", "member_no"), col("Phone", "phone"))
    assert (d.code, d.severity) == ("SPC211", Severity.INFO)
