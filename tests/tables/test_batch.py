"""Runs: a batch's row and line numbers held as runs read as the list they stand for."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from specc.tables.batch import Runs


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 5)), max_size=20))
def test_runs_read_as_the_list_of_their_numbers(pieces: list[tuple[int, int]]) -> None:
    runs = Runs()
    expected: list[int] = []
    number = 1
    for gap, count in pieces:
        number += gap
        runs.run(number, count)
        expected.extend(range(number, number + count))
        number += count
    assert runs == expected
    assert len(runs) == len(expected)
    assert [runs[i] for i in range(-len(expected), 0)] == expected
    assert runs[1:3] == expected[1:3]
    assert len(runs._starts) <= len(pieces)  # a few integers a run, not one a row
