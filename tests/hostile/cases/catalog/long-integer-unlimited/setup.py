"""catalog.json: a snapshot whose portalId has 2,000,000 digits."""

from pathlib import Path


def setup(work: Path) -> None:
    (work / "catalog.json").write_text(
        '{"catalog": 1, "objects": [], "portalId": ' + "7" * 2_000_000 + "}", "utf-8"
    )
