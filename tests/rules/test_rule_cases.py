"""Rule case folders, run through the real pipeline (`specc.pipeline.lint`).

tests/cases/rules/<name>/ holds spec.yaml (or spec.toml), its data files, an optional catalog
snapshot, and expected.json: every diagnostic lint reports (code, severity, hubspot_error,
spec "line:col", data "file:line:column"), pinned by tests/test_case_folders.py and written by
`python tools/regen_golden.py` (tests/casekit.py runs the case).

A folder named `SPCnnn-...` must raise SPCnnn; a folder named `ok-...` lists in checks.json
(written by hand: it says what the case is for) the codes this clean spec exercises, and must
raise none of them, and no error at all. Every mapping and header code has both.
"""

from __future__ import annotations

import json
from pathlib import Path

import casekit
import pytest

from specc.codes import lookup
from specc.codes import mapping as mapping_codes
from specc.diagnostics import Severity
from specc.pipeline import lint
from specc.run import Options

CASE_DIRS = casekit.case_folders("rules")


def _checks(case: Path) -> list[str]:
    path = case / "checks.json"
    checks: list[str] = json.loads(path.read_text("utf-8")) if path.is_file() else []
    return checks


@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_rule_case(case: Path) -> None:
    found = casekit.run_rule_case(case)
    codes = {d.code for d in found}
    if case.name.startswith("ok-"):
        checks = _checks(case)
        assert checks, f"{case.name}: list the codes it exercises in checks.json"
        assert not codes & set(checks)
        assert not [d for d in found if d.severity is Severity.ERROR], "a clean spec has errors"
    else:
        assert not (case / "checks.json").exists(), "checks.json is for ok-* cases"
        wanted = case.name.split("-", 1)[0]
        assert wanted in codes, f"{case.name} does not raise {wanted}"
    for d in found:
        assert lookup(d.code) is not None, f"{d.code} is not registered"


def _mapping_codes() -> set[str]:
    return {
        value.code
        for value in vars(mapping_codes).values()
        if getattr(value, "code", "").startswith("SPC")
    }


def test_every_mapping_code_has_a_raising_and_a_clean_case() -> None:
    raised = {p.name.split("-", 1)[0] for p in CASE_DIRS if p.name.startswith("SPC")}
    clean = {c for p in CASE_DIRS if p.name.startswith("ok-") for c in _checks(p)}
    codes = _mapping_codes()
    assert codes - raised == set(), "codes without a raising case folder"
    assert codes - clean == set(), "codes without a clean case folder"


def test_mapping_codes_stay_in_their_ranges() -> None:
    for code in _mapping_codes():
        number = int(code[3:])
        assert 200 <= number <= 299 or 300 <= number <= 349, code
        entry = lookup(code)
        assert entry is not None and entry.explanation and entry.title


EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"
EXAMPLE_SPECS = (
    sorted(p for p in EXAMPLES.glob("*/spec.*") if p.suffix in {".yaml", ".yml", ".toml"})
    if EXAMPLES.is_dir()
    else []
)


@pytest.mark.parametrize("spec", EXAMPLE_SPECS, ids=[p.parent.name for p in EXAMPLE_SPECS])
def test_every_example_lints_without_errors(spec: Path) -> None:
    """HubSpot's documented requests among them: a false error here is a bug of a rule."""
    result = lint([spec], Options(cwd=spec.parent, environ={}))
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    assert errors == []
