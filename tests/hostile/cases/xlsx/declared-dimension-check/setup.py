"""data.xlsx: the header and three rows, under <dimension ref="A1:XFD1048576"/>."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bombs import support


def setup(work: Path) -> None:
    made = support()
    rows = made.inline_row(1, ["First Name", "Email"]) + made.inline_row(2, ["Ann", "a@b.co"])
    made.write_workbook(work / "data.xlsx", made.sheet_xml(rows, "A1:XFD1048576"))
