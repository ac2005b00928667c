"""catalog.json: just under the size cap, all of it empty objects."""

from pathlib import Path


def setup(work: Path) -> None:
    count = 21 * 1024 * 1024
    (work / "catalog.json").write_bytes(b"[" + b"{}," * count + b"{}]")
