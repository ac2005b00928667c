"""leads.csv: a cell that opens a quote on line 3 and never closes it."""

from pathlib import Path


def setup(work: Path) -> None:
    with (work / "leads.csv").open("wb") as fh:
        fh.write(b"First Name,Last Name,Email\nAmelia,Hart,amelia.hart@example.com\n")
        fh.write(b'Jonas,"Weber' + b"w,x\n" * 25_000_000)
