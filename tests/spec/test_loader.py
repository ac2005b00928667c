"""The loader: positions of every node, YAML/TOML edge cases, and no input that crashes it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specc.errors import InputError
from specc.pipeline import load_spec
from specc.pointer import escape_token
from specc.run import Options
from specc.spec import loader
from specc.spec.loader import (
    MAX_DEPTH,
    MAX_INT,
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
    assert doc.data == {
        "2024": "no",
        "On": "yes",
        "x": 15,
        "y": "1_000",
        "z": None,
        "w": "2026-11-29",
    }


def test_yaml_core_tags_are_honoured() -> None:
    doc = parse_spec_text(
        "a: !!str 12\nb: !!int '7'\nc: !!float 1\nd: !!bool 'true'\n", "s", "yaml"
    )
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


# Time bounds are in this process's CPU time: a parser that runs away burns CPU, while wall
# time also counts the moments a busy CI machine's other processes hold the cores.
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
    ids=[
        "billion-laughs",
        "yaml-brackets",
        "yaml-braces",
        "yaml-indent",
        "toml-brackets",
        "toml-tables",
    ],
)
def test_hostile_files_end_fast_in_a_clear_error(text: str, kind: str, code: str) -> None:
    started = time.process_time()
    doc = parse_spec_text(text, "evil", kind)
    # About 0.1 s alone; the bound is generous for a loaded CI machine.
    assert time.process_time() - started < 5.0
    assert [d.code for d in doc.diagnostics] == [code]


def _where(text: str, kind: str) -> list[tuple[str, int, int]]:
    """(code, line, column) of each diagnostic, asserting the file was read quickly."""
    started = time.process_time()
    doc = parse_spec_text(text, "evil", kind)
    assert time.process_time() - started < 5.0
    assert doc.data is None
    return [(d.code, d.spec.line, d.spec.column) for d in doc.diagnostics if d.spec]


TOML_FILE = '[[files]]\npath = "a.csv"\ncolumns = {Email = "email"}\n'


@pytest.mark.parametrize(
    ("text", "kind", "line", "column"),
    [
        ("specc: 0x" + "f" * 20_000 + "\n", "yaml", 1, 8),
        ("specc: 1\nmarketing_event: 0o" + "7" * 20_000 + "\n", "yaml", 2, 18),
        ("specc: 1\nmarketing_event: " + "7" * 5_000 + "\n", "yaml", 2, 18),
        ("specc: 1\nmarketing_event: -" + "7" * 5_000 + "\n", "yaml", 2, 18),
        ("specc: 1\nvars: {a: !!int " + "7" * 5_000 + "}\n", "yaml", 2, 11),
        ("specc: 1\nvars: {a: !!float " + "7" * 5_000 + "}\n", "yaml", 2, 11),
        ("specc: 1\nvars:\n  - 1e999999\n", "yaml", 3, 5),
        ("specc: 1\nvars: [-1e400]\n", "yaml", 2, 8),
        ("specc: 1\nmarketing_event: 9223372036854775808\n", "yaml", 2, 18),
        ("specc: 1\nmarketing_event: -9223372036854775809\n", "yaml", 2, 18),
        ("specc: 1\nmarketing_event: 0x8000000000000000\n", "yaml", 2, 18),
        ("specc = 1\nmarketing_event = " + "7" * 5_000 + "\n" + TOML_FILE, "toml", 2, 19),
        ("specc = 1\nmarketing_event = 0x" + "f" * 20_000 + "\n", "toml", 2, 19),
        ("specc = 1\nmarketing_event = 0o" + "7" * 20_000 + "\n", "toml", 2, 19),
        ("specc = 1\nmarketing_event = 0b1" + "0" * 63 + "\n", "toml", 2, 19),
        ("specc = 1\n[vars]\na = [1, 2, 1_000_000_000_000_000_000_000]\n", "toml", 3, 12),
        ("specc = 1\nvars = {a = {b = 1e999999}}\n", "toml", 2, 18),
        ("specc = 1\n[vars]\nnested.deep = -" + "9" * 4_400 + "\n", "toml", 3, 15),
    ],
    ids=[
        "yaml-hex",
        "yaml-octal",
        "yaml-decimal",
        "yaml-negative",
        "yaml-int-tag",
        "yaml-float-tag",
        "yaml-float-overflow",
        "yaml-negative-float",
        "yaml-just-past-max",
        "yaml-just-past-min",
        "yaml-hex-just-past",
        "toml-decimal",
        "toml-hex",
        "toml-octal",
        "toml-binary",
        "toml-underscores",
        "toml-float-overflow",
        "toml-dotted-negative",
    ],
)
def test_a_number_out_of_range_is_refused_at_its_line(
    text: str, kind: str, line: int, column: int
) -> None:
    assert _where(text, kind) == [("SPC009", line, column)]


def test_numbers_at_the_edge_of_the_range_are_read() -> None:
    text = (
        f"a: {MAX_INT}\nb: -{MAX_INT + 1}\nc: 0x7fffffffffffffff\nd: {'0' * 5_000}1\n"
        "e: 1.7976931348623157e308\nf: .inf\ng: 1e-999999\n"
    )
    doc = parse_spec_text(text, "s", "yaml")
    assert doc.data == {
        "a": MAX_INT,
        "b": -MAX_INT - 1,
        "c": MAX_INT,
        "d": 1,
        "e": 1.7976931348623157e308,
        "f": float("inf"),
        "g": 0.0,
    }
    toml = parse_spec_text(f"a = {MAX_INT}\nb = 0x7fff_ffff_ffff_ffff\nc = inf\n", "s", "toml")
    assert toml.data == {"a": MAX_INT, "b": MAX_INT, "c": float("inf")}


def test_every_number_out_of_range_is_shown_at_once() -> None:
    text = "a: 1" + "0" * 30 + "\nb: [ok, 1e999]\nc: 0x" + "f" * 40 + "\n"
    assert _where(text, "yaml") == [("SPC009", 1, 4), ("SPC009", 2, 9), ("SPC009", 3, 4)]


def test_the_message_quotes_a_long_number_shortened() -> None:
    doc = parse_spec_text("a: " + "7" * 5_000 + "\n", "s", "yaml")
    message = doc.diagnostics[0].message
    assert "5,000 characters" in message and len(message) < 200


DOTS_3000 = ".".join(["a"] * 3_000)
NESTED_INLINE = "a = " + "{b = " * 100 + "1" + "}" * 100 + "\n"


@pytest.mark.parametrize(
    ("text", "kind", "line", "column"),
    [
        # The document's table is level 1 and `vars` level 2, so the 63rd `a` (the first is in
        # column 7) is level 65: the diagnostic points at it.
        (f"specc = 1\n[vars.{DOTS_3000}]\nx = 1\n", "toml", 2, 7 + 62 * 2),
        # [[vars]] is an array (2) of tables (3): the 62nd `a` is level 65.
        (f"specc = 1\n[[vars.{DOTS_3000}]]\n", "toml", 2, 8 + 61 * 2),
        # A dotted key's parts before the last are tables: the 63rd `a` is level 65.
        ("specc = 1\nvars." + ".".join(["a"] * 5_000) + " = 1\n", "toml", 2, 6 + 62 * 2),
        ("specc = 1\n[vars]\n" + ".".join(["a"] * 70) + " = 1\n", "toml", 3, 1 + 62 * 2),
        (NESTED_INLINE, "toml", 1, 5 + 63 * 5),
        # `[` (level 2) in column 5, then each `{b = [` adds two levels: `{` reaches 65 at 31.
        ("a = [" + "{b = [" * 40 + "]}" * 40 + "]\n", "toml", 1, 6 + 31 * 6),
        # Quoted keys hold dots that are no levels: the 64th part is level 65.
        ('"q.u.o.t.e.d" = 1\n' + "[" + ".".join(['"x.y"'] * 70) + "]\n", "toml", 2, 2 + 63 * 6),
    ],
    ids=[
        "toml-dotted-header",
        "toml-array-of-tables-header",
        "toml-dotted-key",
        "toml-dotted-key-in-table",
        "toml-inline-tables",
        "toml-arrays-and-tables",
        "toml-quoted-dots",
    ],
)
def test_toml_nesting_counts_every_level(text: str, kind: str, line: int, column: int) -> None:
    found = _where(text, kind)
    assert [(code, at) for code, at, _ in found] == [("SPC004", line)]
    assert found[0][2] == column


def test_yaml_aliases_cannot_multiply_the_depth() -> None:
    # Each anchor nests the previous one 40 levels deeper: no single bracket run passes 64.
    text = "a: &a " + "[" * 40 + "]" * 40 + "\nb: &b " + "[" * 40 + "*a" + "]" * 40 + "\n"
    assert _where(text, "yaml") == [("SPC004", 2, 47)]
    shallow = parse_spec_text("a: &a [[1]]\nb: [[*a, *a]]\n", "s", "yaml")
    assert shallow.data == {"a": [[1]], "b": [[[[1]], [[1]]]]}


def test_a_spec_as_deep_as_allowed_is_read() -> None:
    yaml = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    assert not parse_spec_text(yaml, "s", "yaml").diagnostics
    toml = "[" + ".".join(["a"] * (MAX_DEPTH - 1)) + "]\nx = 1\n"
    assert not parse_spec_text(toml, "s", "toml").diagnostics
    assert parse_spec_text("[" + ".".join(["a"] * MAX_DEPTH) + "]\n", "s", "toml").diagnostics


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("a:\n  ? " + "k" * 200_000 + "\n  : [" + "1," * 20_000 + "1]\n", "yaml"),
        ("a:\n" + "".join(f"  {'k' * 1_000}{i}:\n" + "    - x\n" * 40 for i in range(400)), "yaml"),
        ('[vars]\n"' + "k" * 300_000 + '" = [' + "1," * 40_000 + "1]\n", "toml"),
    ],
    ids=["yaml-long-explicit-key", "yaml-many-long-keys", "toml-long-quoted-key"],
)
def test_long_keys_repeated_in_every_path_are_refused(text: str, kind: str) -> None:
    started = time.process_time()
    doc = parse_spec_text(text, "evil", kind)
    assert time.process_time() - started < 2.0
    assert [d.code for d in doc.diagnostics] == ["SPC003"]
    assert "16 MB" in doc.diagnostics[0].message


@pytest.mark.parametrize(
    "text",
    [
        "a = [" + "[]," * 1_600_000 + "]\n",
        "".join(f"k{i} = {i}\n" for i in range(400_000)),
        "[[a]]\n" * 800_000,
        "a = {" + ", ".join(f"k{i} = 1" for i in range(400_000)) + "}\n",
    ],
    ids=["arrays", "keys", "array-of-tables", "inline-table"],
)
def test_a_toml_file_of_countless_tiny_values_is_refused_before_parsing(text: str) -> None:
    # tomllib alone takes seconds over 5 MB of these; a spec has a few hundred values.
    started = time.process_time()
    doc = parse_spec_text(text, "evil.toml", "toml")
    assert time.process_time() - started < 1.0
    assert [d.code for d in doc.diagnostics] == ["SPC003"]
    assert "50,000 values" in doc.diagnostics[0].message


def test_a_toml_spec_of_many_columns_is_still_read() -> None:
    columns = "".join(
        f'"Column {i}" = {{ property = "p{i}", ignore = false }}\n' for i in range(2_000)
    )
    doc = parse_spec_text('[[files]]\npath = "a.csv"\n[files.columns]\n' + columns, "s", "toml")
    assert not doc.diagnostics


def _data_depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max((_data_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_data_depth(v) for v in value), default=0)
    return 0


# TOML built from the constructs that nest: headers, dotted and quoted keys, inline tables and
# arrays, with strings and comments holding the characters the depth scan looks for.
_TOML_KEY = st.sampled_from(["a", "b", '"x.y"', "'[z]'", '"#"'])
_TOML_SCALAR = st.sampled_from(["1", "1.5", '"s.t[#"', "'{'", "true", "1979-05-27", '""" [\n"""'])
_TOML_VALUE = st.recursive(
    _TOML_SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        st.lists(st.tuples(st.lists(_TOML_KEY, min_size=1, max_size=3), inner), max_size=2).map(
            lambda pairs: "{" + ", ".join(".".join(k) + " = " + v for k, v in pairs) + "}"
        ),
    ),
    max_leaves=8,
)
_TOML_LINE = st.one_of(
    st.lists(_TOML_KEY, min_size=1, max_size=4).map(lambda k: "[" + ".".join(k) + "]"),
    st.lists(_TOML_KEY, min_size=1, max_size=4).map(lambda k: "[[" + ".".join(k) + "]]"),
    st.tuples(st.lists(_TOML_KEY, min_size=1, max_size=4), _TOML_VALUE).map(
        lambda kv: ".".join(kv[0]) + " = " + kv[1] + "  # ] . {"
    ),
)


# 200 files of up to 8 lines (headers, array headers, dotted keys with nested values): many of
# them nest past the lowered limit of 4, many stay under it.
@settings(max_examples=200, deadline=None)
@given(st.lists(_TOML_LINE, max_size=8).map("\n".join))
def test_the_toml_depth_scan_agrees_with_the_data(text: str) -> None:
    import tomllib

    try:
        depth = _data_depth(tomllib.loads(text))
    except tomllib.TOMLDecodeError:
        return
    # With the limit lowered to what these small files reach, the scan flags exactly the
    # files whose data nests deeper.
    limit = 4
    original = loader.MAX_DEPTH
    loader.MAX_DEPTH = limit
    try:
        level, _, _ = loader._toml_depth(text)
    finally:
        loader.MAX_DEPTH = original
    assert (level > limit) == (depth > limit), (level, depth)


def test_a_spec_given_as_a_binary_file(tmp_path: Path) -> None:
    # (A .xlsx name is said to be a data file before it is read: tests/cli/test_first_hour.py.)
    (tmp_path / "leads.bin").write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00\xff\xfe")
    loaded = load_spec(Path("leads.bin"), Options(cwd=tmp_path, environ={}))
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
_PIECES = st.sampled_from(
    [
        "specc: 1\n",
        "name: x\n",
        "files:\n",
        "  - path: a.csv\n",
        "    object: contacts\n",
        "    columns:\n",
        "      Email: {property: email, id: true}\n",
        "      A: a\n",
        "      B: {label: companies}\n",
        "      C: {references: companies}\n",
        "      D: {event: left}\n",
        "operations: create\n",
        "vars: {a: 1}\n",
        "name: '{{ vars.a }}'\n",
        "env: [HOME]\n",
        "checks: {rows: 5}\n",
        "  - {column: X, ignore: true}\n",
        "&a ",
        "*a",
        "[",
        "]",
        "{",
        "}",
        ": ",
        "- ",
        "\n",
        "  ",
        "'",
        '"',
        "#",
        "!!str ",
        "{{",
        "}}",
        "{%",
        "~",
        "\t",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_spec_like_text_never_crashes_the_pipeline(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "spec.yaml").write_text(text, encoding="utf-8")
    loaded = load_spec(Path("spec.yaml"), Options(cwd=folder, environ={"HOME": "/h"}))
    assert loaded.spec is not None or loaded.diagnostics
