"""Response bodies in the shapes of HubSpot's OpenAPI files (component names in docstrings).

Catalogs hold what specc needs; HubSpot's `Property` requires more (`groupName`,
`description`, options' `hidden`, ...). The gaps are filled with HubSpot's usual values for a
plain writable property, and a field the catalog does give always wins.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from specc.catalog.model import ObjectType, Property
from specc.catalog.objects import CUSTOM_OBJECT_ID, standard_objects

# A portal id for custom objects' fully qualified names (p<portal>_<name>), as HubSpot forms them.
SANDBOX_PORTAL_ID = 12345678
# A fixed instant for definitions a catalog does not date, so responses repeat.
DEFINITIONS_DATE = "2020-01-01T00:00:00.000Z"

NUMBER_HINTS = ("currency", "duration", "formatted", "percentage", "probability", "unformatted")
TEXT_HINTS = (
    "domain_name",
    "email",
    "ip_address",
    "multi_line",
    "phone_number",
    "physical_address",
    "postal_code",
    "unformatted_single_line",
)


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds and a Z, as HubSpot writes instants."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def error_body(
    category: str,
    message: str,
    *,
    context: dict[str, list[str]] | None = None,
    errors: list[dict[str, Any]] | None = None,
    links: dict[str, str] | None = None,
    sub_category: str | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """`Error`; `status: "error"` is not in the schema but HubSpot sends it, so clients see it."""
    body: dict[str, Any] = {
        "status": "error",
        "message": message,
        "correlationId": str(uuid.uuid4()),
        "category": category,
    }
    if sub_category:
        body["subCategory"] = sub_category
    if context:
        body["context"] = context
    if errors:
        body["errors"] = errors
    if links:
        body["links"] = links
    body.update(extra or {})
    return body


def property_body(prop: Property, obj: ObjectType, order: int) -> dict[str, Any]:
    """`Property`: the catalog's own fields where it has them, HubSpot's defaults elsewhere."""
    raw = dict(prop.raw)
    hubspot_defined = raw.get("hubspotDefined", not CUSTOM_OBJECT_ID.match(obj.object_type_id))
    read_only = raw.get("modificationMetadata", {}).get("readOnlyValue", raw.get("readOnlyValue"))
    if read_only is None:
        read_only = bool(prop.read_only) or prop.calculated
    metadata = {
        "archivable": not hubspot_defined,
        "readOnlyDefinition": bool(hubspot_defined),
        "readOnlyValue": bool(read_only),
    }
    if prop.read_only_options is not None:
        metadata["readOnlyOptions"] = prop.read_only_options
    metadata.update(raw.get("modificationMetadata") or {})
    body: dict[str, Any] = {
        "name": prop.name,
        "label": prop.label or prop.name,
        "type": prop.type,
        "fieldType": prop.field_type,
        "description": "",
        "groupName": _group_name(obj),
        "options": _options(prop, raw),
        "displayOrder": -1,
        "calculated": prop.calculated,
        "externalOptions": prop.external_options,
        "hasUniqueValue": prop.has_unique_value,
        "hidden": False,
        "hubspotDefined": bool(hubspot_defined),
        "formField": False,
        "archived": False,
        "dataSensitivity": "non_sensitive",
        "modificationMetadata": metadata,
        "createdAt": DEFINITIONS_DATE,
        "updatedAt": DEFINITIONS_DATE,
    }
    if prop.referenced_object_type:
        body["referencedObjectType"] = prop.referenced_object_type
    if prop.number_display_hint in NUMBER_HINTS:
        body["numberDisplayHint"] = prop.number_display_hint
    if prop.text_display_hint in TEXT_HINTS:
        body["textDisplayHint"] = prop.text_display_hint
    # The catalog's own values win, except the flattened fields the bundle stores at top level.
    for key, value in raw.items():
        if key in ("readOnlyValue", "readOnlyOptions", "optionsComplete", "modificationMetadata"):
            continue
        if key == "options":
            continue  # normalised above: every option needs `hidden`
        body[key] = value
    del order  # displayOrder -1 is what HubSpot gives properties nobody ordered
    return body


def _group_name(obj: ObjectType) -> str:
    info = standard_objects().get(obj.object_type_id)
    singular = info.singular if info else obj.name
    return f"{singular.replace('_', '')}information"


def _options(prop: Property, raw: dict[str, Any]) -> list[dict[str, Any]]:
    given = raw.get("options")
    if isinstance(given, list):
        source = [dict(o) for o in given if isinstance(o, dict)]
    else:
        source = [{"label": o.label, "value": o.value, "hidden": o.hidden} for o in prop.options]
    options = []
    for index, option in enumerate(source):
        shaped = {
            "label": str(option.get("label", option.get("value", ""))),
            "value": str(option.get("value", "")),
            "hidden": bool(option.get("hidden", False)),
            "displayOrder": option.get("displayOrder", index),
            "description": option.get("description", ""),
        }
        options.append(shaped)
    return options


def schema_body(obj: ObjectType, raw: dict[str, Any] | None = None) -> dict[str, Any]:
    """`ObjectSchema` of a custom object (what GET /crm/v3/schemas lists)."""
    raw = raw or {}
    names = list(obj.properties)
    required = list(obj.required.all_of) or [n for g in obj.required.one_of for n in g[:1]]
    primary = raw.get("primaryDisplayProperty") or (
        required[0] if required else names[0] if names else ""
    )
    body: dict[str, Any] = {
        "id": obj.object_type_id.split("-", 1)[1],
        "objectTypeId": obj.object_type_id,
        "name": obj.name,
        "fullyQualifiedName": f"p{SANDBOX_PORTAL_ID}_{obj.name}",
        "labels": raw.get("labels") or {"singular": obj.name, "plural": obj.name},
        "requiredProperties": required,
        "searchableProperties": [primary] if primary else [],
        "secondaryDisplayProperties": [],
        "properties": [property_body(p, obj, i) for i, p in enumerate(obj.properties.values())],
        "associations": [],
        "archived": False,
        "createdAt": DEFINITIONS_DATE,
        "updatedAt": DEFINITIONS_DATE,
    }
    if primary:
        body["primaryDisplayProperty"] = primary
    return body
