"""The CSV readers: row and line numbers, rows set aside, bad bytes; fast path == exact path."""

from __future__ import annotations

import csv
import io
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from specc.tables import csv as csv_reader
from specc.tables.batch import Batch, FileProblem
from specc.tables.csv import (
    Scan,
    count_breaks,
    count_quotes,
    data_start,
    quotes_well_placed,
    read_csv,
    scan_breaks,
    split_record,
    split_row,
)

Read = list[tuple[Any, ...]]


def read(path: Path, ncols: int, *, fast: bool, has_header: bool = True) -> Read:
    """Everything a reader yields, flattened: rows, rows set aside, the problem at the end."""
    out: Read = []
    for item in read_csv(path, ncols, has_header, fast=fast):
        if isinstance(item, FileProblem):
            out.append(("problem", item.kind, item.line, item.offset))
            continue
        assert isinstance(item, Batch)
        seen = [
            ("row", item.row_at(i), item.line_at(i), tuple(c[i].as_py() for c in item.columns))
            for i in range(item.size)
        ]
        seen += [("set aside", e.row, e.line, e.kind, e.cells, e.fatal, e.raw) for e in item.events]
        out.extend(sorted(seen, key=lambda t: t[1]))
    return out


def agree(path: Path, ncols: int, has_header: bool = True) -> Read:
    """What both paths read; they must agree (past a bad byte, only on the problem)."""
    fast = read(path, ncols, fast=True, has_header=has_header)
    exact = read(path, ncols, fast=False, has_header=has_header)
    fast_problems = [r for r in fast if r[0] == "problem"]
    exact_problems = [r for r in exact if r[0] == "problem"]
    assert fast_problems == exact_problems
    if not fast_problems:
        assert fast == exact
    return exact


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of a few bytes, so every file crosses many chunk boundaries."""
    monkeypatch.setattr(csv_reader, "CHUNK_BYTES", 16)
    monkeypatch.setattr(csv_reader, "MAX_ROW_BYTES", 1 << 16)


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "data.csv"
    path.write_bytes(data)
    return path


CASES: list[tuple[bytes, Read]] = [
    (b"a,b\n1,2\n3,4\n", [("row", 1, 2, ("1", "2")), ("row", 2, 3, ("3", "4"))]),
    # BOM, CRLF, a line break inside quotes, no line break at the end
    (
        b'\xef\xbb\xbfa,b\r\n1,2\r\n"x\r\ny",z\r\n5,6',
        [("row", 1, 2, ("1", "2")), ("row", 2, 3, ("x\r\ny", "z")), ("row", 3, 5, ("5", "6"))],
    ),
    # too many and too few cells; empty lines are not rows
    (
        b"a,b\n1,2,3\n4\n\n5,6\n\n\n",
        [
            ("set aside", 1, 2, "cells", ("1", "2", "3"), False, ""),
            ("set aside", 2, 3, "cells", ("4",), False, ""),
            ("row", 3, 5, ("5", "6")),
        ],
    ),
    # a quote inside an unquoted cell is text; a lone \r ends a line
    (
        b'a,b\nx"y,z\n"q\nr",s\n\r\n t,u\rv,w\n',
        [
            ("row", 1, 2, ('x"y', "z")),
            ("row", 2, 3, ("q\nr", "s")),
            ("row", 3, 6, (" t", "u")),
            ("row", 4, 7, ("v", "w")),
        ],
    ),
    # text after a closing quote: that row cannot be parsed, the next one can
    (
        b'a,b\n"ab"c,d\ne,f\n',
        [("set aside", 1, 2, "parse", (), False, '"ab"c,d\n'), ("row", 2, 3, ("e", "f"))],
    ),
    # a quote that never closes ends the file
    (
        b'a,b\n1,2\n"open,x\ny,z\n',
        [
            ("row", 1, 2, ("1", "2")),
            ("set aside", 2, 3, "parse", (), True, '"open,x\ny,z\n'),
        ],
    ),
    (b'a,b\n"a""b",c\n"",""\n', [("row", 1, 2, ('a"b', "c")), ("row", 2, 3, ("", ""))]),
    (b"a,b\n1,2\n\xff,3\n", [("problem", "encoding", 3, 8)]),
    (b"a,b\n1,\0\n", [("problem", "nul", 2, 6)]),
    (b"\xff\xfea\x00,\x00b\x00", [("problem", "encoding", 1, 0)]),
    (b"a,b\n", []),
    (b"", []),
]


@pytest.mark.parametrize("data,expected", CASES, ids=[repr(c[0][:24]) for c in CASES])
def test_reads(tmp_path: Path, data: bytes, expected: Read) -> None:
    path = write(tmp_path, data)
    got = agree(path, 2)
    if not any(r[0] == "problem" for r in expected):
        assert got == expected
    else:
        assert [r for r in got if r[0] == "problem"] == expected


@pytest.mark.parametrize("data,expected", CASES, ids=[repr(c[0][:24]) for c in CASES])
def test_reads_in_small_chunks(
    tmp_path: Path, small_chunks: None, data: bytes, expected: Read
) -> None:
    test_reads(tmp_path, data, expected)


def test_headerless_file_starts_at_line_one(tmp_path: Path) -> None:
    path = write(tmp_path, b"1,2\n3,4\n")
    assert agree(path, 2, has_header=False) == [
        ("row", 1, 1, ("1", "2")),
        ("row", 2, 2, ("3", "4")),
    ]


@pytest.mark.parametrize(
    "data,start",
    [
        (b"a,b\n1,2\n", (4, 2)),
        (b"\xef\xbb\xbfa,b\r\n1,2\n", (8, 2)),
        (b'"a\nb",c\n1,2\n', (8, 3)),  # a header cell with a line break
        (b"\n\na,b\n1,2\n", (6, 4)),  # empty lines before the header
        (b"a,b", (3, 2)),
    ],
)
def test_data_start(tmp_path: Path, data: bytes, start: tuple[int, int]) -> None:
    path = write(tmp_path, data)
    with open(path, "rb") as f:
        assert data_start(f, True) == start


def test_non_ascii_row_set_aside_is_checked_for_utf8(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """A row Arrow would set aside is not UTF-8: the chunk is checked before Arrow parses
    it, so Arrow never complains about it on stderr (nor through sys.unraisablehook)."""
    path = write(tmp_path, b"a,b\n1,2\n\xe9,x,y\n")
    hook = sys.unraisablehook
    assert agree(path, 2) == [("problem", "encoding", 3, 8)]
    assert sys.unraisablehook is hook
    assert capfd.readouterr().err == ""


def test_a_cell_past_csvs_field_limit_is_read_without_raising_it(tmp_path: Path) -> None:
    """csv's limit on a cell (131,072 characters) is the whole process's: specc leaves it
    alone (the sandbox reads files in threads) and still reads such a cell whole, quoted
    over several lines or not, on both paths and in the header."""
    default = csv.field_size_limit()
    big = "x" * 200_000
    lines = f'"{big}\r\n{big}",1\r\n'.encode()
    path = write(
        tmp_path, f"{big},h\r\n".encode() + lines + b"after,2\r\n" + big.encode() + b",3\r\n"
    )
    seen: list[int] = []
    for fast in (True, False):
        items = read_csv(path, 2, fast=fast)
        first = next(items)
        seen.append(csv.field_size_limit())  # mid-read: untouched
        rest = list(items)
        batch = first if isinstance(first, Batch) else rest[0]
        assert isinstance(batch, Batch)
    assert seen == [default, default] and csv.field_size_limit() == default
    assert agree(path, 2) == [
        ("row", 1, 2, (f"{big}\r\n{big}", "1")),
        ("row", 2, 4, ("after", "2")),
        ("row", 3, 5, (big, "3")),
    ]
    with open(path, "rb") as f:
        assert data_start(f, True) == (len(big) + 4, 2)


@pytest.mark.parametrize(
    "text",
    ['a,"b\nc",d\r\n', '"a""b",,""\n', 'a"b,c', ",", "", '"x"y\n', '"open\n', 'a,"b"\r'],
)
def test_split_row_reads_as_csv_does(text: str) -> None:
    """split_row is csv.reader(strict=True) for one row; past csv's field limit it splits
    the row itself, and must read (or refuse) it just the same."""
    padding = "y" * 140_000
    longer = text.replace("a", padding)
    try:
        expected: list[str] | str = next(csv.reader([text], strict=True), [])
    except csv.Error as exc:
        expected = str(exc)
    try:
        got: list[str] | str = split_row(text)
    except csv.Error as exc:
        got = str(exc)
    assert got == expected
    try:
        long_got: list[str] | str = split_row(longer)
    except csv.Error as exc:
        long_got = str(exc)
    if isinstance(expected, str):
        assert long_got == expected
    else:
        assert long_got == [cell.replace("a", padding) for cell in expected]


def test_one_pass_counts_line_breaks_and_finds_lone_carriage_returns() -> None:
    import pyarrow as pa

    def scan(data: bytes) -> Scan:
        return scan_breaks(pa.array(list(data), pa.uint8()))

    assert scan(b"a\r\nb\r\n") == Scan(2, False)
    assert scan(b"a\nb\n\n") == Scan(3, False)
    assert scan(b"a\rb\r\nc\n") == Scan(3, True)
    assert scan(b"a\r") == Scan(1, True)
    assert scan("é\r\n".encode()) == Scan(1, False)
    assert scan(b"") == Scan(0, False)


def test_quotes_well_placed() -> None:
    assert quotes_well_placed(b'a,"b,c"\n"d""e",f\n')
    assert not quotes_well_placed(b'a"b,c\n')
    assert not quotes_well_placed(b'"a"b,c\n')
    assert quotes_well_placed(b'""\n')


def test_many_quotes_are_checked_columnwise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_reader, "_MANY_QUOTES", 2)
    assert quotes_well_placed(b'"a","b"\n"c","d"\n')
    assert not quotes_well_placed(b'"a","b"\nc"d","e"\n')


@given(
    data=st.lists(st.sampled_from([b'"', b"a", b"\n", b'""']), max_size=700).map(b"".join),
    start=st.integers(0, 50),
    stop=st.integers(0, 50),
)
def test_quotes_counted_one_by_one_or_in_bulk_as_bytes_count_counts_them(
    data: bytes, start: int, stop: int
) -> None:
    end = max(0, len(data) - stop)
    assert count_quotes(data, start, end) == data.count(b'"', start, end)
    assert count_quotes(bytearray(data), start, end) == data.count(b'"', start, end)


def test_rows_of_quoted_line_breaks_found_by_the_worker(tmp_path: Path) -> None:
    """Cells holding line breaks (several in a row, rows set aside around them, CRLF and
    LF) keep the fast path: the worker finds their rows from the cells' offsets, and the
    numbers add up, so no chunk goes to the csv module."""
    import pyarrow as pa

    data = b'a,"x\r\ny"\r\nb,c\n"1\n2","3\n\n4"\nshort\nd,"e\n"\n'
    places = csv_reader.quote_layout(data, len(data), data.count(b'"'))
    opening = [data.index(cell) for cell in (b'"x', b'"1', b'"3', b'"e')]
    assert places == list(zip(opening, [1, 1, 2, 1], strict=True))
    scan = scan_breaks(pa.array(list(data), pa.uint8()), places)
    # Records: 0 a,"x..y"; 1 b,c; 2 "1..2","3....4"; 3 short; 4 d,"e.."
    assert scan.spans == {0: 1, 2: 3, 4: 1}
    path = tmp_path / "data.csv"
    path.write_bytes(b"h1,h2\r\n" + data)
    logger = logging.getLogger(csv_reader.__name__)
    seen: list[str] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = lambda record: seen.append(record.getMessage())  # type: ignore[method-assign]
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        got = agree(path, 2)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert not [m for m in seen if "csv module" in m], seen
    assert got == [
        ("row", 1, 2, ("a", "x\r\ny")),
        ("row", 2, 4, ("b", "c")),
        ("row", 3, 5, ("1\n2", "3\n\n4")),
        ("set aside", 4, 9, "cells", ("short",), False, ""),
        ("row", 5, 10, ("d", "e\n")),
    ]


def test_count_breaks() -> None:
    assert count_breaks(b"a\nb\r\nc\rd") == 3
    assert count_breaks(b"abc") == 0


# --- properties -----------------------------------------------------------------------------

cell_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=12,
)


def _lines_of_rows(header: list[str], rows: list[list[str]], terminator: str) -> Iterator[int]:
    """The physical line each row starts on, counted in the text csv.writer produces."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=terminator)
    writer.writerow(header)
    for row in rows:
        yield count_breaks(out.getvalue().encode("utf-8")) + 1
        writer.writerow(row)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ncols=st.integers(1, 4),
    data=st.data(),
    terminator=st.sampled_from(["\r\n", "\n"]),
    chunk=st.sampled_from([16, 64, 1 << 20]),
)
def test_any_cell_text_written_by_csv_reads_back(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    ncols: int,
    data: st.DataObject,
    terminator: str,
    chunk: int,
) -> None:
    monkeypatch.setattr(csv_reader, "CHUNK_BYTES", chunk)
    rows = data.draw(st.lists(st.lists(cell_text, min_size=ncols, max_size=ncols), max_size=8))
    # With "\n" as line end, csv.writer leaves a lone "\r" unquoted, which no reader (not
    # even csv's own) can tell from a line break: the module itself does not round-trip it.
    assume(terminator == "\r\n" or not any("\r" in cell for row in rows for cell in row))
    header = [f"h{j}" for j in range(ncols)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=terminator)
    writer.writerow(header)
    writer.writerows(rows)
    path = tmp_path_factory.mktemp("csv") / "data.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    got = agree(path, ncols)
    lines = list(_lines_of_rows(header, rows, terminator))
    expected = [("row", k + 1, lines[k], tuple(row)) for k, row in enumerate(rows)]
    assert got == expected


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.lists(
        st.sampled_from([b"a", b"b", b",", b'"', b"\n", b"\r", b" ", "é".encode(), b"\xff", b"\0"]),
        max_size=60,
    ).map(b"".join),
    ncols=st.integers(1, 3),
    chunk=st.sampled_from([8, 32, 1 << 20]),
    many=st.sampled_from([2, 20_000]),
)
def test_fast_and_exact_paths_agree_on_csv_like_bytes(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    data: bytes,
    ncols: int,
    chunk: int,
    many: int,
) -> None:
    monkeypatch.setattr(csv_reader, "CHUNK_BYTES", chunk)
    monkeypatch.setattr(csv_reader, "_MANY_QUOTES", many)
    path = tmp_path_factory.mktemp("csv") / "data.csv"
    path.write_bytes(b"h1,h2\n" + data)
    agree(path, ncols)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=200), ncols=st.integers(1, 3))
def test_random_bytes_give_rows_or_a_problem(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, ncols: int
) -> None:
    path = tmp_path_factory.mktemp("csv") / "data.csv"
    path.write_bytes(data)
    for has_header in (True, False):
        agree(path, ncols, has_header)


def test_split_record_says_whether_text_is_one_record() -> None:
    assert split_record("a;b;c", ";") == ["a", "b", "c"]
    assert split_record('"a;x";b', ";") == ["a;x", "b"]
    assert split_record("a;b\nc;d", ";") is None  # two records
    assert split_record("", ";") is None


def test_readers_in_threads_read_what_they_read_alone(tmp_path: Path) -> None:
    """The sandbox checks several uploads at once: readers in threads share no state (no
    csv limit raised and lowered under another reader, no hook swapped)."""
    from concurrent.futures import ThreadPoolExecutor

    big = "x" * 140_000
    paths = []
    for n, ending in enumerate([b"\r\n", b"\r", b"\n"]):
        path = tmp_path / f"data{n}.csv"
        rows = [
            b"a,b",
            f'"{big}\r\n{big}",1'.encode(),
            b"2,\xc3\xa9",
            b"3,x,y",
            big.encode() + b",4",
        ]
        path.write_bytes(ending.join(rows * 4) + ending)
        paths.append(path)
    alone = [read(p, 2, fast=fast) for p in paths for fast in (True, False)]
    with ThreadPoolExecutor(6) as pool:
        together = list(
            pool.map(
                lambda a: read(a[0], 2, fast=a[1]), [(p, f) for p in paths for f in (True, False)]
            )
        )
    assert together == alone
    assert csv.field_size_limit() == 131_072
