"""The loader: positions of every node, YAML/TOML edge cases, and no input that crashes it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specc.errors import InputError
from specc.pipeline import Options, load_spec
from specc.pointer import escape_token
from specc.spec.loader import (
    MAX_SPEC_BYTES,
    parse_spec_bytes,
    parse_spec_text,
    read_spec,
    spec_kind,
)

YAML = """\
specc: 1
name: "Leads"
files:
  - path: a.csv
    columns:
      Email: {property: email, id: true}
      a/b~c: x
      2024: y
      Tags: [one, two]
"""


def test_yaml_positions_of_keys_and_values() -> None:
    doc = parse_spec_text(YAML, "s.yaml", "yaml")
    where = doc.source_map
    assert where.keys["/name"] == (2, 1)
    assert where.values["/name"] == (2, 7)
    assert where.keys["/files/0"] == (4, 5)
    assert where.keys["/files/0/path"] == (4, 5)
    assert where.values["/files/0/path"] == (4, 11)
    assert where.keys["/files/0/columns/Email"] == (6, 7)
    assert where.values["/files/0/columns/Email/id"] == (6, 36)
    assert where.keys["/files/0/columns/a~1b~0c"] == (7, 7)
    assert where.keys["/files/0/columns/Tags/1"] == (9, 19)


def test_yaml_keys_stay_text_and_plain_scalars_follow_yaml_1_2() -> None:
    text = "2024: no\nOn: yes\nx: 0o17\ny: 1_000\nz: ~\nw: 2026-11-29\n"
    doc = parse_spec_text(text, "s", "yaml")
    assert doc.data is not None
    assert doc.data == {"2024": "no", "On": "yes", "x": 15, "y": "1_000", "z": None,
                        "w": "2026-11-29"}


def test_yaml_core_tags_are_honoured() -> None:
    doc = parse_spec_text("a: !!str 12\nb: !!int '7'\nc: !!float 1\nd: !!bool 'true'\n", "s",
                          "yaml")
    assert doc.data == {"a": "12", "b": 7, "c": 1.0, "d": True}
    bad = parse_spec_text("a: !!int seven\n", "s", "yaml")
    assert [d.code for d in bad.diagnostics] == ["SPC007"]


def test_aliases_share_content_and_positions() -> None:
    doc = parse_spec_text("a: &x {k: 1}\nb: *x\n", "s", "yaml")
    assert doc.data == {"a": {"k": 1}, "b": {"k": 1}}
    assert doc.source_map.values["/b"] == (2, 4)  # the alias itself
    assert doc.source_map.keys["/b/k"] == (1, 8)  # its content: where the anchor wrote it


def test_json_pointer_escaping() -> None:
    assert escape_token("a/b~c") == "a~1b~0c"


def test_toml_positions_of_tables_keys_and_inline_values() -> None:
    text = """\
specc = 1
name = "Leads"
checks.allow = ["SPC412"]

[[files]]
path = "a.csv"

[files.columns]
"First Name" = "firstname"
Email = { property = "email", id = true }

[[files]]
path = 'b.csv'
columns = [
  { column = "X", ignore = true },
]
"""
    doc = parse_spec_text(text, "s.toml", "toml")
    assert not doc.diagnostics
    where = doc.source_map
    assert where.keys["/checks/allow"] == (3, 8)
    assert where.values["/checks/allow/0"] == (3, 17)
    assert where.keys["/files/0/path"] == (6, 1)
    assert where.values["/files/0/path"] == (6, 8)
    assert where.keys["/files/0/columns/First Name"] == (9, 1)
    assert where.values["/files/0/columns/Email/id"] == (10, 36)
    assert where.keys["/files/1/path"] == (13, 1)
    assert where.keys["/files/1/columns/0"] == (15, 3)
    assert where.values["/files/1/columns/0/ignore"] == (15, 28)


def test_toml_multiline_strings_and_dates_do_not_confuse_positions() -> None:
    text = 'a = """\nx = 1\n"""\nwhen = 2026-11-29T10:00:00Z\nb = 2\n'
    doc = parse_spec_text(text, "s.toml", "toml")
    assert doc.data == {"a": "x = 1\n", "when": "2026-11-29T10:00:00+00:00", "b": 2}
    assert "/x" not in doc.source_map.keys
    assert doc.source_map.keys["/b"] == (5, 1)


def test_kind_follows_the_extension() -> None:
    assert spec_kind(Path("a.toml")) == "toml"
    assert spec_kind(Path("a.TOML")) == "toml"
    assert spec_kind(Path("a.yml")) == "yaml"
    assert spec_kind(Path("a.spec")) == "yaml"


def test_a_spec_over_the_size_cap_is_refused() -> None:
    doc = parse_spec_bytes(b"# " + b"x" * MAX_SPEC_BYTES, "big.yaml", "yaml")
    assert [d.code for d in doc.diagnostics] == ["SPC003"]
    assert doc.data is None


def test_a_missing_or_unreadable_spec_cannot_continue(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        read_spec(tmp_path / "nope.yaml", "nope.yaml")
    with pytest.raises(InputError):
        read_spec(tmp_path, "folder")


BILLION_LAUGHS = "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
    f"{c}: &{c} [{','.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.parametrize(
    ("text", "kind", "code"),
    [
        (BILLION_LAUGHS, "yaml", "SPC005"),
        ("a: " + "[" * 50_000 + "]" * 50_000 + "\n", "yaml", "SPC004"),
        ("a: " + "{a: " * 50_000 + "}" * 50_000 + "\n", "yaml", "SPC004"),
        ("a:\n" + "".join(" " * i + "- \n" for i in range(1, 200)), "yaml", "SPC004"),
        ("a = " + "[" * 50_000 + "]" * 50_000 + "\n", "toml", "SPC004"),
        ("a = " + "{b = " * 50_000 + "}" * 50_000 + "\n", "toml", "SPC004"),
    ],
    ids=["billion-laughs", "yaml-brackets", "yaml-braces", "yaml-indent", "toml-brackets",
         "toml-tables"],
)
def test_hostile_files_end_fast_in_a_clear_error(text: str, kind: str, code: str) -> None:
    started = time.perf_counter()
    doc = parse_spec_text(text, "evil", kind)
    assert time.perf_counter() - started < 1.0
    assert [d.code for d in doc.diagnostics] == [code]


def test_a_spec_given_as_a_binary_file(tmp_path: Path) -> None:
    (tmp_path / "leads.xlsx").write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00\xff\xfe")
    loaded = load_spec(Path("leads.xlsx"), Options(cwd=tmp_path, environ={}))
    assert loaded.spec is None
    assert [d.code for d in loaded.diagnostics] == ["SPC002"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), st.sampled_from(["yaml", "toml"]))
def test_any_text_gives_data_or_diagnostics(text: str, kind: str) -> None:
    doc = parse_spec_text(text, "fuzz", kind)
    assert doc.data is not None or doc.diagnostics
    for d in doc.diagnostics:
        assert d.spec is not None and d.spec.line >= 1 and d.spec.column >= 1


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["yaml", "toml"]))
def test_any_bytes_give_data_or_diagnostics(raw: bytes, kind: str) -> None:
    doc = parse_spec_bytes(raw, "fuzz", kind)
    assert doc.data is not None or doc.diagnostics


# Text built from the pieces specs are made of, so that the fuzzing reaches the resolver.
_PIECES = st.sampled_from([
    "specc: 1\n", "name: x\n", "files:\n", "  - path: a.csv\n", "    object: contacts\n",
    "    columns:\n", "      Email: {property: email, id: true}\n", "      A: a\n",
    "      B: {label: companies}\n", "      C: {references: companies}\n",
    "      D: {event: left}\n",
    "operations: create\n", "vars: {a: 1}\n", "name: '{{ vars.a }}'\n", "env: [HOME]\n",
    "checks: {rows: 5}\n", "  - {column: X, ignore: true}\n", "&a ", "*a", "[", "]", "{", "}",
    ": ", "- ", "\n", "  ", "'", '"', "#", "!!str ", "{{", "}}", "{%", "~", "\t",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_spec_like_text_never_crashes_the_pipeline(tmp_path_factory: pytest.TempPathFactory,
                                                   text: str) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "spec.yaml").write_text(text, encoding="utf-8")
    loaded = load_spec(Path("spec.yaml"), Options(cwd=folder, environ={"HOME": "/h"}))
    assert loaded.spec is not None or loaded.diagnostics
