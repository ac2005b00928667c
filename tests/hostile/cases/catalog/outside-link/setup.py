"""A catalog snapshot in a folder beside the working directory, outside every allowed root.

Its format version is a distinctive text that a format error would quote.
"""

from pathlib import Path


def setup(work: Path) -> None:
    outside = work.parent / "outside-catalog-link"
    outside.mkdir(exist_ok=True)
    canary = "CANARY-catalog-link-9b2e"
    (outside / "config.json").write_text(
        f'{{"catalog": "{canary}", "objects": [], "apiKey": "{canary}"}}', "utf-8"
    )
    (work / "catalog.json").symlink_to(outside / "config.json")
