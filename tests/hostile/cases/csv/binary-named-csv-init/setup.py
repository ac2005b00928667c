"""leads.csv: 50 MB of random bytes (seeded)."""

import random
from pathlib import Path


def setup(work: Path) -> None:
    (work / "leads.csv").write_bytes(random.Random(7).randbytes(50_000_000))
