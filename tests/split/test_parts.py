"""specc.tables.parts: a CSV file cut into parts of whole records under the limits.

Python's `csv` module is the judge: the parts' records, read one after another, are the file's
records, and each part is under both limits. Random files mix quoted line breaks, doubled
quotes, stray quotes inside unquoted cells, empty lines and all three line endings; the scan
is fed in pieces of a few bytes so every state straddles a boundary somewhere.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest

import specc.tables.parts as parts
from specc.errors import UsageError
from specc.tables.csv import count_breaks
from specc.tables.parts import FileLimits, PartsError, PartStream, count_rows, plan_parts

CELLS = ["a", "", "b c", '"q, ""x"""', '"line\nbreak"', '"cr\r\nlf"', 'x"y', '""', "ü", '"a"""']


def records(data: bytes) -> list[list[str]]:
    return [r for r in csv.reader(io.StringIO(data.decode(), newline="")) if r]


def random_csv(rnd: random.Random) -> bytes:
    lines = ["h1,h2,h3"]
    for _ in range(rnd.randint(0, 60)):
        if rnd.random() < 0.1:
            lines.append("")
        else:
            lines.append(",".join(rnd.choice(CELLS) for _ in range(3)))
    eol = rnd.choice(["\n", "\r\n", "\r"])
    text = eol.join(lines) + (eol if rnd.random() < 0.5 else "")
    return (("\ufeff" if rnd.random() < 0.2 else "") + text).encode()


@pytest.mark.parametrize("seed", range(120))
def test_parts_hold_the_files_records_in_order_each_under_both_limits(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rnd = random.Random(seed)
    monkeypatch.setattr(parts, "FEED_STEP", rnd.randint(2, 40))
    monkeypatch.setattr(parts, "CHUNK", rnd.randint(1, 50))
    data = random_csv(rnd)
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    limits = FileLimits(rows=rnd.randint(1, 10), bytes=rnd.randint(300, 2000))
    plan = plan_parts(path, True, limits)
    expected = records(data)
    assert plan.rows == len(expected) - 1
    got = []
    for part in plan.parts:
        with PartStream.open(plan, part) as stream:
            body = stream.read()
        assert len(body) == plan.part_size(part)
        assert body[: plan.header_end] == data[: plan.header_end]
        found = records(body)
        assert found[0] == expected[0]  # every part starts with the header
        assert len(found) - 1 == part.rows
        if plan.split:
            assert part.rows <= limits.rows
            assert len(body) <= limits.part_bytes()
        if part.rows:
            assert part.first_line == 1 + count_breaks(data[: part.start])
        got.extend(found[1:])
    assert got == expected[1:]
    assert count_rows([data[i : i + 7] for i in range(0, len(data), 7)]) == len(expected)


def test_a_file_under_both_limits_is_one_part(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(b"a,b\n1,2\n3,4\n")
    plan = plan_parts(path, True, FileLimits(rows=2, bytes=1000))
    assert not plan.split and plan.rows == 2 and len(plan.parts) == 1
    assert plan.parts[0].end == path.stat().st_size


def test_a_quoted_line_break_is_never_a_cut(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(b'name,notes\n"Ada","one\ntwo\nthree"\n"Bob",x\n"Cy","a\r\nb"\n')
    plan = plan_parts(path, True, FileLimits(rows=1, bytes=10_000))
    assert [p.rows for p in plan.parts] == [1, 1, 1]
    assert [p.first_line for p in plan.parts] == [2, 5, 6]
    assert plan.source_line(plan.parts[2], 2) == 6 and plan.source_line(plan.parts[2], 1) == 1


def test_a_record_larger_than_a_part_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(b"a\n" + b"x" * 5000 + b"\n" + b"y\n" * 3)
    with pytest.raises(PartsError, match="record at line 2 is larger than a part"):
        plan_parts(path, True, FileLimits(rows=1, bytes=3000))


def test_limits_from_the_environment() -> None:
    assert FileLimits.from_environ({}) == FileLimits(1_048_576, 512 * 1024 * 1024)
    environ = {"SPECC_MAX_FILE_ROWS": "1000", "SPECC_MAX_FILE_BYTES": "200_000"}
    got = FileLimits.from_environ(environ)
    assert got == FileLimits(1000, 200_000)
    with pytest.raises(UsageError, match="SPECC_MAX_FILE_ROWS"):
        FileLimits.from_environ({"SPECC_MAX_FILE_ROWS": "lots"})
    # Room for the request's envelope: 1/256 of the limit, more for a large importRequest.
    assert FileLimits().part_bytes() == 512 * 1024 * 1024 - 2 * 1024 * 1024
    assert FileLimits(bytes=200_000).part_bytes(request_bytes=1000) == 200_000 - 1000 - 8192
    assert FileLimits(bytes=1000).part_bytes() == 500
