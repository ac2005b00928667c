"""diff_requests on pairs of requests: what HubSpot reads differently is listed, in the spec's
terms; what it reads alike (legacy names, defaults, null or absent, file order) is not."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from specc.diff import Change, change_line, diff_requests, differ, import_request
from specc.errors import SpeccError

ROOT = Path(__file__).resolve().parents[2]
TWO_FILES = json.loads(
    (ROOT / "examples/contact-company-two-files/expected-request.json").read_text()
)

LEADS: dict[str, Any] = {
    "name": "Leads",
    "importOperations": {"0-1": "CREATE"},
    "dateFormat": "DAY_MONTH_YEAR",
    "files": [
        {
            "fileName": "leads.csv",
            "fileFormat": "CSV",
            "fileImportPage": {
                "hasHeader": True,
                "columnMappings": [
                    {
                        "columnObjectTypeId": "0-1",
                        "columnName": "First Name",
                        "propertyName": "firstname",
                    },
                    {
                        "columnObjectTypeId": "0-1",
                        "columnName": "Email",
                        "propertyName": "email",
                        "columnType": "HUBSPOT_ALTERNATE_ID",
                    },
                ],
            },
        }
    ],
}


def leads(**top: Any) -> dict[str, Any]:
    request = copy.deepcopy(LEADS)
    request.update(top)
    return request


def columns(request: dict[str, Any], index: int = 0) -> list[dict[str, Any]]:
    mappings: list[dict[str, Any]] = request["files"][index]["fileImportPage"]["columnMappings"]
    return mappings


def lines(before: Any, after: Any) -> list[str]:
    return [change_line(c) for c in diff_requests(before, after)]


def test_the_same_request_has_no_change() -> None:
    assert diff_requests(LEADS, copy.deepcopy(LEADS)) == []
    assert diff_requests(TWO_FILES, copy.deepcopy(TWO_FILES)) == []


def test_a_column_mapped_to_another_property() -> None:
    after = leads()
    columns(after)[1]["propertyName"] = "hs_email_optout"
    (change,) = diff_requests(LEADS, after)
    assert change == Change(
        "changed",
        "property",
        "email",
        "hs_email_optout",
        file="leads.csv",
        column="Email",
        where="/files/0/fileImportPage/columnMappings/1",
    )
    assert change_line(change) == '~ leads.csv: column "Email": property email -> hs_email_optout'


def test_a_column_mapped_to_another_object() -> None:
    after = leads()
    columns(after)[0]["columnObjectTypeId"] = "0-2"
    assert lines(LEADS, after) == ['~ leads.csv: column "First Name": object contacts -> companies']


def test_an_added_and_a_removed_column() -> None:
    after = leads()
    columns(after).insert(
        1, {"columnObjectTypeId": "0-1", "columnName": "Phone", "propertyName": "phone"}
    )
    assert lines(LEADS, after) == ['+ leads.csv: column "Phone": property phone of contacts']
    assert lines(after, LEADS) == ['- leads.csv: column "Phone": property phone of contacts']
    (added,) = diff_requests(LEADS, after)
    assert added.kind == "added" and added.after == {"object": "0-1", "property": "phone"}


def test_a_changed_operation() -> None:
    after = leads(importOperations={"0-1": "UPDATE"})
    (change,) = diff_requests(LEADS, after)
    assert (change.field, change.object, change.before, change.after) == (
        "operation",
        "0-1",
        "CREATE",
        "UPDATE",
    )
    assert change_line(change) == "~ operation of contacts CREATE -> UPDATE"


def test_missing_operations_are_upsert_for_every_object() -> None:
    before = leads()
    del before["importOperations"]
    assert diff_requests(before, leads(importOperations={"0-1": "UPSERT"})) == []
    assert diff_requests(before, leads(importOperations={"contacts": "upsert"})) == []
    (change,) = diff_requests(before, LEADS)
    assert (change.before, change.after) == ("UPSERT", "CREATE")


def test_defaults_written_out_or_left_out_are_the_same() -> None:
    before = leads()
    del before["dateFormat"]
    del before["files"][0]["fileFormat"]
    del before["files"][0]["fileImportPage"]["hasHeader"]
    after = leads(dateFormat="MONTH_DAY_YEAR")
    assert diff_requests(before, after) == []
    assert lines(before, leads()) == ["~ date_format MONTH_DAY_YEAR -> DAY_MONTH_YEAR"]


def test_a_legacy_request_equals_the_modern_one() -> None:
    """columnObjectType names, idColumnType, explicit null and false: how older clients (and
    HubSpot's legacy docs) write the same request."""
    legacy = copy.deepcopy(TWO_FILES)
    legacy["importOperations"] = {}
    for entry in legacy["files"]:
        for m in columns(legacy, legacy["files"].index(entry)):
            m["columnObjectType"] = {"0-1": "CONTACT", "0-2": "COMPANY"}[
                m.pop("columnObjectTypeId")
            ]
            if "toColumnObjectTypeId" in m:
                m["toColumnObjectTypeId"] = {"0-1": "contact", "0-2": "company"}[
                    m["toColumnObjectTypeId"]
                ]
            m["idColumnType"] = m.pop("columnType", None)
            m.setdefault("ignored", False)
            m.setdefault("foreignKeyType", None)
            m.setdefault("associationIdentifierColumn", False)
            m.setdefault("propertyName", None)
    assert diff_requests(TWO_FILES, legacy) == []
    assert diff_requests(legacy, TWO_FILES) == []


def test_null_absent_and_false_flags_are_the_same() -> None:
    after = leads(createContactListFromImport=False, timeZone=None)
    columns(after)[0].update(associationIdentifierColumn=None, ignored=False, foreignKeyType=None)
    columns(after)[1]["associationIdentifierColumn"] = False
    assert diff_requests(LEADS, after) == []


def test_marketable_false_is_not_the_same_as_leaving_it_out() -> None:
    # HubSpot documents no default for marketableContactImport: only null reads as absent.
    assert diff_requests(LEADS, leads(marketableContactImport=None)) == []
    assert lines(LEADS, leads(marketableContactImport=False)) == ["~ marketable not set -> false"]


def test_standard_column_type_is_no_column_type() -> None:
    after = leads()
    columns(after)[0]["columnType"] = "STANDARD"
    assert diff_requests(LEADS, after) == []


def test_reordered_files_are_the_same() -> None:
    after = copy.deepcopy(TWO_FILES)
    after["files"].reverse()
    assert diff_requests(TWO_FILES, after) == []


def test_reordered_columns_are_listed_as_moved() -> None:
    after = leads()
    columns(after).reverse()
    (change,) = diff_requests(LEADS, after)
    assert (change.field, change.column, change.before, change.after) == (
        "position",
        "Email",
        2,
        1,
    )
    assert differ([change])


def test_an_added_column_does_not_make_the_others_moved() -> None:
    after = leads()
    columns(after).insert(
        0, {"columnObjectTypeId": "0-1", "columnName": "Id", "propertyName": "hs_object_id"}
    )
    assert [c.field for c in diff_requests(LEADS, after)] == ["column"]


def test_repeated_column_names_are_matched_by_position() -> None:
    before = leads()
    columns(before).append(
        {"columnObjectTypeId": "0-1", "columnName": "Email", "propertyName": "work_email"}
    )
    after = copy.deepcopy(before)
    columns(after)[2]["propertyName"] = "hs_additional_emails"
    (change,) = diff_requests(before, after)
    assert (change.column, change.occurrence, change.before) == ("Email", 2, "work_email")
    assert change_line(change) == (
        '~ leads.csv: column "Email" (#2): property work_email -> hs_additional_emails'
    )


def test_identifier_changes() -> None:
    after = leads()
    columns(after)[1].pop("columnType")
    columns(after)[0]["columnType"] = "HUBSPOT_OBJECT_ID"
    assert lines(LEADS, after) == [
        '~ leads.csv: column "First Name": identifier none -> HUBSPOT_OBJECT_ID',
        '~ leads.csv: column "Email": identifier HUBSPOT_ALTERNATE_ID -> none',
    ]


def test_association_changes() -> None:
    after = copy.deepcopy(TWO_FILES)
    email = columns(after, 1)[2]
    email["foreignKeyType"] = {"associationTypeId": 279, "associationCategory": "USER_DEFINED"}
    email["toColumnObjectTypeId"] = "0-3"
    columns(after, 0)[2]["associationIdentifierColumn"] = False
    assert lines(TWO_FILES, after) == [
        '~ contact-import-file.csv: column "Email": association_key true -> false',
        '~ company-import-file.csv: column "Email": references contacts -> deals',
        '~ company-import-file.csv: column "Email": association type 280 HUBSPOT_DEFINED '
        "-> type 279 USER_DEFINED",
    ]


def test_label_event_and_ignored_columns() -> None:
    before = leads()
    columns(before).append(
        {
            "columnObjectTypeId": "0-1",
            "columnName": "Label",
            "columnType": "FLEXIBLE_ASSOCIATION_LABEL",
            "toColumnObjectTypeId": "0-2",
        }
    )
    columns(before).append(
        {
            "columnObjectTypeId": "0-54",
            "columnName": "Joined",
            "columnType": "EVENT_TIMESTAMP",
            "marketingEventSubmissionType": "JOINED",
        }
    )
    after = copy.deepcopy(before)
    columns(after)[2]["toColumnObjectTypeId"] = "0-3"
    columns(after)[3]["marketingEventSubmissionType"] = "LEFT"
    columns(after)[0]["ignored"] = True
    assert lines(before, after) == [
        '~ leads.csv: column "First Name": ignore false -> true',
        '~ leads.csv: column "First Name": object contacts -> none',
        '~ leads.csv: column "First Name": property firstname -> none',
        '~ leads.csv: column "Label": label companies -> deals',
        '~ leads.csv: column "Joined": event JOINED -> LEFT',
    ]


def test_an_ignored_column_is_ignored_whatever_it_maps() -> None:
    before, after = leads(), leads()
    columns(before)[0]["ignored"] = True
    columns(after)[0] = {"columnName": "First Name", "ignored": True}
    assert diff_requests(before, after) == []


def test_files_added_removed_and_their_format() -> None:
    after = copy.deepcopy(TWO_FILES)
    after["files"][0]["fileFormat"] = "SPREADSHEET"
    after["files"][0]["fileImportPage"]["hasHeader"] = False
    removed = after["files"].pop(1)
    assert lines(TWO_FILES, after) == [
        "~ contact-import-file.csv: format CSV -> SPREADSHEET",
        "~ contact-import-file.csv: has_header true -> false",
        '- company-import-file.csv: file removed, columns "Company name", '
        '"Company domain name", "Email"',
    ]
    assert [c.kind for c in diff_requests(after, TWO_FILES)] == [
        "changed",
        "changed",
        "added",
    ]
    assert removed["fileName"] == "company-import-file.csv"


def test_a_renamed_file_is_paired_by_its_columns_and_a_new_name_is_minor() -> None:
    after = leads(name="Leads 2026-12")
    after["files"][0]["fileName"] = "leads-2026-12.csv"
    changes = diff_requests(LEADS, after)
    assert [change_line(c) for c in changes] == [
        '~ name "Leads" -> "Leads 2026-12" (minor)',
        '~ leads-2026-12.csv: file name "leads.csv" -> "leads-2026-12.csv" (minor)',
    ]
    assert not differ(changes)
    columns(after)[1]["propertyName"] = "hs_email"
    assert differ(diff_requests(LEADS, after))


def test_import_request_json_as_text_is_read() -> None:
    assert diff_requests(json.dumps(LEADS), LEADS) == []


@pytest.mark.parametrize(
    "garbage",
    [
        None,
        [],
        "not json",
        {"files": "x"},
        {"files": [1, None, {"fileImportPage": []}]},
        {"importOperations": [1], "files": [{"fileImportPage": {"columnMappings": [7, {}]}}]},
    ],
)
def test_any_json_is_compared_without_failing(garbage: Any) -> None:
    assert diff_requests(garbage, copy.deepcopy(garbage)) == []
    assert differ(diff_requests(garbage, LEADS))


def test_names_with_line_breaks_stay_on_one_line() -> None:
    after = leads()
    columns(after)[0]["columnName"] = "Evil\n::error::pwned"
    for line in lines(LEADS, after):
        assert "\n" not in line and not line.startswith("::")
    assert '"Evil\\n::error::pwned"' in "\n".join(lines(LEADS, after))


def test_the_request_of_a_past_import_as_object_or_text() -> None:
    assert import_request({"id": "7", "importRequestJson": LEADS}, "7") == LEADS
    assert import_request({"id": "7", "importRequestJson": json.dumps(LEADS)}, "7") == LEADS
    with pytest.raises(SpeccError, match="import 7 has no importRequestJson to compare with"):
        import_request({"id": "7", "state": "DONE"}, "7")
    with pytest.raises(SpeccError, match="its importRequestJson is not a request"):
        import_request({"importRequestJson": "[" * 1000 + "]" * 1000}, "7")
