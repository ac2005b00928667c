"""check_bench.py --crlf, run small: besides the in-process goal, specc's CLI is compared
with pyarrow's parse run as a process of its own (interpreter, import and parse), like for
like."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "check_bench.py"


def test_crlf_bench_compares_specc_with_pyarrow_parsing_in_a_process_of_its_own(
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
    rows = {
        cells[0]: cells[1:]
        for line in out.splitlines()
        if line.startswith("| ")
        for cells in [[c.strip() for c in line.strip("|").split("|")]]
    }
    # The goal row is the in-process parse's, as before.
    goal = rows["specc check against pyarrow's parse"][1]
    assert goal.startswith("goal <= 2.0x for CRLF rows: ")
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
    assert rows["planted errors found"][0] == "20 / 20"
