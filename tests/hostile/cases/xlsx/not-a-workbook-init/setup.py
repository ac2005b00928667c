"""data.xlsx: a zip holding notes.txt."""

import zipfile
from pathlib import Path


def setup(work: Path) -> None:
    with zipfile.ZipFile(work / "data.xlsx", "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
