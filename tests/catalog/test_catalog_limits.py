"""What a catalog snapshot may hold: depth, integer length, value count; refused at its line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from specc.catalog import snapshot
from specc.catalog.snapshot import MAX_DEPTH, MAX_INTEGER_DIGITS, load_snapshot, parse_snapshot

CASES = Path(__file__).resolve().parent.parent / "cases" / "catalog"
EMPTY = '{"catalog": 1, "objects": []'


def one(text: str) -> tuple[str, str, tuple[int, int] | None]:
    catalog, found = parse_snapshot(text, "c.json")
    assert catalog is None and len(found) == 1, found
    [d] = found
    return d.code, d.message, (d.spec.line, d.spec.column) if d.spec else None


def nested(depth: int) -> str:
    """A snapshot whose extra member nests arrays so that the document is `depth` deep."""
    inner = depth - 1  # the document's own object is the first level
    return EMPTY + ',\n "extra": ' + "[" * inner + "]" * inner + "}"


def test_nesting_up_to_the_limit_loads() -> None:
    catalog, found = parse_snapshot(nested(MAX_DEPTH), "c.json")
    assert catalog is not None and found == []


def test_one_level_deeper_is_refused_at_the_bracket() -> None:
    code, message, where = one(nested(MAX_DEPTH + 1))
    assert code == "SPC352"
    assert (
        message
        == f"catalog snapshot c.json nests arrays and objects deeper than {MAX_DEPTH} levels"
    )
    # Line 2 is ` "extra": [[[...`: the 64th bracket of the run is the 65th level.
    assert where == (2, len(' "extra": ') + MAX_DEPTH)


def test_200000_open_brackets_end_in_a_diagnostic_not_a_recursion_error() -> None:
    assert one("[" * 200_000) == (
        "SPC352",
        f"catalog snapshot c.json nests arrays and objects deeper than {MAX_DEPTH} levels",
        (1, MAX_DEPTH + 1),
    )


def test_brackets_inside_strings_are_no_nesting() -> None:
    # Labels may hold brackets, escaped quotes and backslashes; none of it is structure.
    options = [
        {"value": "[" * 100, "label": '"[[[" \\ ' + "{" * 100},
        {"value": "\\", "label": "]]]"},
        {"value": 'x\\"[', "label": "\\\\"},
    ]
    prop = {"name": "tier", "type": "enumeration", "fieldType": "select", "options": options}
    document = {
        "catalog": 1,
        "objects": [{"objectTypeId": "0-1", "name": "contacts", "properties": [prop]}],
    }
    catalog, found = parse_snapshot(json.dumps(document), "c.json")
    assert found == [] and catalog is not None
    assert [o.value for o in catalog.property("0-1", "tier").options] == [  # type: ignore[union-attr]
        o["value"] for o in options
    ]


def test_unbalanced_but_shallow_brackets_are_json_errors_at_their_place() -> None:
    code, message, where = one('{"catalog": 1,\n "objects": [1, 2}')
    assert code == "SPC352" and "is not valid JSON" in message
    assert where == (2, 18)


def test_a_20000_digit_integer_is_a_diagnostic_at_its_place() -> None:
    text = EMPTY + ',\n "portalId": ' + "7" * 20_000 + "}"
    code, message, where = one(text)
    assert code == "SPC352"
    assert message == (
        "catalog snapshot c.json holds a number of 20,000 digits; specc reads integers of up "
        f"to {MAX_INTEGER_DIGITS:,} digits"
    )
    assert where == (2, 14)
    assert "7777" not in message


def test_long_digit_runs_in_strings_and_fractions_do_not_count() -> None:
    digits = "7" * 20_000
    text = EMPTY + f', "portalId": "{digits}", "x": 0.{digits}, "y": -{digits}}}'
    code, message, where = one(text)
    assert code == "SPC352" and "20,000 digits" in message
    assert where == (1, text.index(f"-{digits}") + 1)


def test_an_integer_at_the_limit_is_read() -> None:
    text = EMPTY + ', "portalId": ' + "7" * MAX_INTEGER_DIGITS + "}"
    catalog, found = parse_snapshot(text, "c.json")
    assert catalog is not None and found == []


def test_too_many_values_are_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot, "MAX_SNAPSHOT_VALUES", 1000)
    code, message, where = one("[" + "{}," * 1000 + "{}]")
    assert (code, where) == ("SPC351", None)
    assert message == "cannot read catalog snapshot c.json: it holds more than 1,000 JSON values"


def test_a_real_snapshot_is_within_every_limit(tmp_path: Path) -> None:
    for case in ("valid-custom-object", "valid-minimal", "duplicate-object"):
        path = tmp_path / f"{case}.json"
        shutil.copy(CASES / case / "snapshot.json", path)
        catalog, _ = load_snapshot(path, path.name)
        assert catalog is not None, case


def test_a_snapshot_over_the_size_cap_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshot, "MAX_SNAPSHOT_BYTES", 100)
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"catalog": 1, "objects": [], "pad": "x" * 100}), "utf-8")
    catalog, [d] = load_snapshot(path, "c.json")
    assert catalog is None and d.code == "SPC351" and d.spec is None
    assert d.message == "cannot read catalog snapshot c.json: it is larger than 100 bytes"
    assert d.hint and "--object" in d.hint


def test_a_duplicate_key_is_a_diagnostic_at_its_second_occurrence() -> None:
    text = '{"catalog": 2,\n "objects": [],\n "catalog": 1}'
    code, message, where = one(text)
    assert code == "SPC352"
    assert message == 'catalog snapshot c.json names the key "catalog" twice in one object'
    assert where == (3, 2)


def test_nan_is_a_diagnostic_at_its_place() -> None:
    text = '{"catalog": 2, "portalId": NaN, "objects": []}'
    code, message, where = one(text)
    assert code == "SPC352"
    assert message == "catalog snapshot c.json holds NaN, which is not JSON"
    assert where == (1, 28)
