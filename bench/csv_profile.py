"""Where the time of one `specc check` goes: start-up, the static checks, the rows, the report,
the exit.

    python bench/check_bench.py --crlf --dir /tmp/b --repeat 1   # writes /tmp/b/spec.yaml ...
    python bench/csv_profile.py /tmp/b/spec.yaml                  # phases, 3 runs
    python bench/csv_profile.py /tmp/b/spec.yaml --profile        # and cProfile of one run

Each run is a fresh interpreter (`specc check SPEC --format json`, as check_bench.py runs it)
that times its own phases on the main thread:

- `python`: from the parent's start of the child to the child's first line (the interpreter);
- `import`: importing the CLI and the check's modules;
- `static`: loading the spec and the checks that read no rows;
- `rows:1st`: reading rows until the first batch is ready to check: pyarrow's import, the
  polars import (on a thread of its own), the first chunks' parse and the first `prepare`
  (whose polars expressions compile their regexes on first use);
- `rows:rest`: every other batch, the repeated identifiers;
- `report`: rendering the JSON document;
- `exit`: from the child's last line to its end (the interpreter's finalization).

and, summed over the reader's worker threads (CPU time of the thread that runs them; polars
spreads `prepare` over its own pool too): Arrow's `parse`, the line-break `scan` and the
row checks' `prepare`. Beside them, in this process, pyarrow's parse of the data file alone
(all threads), the baseline of check_bench.py's CRLF goal. It prints the median and range of
each figure over the runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

# Run in the child: times each phase, prints them as one JSON line on stderr.
CHILD = r"""
import json, sys, threading, time
born = time.time()
started = time.perf_counter()
phases = {}
import specc.cli
import specc.cli.common as common
import specc.data.check as data_check
import specc.data.row_checks as row_checks
import specc.pipeline as pipeline
import specc.tables.csv as csv_reader
phases["import"] = time.perf_counter() - started
lock = threading.Lock()
first_batch = []

def timed(owner, name, phase, clock=time.perf_counter):
    inner = getattr(owner, name)
    def wrapper(*args, **kwargs):
        t = clock()
        try:
            return inner(*args, **kwargs)
        finally:
            with lock:
                phases[phase] = phases.get(phase, 0.0) + clock() - t
    setattr(owner, name, wrapper)

def first_check(inner=row_checks.BatchCheck.check):
    def wrapper(self, batch):
        if not first_batch:
            first_batch.append(time.perf_counter())
        return inner(self, batch)
    return wrapper

timed(data_check, "check_rows", "rows")
timed(pipeline, "check_spec", "check_spec")
timed(common, "show_report", "report")
row_checks.BatchCheck.check = first_check()
timed(row_checks.BatchCheck, "prepare", "cpu:prepare", time.thread_time)
timed(csv_reader, "scan_breaks", "cpu:scan", time.thread_time)
import pyarrow.csv
timed(pyarrow.csv, "read_csv", "cpu:parse", time.thread_time)
rows_started = []
timed_rows = data_check.check_rows
def rows_wrapper(*args, **kwargs):
    rows_started.append(time.perf_counter())
    return timed_rows(*args, **kwargs)
data_check.check_rows = rows_wrapper
profile = sys.argv[2] if len(sys.argv) > 2 else ""
sys.argv = ["specc", "check", sys.argv[1], "--format", "json", "--max-errors", "100000000"]
code = 0
try:
    if profile:
        import cProfile
        cProfile.run("specc.cli.main()", profile)
    else:
        specc.cli.main()
except SystemExit as exit:
    code = exit.code
phases["static"] = phases.pop("check_spec", 0.0) - phases.get("rows", 0.0)
if first_batch and rows_started:
    phases["rows:1st"] = first_batch[0] - rows_started[0]
    phases["rows:rest"] = phases.pop("rows") - phases["rows:1st"]
phases["total"] = time.perf_counter() - started
phases["born"] = born
sys.stdout.flush()
sys.stderr.write("PHASES " + json.dumps(phases) + "\n")
sys.stderr.write("DONE %r\n" % time.time())
"""

SHOWN = (
    "python",
    "import",
    "static",
    "rows:1st",
    "rows:rest",
    "report",
    "exit",
    "wall",
    "cpu:parse",
    "cpu:scan",
    "cpu:prepare",
)


def run(spec: Path, profile: str = "") -> dict[str, float]:
    spawned = time.time()
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(spec), profile],
        capture_output=True,
        check=False,
    )
    wall = time.perf_counter() - start
    ended = spawned + wall
    phases: dict[str, float] = {}
    for line in done.stderr.decode().splitlines():
        if line.startswith("PHASES "):
            phases = json.loads(line[len("PHASES ") :])
        elif line.startswith("DONE "):
            phases["exit"] = ended - float(line[len("DONE ") :])
    if not phases:
        raise SystemExit(done.stderr.decode()[-2000:])
    phases["python"] = phases.pop("born") - spawned
    phases["wall"] = wall
    return phases


def arrow_parse_seconds(path: Path) -> float:
    sys.path.insert(0, str(Path(__file__).parent))
    from check_bench import arrow_parse_seconds as parse

    return parse(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("spec", type=Path)
    parser.add_argument("--data", type=Path, help="the data file (default: contacts.csv)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile one more run")
    args = parser.parse_args()
    data = args.data or args.spec.with_name("contacts.csv")
    arrow: list[float] = []
    runs: list[dict[str, float]] = []
    for _ in range(args.repeat):  # interleaved, so both see the same load
        arrow.append(arrow_parse_seconds(data))
        runs.append(run(args.spec))
    for phase in SHOWN:
        values = [r.get(phase, 0.0) for r in runs]
        print(
            f"{phase:>11}: median {statistics.median(values):.3f} s "
            f"(range {min(values):.3f}-{max(values):.3f})"
        )
    print(
        f"{'arrow':>11}: median {statistics.median(arrow):.3f} s "
        f"(range {min(arrow):.3f}-{max(arrow):.3f})"
    )
    ratios = [r["wall"] / a for r, a in zip(runs, arrow, strict=True)]
    print(
        f"{'ratio':>11}: median {statistics.median(ratios):.2f}x "
        f"(range {min(ratios):.2f}-{max(ratios):.2f}), wall over the arrow parse beside it"
    )
    if args.profile:
        import pstats
        import tempfile

        with tempfile.TemporaryDirectory(prefix="specc-profile-") as scratch:
            out = Path(scratch) / "check.prof"  # not in the current folder (a checkout)
            run(args.spec, str(out))
            pstats.Stats(str(out)).sort_stats("cumulative").print_stats(40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
