"""specc.json_input: every JSON input is read within bounds, and refused at its line and column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specc.inputs import InputRefused
from specc.json_input import JsonBounds, JsonRefused, parse_json, read_json

BOUNDS = JsonBounds(max_bytes=1 << 20)


def refusal(data: bytes | str, bounds: JsonBounds = BOUNDS) -> JsonRefused:
    with pytest.raises(JsonRefused) as caught:
        parse_json(data, bounds, "f.json")
    return caught.value


@pytest.mark.parametrize("closed", [False, True], ids=["unclosed", "closed"])
def test_100k_open_brackets_are_refused_at_the_first_too_deep(closed: bool) -> None:
    data = "[" * 100_000 + ("]" * 100_000 if closed else "")
    refused = refusal(data)
    assert refused.kind == "too_deep"
    assert (refused.line, refused.column) == (1, 65)
    assert refused.message == (
        "f.json nests arrays and objects deeper than 64 levels (line 1, column 65)"
    )


def test_nesting_at_the_bound_is_read_and_brackets_in_strings_do_not_count() -> None:
    assert parse_json("[" * 64 + "]" * 64, BOUNDS, "f.json").value is not None
    assert parse_json('["' + "[" * 1000 + '"]', BOUNDS, "f.json").value == ["[" * 1000]


def test_a_file_over_the_byte_bound_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(BOUNDS.max_bytes + 1)
    with pytest.raises(InputRefused) as caught:
        read_json(path, BOUNDS, shown="huge.json")
    assert caught.value.kind == "too_large"
    assert "huge.json: is larger than 1 MiB" in caught.value.message


def test_more_values_than_the_bound_are_refused_before_parsing() -> None:
    refused = refusal("[" + "{}," * 2000 + "{}]", JsonBounds(max_bytes=1 << 20, max_values=1000))
    assert refused.kind == "too_many_values"
    assert refused.message == "f.json holds more than 1,000 JSON values"


def test_invalid_utf8_is_refused_at_its_byte_line_and_column() -> None:
    refused = refusal(b'{"a": 1,\n "b": "caf\xe9"}')
    assert refused.kind == "not_utf8"
    assert refused.problem == "is not UTF-8 text (byte 0xe9 at offset 19)"
    assert (refused.line, refused.column) == (2, 11)
    assert refused.hint == "save it as UTF-8"


def test_utf16_is_named_as_such() -> None:
    refused = refusal('{"a": 1}'.encode("utf-16"))
    assert refused.kind == "not_utf8" and refused.hint == "it is UTF-16 text: save it as UTF-8"


def test_a_bom_is_allowed() -> None:
    assert parse_json(b'\xef\xbb\xbf{"a": 1}', BOUNDS, "f.json").value == {"a": 1}


def test_a_duplicate_key_is_refused_at_its_second_occurrence() -> None:
    refused = refusal('{"files": [\n  {"fileName": "a.csv",\n   "fileName": "b.csv"}]}')
    assert refused.kind == "duplicate_key"
    assert refused.problem == 'names the key "fileName" twice in one object'
    assert (refused.line, refused.column) == (3, 4)


def test_the_same_key_in_two_objects_is_no_duplicate() -> None:
    value = parse_json('[{"a": 1}, {"a": 2, "b": {"a": 3}}]', BOUNDS, "f.json").value
    assert value == [{"a": 1}, {"a": 2, "b": {"a": 3}}]


def test_a_megabyte_long_duplicate_key_is_shown_short() -> None:
    key = "k" * 500_000
    refused = refusal(f'{{"{key}": 1, "{key}": 2}}')
    assert refused.kind == "duplicate_key" and len(refused.message) < 200


@pytest.mark.parametrize(
    ("text", "problem", "column"),
    [
        ('{"a": NaN}', "holds NaN, which is not JSON", 7),
        ('{"a": "NaN", "b": [1, Infinity]}', "holds Infinity, which is not JSON", 23),
        ('{"a": -Infinity}', "holds -Infinity, which is not JSON", 7),
        ('{"a": "1e999", "b": 1e999}', "holds 1e999, too large for a double", 21),
        ('{"a": -1' + "0" * 400 + ".5}", "holds a number of 404 characters, too large", 7),
    ],
)
def test_nan_and_infinity_are_refused_at_their_place(text: str, problem: str, column: int) -> None:
    refused = refusal(text)
    assert refused.kind == "not_finite"
    assert refused.problem.startswith(problem)
    assert (refused.line, refused.column) == (1, column)


def test_an_integer_past_the_digit_bound_is_refused_at_its_place() -> None:
    refused = refusal('{"a": "' + "9" * 9000 + '",\n "b": -' + "9" * 5000 + "}")
    assert refused.kind == "long_number"
    assert refused.problem.startswith("holds a number of 5,000 digits")
    assert (refused.line, refused.column) == (2, 7)


@pytest.mark.parametrize(
    ("text", "problem", "where"),
    [
        ('{"a": 1,\n "b": }', "is not valid JSON: expecting value", (2, 7)),
        ('{"a": [1,\n 2,]}', "is not valid JSON: a comma before the closing bracket", (2, 3)),
        ("", "is not valid JSON: expecting value", (1, 1)),
        ('{"a": "line\nbreak"}', "is not valid JSON: invalid control character", (1, 12)),
    ],
)
def test_malformed_json_is_refused_at_its_line_and_column(
    text: str, problem: str, where: tuple[int, int]
) -> None:
    refused = refusal(text)
    assert refused.kind == "syntax" and refused.problem.startswith(problem)
    assert (refused.line, refused.column) == where


def test_a_refusal_is_an_input_error_that_exits_2() -> None:
    assert refusal("[").exit_code == 2


JSONISH = st.text(alphabet=st.sampled_from(list('[]{}",:0123456789.-eE+ \nNaInfity\\u"a')))


@settings(max_examples=400, deadline=None)
@given(st.one_of(JSONISH, st.binary(max_size=200), st.text(max_size=200)))
def test_no_input_raises_anything_but_a_refusal(data: str | bytes) -> None:
    """Only JsonRefused may escape, and what is read is what json itself reads."""
    try:
        value = parse_json(data, BOUNDS, "f.json").value
    except JsonRefused as refused:
        assert refused.line >= 1 and refused.column >= 1
        return
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    assert json.dumps(value, sort_keys=True) == json.dumps(json.loads(text), sort_keys=True)
