"""`specc lint` against `check-jsonschema`, wall time side by side (a measurement, not a test).

    python bench/lint_bench.py [--runs N] [--example NAME] [--importtime]

Both run as a user runs them, one fresh process per run, alternating so that a busy machine
slows both alike:

- `specc lint spec.yaml` in examples/NAME (default contacts-create): the spec's structure, the
  request schema, the catalog, every mapping rule, and the data file's header;
- `check-jsonschema --schemafile specc/schemas/request.schema.json expected-request.json`:
  one JSON Schema check of the same example's request, offline.

It prints each tool's median wall time and the ratio; the goal is a ratio of 0.5 or less.
`--importtime` also runs `python -X importtime -m specc lint` and lists what the imports cost.

check-jsonschema is a bench-only dependency: `pip install check-jsonschema` (into the same
environment as specc). Bytecode caches are allowed in both runs (PYTHONDONTWRITEBYTECODE is
removed from their environment), as they are for any installed tool.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCHEMA = REPO / "specc" / "schemas" / "request.schema.json"
GOAL = 0.5


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


def check_jsonschema() -> list[str]:
    """The check-jsonschema command next to this interpreter (or on PATH); exits when missing."""
    beside = Path(sys.executable).parent / "check-jsonschema"
    found = str(beside) if beside.exists() else shutil.which("check-jsonschema")
    if found is None:
        sys.exit(
            "check-jsonschema is not installed; it is the bench's yardstick only:\n"
            f"    {sys.executable} -m pip install check-jsonschema"
        )
    return [found]


def timed(command: list[str], cwd: Path, env: dict[str, str], expect: tuple[int, ...]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode not in expect:
        sys.exit(
            f"{' '.join(command)} exited {done.returncode}:\n"
            f"{done.stdout.decode(errors='replace')}{done.stderr.decode(errors='replace')}"
        )
    return elapsed


def import_costs(example: Path, env: dict[str, str], top: int = 15) -> list[tuple[float, str]]:
    """Cumulative import time (ms) of the top-level imports of one `specc lint` run."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "specc", "lint", "spec.yaml"],
        cwd=example,
        env=env,
        capture_output=True,
        check=False,
        text=True,
    )
    costs = []
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\S.*)$", line)
        if match:  # depth 0: no indentation before the module name
            costs.append((int(match.group(1)) / 1000, match.group(2)))
    costs.sort(reverse=True)
    return costs[:top]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs of each (default 20)")
    parser.add_argument("--example", default="contacts-create", help="folder under examples/")
    parser.add_argument("--importtime", action="store_true", help="list specc's import costs")
    parser.add_argument("--check", action="store_true", help="exit 1 when the goal is missed")
    args = parser.parse_args()

    example = REPO / "examples" / args.example
    request = example / "expected-request.json"
    if not (example / "spec.yaml").exists() or not request.exists():
        sys.exit(f"{example} needs spec.yaml and expected-request.json")
    env = environment()
    lint = [sys.executable, "-m", "specc", "lint", "spec.yaml"]
    yardstick = [*check_jsonschema(), "--schemafile", str(SCHEMA), str(request)]

    # Warm-up: writes bytecode caches and fills the OS file cache for both.
    for _ in range(2):
        timed(lint, example, env, (0,))
        timed(yardstick, example, env, (0,))
    specc_times: list[float] = []
    yardstick_times: list[float] = []
    for _ in range(args.runs):
        specc_times.append(timed(lint, example, env, (0,)))
        yardstick_times.append(timed(yardstick, example, env, (0,)))

    ours = statistics.median(specc_times) * 1000
    theirs = statistics.median(yardstick_times) * 1000
    ratio = ours / theirs
    print(f"example            examples/{args.example}  ({args.runs} runs each, median)")
    print(f"specc lint         {ours:7.1f} ms   (min {min(specc_times) * 1000:.1f})")
    print(f"check-jsonschema   {theirs:7.1f} ms   (min {min(yardstick_times) * 1000:.1f})")
    verdict = "meets" if ratio <= GOAL else "misses"
    print(f"ratio              {ratio:7.2f}      ({verdict} the goal of {GOAL})")
    if args.importtime:
        print("\nspecc lint imports (cumulative ms, top level, one run):")
        for ms, name in import_costs(example, env):
            print(f"  {ms:7.1f}  {name}")
    return 1 if args.check and ratio > GOAL else 0


if __name__ == "__main__":
    sys.exit(main())
