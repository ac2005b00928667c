"""leads.csv: a header cell that opens a quote, then 200 MB of lines."""

from pathlib import Path


def setup(work: Path) -> None:
    (work / "leads.csv").write_bytes(b'First Name,"Last Name,Email\n' + b"a,b,c\n" * 35_000_000)
