"""Rule case folders, run through the real pipeline (`specc.pipeline.lint`).

tests/cases/rules/<name>/ holds spec.yaml (or spec.toml), its data files, an optional catalog
snapshot, and expected.json:

    {"needs": ["python_calamine"],         # optional: modules the case cannot run without
     "checks": ["SPC203", ...],            # ok-* folders: codes this clean spec exercises
     "diagnostics": [{"code": ..., "severity": ..., "hubspot_error": ...,
                      "spec": "line:col" | null, "data": "file:line:column" | null}]}

A folder named `SPCnnn-...` must raise SPCnnn; a folder named `ok-...` must raise none of the
codes it lists under "checks", and no error at all. Every mapping and header code has both.

expected.json is written by the tests themselves, never by hand:
`SPECC_REGEN=1 pytest tests/rules/test_rule_cases.py` rewrites the "diagnostics" of every
folder (keeping "checks"); review the diff before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from specc.codes import lookup
from specc.codes import mapping as mapping_codes
from specc.diagnostics import Diagnostic, Severity
from specc.pipeline import Options, lint

CASES = Path(__file__).resolve().parent.parent / "cases" / "rules"
CASE_DIRS = sorted(p for p in CASES.iterdir() if p.is_dir()) if CASES.is_dir() else []
REGEN = os.environ.get("SPECC_REGEN") == "1"
# Codes a case folder cannot raise through the real pipeline, and the test that raises them.
NO_FOLDER = {"SPC309": "tests/rules/test_headers.py (python-calamine made unimportable)"}


def _spec_of(case: Path) -> Path:
    for name in ("spec.yaml", "spec.toml"):
        if (case / name).exists():
            return case / name
    raise AssertionError(f"{case} has no spec.yaml or spec.toml")


def _expected(case: Path) -> dict[str, Any]:
    path = case / "expected.json"
    if not path.exists():
        return {}
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


def _shape(d: Diagnostic) -> dict[str, Any]:
    return {
        "code": d.code,
        "severity": d.severity.value,
        "hubspot_error": d.hubspot_error,
        "spec": f"{d.spec.line}:{d.spec.column}" if d.spec else None,
        "data": None if d.data is None
        else f"{d.data.file}:{d.data.line or ''}:{d.data.column or ''}",
    }


def _run(case: Path) -> list[Diagnostic]:
    result = lint([_spec_of(case)], Options(cwd=case, environ={}))
    return result.sorted()


@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_rule_case(case: Path) -> None:
    expected = _expected(case)
    for module in expected.get("needs", ()):
        pytest.importorskip(module)
    found = _run(case)
    got = [_shape(d) for d in found]
    if REGEN:
        expected["diagnostics"] = got
        (case / "expected.json").write_text(json.dumps(expected, indent=1) + "\n", "utf-8")
    assert got == expected.get("diagnostics"), f"{case.name}: diagnostics differ"
    codes = {d.code for d in found}
    if case.name.startswith("ok-"):
        assert expected.get("checks"), f"{case.name}: list the codes it exercises under checks"
        assert not codes & set(expected["checks"])
        assert not [d for d in found if d.severity is Severity.ERROR], "a clean spec has errors"
    else:
        wanted = case.name.split("-", 1)[0]
        assert wanted in codes, f"{case.name} does not raise {wanted}"
    for d in found:
        assert lookup(d.code) is not None, f"{d.code} is not registered"


def _mapping_codes() -> set[str]:
    return {
        value.code for value in vars(mapping_codes).values()
        if getattr(value, "code", "").startswith("SPC")
    }


def test_every_mapping_code_has_a_raising_and_a_clean_case() -> None:
    raised = {p.name.split("-", 1)[0] for p in CASE_DIRS if p.name.startswith("SPC")}
    clean = {c for p in CASE_DIRS if p.name.startswith("ok-") for c in _expected(p)["checks"]}
    codes = _mapping_codes()
    assert codes - raised - set(NO_FOLDER) == set(), "codes without a raising case folder"
    assert codes - clean == set(), "codes without a clean case folder"


def test_mapping_codes_stay_in_their_ranges() -> None:
    for code in _mapping_codes():
        number = int(code[3:])
        assert 200 <= number <= 299 or 300 <= number <= 349, code
        entry = lookup(code)
        assert entry is not None and entry.explanation and entry.title


EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"
EXAMPLE_SPECS = sorted(
    p for p in EXAMPLES.glob("*/spec.*") if p.suffix in {".yaml", ".yml", ".toml"}
) if EXAMPLES.is_dir() else []


@pytest.mark.parametrize("spec", EXAMPLE_SPECS, ids=[p.parent.name for p in EXAMPLE_SPECS])
def test_every_example_lints_without_errors(spec: Path) -> None:
    """HubSpot's documented requests among them: a false error here is a bug of a rule."""
    result = lint([spec], Options(cwd=spec.parent, environ={}))
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    assert errors == []
