"""leads.csv: a row whose first cell is a quoted 150 MB value, then a bad email."""

from pathlib import Path


def setup(work: Path) -> None:
    with (work / "leads.csv").open("wb") as fh:
        fh.write(b"First Name,Last Name,Email\nAmelia,Hart,amelia.hart@example.com\n")
        fh.write(b'"' + b"y" * 150_000_000 + b'",Hart,a@example.com\n')
        fh.write(b"Jonas,Weber,jonas.weber@example\nPriya,Raman,priya@example.com\n")
