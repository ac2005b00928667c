"""Every case of tests/cases/values/*.yaml: the exact checks give the expected code (or none),
and the fast-path pattern never accepts a value the exact check flags."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from values_support import Case, load_cases

from specc.codes import all_codes
from specc.data.values import Problem, accept_pattern, checker_for, typed_checker_for

CASES = load_cases()


def _problem_of(case: Case) -> Problem | None:
    if case.typed:
        return typed_checker_for(case.prop, **case.kwargs())(case.value)
    assert isinstance(case.value, str), f"text cases must be strings, got {case.value!r}"
    return checker_for(case.prop, **case.kwargs())(case.value)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_value_gets_expected_code(case: Case) -> None:
    problem = _problem_of(case)
    if case.code is None:
        assert problem is None, f"{case.value!r} was flagged: {problem}"
        return
    assert problem is not None, f"{case.value!r} was not flagged (expected {case.code})"
    assert problem.code.code == case.code, f"{case.value!r}: {problem.code.code} {problem.message}"
    assert problem.message
    if case.severity is not None:
        assert problem.effective_severity.value == case.severity


@pytest.mark.parametrize("case", [c for c in CASES if not c.typed], ids=lambda c: c.id)
def test_fast_path_never_accepts_a_flagged_value(case: Case) -> None:
    pattern = accept_pattern(case.prop, **case.kwargs())
    if pattern is None:
        return
    assert isinstance(case.value, str)
    if re.fullmatch(pattern, case.value):
        assert case.code is None, f"{pattern[:80]}… accepts {case.value!r}, flagged {case.code}"


# Codes whose cases do not fit a case file (a 65,537-character value), with their test.
TESTED_ELSEWHERE = {
    "SPC400": "test_values_length.py",
    # A stage of another pipeline than the row's: a rule over two columns.
    "SPC436": "test_values_account.py",
    # Notes of lint about the account data a snapshot lacks and the rules specc leaves alone.
    "SPC439": "test_values_account.py",
    "SPC442": "test_values_account.py",
}


def test_every_value_code_is_exercised_by_a_case() -> None:
    value_codes = {c.code for c in all_codes() if "SPC400" <= c.code <= "SPC449"}
    expected = {c.code for c in CASES if c.code is not None}
    for code, test_file in TESTED_ELSEWHERE.items():
        assert code in (Path(__file__).parent / test_file).read_text(encoding="utf-8")
        expected.add(code)
    assert value_codes - expected == set(), "codes without a case"
    assert expected - value_codes == set(), "cases naming codes that do not exist"


def test_clean_values_dominate() -> None:
    """The case files keep a balance: a rule is pinned by what it accepts as much as by
    what it refuses (a false error on a clean file is as bad as a miss)."""
    accepted = sum(1 for c in CASES if c.code is None)
    assert accepted >= 200
