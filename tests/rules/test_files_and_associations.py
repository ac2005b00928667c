"""Unit tests of the file rules (SPC220-SPC225) and association rules (SPC230-SPC247)."""

from __future__ import annotations

from dataclasses import replace

from rules_support import codes_of, col, csv_file, make_spec, only, small_catalog

from specc.diagnostics import Severity
from specc.rules import check_mapping
from specc.spec.model import Association


def run(*files, **kw):  # type: ignore[no-untyped-def]
    return check_mapping(make_spec(*files, **kw), small_catalog())


def contacts(index: int = 0, name: str = "contacts.csv", key: str = "Email", **kw):  # type: ignore[no-untyped-def]
    return csv_file(
        [col("First", "firstname"), col(key, "email", association_key=True, **kw)],
        name=name,
        index=index,
    )


def companies(index: int = 1, name: str = "companies.csv", ref: str = "Email", **kw):  # type: ignore[no-untyped-def]
    return csv_file(
        [
            col("Name", "name", obj="0-2"),
            col("Domain", "domain", obj="0-2", id=True),
            col(ref, None, obj="0-2", references="0-1", **kw),
        ],
        obj="0-2",
        name=name,
        index=index,
    )


# --- files ----------------------------------------------------------------------------------


def test_repeated_header_is_a_warning_at_the_second() -> None:
    file = csv_file([col("Email", "email", id=True), col("Email", None, ignore=True)])
    [d] = run(file)
    assert (d.code, d.severity) == ("SPC220", Severity.WARNING)


def test_two_files_with_one_name_is_an_error() -> None:
    found = run(contacts(0, "a/data.csv"), companies(1, "b/data.csv"))
    assert codes_of(found, Severity.ERROR) == ["SPC221"]


def test_format_must_follow_the_extension() -> None:
    file = csv_file([col("Email", "email", id=True)], name="data.csv", fmt="SPREADSHEET")
    [d] = run(file)
    assert (d.code, d.hubspot_error) == ("SPC222", "INVALID_FILE_TYPE")
    txt = csv_file([col("Email", "email", id=True)], name="data.txt", fmt="CSV")
    # With its format unknown (no `format:`) loading refuses a .txt file itself (SPC026):
    # nothing to add.
    assert run(replace(txt, format_known=False)) == []
    # Stated (`format: csv`, or a request's fileFormat, as the sandbox reads an upload).
    [d] = run(txt)
    assert d.code == "SPC222" and ".txt" in d.message
    assert run(csv_file([col("Email", "email", id=True)], name="DATA.XLSX")) == []


def test_a_thousand_columns_is_too_many() -> None:
    columns = [col("Email", "email", id=True)] + [
        col(f"c{n}", None, ignore=True) for n in range(998)
    ]
    assert run(csv_file(columns)) == []
    columns.append(col("last", None, ignore=True))
    assert codes_of(run(csv_file(columns))) == ["SPC223"]


def test_no_header_row_is_a_warning() -> None:
    [d] = run(csv_file([col("Email", "email", id=True)], has_header=False))
    assert (d.code, d.severity) == ("SPC224", Severity.WARNING)


def test_more_than_two_files_is_a_warning() -> None:
    third = csv_file(
        [
            col("Deal", "dealname", obj="0-3"),
            col("P", "pipeline", obj="0-3"),
            col("S", "dealstage", obj="0-3"),
        ],
        obj="0-3",
        name="deals.csv",
        index=2,
    )
    found = run(contacts(), companies(), third)
    assert [(d.code, d.severity) for d in only(found, "SPC225")] == [("SPC225", Severity.WARNING)]


# --- multi-file common columns --------------------------------------------------------------


def test_documented_two_file_import_is_clean() -> None:
    assert run(contacts(), companies()) == []


def test_references_without_a_file_of_the_object_is_an_error() -> None:
    [d] = run(companies(0))
    assert (d.code, d.severity) == ("SPC230", Severity.ERROR)


def test_references_needs_an_association_key_of_the_same_name() -> None:
    found = run(contacts(key="E-mail"), companies())
    assert "SPC231" in codes_of(found)
    [d] = only(found, "SPC231")
    assert "'E-mail'" in (d.hint or "")
    unmarked = csv_file(
        [col("First", "firstname"), col("Email", "email", id=True)], name="contacts.csv"
    )
    [d] = only(run(unmarked, companies()), "SPC231")
    assert "mark column 'Email'" in (d.hint or "")


def test_association_key_must_identify_the_owning_object() -> None:
    owner = csv_file(
        [col("Email", "email", id=True), col("First", "firstname", association_key=True)]
    )
    found = run(owner, companies(ref="First"))
    [d] = only(found, "SPC232")
    assert d.severity is Severity.ERROR and "'firstname'" in d.message


def test_record_id_as_association_key_is_fine() -> None:
    owner = csv_file(
        [col("Record ID", "hs_object_id", id=True, association_key=True), col("First", "firstname")]
    )
    assert run(owner, companies(ref="Record ID")) == []


def test_association_key_nobody_references_is_a_warning() -> None:
    found = run(
        contacts(),
        csv_file(
            [col("D", "domain", obj="0-2", id=True)], obj="0-2", name="companies.csv", index=1
        ),
    )
    assert [(d.code, d.severity) for d in only(found, "SPC233")] == [("SPC233", Severity.WARNING)]


def test_association_type_must_exist_for_the_pair() -> None:
    wrong = companies(association=Association(279, "HUBSPOT_DEFINED", explicit=True))
    [d] = only(run(contacts(), wrong), "SPC234")
    assert d.severity is Severity.ERROR
    assert "280" in (d.hint or "") and "279 is the type from contacts" in (d.hint or "")
    right = companies(association=Association(280, "HUBSPOT_DEFINED", explicit=True))
    assert "SPC234" not in codes_of(run(contacts(), right))
    primary = companies(association=Association(2, "HUBSPOT_DEFINED", explicit=True))
    assert "SPC234" not in codes_of(run(contacts(), primary))


def test_user_defined_association_type_is_only_info() -> None:
    labelled = companies(association=Association(77, "USER_DEFINED", explicit=True))
    [d] = only(run(contacts(), labelled), "SPC234")
    assert d.severity is Severity.INFO


# --- labels and same-object keys ------------------------------------------------------------


def test_label_between_two_objects_of_the_row_is_clean() -> None:
    file = csv_file(
        [
            col("Email", "email", id=True),
            col("Domain", "domain", obj="0-2", id=True),
            col("Label", None, label="0-2"),
        ]
    )
    assert run(file) == []


def test_label_to_the_same_object_is_an_error() -> None:
    file = csv_file([col("Email", "email", id=True), col("Label", None, label="0-1")])
    assert codes_of(run(file)) == ["SPC240"]


def test_label_to_an_object_absent_from_the_file_is_an_error() -> None:
    file = csv_file([col("Email", "email", id=True), col("Label", None, label="0-2")])
    [d] = run(file)
    assert d.code == "SPC241" and "companies (0-2)" in d.message


def test_association_keys_identify_records_of_the_same_object() -> None:
    file = csv_file(
        [col("Email", "email", id=True), col("Associated email", "email", association_keys=True)]
    )
    assert run(file) == []
    file = csv_file(
        [col("Email", "email", id=True), col("Associated phone", "phone", association_keys=True)]
    )
    assert codes_of(run(file)) == ["SPC242"]


def test_association_keys_of_another_object_is_an_error() -> None:
    file = csv_file(
        [
            col("Email", "email", id=True),
            col("Associated domain", "domain", obj="0-2", association_keys=True),
        ]
    )
    assert "SPC243" in codes_of(run(file))
    alone = csv_file([col("Associated email", "email", association_keys=True)])
    assert codes_of(run(alone)) == ["SPC243"]


# --- marketing events -----------------------------------------------------------------------


def events_file(*columns):  # type: ignore[no-untyped-def]
    return csv_file(
        [
            *columns,
            col("Registered", None, event="REGISTERED"),
            col("Attended", None, event="JOINED"),
        ]
    )


def test_event_columns_need_marketing_event() -> None:
    [d] = run(events_file(col("Email", "email", id=True)))
    assert (d.code, d.hubspot_error) == ("SPC245", "MISSING_EVENT_DEFINITION")
    assert run(events_file(col("Email", "email", id=True)), marketing_event=1) == []


def test_event_columns_need_contacts_email() -> None:
    [d] = only(run(events_file(col("First", "firstname")), marketing_event=1), "SPC246")
    assert d.severity is Severity.ERROR
    found = run(events_file(col("ID", "hs_object_id", id=True)), marketing_event=1)
    assert [(d.code, d.severity) for d in found] == [("SPC246", Severity.WARNING)]


def test_marketing_event_without_event_columns_is_a_warning() -> None:
    [d] = run(csv_file([col("Email", "email", id=True)]), marketing_event=1)
    assert (d.code, d.severity) == ("SPC247", Severity.WARNING)
