"""The .xlsx benchmark, run small: every planted error found, no clean row flagged.

Its speed and memory goals are measured by `python bench/check_bench.py --xlsx` (1,000,000
rows); a timed test would only measure the machine the suite runs on.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "check_bench.py"


def test_the_xlsx_bench_finds_every_planted_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = importlib.util.spec_from_file_location("check_bench_xlsx", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules["check_bench_xlsx"] = bench
    spec.loader.exec_module(bench)
    code = bench.main(["--xlsx", "--rows", "3000", "--repeat", "1", "--dir", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0, out
    figures = {
        cells[0]: cells[1]
        for line in out.splitlines()
        if line.startswith("| ")
        for cells in [[c.strip() for c in line.strip("|").split("|")]]
    }
    # 10 kinds planted twice, less the two rows with a cell too few (no error in a sheet).
    assert figures["planted errors found"] == "18 / 18"
    assert figures["diagnostics on clean rows"] == "0"
