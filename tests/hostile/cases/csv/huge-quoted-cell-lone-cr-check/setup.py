"""leads.csv with lines ending in a lone CR (old Mac files: the csv module reads them, not
Arrow): a quoted first name of 1,000,000 characters over two lines (lines 2-3), far past
csv's own limit on a cell (131,072), then a bad email (line 4)."""

from pathlib import Path


def setup(work: Path) -> None:
    with (work / "leads.csv").open("wb") as fh:
        fh.write(b"First Name,Last Name,Email\r")
        fh.write(b'"' + b"n" * 500_000 + b"\r" + b"n" * 499_999 + b'",Hart,h@example.com\r')
        fh.write(b"Jonas,Weber,jonas.weber@example\r")
