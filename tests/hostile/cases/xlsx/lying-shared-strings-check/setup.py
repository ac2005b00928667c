"""data.xlsx: a sheet of 40,000 rows, and shared strings that inflate to 300 MB while their
zip headers declare 6,000,000 bytes: few enough strings for the sheet's size, so `check`
leaves their count to the streamed reader, which stops at the declared size."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bombs import support

HEADER = b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'


def rows():
    yield HEADER
    for start in range(2, 40_002, 1_000):
        yield b"".join(
            b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d"><v>%d</v></c></row>'
            % (r, r, r * 7919 % 1_000_003, r, r * 104_729 % 999_983)
            for r in range(start, start + 1_000)
        )


def strings():
    yield b"<si><t>First Name</t></si><si><t>Email</t></si>"
    block = b"<si><t/></si>" * 100_000
    for _ in range(230):
        yield block


def setup(work: Path) -> None:
    made = support()
    path = made.write_workbook(
        work / "data.xlsx",
        made.sheet_xml(rows()),
        shared_strings=made.shared_strings_xml(strings()),
    )
    made.understate_sizes(path, 6_000_000, only="xl/sharedStrings.xml")
