"""`specc check` of the `--xlsx` benchmark workbook against python-calamine's read, run by
run: each run times calamine, then specc, back to back, and the ratio is taken within the
run (a shared machine's load changes from minute to minute). Prints every run and the
median and range of the ratios, and specc's peak memory.

    python bench/xlsx_profile.py                    # 1,000,000 rows, 3 runs
    python bench/xlsx_profile.py --runs 5 --dir /tmp/xb   # keep (and reuse) the workbook

The workbook, spec and accuracy check are `bench/check_bench.py --xlsx`'s own.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import check_bench as bench


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", type=Path, help="scratch folder (default: a temporary one)")
    args = parser.parse_args(argv)
    folder = args.dir or Path(tempfile.mkdtemp(prefix="specc-xlsx-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        planted = bench.generate_xlsx(folder, args.rows, args.seed)
        data = folder / "contacts.xlsx"
        calamine = [sys.executable, "-c", bench.CALAMINE_READ, str(data)]
        ratios: list[float] = []
        peaks: list[int] = []
        report = b""
        for run in range(1, args.runs + 1):
            read = bench.run_child(calamine, folder)
            check = bench.run_child(bench.specc_command(folder), folder)
            report = check[3]
            ratios.append(check[0] / read[0])
            peaks.append(check[1])
            print(
                f"run {run}: calamine {read[0]:.2f} s ({read[1] >> 20} MiB), specc check "
                f"{check[0]:.2f} s ({check[1] >> 20} MiB): {ratios[-1]:.2f}x",
                flush=True,
            )
        missed, invented = bench.accuracy(report, planted)
        print(
            f"ratio to calamine: median {statistics.median(ratios):.2f}x, range "
            f"{min(ratios):.2f}-{max(ratios):.2f}x over {args.runs} runs; peak "
            f"{max(peaks) >> 20} MiB; planted errors found {len(planted) - len(missed)} / "
            f"{len(planted)}, diagnostics on clean rows {len(invented)}"
        )
        return 1 if missed or invented else 0
    finally:
        if args.dir is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
