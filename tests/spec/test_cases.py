"""Spec case folders: tests/cases/spec/<name>/ holds spec.yaml or spec.toml, expected.json
(its diagnostics: code, severity, line, column) and, when the spec compiles,
expected-request.json. Drop a folder in and it is tested; `python tools/regen_golden.py`
writes the expectations of a new case (review them before committing)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from casekit import case_folders, run_case

from specc.codes import all_codes

CASES = case_folders()
# Codes that no spec file of reasonable size can raise; their unit tests name them.
UNIT_TESTED = {
    "SPC003": "tests/spec/test_loader.py::test_a_spec_over_the_size_cap_is_refused",
    "SPC150": "tests/compiler/test_validate.py::test_a_broken_request_points_at_its_spec_entry",
}


@pytest.mark.parametrize("folder", CASES, ids=[c.name for c in CASES])
def test_case(folder: Path) -> None:
    found, request = run_case(folder)
    expected = json.loads((folder / "expected.json").read_text("utf-8"))
    assert found == expected
    golden = folder / "expected-request.json"
    if request is None:
        assert not golden.exists(), "the case no longer compiles"
    else:
        assert golden.is_file(), "the case compiles: run tools/regen_golden.py"
        assert request == golden.read_text("utf-8")


def test_clean_cases_have_no_diagnostics_but_notes() -> None:
    for folder in CASES:
        found, request = run_case(folder)
        if request is not None:
            assert all(d["severity"] != "error" for d in found), folder.name


def test_every_spec_code_is_exercised() -> None:
    spec_codes = {c.code for c in all_codes() if c.code < "SPC200"}
    exercised = set(UNIT_TESTED)
    for folder in CASES:
        exercised |= {d["code"] for d in json.loads((folder / "expected.json").read_text())}
    assert spec_codes - exercised == set()
    assert exercised - spec_codes == set()
