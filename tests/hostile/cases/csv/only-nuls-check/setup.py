"""leads.csv: 100 MB of NUL bytes (sparse: no disk)."""

from pathlib import Path


def setup(work: Path) -> None:
    with (work / "leads.csv").open("wb") as fh:
        fh.truncate(100_000_000)
