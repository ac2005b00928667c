"""data.xlsx: 3,000,000 distinct shared strings, then the header's two."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bombs import support

# Row 1 uses the last two strings.
HEADER = b'<row r="1"><c r="A1" t="s"><v>3000000</v></c><c r="B1" t="s"><v>3000001</v></c>'
HEADER += b"</row>"


def strings():
    for start in range(0, 3_000_000, 100_000):
        yield b"".join(
            b"<si><t>%08x</t></si>" % (i * 2654435761 & 0xFFFFFFFF)
            for i in range(start, start + 100_000)
        )
    yield b"<si><t>First Name</t></si><si><t>Email</t></si>"


def setup(work: Path) -> None:
    made = support()
    made.write_workbook(
        work / "data.xlsx",
        made.sheet_xml(HEADER),
        shared_strings=made.shared_strings_xml(strings()),
        level=1,
    )
