"""The benchmark, run small: every planted error found, no clean row flagged.

Its speed and memory goals are measured by running `python bench/check_bench.py` (1,000,000
rows); a timed test would only measure the machine the suite runs on.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "check_bench.py"


def run_bench(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], *more: str
) -> dict[str, list[str]]:
    """Run check_bench.py on 3,000 rows in `tmp_path`; its table, row name -> other cells."""
    spec = importlib.util.spec_from_file_location("check_bench", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules["check_bench"] = bench
    spec.loader.exec_module(bench)
    arguments = ["--rows", "3000", "--repeat", "1", "--no-frictionless", "--dir", str(tmp_path)]
    code = bench.main([*arguments, *more])
    out = capsys.readouterr().out
    assert code == 0, out
    return {
        cells[0]: cells[1:]
        for line in out.splitlines()
        if line.startswith("| ")
        for cells in [[c.strip() for c in line.strip("|").split("|")]]
    }


def test_bench_finds_every_planted_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    figures = run_bench(tmp_path, capsys)
    assert figures["planted errors found"][0] == "20 / 20"
    assert figures["diagnostics on clean rows"][0] == "0"


def test_bench_with_crlf_rows_finds_every_planted_error_and_compares_with_pyarrow(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Besides the in-process goal, specc's CLI is compared with pyarrow's parse run as a
    process of its own (interpreter, import and parse), like for like."""
    rows = run_bench(tmp_path, capsys, "--crlf")
    assert (tmp_path / "contacts.csv").read_bytes().count(b"\r\n") >= 3000
    assert rows["planted errors found"][0] == "20 / 20"
    ratio, goal = rows["specc check against pyarrow's parse"]
    assert ratio.endswith("x") and goal.startswith("goal <= 2.0x for CRLF rows: ")
    process, note = rows["pyarrow, parse only, as a process (best of 1)"]
    assert note.startswith("python + import pyarrow.csv + the same parse")
    in_process = float(rows["pyarrow, parse only (best of 1)"][0].removesuffix(" s"))
    process_seconds = float(process.removesuffix(" s"))
    # A process pays for its interpreter and import on top of the same parse.
    assert process_seconds > in_process
    specc_seconds = float(rows["specc check, CLI (best of 1)"][0].removesuffix(" s"))
    like_for_like, no_goal = rows["specc check against pyarrow's parse as a process"]
    assert no_goal == "like for like (both processes); no goal"
    # specc's time over the process's (both figures are printed to 0.01 s).
    expected = specc_seconds / process_seconds
    assert float(like_for_like.removesuffix("x")) == pytest.approx(expected, rel=0.1, abs=0.05)
