"""The catalog snapshot is a FIFO (named pipe): nothing ever writes to it."""

import os
from pathlib import Path


def setup(work: Path) -> None:
    os.mkfifo(work / "catalog.json")
