"""Helpers for the `specc plan` tests: small projects on disk, and an account to plan against.

The account is the sandbox's record store (specc.sandbox.records.RecordStore), which is what
`specc sandbox` answers batch reads from; `Spy` counts what a plan asks of it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from specc.catalog.load import load_catalog
from specc.catalog.model import Catalog
from specc.pipeline import load_spec
from specc.plan import Key, Plan, plan_spec
from specc.run import Options
from specc.sandbox.records import RecordStore
from specc.spec.model import Spec

# A custom object whose records carry a unique tag, as an account's snapshot describes it.
PETS = "2-1234567"
PETS_CATALOG = {
    "catalog": 1,
    "portalId": 12345678,
    "pulledAt": "2026-11-29T10:00:00Z",
    "objects": [
        {
            "objectTypeId": PETS,
            "name": "pets",
            "requiredProperties": ["pet_name"],
            "properties": [
                {
                    "name": "hs_object_id",
                    "label": "Record ID",
                    "type": "number",
                    "fieldType": "number",
                    "hasUniqueValue": True,
                    "modificationMetadata": {"readOnlyValue": True},
                },
                {"name": "pet_name", "label": "Name", "type": "string", "fieldType": "text"},
                {
                    "name": "pet_tag",
                    "label": "Tag",
                    "type": "string",
                    "fieldType": "text",
                    "hasUniqueValue": True,
                },
            ],
        }
    ],
}


def project(folder: Path, spec: str, files: dict[str, str], catalog: Any = None) -> Path:
    """Write a spec and its data files; the spec's path."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    if catalog is not None:
        (folder / "catalog.json").write_text(json.dumps(catalog), encoding="utf-8")
    path = folder / "spec.yaml"
    path.write_text(spec, encoding="utf-8")
    return path


def loaded(path: Path) -> tuple[Spec, Catalog]:
    result = load_spec(path, Options(cwd=path.parent, environ={}))
    assert result.spec is not None, [d.message for d in result.diagnostics]
    catalog, problems = load_catalog(result.spec)
    assert not problems, [d.message for d in problems]
    return result.spec, catalog


@dataclass
class Spy:
    """A lookup that counts its calls and the values it was asked for."""

    store: RecordStore
    calls: list[tuple[Key, tuple[str, ...]]] = field(default_factory=list)

    def read(self, key: Key, values: Sequence[str]) -> dict[str, str]:
        self.calls.append((key, tuple(values)))
        return self.store.read(key, values)


def plan_of(path: Path, store: RecordStore | None = None, **options: Any) -> tuple[Plan, Spy]:
    spec, catalog = loaded(path)
    spy = Spy(store if store is not None else RecordStore(catalog))
    return plan_spec(spec, catalog, spy, **options), spy


def failures(plan: Plan) -> list[tuple[int | None, str | None, str | None, str | None]]:
    """(line, HubSpot error, column, value) of every failing row shown, in order."""
    return [
        (
            d.data.line if d.data else None,
            d.hubspot_error,
            d.data.column if d.data else None,
            d.data.value if d.data else None,
        )
        for d in plan.diagnostics
        if d.hubspot_error
    ]


def counts(plan: Plan) -> list[tuple[str, int, int, int]]:
    return [(f.file, f.create, f.update, f.fail) for f in plan.files]
