"""A data file in a folder beside the working directory, outside every allowed root."""

from pathlib import Path


def setup(work: Path) -> None:
    outside = work.parent / "outside-data-link"
    outside.mkdir(exist_ok=True)
    (outside / "leads.csv").write_text("CANARY-data-link-4f1d,Last Name,Email\n", "utf-8")
    (work / "leads.csv").symlink_to(outside / "leads.csv")
