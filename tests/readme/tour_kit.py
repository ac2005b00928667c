"""Running the README's tour as a reader would: every console block, from a fresh copy of
docs/tour, against a fresh `specc sandbox`.

The tour is the README's "## A tour" section. Its ```console blocks hold `$ command` lines,
each followed by what the command prints (stdout and stderr as a terminal shows them, in the
order they are written). The commands a block may hold:

    $ cd docs/tour                    the fresh copy becomes the working directory
    $ specc sandbox --port 0 &        a sandbox in the background; its base URL is kept
    $ export NAME=VALUE ...           environment for the commands after it (the example base
                                      URL stands for the sandbox's real one)
    $ specc ARGS...                   run; its output is compared with the lines below it

Outputs are compared after `normalise`: loopback ports, import ids and dates stand for what
a run cannot repeat, and so do the import's passing states that `--wait` prints as it polls
(whether a poll finds it STARTED or PROCESSING depends on timing; its end state is compared).
Nothing else. `tools/regen_tour.py` rewrites the README's outputs from a run (never edit them
by hand).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
TOUR = ROOT / "docs" / "tour"
SECTION = "## A tour"
# The tour's `today`: the same date in every run, so a regenerated README changes only where
# specc's output changed. A reader sees their own date; `normalise` makes the two equal.
TOUR_NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
EXAMPLE_BASE_URL = "http://127.0.0.1:36547"
COMMAND_SECONDS = 60

_LOOPBACK_URL = re.compile(r"http://127\.0\.0\.1:\d+")
_IMPORT_ID = re.compile(r"\b\d{8,9}\b")
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?\b")


_PASSING_STATE = re.compile(r"^specc: import ID: (?:STARTED|PROCESSING|DEFERRED)\n", re.M)


def normalise(text: str) -> str:
    """What differs from run to run, replaced: loopback ports, import ids, dates; the
    passing states a poll happened to see, left out."""
    text = _LOOPBACK_URL.sub("http://127.0.0.1:PORT", text)
    text = _DATE.sub("DATE", text)
    text = _IMPORT_ID.sub("ID", text)
    return _PASSING_STATE.sub("", text)


@dataclass
class Step:
    """One `$ command` of a console block and the lines the README shows under it."""

    command: str
    shown: list[str]
    block: int  # which console block of the tour (0-based)
    line: int  # the README line of the command (1-based)


@dataclass
class Block:
    language: str
    lines: list[str]
    line: int  # the README line of the block's first content line (1-based)


def tour_section(readme: str) -> tuple[str, int]:
    """The tour's text and the README line it starts on."""
    start = readme.index(f"\n{SECTION}\n") + 1
    end = readme.find("\n## ", start + len(SECTION))
    first_line = readme.count("\n", 0, start) + 1
    return readme[start : end if end >= 0 else len(readme)], first_line


def blocks(section: str, first_line: int) -> list[Block]:
    found = []
    lines = section.split("\n")
    i = 0
    while i < len(lines):
        fence = re.match(r"^```(\w*)\s*$", lines[i])
        if fence is None:
            i += 1
            continue
        body_start = i + 1
        j = body_start
        while j < len(lines) and lines[j] != "```":
            j += 1
        found.append(Block(fence.group(1), lines[body_start:j], first_line + body_start))
        i = j + 1
    return found


def steps(section_blocks: list[Block]) -> list[Step]:
    found: list[Step] = []
    consoles = [b for b in section_blocks if b.language == "console"]
    for n, block in enumerate(consoles):
        for offset, text in enumerate(block.lines):
            if text.startswith("$ "):
                found.append(Step(text[2:], [], n, block.line + offset))
            elif found and found[-1].block == n:
                found[-1].shown.append(text)
            else:
                raise ValueError(f"README line {block.line + offset}: output before a command")
    return found


@dataclass
class Run:
    """The state a tour run carries from step to step."""

    work: Path
    env: dict[str, str]
    base_url: str | None = None
    sandbox: subprocess.Popen[str] | None = None
    outputs: list[str] = field(default_factory=list)


def tour_environment() -> dict[str, str]:
    """A reader's terminal, minus what would make output differ: colours, CI, a token."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SPECC_", "HUBSPOT_", "GITHUB_")) and k not in ("NO_COLOR",)
    }
    env.update(
        NO_COLOR="1",
        PYTHONUNBUFFERED="1",  # stdout and stderr reach the pipe in the order written
        SOURCE_DATE_EPOCH=str(int(TOUR_NOW.timestamp())),
        COLUMNS="100",
    )
    return env


def _argv(command: str) -> list[str]:
    words = shlex.split(command, comments=True)
    if not words or words[0] != "specc":
        raise ValueError(f"the tour runs only specc commands, not {command!r}")
    return [sys.executable, "-m", "specc", *words[1:]]


def run_step(run: Run, step: Step) -> str:
    """Run one step; what it printed (stdout and stderr, interleaved as written)."""
    command = step.command
    if command.strip() == "cd docs/tour":
        return ""
    if re.match(r"^specc sandbox\b.*&(\s*#.*)?$", command):
        argv = _argv(command.split("&", 1)[0])
        run.sandbox = subprocess.Popen(
            argv,
            cwd=run.work,
            env=run.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert run.sandbox.stdout is not None
        run.base_url = run.sandbox.stdout.readline().strip()
        if not run.base_url.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"the sandbox did not print its base URL: {run.base_url!r}")
        return ""
    if command.startswith("export "):
        for assignment in shlex.split(command[len("export ") :], comments=True):
            name, _, value = assignment.partition("=")
            if run.base_url is not None:
                value = _LOOPBACK_URL.sub(run.base_url, value)
            run.env[name] = value
        return ""
    done = subprocess.run(
        _argv(command),
        cwd=run.work,
        env=run.env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=COMMAND_SECONDS,
    )
    return done.stdout


@contextmanager
def tour_run() -> Iterator[Run]:
    """A fresh copy of docs/tour as the working directory; the sandbox stopped at the end."""
    with tempfile.TemporaryDirectory(prefix="specc-tour-") as folder:
        work = Path(folder) / "tour"
        shutil.copytree(TOUR, work)
        run = Run(work, tour_environment())
        try:
            yield run
        finally:
            if run.sandbox is not None:
                run.sandbox.terminate()  # the one process this run started
                try:
                    run.sandbox.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    run.sandbox.kill()
                    run.sandbox.wait()
                if run.sandbox.stdout is not None:
                    run.sandbox.stdout.close()


def shown_output(step: Step) -> str:
    return "".join(f"{line}\n" for line in step.shown)
