"""leads.csv: the header, then 50 MB of random bytes (seeded)."""

import random
from pathlib import Path


def setup(work: Path) -> None:
    noise = random.Random(9).randbytes(50_000_000)
    (work / "leads.csv").write_bytes(b"First Name,Last Name,Email\n" + noise)
