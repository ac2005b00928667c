"""From HubSpot's importRequest back to specc's resolved Spec, so an upload can run specc's checks.

The request is what the sandbox received, not a spec file: JSON pointers point into the request
(`/files/0/fileImportPage/columnMappings/3`), which is also how a row error finds its column
number again. Both current and legacy field names are read (`columnType` or `idColumnType`,
`columnObjectTypeId` or `columnObjectType`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from specc.catalog.objects import resolve_object
from specc.spec.model import Association, Column, DataFile, SourceMap, Spec

REQUEST_SOURCE = "importRequest"
ID_COLUMN_TYPES = ("HUBSPOT_OBJECT_ID", "HUBSPOT_ALTERNATE_ID")


def mapping_pointer(file_index: int, column_index: int) -> str:
    return f"/files/{file_index}/fileImportPage/columnMappings/{column_index}"


def column_object(
    mapping: Mapping[str, Any], aliases: Mapping[str, str] | None = None
) -> str | None:
    """The object type id of a column mapping (by id, FQN name or legacy name)."""
    named = mapping.get("columnObjectTypeId") or mapping.get("columnObjectType")
    return None if named is None else resolve_object(str(named), dict(aliases or {}))


def spec_from_request(
    request: Mapping[str, Any],
    files: Mapping[str, Path],
    aliases: Mapping[str, str] | None = None,
) -> Spec:
    """The Spec an importRequest describes; `files` maps each fileName to its stored bytes.

    `aliases` resolves custom object names (schema name -> object type id). Expects a request
    that passed `request_problems`; fields it cannot read are left out, never guessed.
    """
    data_files = []
    for index, entry in enumerate(request.get("files") or []):
        file_name = str(entry.get("fileName", ""))
        page = entry.get("fileImportPage") or {}
        columns = tuple(
            _column(mapping, mapping_pointer(index, number), aliases)
            for number, mapping in enumerate(page.get("columnMappings") or [])
        )
        objects = [c.object_type_id for c in columns if c.object_type_id and c.is_property]
        data_files.append(
            DataFile(
                pointer=f"/files/{index}",
                path=files.get(file_name, Path(file_name)),
                shown_path=file_name,
                file_name=file_name,
                format=str(entry.get("fileFormat") or "CSV"),
                # The object most property columns write; each column keeps its own anyway.
                object_type_id=max(objects, key=objects.count) if objects else None,
                has_header=bool(page.get("hasHeader", True)),
                columns=columns,
            )
        )
    operations = request.get("importOperations")
    resolved_operations = None
    if isinstance(operations, Mapping):
        resolved_operations = {
            (resolve_object(str(key), dict(aliases or {})) or str(key)): str(value)
            for key, value in operations.items()
        }
    return Spec(
        source=Path(REQUEST_SOURCE),
        source_map=SourceMap(REQUEST_SOURCE),
        name=str(request.get("name", "")),
        date_format=str(request.get("dateFormat") or "MONTH_DAY_YEAR"),
        operations=resolved_operations,
        operation_pointers={oid: f"/importOperations/{oid}" for oid in (resolved_operations or {})},
        marketable=request.get("marketableContactImport"),
        create_list=request.get("createContactListFromImport"),
        time_zone=request.get("timeZone"),
        marketing_event=request.get("marketingEventObjectId"),
        aliases=dict(aliases or {}),
        files=tuple(data_files),
    )


def _column(mapping: Mapping[str, Any], pointer: str, aliases: Mapping[str, str] | None) -> Column:
    column_type = mapping.get("columnType") or mapping.get("idColumnType")
    to_object = mapping.get("toColumnObjectTypeId")
    to_id = None if to_object is None else resolve_object(str(to_object), dict(aliases or {}))
    foreign_key = mapping.get("foreignKeyType")
    label = to_id if column_type == "FLEXIBLE_ASSOCIATION_LABEL" else None
    # A common column pointing at another file's records: HubSpot's form is toColumnObjectTypeId
    # with a foreignKeyType; the legacy record-id association has only the foreignKeyType.
    references = None
    if label is None and (
        foreign_key is not None or (to_id is not None and not mapping.get("propertyName"))
    ):
        references = to_id
    association = None
    if isinstance(foreign_key, Mapping) and foreign_key.get("associationTypeId") is not None:
        association = Association(
            type_id=int(foreign_key["associationTypeId"]),
            category=str(foreign_key.get("associationCategory") or "HUBSPOT_DEFINED"),
            explicit=True,
        )
    event = (
        mapping.get("marketingEventSubmissionType") if column_type == "EVENT_TIMESTAMP" else None
    )
    property_name = mapping.get("propertyName")
    return Column(
        name=str(mapping.get("columnName", "")),
        pointer=pointer,
        object_type_id=column_object(mapping, aliases),
        property=None if property_name is None else str(property_name),
        id=column_type in ID_COLUMN_TYPES,
        association_key=bool(mapping.get("associationIdentifierColumn")),
        references=references,
        association=association,
        label=label,
        association_keys=column_type == "ASSOCIATION_KEYS",
        event=None if event is None else str(event).upper(),
        ignore=bool(mapping.get("ignored")),
    )
