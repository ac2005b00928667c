"""catalog.json: 64 MiB and one byte, sparse (it takes no disk)."""

from pathlib import Path


def setup(work: Path) -> None:
    with (work / "catalog.json").open("wb") as fh:
        fh.write(b'{"catalog": 1, "objects": [')
        fh.truncate(64 * 1024 * 1024 + 1)
