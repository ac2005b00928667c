"""`specc catalog pull`: an account's property definitions as a catalog snapshot document.

Properties come from `GET /crm/v3/properties/{objectType}` (as HubSpot returns them, so the
snapshot keeps every field), custom objects from `GET /crm/v3/schemas` (their ids, names and
`requiredProperties`). The document is built by `specc.catalog.snapshot.snapshot_document`;
writing it (validated, atomically) is the caller's.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from specc.catalog.objects import resolve_object, standard_objects
from specc.errors import UsageError
from specc.hubspot.client import Budget, HubSpotClient
from specc.hubspot.errors import HubSpotApiError

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
    for object_type_id, name, schema in _targets(objects, schemas):
        properties = client.properties(object_type_id if schema else name, budget)
        entry: dict[str, Any] = {
            "objectTypeId": object_type_id,
            "name": name,
            "properties": properties,
        }
        if schema is not None and isinstance(schema.get("requiredProperties"), list):
            entry["requiredProperties"] = [str(p) for p in schema["requiredProperties"]]
        entries.append(entry)
    portal_id = _portal_id(schemas)
    return snapshot_document(entries, portal_id, now or datetime.now(UTC)), notes


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
