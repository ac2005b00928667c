"""Shared by the value-check tests: case files under tests/cases/values/ and properties."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml

from specc.catalog.model import Catalog, Option, Property
from specc.catalog.snapshot import parse_snapshot

CASES = Path(__file__).resolve().parent.parent / "cases" / "values"
_PROPERTY_FIELDS = {f.name for f in fields(Property)}


def make_property(raw: dict[str, Any]) -> Property:
    """A Property from the API's shape (`fieldType`, `options`, `numberDisplayHint`, ...),
    plus specc's flags `optionsComplete` and `optionsListedComplete`."""
    options = tuple(
        Option(str(o.get("label") or o["value"]), str(o["value"]), _flag(o.get("hidden")))
        for o in raw.get("options") or ()
    )
    extra: dict[str, Any] = {}
    if "options_listed_complete" in _PROPERTY_FIELDS:
        extra["options_listed_complete"] = _flag(raw.get("optionsListedComplete"))
    if "optionsEditable" in raw:
        extra["options_editable"] = _flag(raw["optionsEditable"])
    if "showCurrencySymbol" in raw:
        extra["show_currency_symbol"] = _flag(raw["showCurrencySymbol"])
    if "valueFormat" in raw:
        extra["value_format"] = raw["valueFormat"]
    return Property(
        name=raw["name"],
        type=raw["type"],
        field_type=raw["fieldType"],
        label=raw.get("label"),
        options=options,
        options_complete=_flag(raw.get("optionsComplete")),
        external_options=_flag(raw.get("externalOptions")),
        referenced_object_type=raw.get("referencedObjectType"),
        number_display_hint=raw.get("numberDisplayHint"),
        text_display_hint=raw.get("textDisplayHint"),
        raw=raw,
        **extra,
    )


@dataclass(frozen=True)
class Case:
    """One value, the column it sits in, and the code (and severity) it must get, if any."""

    file: str
    prop: Property
    date_format: str
    snapshot: bool
    column_type: str | None
    object_type_id: str | None
    typed: bool
    catalog: Catalog | None
    value: object
    code: str | None
    severity: str | None

    @property
    def id(self) -> str:
        shown = repr(self.value)
        if len(shown) > 40:
            shown = shown[:39] + "…"
        fmt = self.date_format.split("_")[0][0] + self.date_format.split("_")[1][0]
        return f"{self.file}:{self.prop.name}:{fmt}:{shown}->{self.code}"

    def kwargs(self) -> dict[str, Any]:
        return {
            "date_format": self.date_format,
            "snapshot": self.snapshot,
            "column_type": self.column_type,
            "object_type_id": self.object_type_id,
            "catalog": self.catalog,
        }


def _flag(value: object) -> bool:
    return value is True or str(value).lower() == "true"


def load_cases() -> list[Case]:
    """Files named typed_*.yaml hold spreadsheet cells, with YAML's types (ints, floats,
    booleans, dates); every other file holds text cells, read without any typing, as a CSV
    reader gives them (so `2023-13-01` and `true` stay the text they are)."""
    cases: list[Case] = []
    for path in sorted(CASES.glob("*.yaml")):
        typed = path.stem.startswith("typed")
        loader = yaml.SafeLoader if typed else yaml.BaseLoader
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        props = {key: make_property({"name": key, **raw}) for key, raw in doc["properties"].items()}
        catalog = account_catalog(doc)
        for group in doc["groups"]:
            prop = props[group["property"]]
            common = {
                "file": path.stem,
                "prop": prop,
                "date_format": group.get("date_format", "MONTH_DAY_YEAR"),
                "snapshot": _flag(group.get("snapshot", False)),
                "column_type": group.get("column_type"),
                "object_type_id": group.get("object"),
                "typed": typed,
                "catalog": catalog,
            }
            for value in group.get("accept") or ():
                cases.append(Case(**common, value=value, code=None, severity=None))
            for key, values in (group.get("expect") or {}).items():
                code, _, severity = str(key).partition(":")
                for value in values:
                    cases.append(Case(**common, value=value, code=code, severity=severity or None))
    return cases


def account_catalog(doc: dict[str, Any]) -> Catalog | None:
    """A case file's `account:` (owners; per object id its pipelines and validation rules,
    as a format 2 snapshot holds them) as a snapshot catalog in which every object has the
    file's properties; None without one. YAML's strings are turned back into the API's
    booleans."""
    account = doc.get("account")
    if account is None:
        return None

    def flags(item: Any) -> Any:
        if isinstance(item, dict):
            return {
                k: (_flag(v) if k in ("archived", "shouldApplyNormalization") else flags(v))
                for k, v in item.items()
            }
        if isinstance(item, list):
            return [flags(i) for i in item]
        return item

    properties = [
        {
            "name": name,
            **{k: v for k, v in raw.items() if k in ("type", "fieldType", "label")},
            **(
                {"referencedObjectType": raw["referencedObjectType"]}
                if "referencedObjectType" in raw
                else {}
            ),
        }
        for name, raw in doc["properties"].items()
    ]
    objects = [
        {"objectTypeId": oid, "name": f"object {oid}", "properties": properties, **flags(more)}
        for oid, more in (account.get("objects") or {}).items()
    ]
    snapshot: dict[str, Any] = {"catalog": 2, "objects": objects}
    if "owners" in account:
        snapshot["owners"] = flags(account["owners"])
    catalog, found = parse_snapshot(json.dumps(snapshot), "account")
    assert catalog is not None, [d.message for d in found]
    return catalog
