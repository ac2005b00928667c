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


def test_bench_finds_every_planted_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = importlib.util.spec_from_file_location("check_bench", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules["check_bench"] = bench
    spec.loader.exec_module(bench)
    arguments = ["--rows", "3000", "--repeat", "1", "--no-frictionless", "--dir", str(tmp_path)]
    code = bench.main(arguments)
    out = capsys.readouterr().out
    assert code == 0, out
    figures = {
        cells[0]: cells[1]
        for line in out.splitlines()
        if line.startswith("| ")
        for cells in [[c.strip() for c in line.strip("|").split("|")]]
    }
    assert figures["planted errors found"] == "20 / 20"
    assert figures["diagnostics on clean rows"] == "0"


def test_bench_with_crlf_rows_finds_every_planted_error_and_compares_with_pyarrow(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = importlib.util.spec_from_file_location("check_bench", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules["check_bench"] = bench
    spec.loader.exec_module(bench)
    arguments = ["--rows", "3000", "--repeat", "1", "--no-frictionless", "--dir", str(tmp_path)]
    code = bench.main([*arguments, "--crlf"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert (tmp_path / "contacts.csv").read_bytes().count(b"\r\n") >= 3000
    figures = {
        cells[0]: cells[1:]
        for line in out.splitlines()
        if line.startswith("| ")
        for cells in [[c.strip() for c in line.strip("|").split("|")]]
    }
    assert figures["planted errors found"][0] == "20 / 20"
    ratio, goal = figures["specc check against pyarrow's parse"]
    assert ratio.endswith("x") and goal.startswith("goal <= 2.0x for CRLF rows: ")
