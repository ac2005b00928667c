"""The plan for checking one data file's rows: what each column's cells must be, worked out
once from the spec and the catalog before any row is read.

`plan_file` gives a `FilePlan`: per column its property, the exact checks of a text cell and
of a typed spreadsheet cell, the accept pattern that spares most cells the exact check, and
the duplicate rule of identifier columns; per object the columns that write it and the
properties a CREATE needs; the rules over two columns (a deal stage of the row's pipeline).
The plan is read-only: the batch checks (`specc.data.row_checks`) run it in the reader's
worker threads and on the main thread at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from specc.codes import Code
from specc.codes import rows as codes
from specc.diagnostics import SpecLocation

if TYPE_CHECKING:
    from specc.catalog.model import Catalog, Property
    from specc.data.values.base import TextCheck, TypedCheck
    from specc.spec.model import Column, DataFile, Spec

# Identifier values compare as HubSpot stores them: emails and domains in lower case.
_CASELESS_KINDS = frozenset({"email", "domain"})


@dataclass(frozen=True)
class ColumnPlan:
    """How the cells of one column are checked."""

    index: int
    column: Column
    where: SpecLocation
    prop: Property | None = None
    check: TextCheck | None = None  # a text cell -> Problem | None
    check_typed: TypedCheck | None = None  # a typed spreadsheet cell -> Problem | None
    accept: str | None = None  # regex every match of which `check` accepts; "": any text
    literals: frozenset[str] | None = None  # `accept` as a set of strings, when it is one
    dedupe: Code | None = None  # the duplicate rule of its values, if any
    caseless: bool = False  # values compare in lower case (emails, domains)


@dataclass(frozen=True)
class Requirement:
    """For an object the file creates: of `columns` (indices) one must be filled."""

    object_type_id: str
    columns: tuple[int, ...]
    why: str  # "email is required to create Contact"


@dataclass(frozen=True)
class FilePlan:
    """Everything the row checks of one file need to know before its first row."""

    spec: Spec
    file: DataFile
    where: SpecLocation  # the file's entry in the spec
    columns: tuple[ColumnPlan, ...]
    # Object type id -> indices of the columns that write its properties, and its name.
    objects: Mapping[str, tuple[int, ...]]
    object_names: Mapping[str, str]
    required: tuple[Requirement, ...]
    stage_rules: tuple[Any, ...]  # specc.data.values.rows_account.StageRule
    fast: bool = True  # the accept patterns may spare cells the exact check

    @property
    def checked(self) -> tuple[ColumnPlan, ...]:
        """The columns whose values are checked (they map a property the catalog knows)."""
        return tuple(p for p in self.columns if p.check is not None)

    @property
    def identifiers(self) -> tuple[ColumnPlan, ...]:
        """The columns whose values must not repeat."""
        return tuple(p for p in self.columns if p.dedupe is not None)


def plan_file(spec: Spec, data_file: DataFile, catalog: Catalog, *, fast: bool = True) -> FilePlan:
    """The plan for `data_file`. `fast=False`: every non-empty cell gets the exact check."""
    from specc.data.values.rows_account import stage_rules

    columns = tuple(
        _column_plan(spec, data_file, catalog, j, c) for j, c in enumerate(data_file.columns)
    )
    objects: dict[str, list[int]] = {}
    for plan in columns:
        c = plan.column
        if c.is_property and c.object_type_id is not None:
            objects.setdefault(c.object_type_id, []).append(plan.index)
    names = {}
    for oid in objects:
        obj = catalog.object(oid)
        names[oid] = obj.name if obj is not None else oid
    return FilePlan(
        spec=spec,
        file=data_file,
        where=spec.where(data_file.pointer),
        columns=columns,
        objects={oid: tuple(indices) for oid, indices in objects.items()},
        object_names=names,
        required=tuple(_required(spec, catalog, columns, objects)),
        stage_rules=tuple(stage_rules(data_file, catalog)),
        fast=fast,
    )


def _column_plan(
    spec: Spec, data_file: DataFile, catalog: Catalog, j: int, column: Column
) -> ColumnPlan:
    where = spec.where(column.pointer)
    if not column.is_property or column.object_type_id is None or column.property is None:
        return ColumnPlan(j, column, where)
    oid = column.object_type_id
    prop = catalog.property(oid, column.property)
    column_type = None
    if column.id:
        column_type = (
            "HUBSPOT_OBJECT_ID" if column.property == "hs_object_id" else "HUBSPOT_ALTERNATE_ID"
        )
    kind = None
    check = check_typed = None
    accept = None
    literals = None
    if prop is not None:
        from specc.data import values
        from specc.data.columns import literal_alternatives

        settings: dict[str, Any] = {
            "date_format": spec.date_format,
            "snapshot": catalog.is_snapshot,
            "column_type": column_type,
            "object_type_id": oid,
            "catalog": catalog,
        }
        check = values.checker_for(prop, **settings)
        check_typed = values.typed_checker_for(prop, **settings)
        pattern = values.accept_pattern(prop, **settings)
        accept = "" if pattern == f"^(?:{values.ANY_TEXT})$" else pattern
        if accept:
            literals = literal_alternatives(accept)
        kind = values.kind_of(prop, column_type=column_type, object_type_id=oid).value
    return ColumnPlan(
        index=j,
        column=column,
        where=where,
        prop=prop,
        check=check,
        check_typed=check_typed,
        accept=accept,
        literals=literals,
        dedupe=_dedupe_code(data_file, catalog, column, prop),
        caseless=kind in _CASELESS_KINDS
        or (kind is None and column.property in ("email", "domain")),
    )


def _dedupe_code(
    data_file: DataFile, catalog: Catalog, column: Column, prop: Property | None
) -> Code | None:
    """Which duplicate rule the column's values follow, if any.

    Only the object the file's rows are about (`DataFile.row_object`): in a file that also
    holds, say, each contact's company, many rows rightly name the same company.
    """
    oid = column.object_type_id
    main = data_file.row_object
    if main is not None and oid != main:
        return None
    if column.property == "hs_object_id":
        return codes.DUPLICATE_OBJECT_ID
    if column.id:
        return codes.DUPLICATE_ALTERNATE_ID
    obj = catalog.object(oid) if oid else None
    if obj is not None and column.property in obj.alternate_ids:
        # KB: "If you're using a custom unique value property to deduplicate companies,
        # the Company domain name property will not require unique values" (nor with the
        # record id as the key, the weaker reading).
        keyed = any(c.id and c is not column and c.object_type_id == oid for c in data_file.columns)
        if oid == "0-2" and column.property == "domain" and keyed:
            return None
        return codes.DUPLICATE_ALTERNATE_ID
    if prop is not None and prop.has_unique_value:
        return codes.DUPLICATE_UNIQUE_VALUE
    return None


def _required(
    spec: Spec,
    catalog: Catalog,
    columns: tuple[ColumnPlan, ...],
    objects: Mapping[str, list[int]],
) -> list[Requirement]:
    """What a CREATE of each object the file writes needs filled."""
    needs: list[Requirement] = []
    for oid, indices in objects.items():
        if spec.operation(oid) != "CREATE":
            continue
        obj = catalog.object(oid)
        if obj is None or obj.required.empty:
            continue
        by_name: dict[str, list[int]] = {}
        for j in indices:
            name = columns[j].column.property
            if name is not None:
                by_name.setdefault(name, []).append(j)
        for name in obj.required.all_of:
            for j in by_name.get(name, []):
                needs.append(Requirement(oid, (j,), f"{name} is required to create {obj.name}"))
        for group in obj.required.one_of:
            mapped = tuple(sorted(j for name in group for j in by_name.get(name, [])))
            if mapped:
                names = ", ".join(group)
                needs.append(
                    Requirement(oid, mapped, f"one of {names} is required to create {obj.name}")
                )
    return needs
