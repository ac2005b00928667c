"""Spec case folders (tests/cases/spec/<name>/): what the cases as a whole must cover.

Each folder's diagnostics and compiled request are pinned by tests/test_case_folders.py
(tests/casekit.py runs them); this module holds what only the spec stage promises.
"""

from __future__ import annotations

from pathlib import Path

import casekit

from specc.codes import all_codes

ROOT = Path(__file__).resolve().parents[2]
CASES = casekit.case_folders("spec")
# Codes that no spec file of reasonable size can raise (or that only a request file raises,
# for `init --from-request`); their unit tests name them.
FROM_REQUEST = "tests/from_request/test_from_request_cases.py::"
UNIT_TESTED = {
    "SPC003": "tests/spec/test_loader.py::test_a_spec_over_the_size_cap_is_refused",
    "SPC150": "tests/compiler/test_validate.py::test_a_broken_request_points_at_its_spec_entry",
    "SPC151": FROM_REQUEST + "test_a_file_that_is_not_json_is_refused_at_its_place",
    "SPC152": FROM_REQUEST + "test_what_no_spec_can_say_is_refused_where_the_request_says_it",
    "SPC153": FROM_REQUEST + "test_a_field_the_request_does_not_have_is_left_out_with_a_hint",
}


def test_every_spec_code_is_exercised() -> None:
    spec_codes = {c.code for c in all_codes() if c.code < "SPC200"}
    exercised = set(UNIT_TESTED)
    for folder in CASES:
        exercised |= {d["code"] for d in casekit.read_expected(folder)["diagnostics"]}
    assert spec_codes - exercised == set()
    assert exercised - spec_codes == set()


def test_the_unit_tests_named_for_the_other_codes_exist() -> None:
    for code, test in UNIT_TESTED.items():
        path, name = test.split("::")
        assert f"def {name}(" in (ROOT / path).read_text("utf-8"), code
