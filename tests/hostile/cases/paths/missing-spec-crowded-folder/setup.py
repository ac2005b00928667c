"""5,000 empty files, one of them a near name of the spec asked for."""

from pathlib import Path


def setup(work: Path) -> None:
    for n in range(5_000):
        (work / f"spec-{n}.yaml").touch()
