"""Column-wide tests: blank cells, and enumeration patterns read as sets of options."""

from __future__ import annotations

import re

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from specc.catalog.model import Option, Property
from specc.data.columns import Blanks, byte_lengths, literal_alternatives
from specc.data.values import accept_pattern


def test_blanks() -> None:
    columns = [
        pa.chunked_array([["a", "", " ", "\u200b", "b"], ["", "\t\u00a0"]]),
        pa.array(["", "", "x", " ", "", "", " "]),
    ]
    blanks = Blanks(columns, [byte_lengths(c) for c in columns])
    assert blanks.of(0) == [1, 2, 3, 5, 6]
    assert blanks.where_all([0, 1]) == [1, 3, 5, 6]
    assert blanks.where_all([1, 0]) == [1, 3, 5, 6]


def test_literal_alternatives() -> None:
    assert literal_alternatives(r"^(?:lead|Lead|a\.b)$") == frozenset({"lead", "Lead", "a.b"})
    assert literal_alternatives(r"^(?:lead|Le.d)$") is None
    assert literal_alternatives(r"^(?:(?i:lead))$") is None
    assert literal_alternatives(r"^(?:;?(?:a|b)(?:;(?:a|b))*)$") is None
    assert literal_alternatives(r"^(?:a||b)$") is None


option_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=6)


@given(st.lists(st.tuples(option_text, option_text), min_size=1, max_size=6))
def test_an_enumeration_pattern_is_exactly_its_set(pairs: list[tuple[str, str]]) -> None:
    """When the set is used, it holds exactly the strings the pattern matches among the
    options' spellings, and each of them matches the pattern."""
    prop = Property(
        name="p",
        type="enumeration",
        field_type="select",
        options=tuple(Option(label, value) for label, value in pairs),
        options_complete=True,
    )
    pattern = accept_pattern(prop, snapshot=True)
    found = literal_alternatives(pattern) if pattern else None
    if found is None:
        return
    spellings = {s for pair in pairs for s in pair}
    assert all(re.fullmatch(pattern, s) for s in found)
    assert found == {s for s in spellings if re.fullmatch(pattern, s)}
