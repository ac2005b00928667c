"""`specc sandbox --port 0` as a child process, for tests that drive the real CLI against it;
and the real CLI interrupted while it waits on a sandbox."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from specc.sandbox import SandboxServer


@contextmanager
def running_sandbox() -> Iterator[str]:
    """The base URL of a sandbox that runs until the block ends."""
    child = subprocess.Popen(
        [sys.executable, "-m", "specc", "sandbox", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        url = child.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), child.stderr.read() if child.stderr else ""
        yield url
    finally:
        child.terminate()
        child.wait(timeout=10)


def interrupted_while_waiting(
    args: list[str], cwd: Path, env: dict[str, str], sandbox: SandboxServer
) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `specc ARGS` sent Ctrl-C once it has asked `sandbox`
    (an in-process one) for an import's state twice: Ctrl-C while `--wait` polls."""
    child = subprocess.Popen(
        [sys.executable, "-m", "specc", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while sandbox.count("get") < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    return child.returncode, out, err
