"""data.xlsx: A1 is a date (built-in format 14), B1 "Email", then 100,000 rows of 200 cells."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bombs import bomb, support


def setup(work: Path) -> None:
    made = support()
    bomb(
        work / "data.xlsx",
        b'<c r="A1" s="1"><v>45000</v></c>' + b'<c r="B1" t="inlineStr"><is><t>Email</t></is></c>',
        styles=made.DATE_STYLES,
    )
