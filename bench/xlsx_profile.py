"""`specc check` of the `--xlsx` benchmark workbook against python-calamine's read, run by
run: each run times calamine, then specc, back to back, and the ratio is taken within the
run (a shared machine's load changes from minute to minute). Prints every run and the
median and range of the ratios, and specc's peak memory.

    python bench/xlsx_profile.py                    # 1,000,000 rows, 3 runs
    python bench/xlsx_profile.py --runs 5 --dir /tmp/xb   # keep (and reuse) the workbook
    python bench/xlsx_profile.py --stages --runs 0  # where the time goes, stage by stage

`--stages` runs the reader's stages and the row checks one after the other in this process,
on one thread (polars too), and prints each one's CPU seconds (process time, which the
machine's load changes less than wall time): the order in which to look for savings.

The workbook, spec and accuracy check are `bench/check_bench.py --xlsx`'s own.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import check_bench as bench


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", type=Path, help="scratch folder (default: a temporary one)")
    parser.add_argument("--stages", action="store_true", help="CPU seconds stage by stage")
    args = parser.parse_args(argv)
    folder = args.dir or Path(tempfile.mkdtemp(prefix="specc-xlsx-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        planted = bench.generate_xlsx(folder, args.rows, args.seed)
        data = folder / "contacts.xlsx"
        calamine = [sys.executable, "-c", bench.CALAMINE_READ, str(data)]
        ratios: list[float] = []
        peaks: list[int] = []
        if args.stages:
            stages(folder)
        if args.runs < 1:
            return 0
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


class Clock:
    """CPU seconds (process time) spent in each named stage."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.process_time()
        try:
            yield
        finally:
            spent = time.process_time() - start
            self.seconds[name] = self.seconds.get(name, 0.0) + spent


def stages(folder: Path) -> None:
    """CPU seconds of each stage of checking the workbook, the stages run one after the
    other on this thread: what the worker threads (scan, resolve, pivot, prepare) and the
    main thread (inflate, check) of `specc check` share between two cores."""
    os.environ["POLARS_MAX_THREADS"] = "1"  # read when polars is first imported
    clock = Clock()
    with clock.stage("imports"):
        import polars  # noqa: F401

        from specc.catalog.load import load_catalog
        from specc.data.plan import plan_file
        from specc.data.row_checks import BatchCheck
        from specc.data.workbook_limits import workbook_problem
        from specc.pipeline import load_spec
        from specc.run import Options
        from specc.tables import xlsx
        from specc.tables.batch import Batch
        from specc.tables.xlsx_cells import exact_cells, fast_cells, resolve

    with clock.stage("spec, catalog, plan"):
        loaded = load_spec(folder / "spec.yaml", Options(cwd=folder, environ={}))
        assert loaded.spec is not None
        spec = loaded.spec
        catalog, _ = load_catalog(spec)
        checks = BatchCheck(plan_file(spec, spec.files[0], catalog))
    data = folder / "contacts.xlsx"
    with clock.stage("measure the workbook"):
        workbook_problem(data, streamed=True)
    with clock.stage("shared strings"):
        reader = xlsx._SheetReader(data, len(checks.plan.columns), True, checks.prepare)
        # Read to the end here (the reader scans the sheet ahead meanwhile, which would
        # mix the two stages' figures).
        reader.reading.result()
    found = 0
    try:
        with clock.stage("first batches"):
            first = reader.first_batches()
        for batch in first:
            assert isinstance(batch, Batch), batch  # the bench workbook reads whole
            with clock.stage("check"):
                found += len(checks.check(batch))
        layout = reader.layout
        assert layout is not None
        while True:
            with clock.stage("inflate"):
                chunk = next(reader.chunks, None)
            if chunk is None:
                break
            with clock.stage("scan"):
                cells = fast_cells(chunk.data)
            if cells is None:
                with clock.stage("scan (exact)"):
                    cells = exact_cells(chunk.data, reader.state.next_row)
            reader.state.next_row = cells.next_row
            with clock.stage("resolve"):
                resolved = resolve(cells.frame, reader.strings, reader.workbook)
            with clock.stage("pivot"):
                rows = xlsx._pivot(resolved, layout, len(chunk.data))
            if rows is None:
                continue
            with clock.stage("prepare"):
                rows.prepared = checks.prepare(rows.columns, typed=rows.typed_cells)
            batch = reader._batch(rows, chunk.done)
            with clock.stage("check"):
                found += len(checks.check(batch))
        with clock.stage("repeats"):
            found += len(checks.repeats())
    finally:
        reader.close()
    total = sum(clock.seconds.values())
    print(f"CPU seconds by stage, on one thread ({found:,} findings):")
    for name, spent in sorted(clock.seconds.items(), key=lambda item: -item[1]):
        print(f"  {name:22s} {spent:6.2f} s  {spent / total:5.1%}")
    print(f"  {'total':22s} {total:6.2f} s", flush=True)


if __name__ == "__main__":
    sys.exit(main())
