"""data.xlsx: a header, then 100,000 rows of 200 cells (300 MB of XML, about 1 MB)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bombs import bomb


def setup(work: Path) -> None:
    bomb(
        work / "data.xlsx",
        b'<c r="A1" t="inlineStr"><is><t>First Name</t></is></c>'
        + b'<c r="B1" t="inlineStr"><is><t>Email</t></is></c>',
    )
