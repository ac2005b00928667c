"""`specc catalog pull`: an account as a catalog snapshot document (format 2).

Properties come from `GET /crm/v3/properties/{objectType}` (as HubSpot returns them, so the
snapshot keeps every field), custom objects from `GET /crm/v3/schemas` (their ids, names and
`requiredProperties`), owners from `GET /crm/v3/owners` (every page), pipelines from
`GET /crm/v3/pipelines/{objectType}` (every object that can have them) and validation rules
from `GET /crm/v3/property-validations/{objectTypeId}`. The document is built by
`specc.catalog.snapshot.snapshot_document`; writing it (validated, atomically) is the
caller's, by default to DEFAULT_OUTPUT.

A token without the scope for owners, pipelines or validation rules (HubSpot's 403
MISSING_SCOPES) still gets the rest: the part is left out of the snapshot (absent means "not
known", so the checks that need it are skipped) and a note names the scope to add.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from specc.catalog.objects import CUSTOM_OBJECT_ID, resolve_object, standard_objects
from specc.errors import UsageError
from specc.hubspot.client import Budget, HubSpotClient
from specc.hubspot.errors import HubSpotApiError

DEFAULT_OUTPUT = Path(".specc") / "catalog.json"
OWNERS_PATH = "/crm/v3/owners"
PIPELINES_PATH = "/crm/v3/pipelines"
VALIDATIONS_PATH = "/crm/v3/property-validations"
OWNERS_SCOPE = "crm.objects.owners.read"
# Standard objects that have pipelines (deals, tickets, orders, leads, services, courses,
# listings, appointments); custom objects may have them too, and are asked as well.
PIPELINE_OBJECTS = frozenset({"0-3", "0-5", "0-123", "0-136", "0-162", "0-410", "0-420", "0-421"})
_T = TypeVar("_T")

# The standard objects the bundled catalog covers: the default of a pull.
DEFAULT_OBJECTS = (
    "contacts",
    "companies",
    "deals",
    "tickets",
    "products",
    "line_items",
    "calls",
    "emails",
    "meetings",
    "notes",
    "tasks",
)


def pull_catalog(
    client: HubSpotClient,
    objects: Sequence[str] = (),
    now: datetime | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """The snapshot document, and notes for the user (what was skipped and why)."""
    from specc.catalog.snapshot import snapshot_document

    notes: list[str] = []
    schemas: list[dict[str, Any]] = []
    # Every answer of the pull is kept until the snapshot is written: one budget for all.
    budget = Budget()
    wants_custom = not objects or any(
        resolve_object(o) is None or o.startswith("2-") for o in objects
    )
    if wants_custom:
        try:
            schemas = client.schemas(budget)
        except HubSpotApiError as exc:
            if objects or exc.status not in (401, 403):
                raise
            # The default pull asks for custom objects only in passing: a token that may not
            # read schemas still gets the standard objects.
            notes.append(f"custom objects skipped: {exc.message.splitlines()[0]}")

    entries = []
    lacking: dict[str, list[str]] = {}  # scope -> the parts it would have given
    for object_type_id, name, schema in _targets(objects, schemas):
        properties = client.properties(object_type_id if schema else name, budget)
        entry: dict[str, Any] = {
            "objectTypeId": object_type_id,
            "name": name,
            "properties": properties,
        }
        if schema is not None and isinstance(schema.get("requiredProperties"), list):
            entry["requiredProperties"] = [str(p) for p in schema["requiredProperties"]]
        scope = _object_scope(object_type_id, name)
        if object_type_id in PIPELINE_OBJECTS or CUSTOM_OBJECT_ID.match(object_type_id):
            pipelines = _part(
                functools.partial(_pipelines, client, object_type_id, budget),
                f"the pipelines of {name}",
                scope,
                lacking,
                absent_ok=schema is not None,
            )
            if pipelines is not None:
                entry["pipelines"] = pipelines
        rules = _part(
            functools.partial(_validations, client, object_type_id, budget),
            f"the validation rules of {name}",
            scope,
            lacking,
        )
        if rules is not None:
            entry["validationRules"] = rules
        entries.append(entry)
    owners = _part(lambda: _owners(client, budget), "the owners", OWNERS_SCOPE, lacking)
    for scope, parts in lacking.items():
        notes.append(
            f"{', '.join(parts)} not pulled: the token lacks the scope {scope}; the snapshot "
            "leaves them out, so check skips their values (add the scope and pull again)"
        )
    portal_id = _portal_id(schemas)
    document = snapshot_document(entries, portal_id, now or datetime.now(UTC), owners=owners)
    return document, notes


def _part(
    read: Callable[[], _T],
    what: str,
    scope: str,
    lacking: dict[str, list[str]],
    *,
    absent_ok: bool = False,
) -> _T | None:
    """What `read` returns; None, noting the scope, when the token may not read it (403).
    `absent_ok`: a 400 or 404 means the object has none of it (a custom object without
    pipelines): None too, silently."""
    try:
        return read()
    except HubSpotApiError as exc:
        if exc.status == 403:
            missing = exc.body.context.get("missingScopes") or exc.body.context.get(
                "requiredScopes"
            )
            lacking.setdefault(", ".join(missing) if missing else scope, []).append(what)
            return None
        if absent_ok and exc.status in (400, 404):
            return None
        raise


def _owners(client: HubSpotClient, budget: Budget) -> list[dict[str, Any]]:
    """Every active owner, across every page (PublicOwner)."""
    return list(
        client.pages(
            OWNERS_PATH, action="read the owners", params={"archived": "false"}, budget=budget
        )
    )


def _pipelines(client: HubSpotClient, object_type_id: str, budget: Budget) -> list[Any]:
    found = client.request_json(
        "GET",
        f"{PIPELINES_PATH}/{object_type_id}",
        action=f"read the pipelines of {object_type_id}",
        budget=budget,
    )
    results = found.get("results") if isinstance(found, Mapping) else None
    return [dict(p) for p in results or [] if isinstance(p, Mapping)]


def _validations(client: HubSpotClient, object_type_id: str, budget: Budget) -> list[Any]:
    found = client.request_json(
        "GET",
        f"{VALIDATIONS_PATH}/{object_type_id}",
        action=f"read the validation rules of {object_type_id}",
        budget=budget,
    )
    results = found.get("results") if isinstance(found, Mapping) else None
    return [dict(r) for r in results or [] if isinstance(r, Mapping)]


def _object_scope(object_type_id: str, name: str) -> str:
    """The read scope a 403 about an object's pipelines or rules most likely means (HubSpot's
    OpenAPI files accept any of the object read scopes; its answer names the ones it wants)."""
    if CUSTOM_OBJECT_ID.match(object_type_id):
        return "crm.objects.custom.read"
    if object_type_id == "0-5":
        return "tickets"
    return f"crm.objects.{name}.read"


def _targets(
    objects: Sequence[str], schemas: Sequence[Mapping[str, Any]]
) -> list[tuple[str, str, Mapping[str, Any] | None]]:
    """(object type id, name, custom schema or None) for each object to pull, in order."""
    standard = standard_objects()
    custom = {str(s.get("objectTypeId")): s for s in schemas if s.get("objectTypeId")}
    if not objects:
        found: list[tuple[str, str, Mapping[str, Any] | None]] = []
        for name in DEFAULT_OBJECTS:
            oid = resolve_object(name)
            assert oid is not None, name  # DEFAULT_OBJECTS are all in objects.json
            found.append((oid, standard[oid].name, None))
        found.extend((oid, str(s.get("name") or oid), s) for oid, s in sorted(custom.items()))
        return found
    targets: list[tuple[str, str, Mapping[str, Any] | None]] = []
    seen = set()
    for asked in objects:
        oid = resolve_object(asked)
        schema = custom.get(oid or "") or _schema_named(asked, schemas)
        target: tuple[str, str, Mapping[str, Any] | None]
        if schema is not None:
            target = (str(schema["objectTypeId"]), str(schema.get("name") or asked), schema)
        elif oid is not None and oid in standard:
            target = (oid, standard[oid].name, None)
        else:
            names = sorted(
                {o.name for o in standard.values()} | {str(s.get("name")) for s in schemas}
            )
            close = difflib.get_close_matches(asked, names, n=1)
            raise UsageError(
                f"unknown object {asked!r}: neither a standard object nor one of the account's "
                "custom objects",
                hint=f'did you mean "{close[0]}"?'
                if close
                else "give a name like contacts, "
                "an object type id like 0-1, or a custom object's name",
            )
        if target[0] not in seen:
            seen.add(target[0])
            targets.append(target)
    return targets


def _schema_named(asked: str, schemas: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    wanted = asked.strip().lower()
    for schema in schemas:
        labels = schema.get("labels") or {}
        names = {
            str(schema.get("name") or ""),
            str(schema.get("fullyQualifiedName") or ""),
            str(labels.get("singular") or ""),
            str(labels.get("plural") or ""),
        }
        if wanted in {n.lower() for n in names if n}:
            return schema
    return None


def _portal_id(schemas: Sequence[Mapping[str, Any]]) -> int | None:
    """The account id, when an answer reveals it: custom objects' `fullyQualifiedName`
    is `p<portalId>_<name>`. Nothing else the pull reads names the account."""
    for schema in schemas:
        fqn = str(schema.get("fullyQualifiedName") or "")
        head = fqn.split("_", 1)[0]
        if head.startswith("p") and head[1:].isdigit():
            return int(head[1:])
    return None
