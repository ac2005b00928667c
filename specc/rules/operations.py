"""Rules about what each object's operation needs: identifiers, required properties, activities."""

from __future__ import annotations

from collections.abc import Iterator

from specc.catalog.objects import standard_objects
from specc.codes import mapping as codes
from specc.diagnostics import Diagnostic, Severity, SpecLocation
from specc.rules.context import CONTACTS, RECORD_ID, Context, label, names, prose
from specc.spec.model import Column

# KB: "existing emails, meetings, notes, and tasks cannot be updated via import".
NOT_UPDATABLE = ("0-27", "0-46", "0-47", "0-49")
# Older KB: "emails, meetings, and notes must be imported and associated with a CRM object".
NEED_ASSOCIATION = ("0-46", "0-47", "0-49")


def is_activity(object_type_id: str) -> bool:
    info = standard_objects().get(object_type_id)
    return info is not None and info.activity


def _explicit(ctx: Context, object_type_id: str) -> str | None:
    """The operation the spec gives the object, or None when HubSpot's default applies."""
    if ctx.spec.operations is None:
        return None
    return ctx.spec.operations.get(object_type_id)


def _object_at(ctx: Context, object_type_id: str) -> SpecLocation:
    """Where an object-wide problem points: its operation, else its first column's file."""
    if _explicit(ctx, object_type_id) is not None:
        return ctx.operation_at(object_type_id)
    file, _ = ctx.writing_columns[object_type_id][0]
    return ctx.at(file.pointer)


def identifier_columns(ctx: Context) -> Iterator[Diagnostic]:
    """SPC210/SPC211/SPC212: UPDATE and UPSERT have a column that finds the records."""
    for oid, columns in sorted(ctx.writing_columns.items()):
        operation = ctx.spec.operation(oid)
        if operation == "CREATE" or oid in NOT_UPDATABLE:
            continue  # these activities are only ever created (SPC215 covers their updates)
        if is_activity(oid) and operation != "UPDATE":
            continue  # an activity upsert creates; duplicates are not a concern there
        # `id: true` on a property the catalog cannot judge is taken at its word (SPC204
        # reports the ones it can); an unmarked column counts only when it surely identifies.
        marked = [
            c for _, c in columns if c.id and ctx.is_identifier(oid, c.property or "") is not False
        ]
        unmarked = [c for _, c in columns if not c.id and ctx.is_identifier(oid, c.property or "")]
        known = ctx.identifiers(oid)
        candidates = names(known, "or") if known else f"'{RECORD_ID}' or a unique property"
        if not marked and not unmarked:
            if operation == "UPDATE":
                yield codes.UPDATE_WITHOUT_IDENTIFIER.at(
                    f"UPDATE of {label(oid)} has no column that identifies its records",
                    hint=f"add a column mapping {candidates}, marked `id: true`",
                    spec=_object_at(ctx, oid),
                    # An object the catalog lacks may have unique properties specc cannot see.
                    severity=None if known is not None else Severity.WARNING,
                )
            else:
                default = "" if _explicit(ctx, oid) else " (HubSpot's default operation)"
                yield codes.UPSERT_WITHOUT_IDENTIFIER.at(
                    f"UPSERT{default} of {label(oid)} has no column that identifies its "
                    "records: every row creates a new record",
                    hint=f"add a column mapping {candidates} marked `id: true`, "
                    "or say `create` under `operations` if new records are intended",
                    spec=_object_at(ctx, oid),
                )
            continue
        named = [c for c in unmarked if c.property != RECORD_ID]  # SPC206 covers the record id
        obj = ctx.object(oid)
        if operation == "UPSERT" and obj is not None:
            # HubSpot deduplicates contacts by email and companies by domain whatever the
            # column type (its own documented examples leave them unmarked): no note needed.
            named = [c for c in named if c.property not in obj.alternate_ids]
        if not marked and named:
            column = named[0]
            yield codes.IDENTIFIER_NOT_MARKED.at(
                f"{label(oid)} records are matched by column '{column.name}' "
                f"('{column.property}'), which is not marked `id: true`",
                hint=f"add `id: true` to column '{column.name}'",
                spec=ctx.at(column.pointer),
            )


def required_properties(ctx: Context) -> Iterator[Diagnostic]:
    """SPC213/SPC214: a CREATE maps the properties the object needs to create records.

    An object `operations` CREATEs though no column writes it is one too: HubSpot checks
    each CREATE of importOperations ("any Imports API requests that include importOptions
    set to CREATE, and the required properties for that object type are missing, we will
    return a 400 error")."""
    created = {oid for oid, op in (ctx.spec.operations or {}).items() if op == "CREATE"}
    for oid in sorted(ctx.writing_columns.keys() | created):
        columns = ctx.writing_columns.get(oid, [])
        obj = ctx.object(oid)
        if obj is None:
            continue
        create = _explicit(ctx, oid) == "CREATE"
        if not create and not (is_activity(oid) and ctx.spec.operation(oid) != "UPDATE"):
            continue
        present = {c.property for _, c in columns if c.property is not None}
        rule = obj.required
        missing = [n for n in rule.all_of if n not in present]
        groups = [g for g in rule.one_of if not any(n in present for n in g)]
        if missing or groups:
            parts = [f"'{n}'" for n in missing] + [
                f"one of {names(g, 'or')}" if len(g) > 1 else f"'{g[0]}'" for g in groups
            ]
            needed = prose(parts)
            message = (
                f"CREATE of {label(oid)} needs {needed}"
                if create
                else f"every row creates {label(oid)}, which need {needed}"
            )
            source = f" (rule: {rule.source})" if rule.source else ""
            yield codes.CREATE_MISSING_REQUIRED.at(
                message,
                hint=f"add columns for {needed}"
                + ("; HubSpot refuses the whole request otherwise" if create else "")
                + source,
                spec=_object_at(ctx, oid),
                severity=None if create else Severity.WARNING,
            )
        advised = [n for n in rule.recommended if n not in present]
        if advised and not missing and not groups:
            yield codes.CREATE_MISSING_RECOMMENDED.at(
                f"new {label(oid)} records get no {names(advised)}: HubSpot advises "
                f"including {'it' if len(advised) == 1 else 'them'}",
                hint=f"add a column for {names(advised)}",
                spec=_object_at(ctx, oid),
            )


def activity_updates(ctx: Context) -> Iterator[Diagnostic]:
    """SPC215: no update of emails, meetings, notes or tasks."""
    for oid in NOT_UPDATABLE:
        columns = ctx.writing_columns.get(oid)
        if not columns:
            continue
        explicit = _explicit(ctx, oid)
        if explicit == "UPDATE":
            yield codes.ACTIVITY_UPDATE.at(
                f"existing {label(oid)} cannot be updated via import",
                hint="use `create`",
                spec=ctx.operation_at(oid),
            )
        elif explicit == "UPSERT":
            yield codes.ACTIVITY_UPDATE.at(
                f"existing {label(oid)} cannot be updated via import: UPSERT only creates them",
                hint="say `create` for it",
                spec=ctx.operation_at(oid),
                severity=Severity.WARNING,
            )
        elif explicit is None:
            record_ids = [c for _, c in columns if c.property == RECORD_ID]
            if record_ids:
                yield codes.ACTIVITY_UPDATE.at(
                    f"column '{record_ids[0].name}' names existing {label(oid)}, which cannot "
                    "be updated via import",
                    hint="drop the record id column; rows create new activities",
                    spec=ctx.at(record_ids[0].pointer),
                    severity=Severity.WARNING,
                )


def activity_associations(ctx: Context) -> Iterator[Diagnostic]:
    """SPC216: emails, meetings and notes come with a record to associate them with."""
    for oid in NEED_ASSOCIATION:
        columns = ctx.writing_columns.get(oid)
        if not columns:
            continue
        if any(_associates(ctx, oid, file_columns) for file_columns in _files_of(ctx, oid)):
            continue
        if any(c.references == oid for _, c in ctx.spec.columns()):
            continue
        file, _ = columns[0]
        yield codes.ACTIVITY_WITHOUT_ASSOCIATION.at(
            f"{label(oid)} are imported without a record to associate them with",
            hint="add a column of the associated object (e.g. the contact's email with "
            "`object: contacts`) to the same file",
            spec=ctx.at(file.pointer),
        )


def _files_of(ctx: Context, object_type_id: str) -> list[tuple[Column, ...]]:
    return [
        f.columns
        for f in ctx.spec.files
        if any(c.object_type_id == object_type_id for c in f.columns)
    ]


def _associates(ctx: Context, activity: str, columns: tuple[Column, ...]) -> bool:
    for column in columns:
        if column.ignore or column.event is not None:
            continue
        other = column.references or column.label or column.object_type_id
        if other is not None and other != activity and not is_activity(other):
            return True
    return False


def unused_operations(ctx: Context) -> Iterator[Diagnostic]:
    """SPC217: every operation is for an object some column belongs to."""
    for oid in sorted(ctx.spec.operations or {}):
        if oid in ctx.used_objects:
            continue
        yield codes.OPERATION_FOR_UNUSED_OBJECT.at(
            f"`operations` names {label(oid)}, but no column belongs to it",
            hint="remove the operation, or check the columns' `object:`",
            spec=ctx.operation_at(oid),
        )


def contact_options(ctx: Context) -> Iterator[Diagnostic]:
    """SPC218: `marketable` and `create_list` only with contacts in the import."""
    if CONTACTS in ctx.writing_columns:
        return
    for key, value in (("marketable", ctx.spec.marketable), ("create_list", ctx.spec.create_list)):
        if value is not None:
            yield codes.CONTACT_OPTION_WITHOUT_CONTACTS.at(
                f"`{key}` applies to contacts, and this import has no contact columns",
                hint=f"remove `{key}`",
                spec=ctx.at(f"/{key}"),
            )


RULES = (
    identifier_columns,
    required_properties,
    activity_updates,
    activity_associations,
    unused_operations,
    contact_options,
)
