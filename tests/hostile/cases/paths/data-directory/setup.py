"""leads.csv is a folder holding a file."""

from pathlib import Path


def setup(work: Path) -> None:
    (work / "leads.csv").mkdir()
    (work / "leads.csv" / "inside.csv").write_text("First Name\n", "utf-8")
