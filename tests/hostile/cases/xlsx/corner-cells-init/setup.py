"""data.xlsx: the header, and one cell at XFD1048576; no <dimension>."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bombs import support


def setup(work: Path) -> None:
    made = support()
    corner = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    header = made.inline_row(1, ["First Name", "Email"])
    made.write_workbook(work / "data.xlsx", made.sheet_xml(header + corner))
