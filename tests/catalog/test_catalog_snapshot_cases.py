"""Snapshot case folders: tests/cases/catalog/<name>/ holds snapshot.json (or, on purpose,
no such file or a folder of that name) and expected.json: whether a catalog loads, and each
diagnostic's code, severity and position in the snapshot. Drop a folder in and it is tested.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from specc.catalog.snapshot import load_snapshot
from specc.codes import catalog as catalog_codes
from specc.codes import lookup

CASES = Path(__file__).resolve().parent.parent / "cases" / "catalog"
CASE_DIRS = sorted(p for p in CASES.iterdir() if p.is_dir())


def _expected(case: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((case / "expected.json").read_text("utf-8"))
    return data


@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_snapshot_case(case: Path) -> None:
    expected = _expected(case)
    catalog, found = load_snapshot(case / "snapshot.json", "snapshot.json")
    assert (catalog is not None) == expected["loaded"]
    got = [
        {
            "code": d.code,
            "severity": d.severity.value,
            "line": d.spec.line if d.spec else None,
            "column": d.spec.column if d.spec else None,
        }
        for d in found
    ]
    assert got == expected["diagnostics"]
    for d in found:
        assert lookup(d.code) is not None, f"{d.code} is not registered"
        assert d.message and d.hint, "every snapshot diagnostic says what and what to do"
        if d.spec is not None:
            assert d.spec.file == "snapshot.json"
    if catalog is not None:
        assert catalog.is_snapshot
        assert catalog.source == "snapshot.json"


def test_every_catalog_code_has_a_case() -> None:
    defined = {
        value.code
        for value in vars(catalog_codes).values()
        if getattr(value, "code", "").startswith("SPC")
    }
    exercised = {d["code"] for case in CASE_DIRS for d in _expected(case)["diagnostics"]}
    assert defined <= exercised, f"codes without a case folder: {sorted(defined - exercised)}"
    assert all(code[3:5] in {"35", "36", "37", "38", "39"} for code in defined)


def test_every_case_has_a_clean_counterpart() -> None:
    """Positive cases exist too: a valid snapshot yields no diagnostic at all."""
    clean = [c for c in CASE_DIRS if _expected(c)["loaded"] and not _expected(c)["diagnostics"]]
    assert len(clean) >= 2
