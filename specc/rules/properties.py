"""Rules about the properties columns map: they exist, belong to the object, can be written."""

from __future__ import annotations

from collections.abc import Iterator

from specc.catalog.model import Catalog, ObjectType, pipeline_properties
from specc.codes import data as data_codes
from specc.codes import mapping as codes
from specc.diagnostics import Diagnostic, Severity
from specc.rules.context import RECORD_ID, Context, label, names, object_name, prose, writes


def _suggestions(obj: ObjectType, name: str) -> list[str]:
    """Properties the user may have meant: a label typed for a name, then spelling neighbours."""
    import difflib  # only on a miss: lint of a clean spec never needs it

    wanted = name.strip().casefold()
    by_label = [p.name for p in obj.properties.values() if p.label and p.label.casefold() == wanted]
    if by_label:
        return by_label
    close = difflib.get_close_matches(name, list(obj.properties), n=3, cutoff=0.7)
    if close:
        return close
    folded = {p.casefold(): p for p in obj.properties}
    return [folded[m] for m in difflib.get_close_matches(wanted, list(folded), n=3, cutoff=0.6)]


def _by_label(obj: ObjectType, name: str) -> list[str]:
    wanted = " ".join(name.split()).casefold()
    return [
        p.name
        for p in obj.properties.values()
        if p.label and " ".join(p.label.split()).casefold() == wanted
    ]


def _not_a_name(obj: ObjectType | None, prop: str) -> tuple[str, str] | None:
    """(why, hint) when `prop` cannot be an internal name at all: it is the label of one of
    the object's properties, or it holds whitespace. HubSpot maps columns by internal name
    (lower case, digits and underscores), so such a column fails every row, whatever the
    catalog; specc says so as an error even with the bundled catalog."""
    named = _by_label(obj, prop) if obj is not None else []
    if named:
        return (
            f"'{prop}' is the label of {names(named, 'and')}, not an internal name",
            f"write the internal name: {names(named, 'or')}",
        )
    if any(ch.isspace() for ch in prop):
        guess = "_".join(prop.split()).lower()
        return (
            f"'{prop}' holds whitespace, which internal property names never do",
            f"write the property's internal name (lower case with underscores, e.g. '{guess}')",
        )
    return None


def unknown_properties(ctx: Context) -> Iterator[Diagnostic]:
    """SPC200/SPC201/SPC202: every mapped property exists on its column's object.

    Severity: an error with a snapshot (the account's truth); a warning with the bundled
    catalog (the property may be the account's own); a note for an object the bundle knows
    only in part (`properties_complete` False: a missing property is no sign of a mistake).
    A label or a name with whitespace is an error everywhere: no internal name looks so."""
    unconfirmed: set[str] = set()
    source = (
        f"the catalog snapshot {ctx.catalog.source}"
        if ctx.catalog.is_snapshot
        else "the bundled catalog of HubSpot's default properties"
    )
    for _, column in ctx.spec.columns():
        if not column.is_property or column.object_type_id is None or column.property is None:
            continue
        oid, prop = column.object_type_id, column.property
        obj = ctx.object(oid)
        if obj is None:
            if oid not in unconfirmed:
                unconfirmed.add(oid)
                yield codes.OBJECT_NOT_IN_CATALOG.at(
                    f"cannot confirm the properties of {label(oid)}: {source} has no "
                    "property list for it",
                    hint="pull a catalog snapshot that includes it "
                    "(specc catalog pull --object OBJ -o FILE) and name it under `catalog:`",
                    spec=ctx.at(column.pointer),
                    severity=Severity.WARNING if ctx.catalog.is_snapshot else Severity.INFO,
                )
            continue
        if prop in obj.properties:
            continue
        where = ctx.at(column.pointer, "property", value=True)
        not_a_name = _not_a_name(obj, prop)
        if not_a_name is not None:
            why, hint = not_a_name
            yield codes.UNKNOWN_PROPERTY.at(f"{label(oid)}: {why}", hint=hint, spec=where)
            continue
        severity = _severity(ctx.catalog, obj)
        others = [o for o in ctx.catalog.objects_with_property(prop) if o != oid]
        if others:
            yield codes.PROPERTY_OF_ANOTHER_OBJECT.at(
                f"'{prop}' is not a property of {label(oid)}; {prose(map(label, others))} "
                f"{'has' if len(others) == 1 else 'have'} it",
                hint=f"if the column holds {label(others[0])} data, give it "
                f"`object: {object_name(others[0])}`",
                spec=where,
                severity=severity,
            )
            continue
        yield codes.UNKNOWN_PROPERTY.at(
            f"{label(oid)} has no property '{prop}' in {source}",
            hint=_did_you_mean(obj, prop, "did you mean ")
            or (
                "it may be one of the account's own properties; pull a snapshot to check"
                if not ctx.catalog.is_snapshot
                else "use the property's internal name"
            ),
            spec=where,
            severity=severity,
        )


def _severity(catalog: Catalog, obj: ObjectType) -> Severity:
    if catalog.is_snapshot:
        return Severity.ERROR
    return Severity.WARNING if obj.properties_complete else Severity.INFO


def _did_you_mean(obj: ObjectType, prop: str, lead: str) -> str:
    found = _suggestions(obj, prop)
    return f"{lead}{' or '.join(repr(s) for s in found)}?" if found else ""


def read_only_properties(ctx: Context) -> Iterator[Diagnostic]:
    """SPC203: no column writes a property HubSpot sets itself.

    A column that matches records (`id: true` on an identifier) is not a write. Unknown
    writability (`read_only is None`) says nothing: many writable properties have no flag in
    the bundled catalog (tickets' `content`), and a false error is as bad as a missed one.
    """
    for _, column in ctx.spec.columns():
        if not writes(column) or column.property == RECORD_ID:
            continue
        assert column.object_type_id is not None and column.property is not None
        prop = ctx.catalog.property(column.object_type_id, column.property)
        if prop is None or not (prop.read_only or prop.calculated):
            continue
        if column.id and ctx.is_identifier(column.object_type_id, column.property):
            continue
        why = "calculated by HubSpot" if prop.calculated else "read-only"
        yield codes.READ_ONLY_PROPERTY.at(
            f"'{column.property}' of {label(column.object_type_id)} is {why}; "
            "an import cannot write it",
            hint="drop the column or mark it `ignore: true`",
            spec=ctx.at(column.pointer, "property", value=True),
        )


def record_id_marked(ctx: Context) -> Iterator[Diagnostic]:
    """SPC206: the record id column is typed as one (`id: true`); as a plain property HubSpot
    tries to write the read-only record id and fails every row (FAILED_VALIDATION)."""
    for _, column in ctx.spec.columns():
        if writes(column) and column.property == RECORD_ID and not column.id:
            yield codes.RECORD_ID_NOT_MARKED.at(
                f"column '{column.name}' maps the record id as a plain property; HubSpot "
                "cannot write it and fails every row",
                hint=f"map it as `{column.name}: {{property: hs_object_id, id: true}}` so "
                "HubSpot matches rows to records by it",
                spec=ctx.at(column.pointer),
            )


def id_on_identifier(ctx: Context) -> Iterator[Diagnostic]:
    """SPC204: `id: true` only on properties that identify the object's records."""
    for _, column in ctx.spec.columns():
        if not column.id or not writes(column):
            continue
        assert column.object_type_id is not None and column.property is not None
        if ctx.is_identifier(column.object_type_id, column.property) is not False:
            continue
        ids = ctx.identifiers(column.object_type_id) or [RECORD_ID]
        yield codes.ID_NOT_AN_IDENTIFIER.at(
            f"'{column.property}' cannot identify {label(column.object_type_id)} records, "
            "but the column is marked `id: true`",
            hint=f"identifiers of {label(column.object_type_id)}: {names(ids)}; "
            "or remove `id: true`",
            spec=ctx.at(column.pointer, "id"),
        )


def mapped_twice(ctx: Context) -> Iterator[Diagnostic]:
    """SPC205: within one file, a property of an object is written by one column at most."""
    for file in ctx.spec.files:
        first: dict[tuple[str, str], str] = {}
        for column in file.columns:
            if not writes(column):
                continue
            assert column.object_type_id is not None and column.property is not None
            key = (column.object_type_id, column.property)
            if key not in first:
                first[key] = column.name
                continue
            yield codes.PROPERTY_MAPPED_TWICE.at(
                f"columns '{first[key]}' and '{column.name}' both map '{column.property}' "
                f"of {label(column.object_type_id)}",
                hint=f"keep one; mark '{column.name}' `ignore: true`",
                spec=ctx.at(column.pointer, "property", value=True),
            )


def account_data_notes(ctx: Context) -> Iterator[Diagnostic]:
    """SPC442 and SPC439, each once per spec: the account data the snapshot lacks for the
    columns that need it (owners; pipelines; the validation rules of a format 2 pull that
    could not read them), and the validation rules specc does not evaluate."""
    catalog = ctx.catalog
    if not catalog.is_snapshot:
        return

    lacking: dict[str, list[str]] = {}
    first: dict[str, str] = {}
    seen_rules: set[tuple[str, str, str]] = set()
    for _, column in ctx.spec.columns():
        if not writes(column) or column.ignore:
            continue
        assert column.object_type_id is not None and column.property is not None
        oid, name = column.object_type_id, column.property
        obj = catalog.object(oid)
        prop = obj.properties.get(name) if obj is not None else None
        if obj is None or prop is None:
            continue
        parts = []
        if prop.names_owners and catalog.owners is None:
            parts.append("owners")
        if name in pipeline_properties(oid) and obj.pipelines is None:
            parts.append("pipelines")
        if obj.validation_rules is None and (catalog.snapshot_format or 0) >= 2:
            parts.append("validation rules")
        for part in parts:
            lacking.setdefault(part, []).append(column.name)
            first.setdefault(part, column.pointer)
        rules = (obj.validation_rules or {}).get(name, ())
        if not rules:
            continue
        # Only now: judging a rule's arguments needs the value checks (and Arrow for RE2).
        from specc.data.values.validations import rule_name, unevaluated

        for rule, why in unevaluated(rules):
            key = (oid, name, rule.rule_type)
            if key in seen_rules:
                continue
            seen_rules.add(key)
            yield data_codes.RULE_NOT_EVALUATED.at(
                f"the validation rule {rule_name(rule)} of '{name}' ({label(oid)}) is not "
                f"checked: {why}",
                hint="HubSpot may still refuse values under it "
                "(INVALID_CUSTOM_PROPERTY_VALIDATION)",
                spec=ctx.at(column.pointer, "property", value=True),
            )
    for part, columns in lacking.items():
        shown = names(columns[:5]) + (" and more" if len(columns) > 5 else "")
        yield data_codes.ACCOUNT_DATA_UNKNOWN.at(
            f"catalog snapshot {catalog.source} holds no {part}: the values of {shown} are "
            f"not checked against the account's {part}",
            hint="pull it again with `specc catalog pull` (it names any scope the token lacks)",
            spec=ctx.at(first[part]),
        )


RULES = (
    unknown_properties,
    read_only_properties,
    record_id_marked,
    id_on_identifier,
    mapped_twice,
    account_data_notes,
)
