"""catalog.json links to itself."""

import os
from pathlib import Path


def setup(work: Path) -> None:
    os.symlink("catalog.json", work / "catalog.json")
