"""data.xlsx: the header, then 300,000 rows of a cell in column A and one in XFD: a few MB
of XML, but 16,384 cells a row once the cells between are counted, as calamine did."""

import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bombs import support


def rows() -> Iterator[bytes]:
    for start in range(2, 300_002, 10_000):
        yield b"".join(
            b'<row r="%d"><c r="A%d"><v>1</v></c><c r="XFD%d"><v>1</v></c></row>' % (n, n, n)
            for n in range(start, start + 10_000)
        )


def setup(work: Path) -> None:
    made = support()
    header = made.inline_row(1, ["First Name", "Email"])
    made.write_workbook(work / "data.xlsx", made.sheet_xml([header, *rows()]))
