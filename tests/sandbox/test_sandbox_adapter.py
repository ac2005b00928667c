"""spec_from_request: HubSpot's importRequest read back into specc's resolved Spec."""

from __future__ import annotations

from pathlib import Path

from specc.sandbox import spec_from_request
from specc.spec.model import Association


def test_a_single_file_contacts_create(tmp_path: Path) -> None:
    stored = tmp_path / "0-leads.csv"
    request = {
        "name": "November event leads",
        "importOperations": {"0-1": "CREATE"},
        "dateFormat": "DAY_MONTH_YEAR",
        "marketableContactImport": True,
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
                            "columnObjectTypeId": "contact",
                            "columnName": "Email",
                            "propertyName": "email",
                            "columnType": "HUBSPOT_ALTERNATE_ID",
                        },
                    ],
                },
            }
        ],
    }
    spec = spec_from_request(request, {"leads.csv": stored})
    assert spec.name == "November event leads"
    assert spec.operations == {"0-1": "CREATE"}
    assert spec.operation("0-1") == "CREATE" and spec.operation("0-2") == "UPSERT"
    assert spec.date_format == "DAY_MONTH_YEAR"
    assert spec.marketable is True
    (data_file,) = spec.files
    assert data_file.path == stored
    assert data_file.file_name == data_file.shown_path == "leads.csv"
    assert data_file.format == "CSV" and data_file.has_header
    assert data_file.object_type_id == "0-1"
    first, email = data_file.columns
    assert (first.name, first.property, first.object_type_id, first.id) == (
        "First Name",
        "firstname",
        "0-1",
        False,
    )
    assert (email.object_type_id, email.id, email.is_property) == ("0-1", True, True)
    assert email.pointer == "/files/0/fileImportPage/columnMappings/1"
    assert spec.where(email.pointer).pointer == email.pointer


def test_the_docs_multi_file_common_column() -> None:
    request = {
        "name": "Contact Company import",
        "files": [
            {
                "fileName": "contact-import-file.csv",
                "fileImportPage": {
                    "hasHeader": True,
                    "columnMappings": [
                        {
                            "columnObjectTypeId": "0-1",
                            "columnName": "Email",
                            "propertyName": "email",
                            "associationIdentifierColumn": True,
                        }
                    ],
                },
            },
            {
                "fileName": "company-import-file.csv",
                "fileImportPage": {
                    "hasHeader": True,
                    "columnMappings": [
                        {
                            "columnObjectTypeId": "0-2",
                            "toColumnObjectTypeId": "0-1",
                            "columnName": "Email",
                            "propertyName": None,
                            "foreignKeyType": {
                                "associationTypeId": 280,
                                "associationCategory": "HUBSPOT_DEFINED",
                            },
                        }
                    ],
                },
            },
        ],
    }
    spec = spec_from_request(request, {})
    assert spec.operations is None
    owning = spec.files[0].columns[0]
    assert owning.association_key and owning.is_property
    common = spec.files[1].columns[0]
    assert common.references == "0-1"
    assert common.association == Association(280, "HUBSPOT_DEFINED", explicit=True)
    assert common.property is None and not common.is_property
    assert spec.files[1].object_type_id is None  # no property column of its own
    assert spec.files[1].path == Path("company-import-file.csv")  # not uploaded: the bare name


def test_labels_events_keys_ignored_and_legacy_fields() -> None:
    request = {
        "name": "mixed",
        "marketingEventObjectId": 377224141223,
        "timeZone": "America/New_York",
        "importOperations": {"0-1": "UPSERT", "0-54": "CREATE"},
        "files": [
            {
                "fileName": "mixed.csv",
                "fileFormat": "CSV",
                "fileImportPage": {
                    "hasHeader": True,
                    "columnMappings": [
                        {
                            "columnObjectTypeId": "0-1",
                            "toColumnObjectTypeId": "0-2",
                            "columnName": "Label",
                            "columnType": "FLEXIBLE_ASSOCIATION_LABEL",
                        },
                        {
                            "columnObjectTypeId": "0-54",
                            "columnName": "Registered",
                            "columnType": "EVENT_TIMESTAMP",
                            "marketingEventSubmissionType": "REGISTERED",
                        },
                        {
                            "columnObjectTypeId": "0-1",
                            "columnName": "Associated contact",
                            "propertyName": "email",
                            "columnType": "ASSOCIATION_KEYS",
                        },
                        {
                            "columnObjectType": "CONTACT",
                            "columnName": "Notes",
                            "propertyName": "x",
                            "ignored": True,
                        },
                        {
                            "columnObjectType": "CONTACT",
                            "columnName": "Company ID",
                            "propertyName": None,
                            "idColumnType": "HUBSPOT_OBJECT_ID",
                            "foreignKeyType": {
                                "associationCategory": "HUBSPOT_DEFINED",
                                "associationTypeId": 1,
                            },
                        },
                    ],
                },
            }
        ],
    }
    spec = spec_from_request(request, {})
    assert spec.marketing_event == 377224141223 and spec.time_zone == "America/New_York"
    label, event, keys, ignored, legacy = spec.files[0].columns
    assert label.label == "0-2" and label.references is None and not label.is_property
    assert event.event == "REGISTERED" and event.object_type_id == "0-54"
    assert keys.association_keys and not keys.id
    assert ignored.ignore and ignored.object_type_id == "0-1" and not ignored.is_property
    assert legacy.id and legacy.association == Association(1, "HUBSPOT_DEFINED", explicit=True)


def test_custom_objects_by_alias() -> None:
    request = {
        "name": "cars",
        "importOperations": {"cars": "CREATE"},
        "files": [
            {
                "fileName": "cars.csv",
                "fileImportPage": {
                    "columnMappings": [
                        {"columnObjectTypeId": "cars", "columnName": "VIN", "propertyName": "vin"}
                    ]
                },
            }
        ],
    }
    spec = spec_from_request(request, {}, aliases={"cars": "2-7654321"})
    assert spec.operations == {"2-7654321": "CREATE"}
    assert spec.files[0].columns[0].object_type_id == "2-7654321"
    assert spec.files[0].format == "CSV" and spec.files[0].has_header
