"""catalog.json: 200,000 opening brackets."""

from pathlib import Path


def setup(work: Path) -> None:
    (work / "catalog.json").write_text("[" * 200_000, "utf-8")
