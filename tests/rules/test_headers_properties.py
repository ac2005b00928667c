"""Hypothesis: the header check never crashes, and says nothing when nothing differs."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rules_support import col, csv_file, make_spec

from specc.rules.headers import compare_header, other_delimiter
from specc.tables.header import Header, HeaderProblem, read_csv_header

# Names with the characters that make header comparison interesting.
SPECIAL = ["\u00a0", "\u200b", "\ufeff", "\u00e9", "\u0301"]
NAME = st.text(alphabet=st.sampled_from([*'abAB ,;"\n\t', *SPECIAL]), max_size=6)
HEADER_CODES = {f"SPC{n}" for n in range(300, 350)}


def _file(names: list[str]):  # type: ignore[no-untyped-def]
    return csv_file([col(n, None, ignore=True) for n in names])


@settings(max_examples=300, deadline=None)
@given(st.lists(NAME, max_size=8), st.lists(NAME, max_size=8))
def test_comparing_any_header_with_any_columns(expected: list[str], found: list[str]) -> None:
    file = _file(expected)
    diagnostics = list(compare_header(make_spec(file), file, Header(found)))
    assert {d.code for d in diagnostics} <= HEADER_CODES
    if expected == found and other_delimiter(found) is None:
        assert diagnostics == []
    elif expected == found:  # one cell that is a line of `;` or tabs: HubSpot reads commas
        assert [d.code for d in diagnostics] == ["SPC307"]
    else:
        assert diagnostics, "a header that differs must be reported"


@settings(max_examples=200, deadline=None)
@given(st.lists(NAME, min_size=2, max_size=8, unique=True), st.randoms(use_true_random=False))
def test_a_reordered_header_is_only_an_order_problem(names: list[str], rng) -> None:  # type: ignore[no-untyped-def]
    shuffled = names[:]
    rng.shuffle(shuffled)
    file = _file(names)
    codes = {d.code for d in compare_header(make_spec(file), file, Header(shuffled))}
    assert codes <= {"SPC303"}
    assert (codes == {"SPC303"}) == (shuffled != names)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_reading_any_bytes_gives_a_header_or_a_problem(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.csv"
        path.write_bytes(data)
        try:
            cells = read_csv_header(path)
        except HeaderProblem:
            return
        assert cells is None or all(isinstance(c, str) for c in cells)
