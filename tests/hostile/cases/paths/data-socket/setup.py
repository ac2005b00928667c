"""leads.csv is a Unix socket (bound, then left behind)."""

import os
import socket
from pathlib import Path


def setup(work: Path) -> None:
    # A socket path may be at most ~100 bytes: bind by a short relative name.
    here = os.getcwd()
    os.chdir(work)
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.bind("leads.csv")
    finally:
        os.chdir(here)
