"""leads.csv: 40 rows with a first name of 1,000,000 characters (lines 2-41), 4 rows with
one of 20,000,000 (lines 42-45: over the row bound), then a bad email (line 46)."""

from pathlib import Path


def setup(work: Path) -> None:
    with (work / "leads.csv").open("wb") as fh:
        fh.write(b"First Name,Last Name,Email\n")
        for i in range(40):
            fh.write(b"n" * 1_000_000 + b",Hart,h%d@example.com\n" % i)
        for i in range(4):
            fh.write(b"m" * 20_000_000 + b",Hart,m%d@example.com\n" % i)
        fh.write(b"Jonas,Weber,jonas.weber@example\n")
