"""Rules about associations: multi-file common columns, labels, same-object keys, events."""

from __future__ import annotations

from collections.abc import Iterator

from specc.catalog.objects import (
    CUSTOM_OBJECT_ID,
    default_association_type,
    known_association_types,
)
from specc.codes import mapping as codes
from specc.diagnostics import Diagnostic, Severity
from specc.rules.context import (
    CONTACTS,
    RECORD_ID,
    Context,
    label,
    names,
    object_name,
    prose,
    writes,
)
from specc.spec.model import Association, Column, DataFile


def _holds(file: DataFile, object_type_id: str) -> bool:
    """The file's rows hold records of the object (some column writes its properties)."""
    return any(writes(c) and c.object_type_id == object_type_id for c in file.columns)


def common_columns(ctx: Context) -> Iterator[Diagnostic]:
    """SPC230/SPC231/SPC232: a `references` column finds its owning file's association key."""
    for file, column in ctx.spec.columns():
        target = column.references
        if target is None or column.object_type_id is None:
            continue
        owners = [f for f in ctx.spec.files if f is not file and _holds(f, target)]
        if not owners:
            yield codes.REFERENCE_WITHOUT_OWNING_FILE.at(
                f"column '{column.name}' references {label(target)}, but no other file of the "
                f"import holds {label(target)}",
                hint=f"add the file of {label(target)} with an `association_key: true` column "
                f"named '{column.name}'",
                spec=ctx.at(column.pointer, "references", value=True),
            )
            continue
        keys = [
            k
            for f in owners
            for k in f.columns
            if k.name == column.name and k.association_key and k.object_type_id == target
        ]
        if not keys:
            yield codes.REFERENCE_WITHOUT_ASSOCIATION_KEY.at(
                f"column '{column.name}' references {label(target)}, but "
                f"{names(f.file_name for f in owners)} has no column '{column.name}' marked "
                "`association_key: true`",
                hint=_key_hint(column, owners, target),
                spec=ctx.at(column.pointer, "references", value=True),
            )
            continue
        for key in keys:
            if key.property is None or ctx.is_identifier(target, key.property) is not False:
                continue
            ids = ctx.identifiers(target) or [RECORD_ID]
            yield codes.ASSOCIATION_KEY_NOT_IDENTIFIER.at(
                f"the common column '{key.name}' maps '{key.property}', which does not "
                f"identify {label(target)} records",
                hint=f"use one of {names(ids, 'or')} for the common column, or import both "
                "objects in one file",
                spec=ctx.at(key.pointer, "property", value=True),
            )


def _key_hint(column: Column, owners: list[DataFile], target: str) -> str:
    for f in owners:
        for k in f.columns:
            if k.name == column.name:
                return f"mark column '{k.name}' of {f.file_name} `association_key: true`"
    marked = [k.name for f in owners for k in f.columns if k.association_key]
    if marked:
        return (
            f"name this column like the association key {names(marked, 'or')}, "
            "or the other way round"
        )
    return (
        f"add the common column '{column.name}' to the file of {label(target)}, marked "
        "`association_key: true`"
    )


def unreferenced_keys(ctx: Context) -> Iterator[Diagnostic]:
    """SPC233: an `association_key` column is pointed at by some `references` column."""
    for file, column in ctx.spec.columns():
        if not column.association_key or column.object_type_id is None:
            continue
        used = any(
            other is not file and c.references == column.object_type_id and c.name == column.name
            for other, c in ctx.spec.columns()
        )
        if not used:
            yield codes.UNREFERENCED_ASSOCIATION_KEY.at(
                f"no other file has a column '{column.name}' with "
                f"`references: {object_name(column.object_type_id)}`, so association key "
                f"'{column.name}' "
                "associates nothing",
                hint="add the `references` column to the other file, or drop `association_key`",
                spec=ctx.at(column.pointer, "association_key"),
            )


def association_types(ctx: Context) -> Iterator[Diagnostic]:
    """SPC234: a HUBSPOT_DEFINED association type exists from the column's object to the target."""
    for _, column in ctx.spec.columns():
        association = column.association
        if column.references is None or association is None or column.object_type_id is None:
            continue
        source, target = column.object_type_id, column.references
        yield from _check_type(ctx, column, association, source, target)


def _check_type(
    ctx: Context, column: Column, association: Association, source: str, target: str
) -> Iterator[Diagnostic]:
    where = ctx.at(column.pointer, "association")
    pair = f"{label(source)} to {label(target)}"
    known = known_association_types(source, target)
    custom = bool(CUSTOM_OBJECT_ID.match(source) or CUSTOM_OBJECT_ID.match(target))
    if association.category != "HUBSPOT_DEFINED" or custom or not known:
        if association.explicit:
            yield codes.UNKNOWN_ASSOCIATION_TYPE.at(
                f"cannot confirm association type {association.type_id} "
                f"({association.category}) from {pair}",
                hint="labels the account defined are listed by "
                f"GET /crm/v4/associations/{source}/{target}/labels",
                spec=where,
                severity=Severity.INFO,
            )
        return
    if association.type_id in known:
        return
    default = default_association_type(source, target)
    reverse = known_association_types(target, source)
    hint = f"HubSpot's type from {pair} is {default}" if default is not None else ""
    if association.type_id in reverse:
        hint = f"{association.type_id} is the type from {label(target)} to {label(source)}; " + (
            hint or "use the type of this direction"
        )
    yield codes.UNKNOWN_ASSOCIATION_TYPE.at(
        f"HubSpot defines no association type {association.type_id} from {pair}",
        hint=hint or "remove `association:` to use HubSpot's default",
        spec=where,
    )


def label_columns(ctx: Context) -> Iterator[Diagnostic]:
    """SPC240/SPC241: a label column sits between two different objects of the same row."""
    for file in ctx.spec.files:
        held = ctx.file_objects(file)
        for column in file.columns:
            if column.label is None or column.object_type_id is None or column.ignore:
                continue
            own, other = column.object_type_id, column.label
            if own == other:
                yield codes.LABEL_SAME_OBJECT.at(
                    f"label column '{column.name}' would label associations between "
                    f"{label(own)} and itself",
                    hint="set `label:` to the row's other object; same-object associations "
                    "use `association_keys`",
                    spec=ctx.at(column.pointer, "label", value=True),
                )
                continue
            missing = [o for o in (own, other) if o not in held]
            if missing:
                yield codes.LABEL_OBJECT_MISSING.at(
                    f"label column '{column.name}' labels {label(own)} to {label(other)}, but "
                    f"{file.file_name} has no columns of {prose(map(label, missing))}",
                    hint="add the object's columns to the file (with `object:`), "
                    "or correct `label:`",
                    spec=ctx.at(column.pointer, "label", value=True),
                )


def same_object_keys(ctx: Context) -> Iterator[Diagnostic]:
    """SPC242/SPC243: `association_keys` identify another record of the row's own object."""
    for file in ctx.spec.files:
        for column in file.columns:
            if not column.association_keys or column.ignore or column.object_type_id is None:
                continue
            own = column.object_type_id
            if file.object_type_id is not None and own != file.object_type_id:
                yield codes.ASSOCIATION_KEYS_ACROSS_OBJECTS.at(
                    f"`association_keys` column '{column.name}' is of {label(own)}, but "
                    f"{file.file_name} holds {label(file.object_type_id)}: association keys "
                    "associate records of one object",
                    hint="put the other object's columns in the file with `object:`, "
                    "or use `references` in a multi-file import",
                    spec=ctx.at(column.pointer, "association_keys"),
                )
                continue
            if not _holds(file, own):
                yield codes.ASSOCIATION_KEYS_ACROSS_OBJECTS.at(
                    f"`association_keys` column '{column.name}' needs the row's own "
                    f"{label(own)} record in {file.file_name}, which has no other column of it",
                    hint=f"add the {label(own)} identifier column for the row's own record",
                    spec=ctx.at(column.pointer, "association_keys"),
                )
                continue
            if column.property and ctx.is_identifier(own, column.property) is False:
                ids = ctx.identifiers(own) or [RECORD_ID]
                yield codes.ASSOCIATION_KEYS_NOT_IDENTIFIER.at(
                    f"`association_keys` column '{column.name}' maps '{column.property}', "
                    f"which does not identify {label(own)} records",
                    hint=f"map it to {names(ids, 'or')}",
                    spec=ctx.at(column.pointer, "property", value=True),
                )


def marketing_events(ctx: Context) -> Iterator[Diagnostic]:
    """SPC245/SPC246/SPC247: event columns, `marketing_event` and contacts' email go together."""
    with_events = [f for f in ctx.spec.files if any(c.event for c in f.columns)]
    if not with_events:
        if ctx.spec.marketing_event is not None:
            yield codes.MARKETING_EVENT_WITHOUT_EVENTS.at(
                "`marketing_event` is set, but no column has `event:`",
                hint="add event timestamp columns (`event: registered`, ...), or remove "
                "`marketing_event`",
                spec=ctx.at("/marketing_event"),
            )
        return
    if ctx.spec.marketing_event is None:
        first = next(c for c in with_events[0].columns if c.event)
        yield codes.EVENT_WITHOUT_MARKETING_EVENT.at(
            f"event column '{first.name}' needs the marketing event's record id",
            hint="set `marketing_event:` at the top of the spec",
            spec=ctx.at(first.pointer, "event"),
        )
    for file in with_events:
        contact_props = {
            c.property for c in file.columns if writes(c) and c.object_type_id == CONTACTS
        }
        if "email" in contact_props:
            continue
        by_id = RECORD_ID in contact_props
        yield codes.EVENT_WITHOUT_CONTACT_EMAIL.at(
            f"{file.file_name} records event participation, but "
            + (
                "identifies contacts by record id, not by email as HubSpot documents"
                if by_id
                else "has no contacts email column to say who participated"
            ),
            hint="add the contacts' email column, marked `id: true`",
            spec=ctx.at(file.pointer),
            severity=Severity.WARNING if by_id else None,
        )


RULES = (
    common_columns,
    unreferenced_keys,
    association_types,
    label_columns,
    same_object_keys,
    marketing_events,
)
