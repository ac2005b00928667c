"""catalogs is a folder."""

from pathlib import Path


def setup(work: Path) -> None:
    (work / "catalogs").mkdir()
