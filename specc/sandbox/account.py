"""The sandbox's account endpoints, answered from its catalog (a format 2 snapshot):

    GET /crm/v3/owners                               owners       (PublicOwner, forward paging)
    GET /crm/v3/pipelines/{objectType}               pipelines    (Pipeline, no paging)
    GET /crm/v3/property-validations/{objectTypeId}  validations  (PublicPropertyValidationRuleMap)

Shapes follow HubSpot's OpenAPI files (pipelines, property validations) and, for owners,
which the stored OpenAPI collection lacks, `hubspot-api-client`'s PublicOwner model (id,
createdAt, updatedAt, archived and type required) and its forward paging (`limit`, default
100 and at most 500, `after`, an offset; `email` filters, `archived=true` lists the
deactivated owners instead). What the catalog does not know (no owners, no pipelines, no
rules: the bundled catalog or a format 1 snapshot) is answered as an account without any:
the sandbox's account has none.

`match(path)` tells the server which of these a path names; `answer(...)` builds the body.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from specc.catalog.model import Catalog, Owner, Pipeline, PipelineStage, ValidationRule
from specc.catalog.objects import CUSTOM_OBJECT_ID, standard_objects
from specc.sandbox.shapes import DEFINITIONS_DATE, error_body

OWNERS_PATH = "/crm/v3/owners"
PIPELINES_PREFIX = "/crm/v3/pipelines/"
VALIDATIONS_PREFIX = "/crm/v3/property-validations/"
ROUTES = ("owners", "pipelines", "validations")
OWNERS_SCOPE = "crm.objects.owners.read"
DEFAULT_OWNER_LIMIT = 100
MAX_OWNER_LIMIT = 500
# HubSpot dates default pipelines' createdAt at the epoch ("The default pipelines will have
# createdAt = 0"); the sandbox dates every definition it serves at a fixed instant.
EPOCH = "1970-01-01T00:00:00.000Z"


class Refused(Exception):
    """A request the endpoint answers with an error status and HubSpot's `Error` body."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


def match(path: str) -> tuple[str, str | None] | None:
    """(route name, object type in the path) when the path is an account endpoint."""
    path = path.rstrip("/") or "/"
    if path == OWNERS_PATH:
        return "owners", None
    for prefix, name in ((PIPELINES_PREFIX, "pipelines"), (VALIDATIONS_PREFIX, "validations")):
        if path.startswith(prefix):
            rest = path[len(prefix) :]
            if rest and "/" not in rest:
                return name, rest
    return None


def scopes(name: str, object_type_id: str | None) -> tuple[str, ...]:
    """Scopes that grant a route (HubSpot accepts many object read scopes; the sandbox asks
    for the object's own)."""
    if name == "owners":
        return (OWNERS_SCOPE,)
    if object_type_id is None or CUSTOM_OBJECT_ID.match(object_type_id):
        return ("crm.objects.custom.read", "crm.schemas.custom.read")
    info = standard_objects().get(object_type_id)
    object_name = info.name if info is not None else object_type_id
    found = (f"crm.objects.{object_name}.read", f"crm.schemas.{object_name}.read")
    return (*found, "tickets") if object_type_id == "0-5" else found


def answer(
    name: str,
    catalog: Catalog,
    object_type_id: str | None,
    query: Mapping[str, str],
    link: Callable[[dict[str, str]], str],
) -> dict[str, Any]:
    """The body of a GET on an account route; `link(query)` is the URL of another page."""
    if name == "owners":
        return owners_page(catalog.owners or (), query, link)
    assert object_type_id is not None
    obj = catalog.object(object_type_id)
    if name == "pipelines":
        pipelines = obj.pipelines if obj is not None else None
        return {"results": [pipeline_body(p) for p in pipelines or ()]}
    rules = (obj.validation_rules if obj is not None else None) or {}
    return {
        "results": [
            {"propertyName": prop, "propertyValidationRules": [rule_body(r) for r in found]}
            for prop, found in sorted(rules.items())
        ]
    }


def _whole(query: Mapping[str, str], key: str, default: int, low: int, high: int) -> int:
    text = query.get(key)
    if text is None or text == "":
        return default
    if not text.isascii() or not text.isdigit() or not low <= int(text) <= high:
        raise Refused(
            400,
            error_body(
                "VALIDATION_ERROR",
                f"Invalid input JSON on line 1: {key} must be an integer between {low} and {high}",
            ),
        )
    return int(text)


def owners_page(
    owners: tuple[Owner, ...], query: Mapping[str, str], link: Callable[[dict[str, str]], str]
) -> dict[str, Any]:
    """`CollectionResponsePublicOwnerForwardPaging`: owners in id order, `limit` a page."""
    archived = query.get("archived", "false").lower() == "true"
    email = query.get("email", "").strip().casefold()
    chosen = [
        o
        for o in owners
        if o.archived == archived and (not email or (o.email or "").casefold() == email)
    ]
    limit = _whole(query, "limit", DEFAULT_OWNER_LIMIT, 1, MAX_OWNER_LIMIT)
    start = _whole(query, "after", 0, 0, 2**31 - 1)
    page = chosen[start : start + limit]
    body: dict[str, Any] = {"results": [owner_body(o) for o in page]}
    if start + limit < len(chosen):
        after = str(start + limit)
        body["paging"] = {"next": {"after": after, "link": link({**query, "after": after})}}
    return body


def owner_body(owner: Owner) -> dict[str, Any]:
    """`PublicOwner` (hubspot-api-client: id, createdAt, updatedAt, archived, type required)."""
    body: dict[str, Any] = {
        "id": owner.id,
        "archived": owner.archived,
        "createdAt": DEFINITIONS_DATE,
        "updatedAt": DEFINITIONS_DATE,
        "type": "PERSON",
        "teams": [],
    }
    for key, value in (
        ("email", owner.email),
        ("firstName", owner.first_name),
        ("lastName", owner.last_name),
        ("userId", owner.user_id),
        ("userIdIncludingInactive", owner.user_id),
    ):
        if value is not None:
            body[key] = value
    return body


def pipeline_body(pipeline: Pipeline) -> dict[str, Any]:
    """`Pipeline` (archived, createdAt, displayOrder, id, label, stages, updatedAt)."""
    return {
        "id": pipeline.id,
        "label": pipeline.label,
        "displayOrder": pipeline.display_order,
        "archived": pipeline.archived,
        "createdAt": EPOCH,
        "updatedAt": DEFINITIONS_DATE,
        "stages": [stage_body(s) for s in pipeline.stages],
    }


def stage_body(stage: PipelineStage) -> dict[str, Any]:
    """`PipelineStage` (archived, createdAt, displayOrder, id, label, updatedAt; metadata's
    values are strings)."""
    return {
        "id": stage.id,
        "label": stage.label,
        "displayOrder": stage.display_order,
        "archived": stage.archived,
        "metadata": dict(stage.metadata),
        "createdAt": EPOCH,
        "updatedAt": DEFINITIONS_DATE,
        "writePermissions": "CRM_PERMISSIONS_ENFORCEMENT",
    }


def rule_body(rule: ValidationRule) -> dict[str, Any]:
    """`PublicPropertyValidationRule`."""
    return {
        "ruleType": rule.rule_type,
        "ruleArguments": list(rule.arguments),
        "shouldApplyNormalization": rule.normalize,
    }


def page_link(base: str, path: str, query: Mapping[str, str]) -> str:
    return f"{base}{path}?{urlencode(dict(query))}"
