"""Rows too long to be rows: passed over in bounded chunks, the rows after them still read.

The bounds are shrunk here (a row of over 48 bytes is too long, chunks of 16 bytes), so small
files cross every boundary; test_hostile's csv cases run the real bounds on files of 100 MB.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specc.tables import csv as csv_reader
from specc.tables.batch import Batch, FileProblem
from specc.tables.csv import (
    MAX_CELL_BYTES,
    max_row_bytes,
    read_csv,
    skip_row,
)

LIMIT = 48


@pytest.fixture(autouse=True)
def small_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_reader, "CHUNK_BYTES", 16)
    monkeypatch.setattr(csv_reader, "MIN_ROW_BYTES", LIMIT)
    monkeypatch.setattr(csv_reader, "MAX_ROW_BYTES", LIMIT)


def read(path: Path, ncols: int, *, fast: bool) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for item in read_csv(path, ncols, fast=fast):
        if isinstance(item, FileProblem):
            out.append(("problem", item.kind, item.line, item.offset))
            continue
        assert isinstance(item, Batch)
        seen: list[tuple[Any, ...]] = [
            ("row", item.row_at(i), item.line_at(i), tuple(c[i].as_py() for c in item.columns))
            for i in range(item.size)
        ]
        seen += [
            (e.kind, e.row, e.line, e.detail if e.kind == "long" else e.fatal, e.span)
            for e in item.events
        ]
        out.extend(sorted(seen, key=lambda t: t[1]))
    return out


def agree(path: Path, ncols: int) -> list[tuple[Any, ...]]:
    """What both paths read; they agree on everything, or on the problem that ends the
    file (the rows before a bad byte count for nothing, see check.py)."""
    fast = read(path, ncols, fast=True)
    exact = read(path, ncols, fast=False)
    fast_problems = [r for r in fast if r[0] == "problem"]
    assert fast_problems == [r for r in exact if r[0] == "problem"]
    if not fast_problems:
        assert fast == exact
    return exact


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "data.csv"
    path.write_bytes(data)
    return path


def test_a_long_line_is_passed_over_and_the_rows_after_it_read(tmp_path: Path) -> None:
    long = b"x" * 100
    path = write(tmp_path, b"a,b\n1,2\n" + long + b"\n3,4\n")
    assert agree(path, 2) == [
        ("row", 1, 2, ("1", "2")),
        ("long", 2, 3, "a single line of 101 bytes without a line break", (8, 101)),
        ("row", 3, 4, ("3", "4")),
    ]


def test_a_long_row_of_quoted_lines_ends_where_its_quote_closes(tmp_path: Path) -> None:
    row = b'5,"' + b"line\r\n" * 12 + b'end"\r\n'
    path = write(tmp_path, b"a,b\r\n1,2\r\n" + row + b"3,4\r\n")
    assert agree(path, 2) == [
        ("row", 1, 2, ("1", "2")),
        ("long", 2, 3, f"{len(row)} bytes over 13 lines joined by quotes", (10, len(row))),
        ("row", 3, 16, ("3", "4")),
    ]


def test_a_long_line_with_quoted_cells_says_so(tmp_path: Path) -> None:
    row = b'"' + b"y" * 60 + b'",2\n'
    path = write(tmp_path, b"a,b\n" + row + b"3,4\n")
    found = agree(path, 2)
    assert found[0][:4] == ("long", 1, 2, f"a single line of {len(row)} bytes with quoted cells")
    assert found[1] == ("row", 2, 3, ("3", "4"))


def test_a_quote_that_never_closes_still_ends_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, b'a,b\n1,2\n3,"' + b"z\n" * 50 + b"4,5\n")
    found = agree(path, 2)
    assert found == [("row", 1, 2, ("1", "2")), ("parse", 2, 3, True, (8, 107))]


def test_a_long_last_line_without_a_line_break(tmp_path: Path) -> None:
    path = write(tmp_path, b"a,b\n1,2\n" + b"q" * 70)
    assert agree(path, 2)[-1] == (
        "long",
        2,
        3,
        "a single line of 70 bytes without a line break",
        (8, 70),
    )


def test_a_stray_quote_in_a_short_row_is_text_not_a_long_row(tmp_path: Path) -> None:
    # Counting quotes, every line break after ab"c looks quoted; csv reads the quote as text.
    rows = b"".join(b"%d,%d\n" % (i, i) for i in range(30))
    path = write(tmp_path, b'a,b\nab"c,1\n' + rows)
    found = agree(path, 2)
    assert found[0] == ("row", 1, 2, ('ab"c', "1"))
    assert len(found) == 31 and all(item[0] == "row" for item in found)


def test_a_nul_in_a_long_row_ends_the_file_where_it_is(tmp_path: Path) -> None:
    path = write(tmp_path, b"a,b\n1,2\n" + b"x" * 60 + b"\0" + b"x" * 10 + b"\n3,4\n")
    assert agree(path, 2)[-1] == ("problem", "nul", 3, 68)


def test_bad_utf8_in_a_long_row_ends_the_file_and_split_characters_do_not(
    tmp_path: Path,
) -> None:
    # é is two bytes; at 16-byte chunks some are cut in two.
    fine = write(tmp_path, b"a,b\n1,2\n" + "é".encode() * 40 + b"\n3,4\n")
    assert agree(fine, 2)[-1] == ("row", 3, 4, ("3", "4"))
    path = write(tmp_path, b"a,b\n1,2\n" + b"x" * 50 + b"\xff" + b"\n3,4\n")
    assert agree(path, 2)[-1] == ("problem", "encoding", 3, 58)


def test_line_numbers_after_a_long_row_of_lone_carriage_returns(tmp_path: Path) -> None:
    path = write(tmp_path, b"a,b\r1,2\r" + b"w" * 60 + b"\r3,4\r5,6\r")
    assert agree(path, 2) == [
        ("row", 1, 2, ("1", "2")),
        ("long", 2, 3, "a single line of 61 bytes without a line break", (8, 61)),
        ("row", 3, 4, ("3", "4")),
        ("row", 4, 5, ("5", "6")),
    ]


def test_skip_row_reads_a_crlf_cut_between_two_chunks(tmp_path: Path) -> None:
    data = b"k" * 15 + b"\r\nnext\n"  # the \r is the 16th byte: the end of the first chunk
    path = write(tmp_path, data)
    with path.open("rb") as f:
        skipped = skip_row(f, 0, 1)
    assert not isinstance(skipped, FileProblem)
    assert (skipped.end, skipped.breaks) == (17, 1)


def test_many_quotes_are_followed_columnwise(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(csv_reader, "CHUNK_BYTES", 1 << 16)
    # A row of 100 quoted cells holding line breaks, then a plain row.
    cell = b'"a\n""b"""'
    data = b",".join([cell] * 100) + b"\nplain\n"
    path = write(tmp_path, data)
    with path.open("rb") as f:
        skipped = skip_row(f, 0, 1)
    assert not isinstance(skipped, FileProblem)
    assert skipped.end == len(data) - len(b"plain\n")
    assert skipped.breaks == 101


def test_the_row_bound_follows_the_columns(monkeypatch: Any) -> None:
    monkeypatch.setattr(csv_reader, "MIN_ROW_BYTES", 16 << 20)
    monkeypatch.setattr(csv_reader, "MAX_ROW_BYTES", 64 << 20)
    # A legal row: each cell 65,536 characters of 3 bytes, quoted.
    assert MAX_CELL_BYTES == 3 * 65_536 + 3
    assert max_row_bytes(3) == 16 << 20
    assert max_row_bytes(200) == 200 * MAX_CELL_BYTES + (64 << 10)
    assert max_row_bytes(999) == 64 << 20


_ROW = st.one_of(
    st.sampled_from([b"1,2", b'"x\ny",2', b'"a""b",c', b"", b'p"q,r']),
    st.binary(min_size=0, max_size=90).map(lambda b: b.replace(b"\0", b"0")),
    st.integers(20, 90).map(lambda n: b"w" * n),
    st.integers(5, 40).map(lambda n: b'"' + b"l\n" * n + b'",1'),
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(_ROW, max_size=8), end=st.sampled_from([b"\n", b"\r\n"]))
def test_both_paths_pass_over_the_same_rows(tmp_path: Path, rows: list[bytes], end: bytes) -> None:
    agree(write(tmp_path, b"a,b" + end + end.join(rows) + end), 2)


# --- what `specc check` makes of them ---------------------------------------------------------

CATALOG = Path(__file__).resolve().parent.parent / "cases" / "data" / "catalog.json"
SPEC = """\
specc: 1
name: long rows
catalog: catalog.json
files:
  - path: data.csv
    object: contacts
    columns:
      Email: {property: email, id: true}
      First Name: firstname
"""


@pytest.mark.parametrize("fast", [True, False])
def test_check_reports_the_long_row_and_checks_the_rows_after_it(
    tmp_path: Path, fast: bool
) -> None:
    from specc.catalog.load import load_catalog
    from specc.data.check import check_rows
    from specc.pipeline import lint_loaded, load_spec
    from specc.run import Options

    (tmp_path / "catalog.json").write_bytes(CATALOG.read_bytes())
    (tmp_path / "spec.yaml").write_text(SPEC, "utf-8")
    long = b"ann@example.com," + b"A" * 80
    data = b"Email,First Name\nben@example.com,Ben\n" + long + b"\nnot-an-email,Cy\n"
    (tmp_path / "data.csv").write_bytes(data)
    rejects = tmp_path / "rejects"
    options = Options(cwd=tmp_path, environ={}, rejects=rejects)
    loaded = load_spec(tmp_path / "spec.yaml", options)
    assert loaded.spec is not None
    catalog, _ = load_catalog(loaded.spec)
    result = check_rows(loaded.spec, catalog, options, lint_loaded(loaded.spec), fast=fast)
    found = [(d.code, d.data.line if d.data else None) for d in result.diagnostics]
    assert found == [("SPC455", 3), ("SPC401", 4)]
    message = result.diagnostics[0].message
    assert message.startswith("row 2 is a single line of 97 bytes without a line break")
    assert "rows after it checked" in message
    assert result.counts_by_error_type == {"COLUMN_TOO_LARGE": 1, "INVALID_EMAIL": 1}
    # --rejects copies the long row as it is, beside the other failing row.
    written = (rejects / "data.csv").read_bytes()
    assert written == b"Email,First Name\r\n" + long + b"\nnot-an-email,Cy\r\n"
