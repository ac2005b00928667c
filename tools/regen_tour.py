"""Rewrite the outputs of the README's tour from a real run (never edit them by hand).

Runs every console block of "## A tour" as tests/readme/test_tour.py does (a fresh copy of
docs/tour, a fresh `specc sandbox`, the clock at tests/readme/tour_kit.TOUR_NOW) and puts each
command's output under it; the sandbox's port is written as the README's example port.

    python tools/regen_tour.py           # rewrite README.md
    python tools/regen_tour.py --check   # exit 1 when an output differs
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "readme")]

from tour_kit import (  # noqa: E402
    _LOOPBACK_URL,
    EXAMPLE_BASE_URL,
    README,
    blocks,
    normalise,
    run_step,
    shown_output,
    steps,
    tour_run,
    tour_section,
)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    readme = README.read_text("utf-8")
    section, first_line = tour_section(readme)
    lines = readme.split("\n")
    changed = []
    replacements = []
    with tour_run() as run:
        for step in steps(blocks(section, first_line)):
            actual = _LOOPBACK_URL.sub(EXAMPLE_BASE_URL, run_step(run, step))
            if normalise(actual) != normalise(shown_output(step)):
                changed.append(f"README.md:{step.line}: $ {step.command}")
            # The shown lines sit right under the command line (README lines are 1-based).
            replacements.append((step.line, len(step.shown), actual.splitlines()))
    if check:
        for line in changed:
            print(line)
        return 1 if changed else 0
    for line, count, new in reversed(replacements):
        lines[line : line + count] = new
    README.write_text("\n".join(lines), "utf-8")
    print(f"{len(changed)} outputs rewritten" if changed else "the tour's outputs are current")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
