"""Positions of JSON nodes, for diagnostics inside catalog snapshots."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from specc.catalog.jsonpos import JsonPositions
from specc.catalog.snapshot import parse_snapshot
from specc.pointer import pointer_of

TEXT = """{
  "a/b": {"x~y": [1, {"deep": "é\\"s"}]},
  "list": [
    true,
    null
  ]
}"""


def test_positions_of_keys_and_items() -> None:
    pos = JsonPositions(TEXT)
    assert pos.where("") == (1, 1)
    assert pos.where("/a~1b") == (2, 3)
    assert pos.where("/a~1b/x~0y") == (2, 11)
    assert pos.where("/a~1b/x~0y/1/deep") == (2, 23)
    assert pos.where("/list/1") == (5, 5)


def test_unknown_pointer_falls_back_to_the_nearest_ancestor() -> None:
    pos = JsonPositions(TEXT)
    assert pos.where("/list/7/name") == (3, 3)
    assert pos.where("/nothing") == (1, 1)


def test_pointer_of() -> None:
    assert pointer_of(["objects", 0, "a/b", "c~d"]) == "/objects/0/a~1b/c~0d"
    assert pointer_of([]) == ""


def walk(value: Any, pointer: str = "") -> list[tuple[str, Any]]:
    found = [(pointer, value)]
    if isinstance(value, dict):
        for key, child in value.items():
            found += walk(child, f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}")
    elif isinstance(value, list):
        for i, child in enumerate(value):
            found += walk(child, f"{pointer}/{i}")
    return found


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(json_values, st.sampled_from([None, 0, 2]))
def test_every_node_has_its_position(value: Any, indent: int | None) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    pos = JsonPositions(text)
    lines = text.split("\n")
    for pointer, node in walk(value):
        assert pointer in pos.positions
        line, column = pos.positions[pointer]
        at = lines[line - 1][column - 1 :]
        if pointer and isinstance(walk_parent(value, pointer), dict):
            assert at.startswith('"')  # a member points at its key
        else:
            assert at.startswith(json.dumps(node, ensure_ascii=False)[:1])


def walk_parent(value: Any, pointer: str) -> Any:
    parts = pointer.split("/")[1:-1]
    for part in parts:
        key = part.replace("~1", "/").replace("~0", "~")
        value = value[int(key)] if isinstance(value, list) else value[key]
    return value


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_gives_diagnostics_not_exceptions(text: str) -> None:
    catalog, found = parse_snapshot(text, "c.json")
    assert catalog is not None or found


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_any_json_gives_diagnostics_not_exceptions(value: Any) -> None:
    catalog, found = parse_snapshot(json.dumps(value), "c.json")
    assert catalog is None and found


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["objectTypeId", "name", "properties", "x"]), json_values, max_size=4
    )
)
def test_any_object_entry_gives_diagnostics_not_exceptions(entry: dict[str, Any]) -> None:
    text = json.dumps({"catalog": 1, "objects": [entry]})
    catalog, found = parse_snapshot(text, "c.json")
    assert catalog is not None or found
