"""leads.csv: a normal row, one line of 150 MB, then a row with a bad email (line 4)."""

from pathlib import Path


def setup(work: Path) -> None:
    with (work / "leads.csv").open("wb") as fh:
        fh.write(b"First Name,Last Name,Email\nAmelia,Hart,amelia.hart@example.com\n")
        fh.write(b"x" * 150_000_000 + b"\n")
        fh.write(b"Jonas,Weber,jonas.weber@example\nPriya,Raman,priya@example.com\n")
