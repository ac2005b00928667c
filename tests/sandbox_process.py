"""`specc sandbox --port 0` as a child process, for tests that drive the real CLI against it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager


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
