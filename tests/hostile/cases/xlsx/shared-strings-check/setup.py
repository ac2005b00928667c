"""data.xlsx: 16,000,000 empty shared strings, then the header's two."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bombs import support

# Row 1 uses the last two strings.
HEADER = b'<row r="1"><c r="A1" t="s"><v>16000000</v></c><c r="B1" t="s"><v>16000001</v></c>'
HEADER += b"</row>"


def strings():
    block = b"<si><t/></si>" * 100_000
    for _ in range(160):
        yield block
    yield b"<si><t>First Name</t></si><si><t>Email</t></si>"


def setup(work: Path) -> None:
    made = support()
    made.write_workbook(
        work / "data.xlsx",
        made.sheet_xml(HEADER),
        shared_strings=made.shared_strings_xml(strings()),
    )
