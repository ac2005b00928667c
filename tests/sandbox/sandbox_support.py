"""Helpers of the sandbox tests: HubSpot's OpenAPI schemas, a small catalog, request builders.

The OpenAPI files live outside the repo (../shared/reference/hubspot-openapi/); when they are
missing, response validation is skipped, never faked.
"""

from __future__ import annotations

import copy
import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from specc.catalog.model import Catalog, ObjectType, Option, Property, RequiredRule

OPENAPI_DIR = Path(
    os.environ.get(
        "SPECC_HUBSPOT_OPENAPI",
        Path(__file__).resolve().parents[3] / "shared" / "reference" / "hubspot-openapi",
    )
)
TOKEN = "sandbox-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

# Which file describes a path, by its version segment (2025-09 has no file of its own; HubSpot's
# collection gives it the same shapes as 2026-09, see hubspot-domain.md §1.2).
IMPORT_FILES = {
    "v3": "crm-imports-v3.json",
    "2025-09": "crm-imports-2026-09.json",
    "2026-03": "crm-imports-2026-03.json",
    "2026-09": "crm-imports-2026-09.json",
}
PROPERTY_FILES = {
    "v3": "crm-properties-v3.json",
    "2025-09": "crm-properties-v3.json",
    "2026-03": "crm-properties-2026-03.json",
    "2026-09": "crm-properties-2026-03.json",
}
SCHEMAS_FILE = "crm-schemas-v3.json"

_IMPORTS = re.compile(
    r"^/crm/(?:v3/imports|imports/(\d{4}-\d{2}))(?:/([^/]+)(?:/(cancel|errors))?)?/?$"
)
_PROPERTIES = re.compile(r"^/crm/(?:v3/properties|properties/(\d{4}-\d{2}))/[^/]+(/[^/]+)?/?$")
_SCHEMAS = re.compile(r"^/crm(?:-object-schemas)?/v3/schemas(/[^/]+)?/?$")


def openapi_available() -> bool:
    return all((OPENAPI_DIR / name).is_file() for name in {*IMPORT_FILES.values(), SCHEMAS_FILE})


@cache
def _document(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((OPENAPI_DIR / name).read_text(encoding="utf-8"))
    if name == "crm-imports-2026-09.json":
        # Known defect of HubSpot's 2025-09/2026-09 files: PublicImportError.createdAt is
        # "The epoch millisecond timestamp" typed int32, which no instant after January 1970
        # fits (v3 and 2026-03 say int64). Every real createdAt breaks it; check it as int64.
        document = copy.deepcopy(document)
        created = document["components"]["schemas"]["PublicImportError"]["properties"]["createdAt"]
        assert created["format"] == "int32", "the 2026-09 file changed: drop this patch"
        created["format"] = "int64"
    return document


_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
FORMATS = jsonschema.FormatChecker(["uuid"])


@FORMATS.checks("date-time")
def _date_time(value: object) -> bool:
    return not isinstance(value, str) or bool(_RFC3339.match(value))


@FORMATS.checks("int32")
def _int32(value: object) -> bool:
    return not isinstance(value, int) or -(2**31) <= value < 2**31


@FORMATS.checks("int64")
def _int64(value: object) -> bool:
    return not isinstance(value, int) or -(2**63) <= value < 2**63


def validate(body: Any, file_name: str, component: str) -> None:
    """Raise jsonschema.ValidationError unless `body` is a valid `component` of the file."""
    uri = f"urn:hubspot:{file_name}"
    registry: Registry[Any] = Registry().with_resource(
        uri, Resource.from_contents(_document(file_name), default_specification=DRAFT202012)
    )
    schema = {"$ref": f"{uri}#/components/schemas/{component}"}
    jsonschema.Draft202012Validator(schema, registry=registry, format_checker=FORMATS).validate(
        body
    )


@dataclass(frozen=True)
class Expected:
    file_name: str
    component: str


def expected_schema(method: str, path: str, status: int) -> Expected:
    """The OpenAPI file and component a sandbox response must match (by its own reading of the
    path, independent of the server's router)."""
    found = _IMPORTS.match(path)
    if found:
        file_name = IMPORT_FILES[found.group(1) or "v3"]
        if status >= 300:
            return Expected(file_name, "Error")
        import_id, action = found.group(2), found.group(3)
        if import_id is None:
            component = (
                "PublicImportResponse"
                if method == "POST"
                else "CollectionResponsePublicImportResponseForwardPaging"
            )
        elif action == "cancel":
            component = "ActionResponse"
        elif action == "errors":
            component = "CollectionResponsePublicImportErrorForwardPaging"
        else:
            component = "PublicImportResponse"
        return Expected(file_name, component)
    found = _PROPERTIES.match(path)
    if found:
        file_name = PROPERTY_FILES[found.group(1) or "v3"]
        if status >= 300:
            return Expected(file_name, "Error")
        return Expected(
            file_name, "Property" if found.group(2) else "CollectionResponsePropertyNoPaging"
        )
    found = _SCHEMAS.match(path)
    if found:
        if status >= 300:
            return Expected(SCHEMAS_FILE, "Error")
        return Expected(
            SCHEMAS_FILE,
            "ObjectSchema" if found.group(1) else "CollectionResponseObjectSchemaNoPaging",
        )
    return Expected(IMPORT_FILES["v3"], "Error")  # unknown paths answer HubSpot's Error too


def check_response(method: str, path: str, status: int, body: Any) -> None:
    expected = expected_schema(method, path, status)
    try:
        validate(body, expected.file_name, expected.component)
    except jsonschema.ValidationError as exc:
        raise AssertionError(
            f"{method} {path} -> {status}: not a valid {expected.component} of "
            f"{expected.file_name}: {exc.message} at {list(exc.absolute_path)}"
        ) from None


# -- a small catalog: an account with a few properties, one custom object --


def prop(name: str, type_: str = "string", field_type: str = "text", **kw: Any) -> Property:
    return Property(
        name=name, type=type_, field_type=field_type, label=kw.pop("label", name.title()), **kw
    )


def small_catalog() -> Catalog:
    stage = prop(
        "lifecyclestage",
        "enumeration",
        "radio",
        options=(Option("Lead", "lead"), Option("Customer", "customer")),
        options_complete=True,
    )
    contacts = ObjectType(
        "0-1",
        "contacts",
        {
            p.name: p
            for p in (
                prop("email", text_display_hint="email", label="Email"),
                prop("firstname"),
                prop("lastname"),
                prop("age", "number", "number"),
                prop("birthday", "date", "date"),
                stage,
                prop("hs_object_id", "number", "number", read_only=True, label="Record ID"),
            )
        },
        required=RequiredRule(one_of=(("firstname", "email", "lastname"),), source="test"),
        alternate_ids=("email",),
    )
    companies = ObjectType(
        "0-2",
        "companies",
        {p.name: p for p in (prop("name"), prop("domain", text_display_hint="domain_name"))},
        required=RequiredRule(one_of=(("name", "domain"),), source="test"),
        alternate_ids=("domain",),
    )
    deals = ObjectType(
        "0-3",
        "deals",
        {
            p.name: p
            for p in (
                prop("dealname"),
                prop("pipeline"),
                prop("dealstage"),
                prop("amount", "number", "number"),
            )
        },
        required=RequiredRule(all_of=("dealname", "pipeline", "dealstage"), source="test"),
    )
    cars = ObjectType(
        "2-7654321",
        "cars",
        {p.name: p for p in (prop("vin", has_unique_value=True, label="VIN"), prop("model"))},
        required=RequiredRule(all_of=("vin",), source="test"),
    )
    return Catalog(
        {o.object_type_id: o for o in (contacts, companies, deals, cars)},
        is_snapshot=True,
        source="test",
    )


def mapping(
    column: str, prop_name: str | None, object_id: str = "0-1", **extra: Any
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "columnObjectTypeId": object_id,
        "columnName": column,
        "propertyName": prop_name,
    }
    entry.update(extra)
    return entry


def contacts_request(
    name: str = "Contacts import",
    file_name: str = "contacts.csv",
    operation: str | None = "CREATE",
    columns: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    request: dict[str, Any] = {
        "name": name,
        "dateFormat": "YEAR_MONTH_DAY",
        "files": [
            {
                "fileName": file_name,
                "fileFormat": "CSV",
                "fileImportPage": {
                    "hasHeader": True,
                    "columnMappings": columns
                    or [
                        mapping("Email", "email", columnType="HUBSPOT_ALTERNATE_ID"),
                        mapping("First name", "firstname"),
                        mapping("Age", "age"),
                    ],
                },
            }
        ],
    }
    if operation is not None:
        request["importOperations"] = {"0-1": operation}
    return request


CONTACTS_CSV = (
    b"Email,First name,Age\r\n"
    b"ann@example.com,Ann,31\r\n"
    b"bob@example.com,Bob,42\r\n"
    b"carl@example.com,Carl,27\r\n"
)


def upload(request: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
    """httpx keyword arguments for a multipart import upload, as HubSpot's docs send it."""
    return {
        "data": {"importRequest": json.dumps(request)},
        "files": [("files", (name, data, "text/csv")) for name, data in files.items()],
    }
