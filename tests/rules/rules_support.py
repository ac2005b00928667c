"""Builders of resolved specs and catalogs for the rules' unit tests.

The rules read only the resolved model, so their unit tests build it directly: a column is
`col("Email", "email", id=True)`, a file `csv_file([...], obj="0-1")`, a spec
`make_spec(file, operations={"0-1": "UPDATE"})`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from specc.catalog.model import Catalog, ObjectType, Property, RequiredRule
from specc.diagnostics import Diagnostic, Severity
from specc.spec.model import Association, Column, DataFile, SourceMap, Spec


def col(name: str, prop: str | None = None, *, obj: str | None = "0-1", **kw: Any) -> Column:
    """A column; its pointer is filled in by the file that holds it."""
    if "association" in kw and isinstance(kw["association"], tuple):
        kw["association"] = Association(*kw["association"])
    return Column(name=name, pointer="", object_type_id=obj, property=prop, **kw)


def csv_file(
    columns: list[Column],
    *,
    obj: str | None = "0-1",
    name: str = "data.csv",
    fmt: str | None = None,
    has_header: bool = True,
    index: int = 0,
    path: Path | None = None,
) -> DataFile:
    pointer = f"/files/{index}"
    placed = tuple(
        Column(**{**c.__dict__, "pointer": f"{pointer}/columns/{c.name}"}) for c in columns
    )
    fmt = fmt or ("CSV" if name.lower().endswith(".csv") else "SPREADSHEET")
    return DataFile(
        pointer=pointer,
        path=path or Path("/nonexistent") / name,
        shown_path=name,
        file_name=Path(name).name,
        format=fmt,
        object_type_id=obj,
        has_header=has_header,
        columns=placed,
    )


def make_spec(*files: DataFile, **kw: Any) -> Spec:
    operations = kw.get("operations")
    if operations is not None and "operation_pointers" not in kw:
        kw["operation_pointers"] = {oid: f"/operations/{oid}" for oid in operations}
    # Keys the spec "wrote", for rules that look at what was given explicitly.
    keys = {pointer: (1, 1) for pointer in kw.pop("source_keys", ())}
    return Spec(
        source=Path("/nonexistent/spec.yaml"),
        source_map=SourceMap("spec.yaml", keys=keys),
        name="test",
        files=files,
        **kw,
    )


def prop(name: str, **kw: Any) -> Property:
    kw.setdefault("type", "string")
    kw.setdefault("field_type", "text")
    return Property(name=name, **kw)


def obj_type(
    oid: str,
    name: str,
    props: list[Property],
    *,
    required: RequiredRule | None = None,
    alternate_ids: tuple[str, ...] = (),
) -> ObjectType:
    all_props = {p.name: p for p in props}
    all_props.setdefault("hs_object_id", prop("hs_object_id", read_only=True))
    return ObjectType(oid, name, all_props, required or RequiredRule(), alternate_ids)


def small_catalog(*, snapshot: bool = True) -> Catalog:
    """Contacts, companies, deals and notes with a few properties each."""
    contacts = obj_type(
        "0-1",
        "contacts",
        [
            prop("email", label="Email"),
            prop("firstname", label="First Name"),
            prop("lastname", label="Last Name"),
            prop("phone"),
            prop("hs_lead_status", type="enumeration", field_type="select"),
            prop("num_notes", type="number", field_type="number", read_only=True),
            prop(
                "hs_analytics_score",
                type="number",
                field_type="calculation_equation",
                calculated=True,
            ),
            prop("member_no", has_unique_value=True),
            prop("mystery", read_only=None),
        ],
        required=RequiredRule(one_of=(("email", "firstname", "lastname"),), recommended=("email",)),
        alternate_ids=("email",),
    )
    companies = obj_type(
        "0-2",
        "companies",
        [prop("name"), prop("domain"), prop("industry")],
        required=RequiredRule(one_of=(("name", "domain"),)),
        alternate_ids=("domain",),
    )
    deals = obj_type(
        "0-3",
        "deals",
        [prop("dealname"), prop("pipeline"), prop("dealstage"), prop("amount")],
        required=RequiredRule(all_of=("dealname", "pipeline", "dealstage")),
    )
    notes = obj_type(
        "0-46",
        "notes",
        [prop("hs_note_body"), prop("hs_timestamp")],
        required=RequiredRule(all_of=("hs_note_body",), recommended=("hs_timestamp",)),
    )
    objects = {o.object_type_id: o for o in (contacts, companies, deals, notes)}
    return Catalog(
        objects=objects, is_snapshot=snapshot, source="catalog.json" if snapshot else "bundled"
    )


def codes_of(found: list[Diagnostic], severity: Severity | None = None) -> list[str]:
    return [d.code for d in found if severity is None or d.severity is severity]


def only(found: list[Diagnostic], code: str) -> list[Diagnostic]:
    return [d for d in found if d.code == code]
