"""The resolved spec -> HubSpot's importRequest JSON: pure, deterministic, nothing else.

`compile_request` follows spec-format.md field for field; `request_json` is the one way the
request is written (same input, same bytes); `validate_request` checks a request against the
bundled importRequest schema and points each problem back at the spec entry it came from.

Validation runs on every `specc lint`, so it has a fast path: `specc._request_validator` is
plain Python generated ahead of time from schemas/request.schema.json by
tools/gen_request_validator.py (a test keeps the two in step). It answers "valid" without
importing jsonschema, which alone costs more than the rest of lint. Only an invalid request
pays for jsonschema, which then lists every problem with its path.
"""

from __future__ import annotations

import json
from typing import Any

from specc.codes import spec as codes
from specc.diagnostics import Diagnostic
from specc.pointer import pointer_of, unescape_token
from specc.spec.model import Column, DataFile, Spec

ALTERNATE_ID = "HUBSPOT_ALTERNATE_ID"
OBJECT_ID = "HUBSPOT_OBJECT_ID"
RECORD_ID_PROPERTY = "hs_object_id"
MARKETING_EVENTS = "0-54"


def compile_request(spec: Spec) -> dict[str, Any]:
    """The importRequest for a spec. Keys come in a fixed order, so output is stable."""
    request: dict[str, Any] = {"name": spec.name}
    if spec.operations is not None:
        request["importOperations"] = dict(spec.operations)
    request["dateFormat"] = spec.date_format
    if spec.marketable is not None:
        request["marketableContactImport"] = spec.marketable
    if spec.create_list is not None:
        request["createContactListFromImport"] = spec.create_list
    if spec.time_zone is not None:
        request["timeZone"] = spec.time_zone
    if spec.marketing_event is not None:
        request["marketingEventObjectId"] = spec.marketing_event
    request["files"] = [compile_file(f) for f in spec.files]
    return request


def compile_file(data_file: DataFile) -> dict[str, Any]:
    return {
        "fileName": data_file.file_name,
        "fileFormat": data_file.format,
        "fileImportPage": {
            "hasHeader": data_file.has_header,
            "columnMappings": [compile_column(c) for c in data_file.columns],
        },
    }


def compile_column(column: Column) -> dict[str, Any]:
    """One columnMappings entry, in the key order of HubSpot's documented examples."""
    mapping: dict[str, Any] = {}
    if column.object_type_id is not None:
        mapping["columnObjectTypeId"] = column.object_type_id
    mapping["columnName"] = column.name
    if column.ignore:
        mapping["ignored"] = True
    elif column.event is not None:
        mapping["columnObjectTypeId"] = MARKETING_EVENTS
        mapping["columnType"] = "EVENT_TIMESTAMP"
        mapping["marketingEventSubmissionType"] = column.event
    elif column.label is not None:
        mapping["columnType"] = "FLEXIBLE_ASSOCIATION_LABEL"
        mapping["toColumnObjectTypeId"] = column.label
    elif column.references is not None:
        # The common column in the file of the object that does not own it: HubSpot wants an
        # explicit null property and the association to use.
        mapping["propertyName"] = None
        mapping["toColumnObjectTypeId"] = column.references
        if column.association is not None:
            mapping["foreignKeyType"] = {
                "associationTypeId": column.association.type_id,
                "associationCategory": column.association.category,
            }
    else:
        mapping["propertyName"] = column.property
        if column.id:
            mapping["columnType"] = (
                OBJECT_ID if column.property == RECORD_ID_PROPERTY else ALTERNATE_ID
            )
        elif column.association_keys:
            mapping["columnType"] = "ASSOCIATION_KEYS"
        elif column.standard:
            mapping["columnType"] = "STANDARD"
        if column.association_key:
            mapping["associationIdentifierColumn"] = True
    return mapping


def request_json(request: dict[str, Any]) -> str:
    """The request as written to stdout or a file: same request, same bytes."""
    return json.dumps(request, indent=2, ensure_ascii=False) + "\n"


# --- validation ----------------------------------------------------------------------------


def request_is_valid(request: Any) -> bool:
    """Whether a request satisfies the importRequest schema (the fast, generated check)."""
    from specc._request_validator import JsonSchemaValueException, validate

    try:
        validate(request)
    except JsonSchemaValueException:
        return False
    return True


def request_errors(request: Any, limit: int | None = None) -> list[tuple[str, str]]:
    """Every schema problem of a request as (request JSON pointer, message), in a stable order.

    With `limit`, only the first `limit` problems met: a hand-made request may break a rule
    in each of thousands of entries, and describing each one takes time.
    """
    import itertools

    import jsonschema

    from specc.schemas import load_schema

    validator = jsonschema.Draft202012Validator(load_schema("request"))
    found = []
    for error in itertools.islice(validator.iter_errors(request), limit):
        pointer = pointer_of(error.absolute_path)
        found.append((pointer, _message(error)))
    return sorted(set(found))


def validate_request(request: dict[str, Any], spec: Spec) -> list[Diagnostic]:
    """Schema problems of a compiled request, each located at the spec entry it came from."""
    if request_is_valid(request):
        return []
    return [
        codes.REQUEST_SCHEMA.at(
            f"the request breaks the importRequest schema at {pointer or '/'}: {message}",
            spec=spec.where(spec_pointer(pointer, spec)),
            hint="this is a rule HubSpot's documentation states; see `specc schema request`",
        )
        for pointer, message in request_errors(request)
    ]


_TOP_LEVEL = {
    "name": "/name",
    "importOperations": "/operations",
    "dateFormat": "/date_format",
    "marketableContactImport": "/marketable",
    "createContactListFromImport": "/create_list",
    "timeZone": "/time_zone",
    "marketingEventObjectId": "/marketing_event",
    "files": "/files",
}


def spec_pointer(request_pointer: str, spec: Spec) -> str:
    """The spec pointer a request pointer was compiled from (its nearest known ancestor)."""
    parts = request_pointer.split("/")[1:]
    if not parts:
        return ""
    if parts[0] == "importOperations" and len(parts) > 1:
        return spec.operation_pointers.get(unescape_token(parts[1]), "/operations")
    if parts[0] != "files" or len(parts) < 2 or not parts[1].isdigit():
        return _TOP_LEVEL.get(parts[0], "")
    index = int(parts[1])
    if index >= len(spec.files):
        return "/files"
    data_file = spec.files[index]
    if len(parts) >= 5 and parts[3] == "columnMappings" and parts[4].isdigit():
        column_index = int(parts[4])
        if column_index < len(data_file.columns):
            return data_file.columns[column_index].pointer
    if len(parts) >= 3:
        field = {"fileName": "/path", "fileFormat": "/format", "fileImportPage": "/columns"}
        if parts[2] in field:
            return data_file.pointer + field[parts[2]]
    return data_file.pointer


def _message(error: Any) -> str:
    """jsonschema's message, with the schema's own description when it has one."""
    described = error.schema.get("description") if isinstance(error.schema, dict) else None
    if error.validator in ("if", "then", "else", "not", "allOf", "anyOf", "oneOf") and described:
        return described
    message: str = error.message
    if len(message) > 300:
        message = message[:299] + "…"
    return message
