"""catalog.json: a snapshot with an extra member of 5,000 nested objects and arrays."""

from pathlib import Path


def setup(work: Path) -> None:
    deep = '{"a": [' * 5000 + "]}" * 5000
    (work / "catalog.json").write_text(
        '{"catalog": 1, "objects": [],\n "extra": ' + deep + "}", "utf-8"
    )
