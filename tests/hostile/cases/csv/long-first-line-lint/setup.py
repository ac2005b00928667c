"""leads.csv: 200 MB without a line break."""

from pathlib import Path


def setup(work: Path) -> None:
    (work / "leads.csv").write_bytes(b"First Name,Last Name,Email" + b"e" * 200_000_000)
