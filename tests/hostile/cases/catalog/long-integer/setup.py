"""catalog.json: a snapshot whose portalId has 20,000 digits."""

from pathlib import Path


def setup(work: Path) -> None:
    (work / "catalog.json").write_text(
        '{"catalog": 1,\n "objects": [],\n "portalId": ' + "7" * 20_000 + "}", "utf-8"
    )
