"""The checks HubSpot makes before it accepts an import: each failure is a 400, no import made.

HubSpot documents two: the importRequest must parse (and name files that were uploaded), and a
CREATE must map the object's required properties (changelog "CRM Imports API - New validation
for Required Properties", hubspot-domain.md §4.1). The field checks here are the ones any
deserialiser of the documented request makes: required fields present, enums in range.
Row-level problems are not refused here; they become the import's row errors.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from specc.catalog.model import Catalog
from specc.catalog.objects import standard_objects
from specc.sandbox.adapter import column_object
from specc.spec.model import ASSOCIATION_CATEGORIES, DATE_FORMATS, EVENT_TYPES, OPERATIONS, Spec

FILE_FORMATS = ("CSV", "SPREADSHEET")
COLUMN_TYPES = (
    "HUBSPOT_OBJECT_ID",
    "HUBSPOT_ALTERNATE_ID",
    "FLEXIBLE_ASSOCIATION_LABEL",
    "ASSOCIATION_KEYS",
    "STANDARD",
    "EVENT_TIMESTAMP",
)


@dataclass(frozen=True)
class Problem:
    message: str
    where: str  # the field, as a JSON pointer into the importRequest (ErrorDetail.in)


def request_problems(
    request: Any, uploaded: list[str], aliases: Mapping[str, str] | None = None
) -> list[Problem]:
    """Why HubSpot would refuse this importRequest with these uploaded file names (none: fine)."""
    if not isinstance(request, dict):
        return [Problem("The importRequest must be a JSON object", "")]
    found: list[Problem] = []
    name = request.get("name")
    if not isinstance(name, str) or not name.strip():
        found.append(Problem("The import needs a name", "/name"))
    _enum(found, request, "dateFormat", DATE_FORMATS, "/dateFormat")
    for flag in ("marketableContactImport", "createContactListFromImport"):
        if flag in request and not isinstance(request[flag], bool):
            found.append(Problem(f"{flag} must be true or false", f"/{flag}"))
    operations = request.get("importOperations")
    if operations is not None:
        if not isinstance(operations, dict):
            found.append(
                Problem(
                    "importOperations must map object type ids to operations", "/importOperations"
                )
            )
        else:
            for key, value in operations.items():
                where = f"/importOperations/{key}"
                if column_object({"columnObjectTypeId": key}, aliases) is None:
                    found.append(Problem(f"Unknown object type {key!r} in importOperations", where))
                if value not in OPERATIONS:
                    found.append(
                        Problem(
                            f"Unknown import operation {value!r}; "
                            f"use one of {', '.join(OPERATIONS)}",
                            where,
                        )
                    )
    files = request.get("files")
    if not isinstance(files, list) or not files:
        found.append(Problem("The importRequest must list at least one file in files", "/files"))
        return found
    names: list[str] = []
    for index, entry in enumerate(files):
        found.extend(_file_problems(entry, f"/files/{index}", aliases))
        if isinstance(entry, dict) and isinstance(entry.get("fileName"), str):
            names.append(entry["fileName"])
    for repeated in sorted(n for n, k in Counter(names).items() if k > 1):
        found.append(Problem(f"fileName {repeated!r} appears more than once in files", "/files"))
    for repeated in sorted(n for n, k in Counter(uploaded).items() if k > 1):
        found.append(Problem(f"The file {repeated!r} was uploaded more than once", "files"))
    for missing in [n for n in names if n not in uploaded]:
        found.append(
            Problem(
                f"No uploaded file is named {missing!r}: send one 'files' part per file, with the "
                "fileName as its filename (extension included)",
                "files",
            )
        )
    for extra in [n for n in dict.fromkeys(uploaded) if n not in names]:
        found.append(
            Problem(
                f"The uploaded file {extra!r} matches no fileName of the importRequest", "files"
            )
        )
    return found


def _file_problems(entry: Any, at: str, aliases: Mapping[str, str] | None) -> list[Problem]:
    if not isinstance(entry, dict):
        return [Problem("Each entry of files must be an object", at)]
    found: list[Problem] = []
    if not isinstance(entry.get("fileName"), str) or not entry["fileName"]:
        found.append(Problem("Each file needs a fileName", f"{at}/fileName"))
    _enum(found, entry, "fileFormat", FILE_FORMATS, f"{at}/fileFormat")
    page = entry.get("fileImportPage")
    mappings = page.get("columnMappings") if isinstance(page, dict) else None
    if not isinstance(mappings, list) or not mappings:
        found.append(
            Problem("Each file needs fileImportPage.columnMappings", f"{at}/fileImportPage")
        )
        return found
    for number, mapping in enumerate(mappings):
        where = f"{at}/fileImportPage/columnMappings/{number}"
        if not isinstance(mapping, dict):
            found.append(Problem("Each column mapping must be an object", where))
            continue
        if not isinstance(mapping.get("columnName"), str):
            found.append(Problem("Each column mapping needs a columnName", f"{where}/columnName"))
        if column_object(mapping, aliases) is None:
            named = mapping.get("columnObjectTypeId", mapping.get("columnObjectType"))
            found.append(
                Problem(f"Unknown columnObjectTypeId {named!r}", f"{where}/columnObjectTypeId")
            )
        if mapping.get("toColumnObjectTypeId") is not None and (
            column_object({"columnObjectTypeId": mapping["toColumnObjectTypeId"]}, aliases) is None
        ):
            found.append(
                Problem(
                    f"Unknown toColumnObjectTypeId {mapping['toColumnObjectTypeId']!r}",
                    f"{where}/toColumnObjectTypeId",
                )
            )
        for key in ("columnType", "idColumnType"):
            _enum(found, mapping, key, COLUMN_TYPES, f"{where}/{key}")
        _enum(
            found,
            mapping,
            "marketingEventSubmissionType",
            EVENT_TYPES,
            f"{where}/marketingEventSubmissionType",
        )
        foreign = mapping.get("foreignKeyType")
        if foreign is not None:
            if not isinstance(foreign, dict) or not isinstance(
                foreign.get("associationTypeId"), int
            ):
                found.append(
                    Problem(
                        "foreignKeyType needs an integer associationTypeId",
                        f"{where}/foreignKeyType",
                    )
                )
            else:
                _enum(
                    found,
                    foreign,
                    "associationCategory",
                    (*ASSOCIATION_CATEGORIES, "WORK"),
                    f"{where}/foreignKeyType/associationCategory",
                )
    return found


def _enum(
    found: list[Problem], holder: dict[str, Any], key: str, allowed: tuple[str, ...], where: str
) -> None:
    if key in holder and holder[key] is not None and holder[key] not in allowed:
        found.append(Problem(f"{key} {holder[key]!r} is not one of {', '.join(allowed)}", where))


@dataclass(frozen=True)
class MissingRequired:
    """A CREATE without an object's required properties: HubSpot's 400 before any row."""

    object_type_id: str
    object_name: str  # CONTACT, DEAL, ... (the legacy name HubSpot's message uses)
    missing: tuple[str, ...]  # "dealname", "One of [firstname, email, lastname]"
    provided: tuple[str, ...]  # the object's properties the import maps

    @property
    def message(self) -> str:
        missing = ", ".join(self.missing)
        return f"Some required properties for {self.object_name} creates are missing: [{missing}]"


def missing_required(spec: Spec, catalog: Catalog) -> list[MissingRequired]:
    """Objects the import CREATEs without mapping what their creation requires."""
    found = []
    for object_type_id, operation in (spec.operations or {}).items():
        if operation != "CREATE":
            continue
        obj = catalog.object(object_type_id)
        if obj is None or obj.required.empty:
            continue
        provided = {
            c.property
            for _, c in spec.columns()
            if c.is_property and c.object_type_id == object_type_id and c.property
        }
        missing = [name for name in obj.required.all_of if name not in provided]
        missing += [
            f"One of [{', '.join(group)}]"
            for group in obj.required.one_of
            if not provided & set(group)
        ]
        if missing:
            info = standard_objects().get(object_type_id)
            found.append(
                MissingRequired(
                    object_type_id,
                    (info.legacy_name if info and info.legacy_name else object_type_id),
                    tuple(missing),
                    tuple(sorted(provided)),
                )
            )
    return found
