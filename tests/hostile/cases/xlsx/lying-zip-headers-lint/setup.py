"""data.xlsx: the bomb, its sheet's zip headers saying 200,000 bytes uncompressed (more
than row 1 needs, so the header still reads; far less than the 300 MB it inflates to)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bombs import bomb, support


def setup(work: Path) -> None:
    path = bomb(
        work / "data.xlsx",
        b'<c r="A1" t="inlineStr"><is><t>First Name</t></is></c>'
        + b'<c r="B1" t="inlineStr"><is><t>Email</t></is></c>',
    )
    support().understate_sizes(path, 200_000, only="xl/worksheets/sheet1.xml")
