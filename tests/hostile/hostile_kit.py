"""Running one hostile-input case: specc as a real process, bounded in time and memory.

A case is a folder `tests/hostile/cases/<class>/<case>/` with a `case.toml`:

    why = "what an attacker or a careless user tries"
    args = ["lint", "spec.yaml"]        # the specc command line
    exit = [1, 2]                        # exit codes that count as a clean refusal (never 3)
    stdout_contains = ["..."]            # optional: text that must appear
    stderr_contains = ["..."]            # optional
    output_excludes = ["PWNED"]          # optional: text that must appear in neither stream
    env = {HUBSPOT_ACCESS_TOKEN = "pat-na1-secret"}   # optional: extra environment
    seconds = 20                         # optional: the time bound (default 20)
    memory_mib = 1024                    # optional: the peak-memory bound (default 1024)
    stdin = "..."                        # optional: what the process reads on stdin

Every other file of the folder is copied into a fresh working directory, the process runs
there, and an optional `setup.py` beside `case.toml` may define `setup(work: Path) -> None` to
make what cannot be committed (a FIFO, a link out of the folder, a file of a gigabyte). Every
case also asserts: no Python traceback, no file named `PWNED` anywhere in the work folder, and
the token (when the case sets one) never in the output.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CASES = Path(__file__).resolve().parent / "cases"
DEFAULT_SECONDS = 20.0
DEFAULT_MEMORY_MIB = 1024


def case_folders() -> list[Path]:
    return sorted(p.parent for p in CASES.glob("*/*/case.toml"))


def case_id(folder: Path) -> str:
    return f"{folder.parent.name}/{folder.name}"


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mib: float
    timed_out: bool
    work: Path
    spec: dict[str, Any] = field(default_factory=dict)


def prepare(folder: Path, work: Path) -> dict[str, Any]:
    spec = tomllib.loads((folder / "case.toml").read_text("utf-8"))
    for item in folder.iterdir():
        if item.name in {"case.toml", "setup.py", "__pycache__"}:
            continue
        target = work / item.name
        if item.is_dir():
            shutil.copytree(item, target, symlinks=True)
        else:
            shutil.copy2(item, target, follow_symlinks=False)
    setup = folder / "setup.py"
    if setup.is_file():
        module_spec = importlib.util.spec_from_file_location(f"hostile_setup_{folder.name}", setup)
        assert module_spec is not None and module_spec.loader is not None
        module = importlib.util.module_from_spec(module_spec)
        module_spec.loader.exec_module(module)
        module.setup(work)
    return spec


def run_specc(
    args: list[str],
    work: Path,
    *,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
    seconds: float = DEFAULT_SECONDS,
) -> tuple[int, str, str, float, float, bool]:
    """(exit code, stdout, stderr, seconds, peak MiB, timed out) of `specc ARGS` in `work`."""
    environ = {k: v for k, v in os.environ.items() if k not in {"GITHUB_ACTIONS", "SPECC_DEBUG"}}
    environ.pop("HUBSPOT_ACCESS_TOKEN", None)
    environ.update(env or {})
    environ["PYTHONFAULTHANDLER"] = ""
    fd, report = tempfile.mkstemp(prefix="specc-rusage-")
    os.close(fd)
    environ["HOSTILE_RUSAGE_FILE"] = report
    start = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-c", _LAUNCHER, *args],
        cwd=work,
        env=environ,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    timed_out = threading.Event()

    def kill() -> None:
        timed_out.set()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)

    timer = threading.Timer(seconds, kill)
    timer.start()
    # A case that fails may grow without end; stop it well before it hurts the machine.
    guard = threading.Thread(
        target=_kill_when_over, args=(proc, 3 * DEFAULT_MEMORY_MIB), daemon=True
    )
    guard.start()
    outputs: dict[str, bytes] = {}

    def drain(name: str, stream: Any) -> None:
        outputs[name] = stream.read()

    readers = [
        threading.Thread(target=drain, args=("out", proc.stdout)),
        threading.Thread(target=drain, args=("err", proc.stderr)),
    ]
    for reader in readers:
        reader.start()
    if stdin is not None:
        assert proc.stdin is not None
        try:
            proc.stdin.write(stdin.encode())
            proc.stdin.close()
        except BrokenPipeError:
            pass
    proc.wait()
    timer.cancel()
    for reader in readers:
        reader.join()
    elapsed = time.monotonic() - start
    # The launcher wrote specc's exit code and peak memory; nothing when it was killed.
    measured = Path(report).read_text().split()
    os.unlink(report)
    code, peak_kib = (int(measured[0]), int(measured[1])) if measured else (proc.returncode, 0)
    return (
        code,
        outputs.get("out", b"").decode("utf-8", "replace"),
        outputs.get("err", b"").decode("utf-8", "replace"),
        elapsed,
        peak_kib / 1024,
        timed_out.is_set(),
    )


# specc runs as the child of a small launcher process: a child forked from the test process
# would count the test process's own memory in its peak (ru_maxrss keeps the pre-exec RSS).
# wait4 gives the child's own peak (KiB on Linux) and its exit code.
_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, "-m", "specc", *sys.argv[1:]])
_, status, usage = os.wait4(pid, 0)
code = os.waitstatus_to_exitcode(status)
with open(os.environ["HOSTILE_RUSAGE_FILE"], "w") as report:
    report.write(f"{code} {usage.ru_maxrss}")
os._exit(code if 0 <= code < 256 else 255)
"""


def _kill_when_over(proc: subprocess.Popen[bytes], limit_mib: float) -> None:
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    while proc.poll() is None:
        try:
            child = children.read_text().split()
            text = Path(f"/proc/{child[0]}/status").read_text() if child else ""
        except OSError:
            text = ""
        for line in text.splitlines():
            if line.startswith("VmRSS:") and int(line.split()[1]) / 1024 > limit_mib:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                return
        time.sleep(0.05)


def run_case(folder: Path, work: Path) -> Outcome:
    spec = prepare(folder, work)
    code, out, err, seconds, peak, timed_out = run_specc(
        list(spec["args"]),
        work,
        env=dict(spec.get("env", {})),
        stdin=spec.get("stdin"),
        seconds=float(spec.get("seconds", DEFAULT_SECONDS)),
    )
    return Outcome(code, out, err, seconds, peak, timed_out, work, spec)


def problems(outcome: Outcome) -> list[str]:
    """Everything wrong with how specc ended; empty when it ended cleanly."""
    spec = outcome.spec
    found: list[str] = []
    both = outcome.stdout + outcome.stderr
    if outcome.timed_out:
        found.append(f"still running after {spec.get('seconds', DEFAULT_SECONDS)} s")
    if outcome.exit_code not in spec.get("exit", [1, 2]):
        found.append(f"exit code {outcome.exit_code}, expected one of {spec.get('exit', [1, 2])}")
    if "Traceback (most recent call last)" in both:
        found.append("a Python traceback was printed")
    limit = float(spec.get("memory_mib", DEFAULT_MEMORY_MIB))
    if outcome.peak_mib > limit:
        found.append(f"peak memory {outcome.peak_mib:.0f} MiB, over {limit:.0f} MiB")
    for text in spec.get("stdout_contains", []):
        if text not in outcome.stdout:
            found.append(f"stdout lacks {text!r}")
    for text in spec.get("stderr_contains", []):
        if text not in outcome.stderr:
            found.append(f"stderr lacks {text!r}")
    for text in spec.get("output_excludes", []):
        if text in both:
            found.append(f"the output shows {text!r}")
    token = spec.get("env", {}).get("HUBSPOT_ACCESS_TOKEN")
    if token and token in both:
        found.append("the access token was printed")
    if any(outcome.work.rglob("PWNED")):
        found.append("a command from the input ran (PWNED exists)")
    return found
