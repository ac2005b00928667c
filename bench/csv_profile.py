"""Where the time of one `specc check` goes: start-up, the static checks, the rows, the report.

    python bench/check_bench.py --crlf --dir /tmp/b --repeat 1   # writes /tmp/b/spec.yaml ...
    python bench/csv_profile.py /tmp/b/spec.yaml                  # phases, 3 runs
    python bench/csv_profile.py /tmp/b/spec.yaml --profile        # and cProfile of one run

Each run is a fresh interpreter (`specc check SPEC --format json`, as check_bench.py runs it)
that times its own phases: importing the CLI, lint (load and static checks), reading and
checking the rows (`check_rows`), and rendering the report. Beside them, in this process,
pyarrow's parse of the data file alone (all threads), the baseline of check_bench.py's CRLF
goal. It prints the median and range of each phase over the runs.
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
import json, sys, time
started = time.perf_counter()
phases = {}
import specc.cli
import specc.cli.common as common
import specc.data.check as data_check
import specc.pipeline as pipeline
phases["import"] = time.perf_counter() - started

def timed(module, name, phase):
    inner = getattr(module, name)
    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            phases[phase] = phases.get(phase, 0.0) + time.perf_counter() - t
    setattr(module, name, wrapper)

timed(data_check, "check_rows", "rows")
timed(pipeline, "check_spec", "check_spec")
timed(common, "show_report", "report")
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
phases["total"] = time.perf_counter() - started
sys.stderr.write("PHASES " + json.dumps(phases) + "\n")
"""


def run(spec: Path, profile: str = "") -> dict[str, float]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(spec), profile],
        capture_output=True,
        check=False,
    )
    wall = time.perf_counter() - start
    for line in done.stderr.decode().splitlines():
        if line.startswith("PHASES "):
            phases: dict[str, float] = json.loads(line[len("PHASES ") :])
            phases["wall"] = wall
            return phases
    raise SystemExit(done.stderr.decode()[-2000:])


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
    for phase in ("import", "static", "rows", "report", "total", "wall"):
        values = [r.get(phase, 0.0) for r in runs]
        print(
            f"{phase:>8}: median {statistics.median(values):.3f} s "
            f"(range {min(values):.3f}-{max(values):.3f})"
        )
    print(
        f"   arrow: median {statistics.median(arrow):.3f} s "
        f"(range {min(arrow):.3f}-{max(arrow):.3f})"
    )
    ratios = [r["wall"] / a for r, a in zip(runs, arrow, strict=True)]
    print(
        f"   ratio: median {statistics.median(ratios):.2f}x "
        f"(range {min(ratios):.2f}-{max(ratios):.2f}), wall over the arrow parse beside it"
    )
    if args.profile:
        out = Path("csv_profile.prof").resolve()
        run(args.spec, str(out))
        import pstats

        pstats.Stats(str(out)).sort_stats("cumulative").print_stats(40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
