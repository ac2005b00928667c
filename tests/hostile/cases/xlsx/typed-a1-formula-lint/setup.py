"""data.xlsx: A1 is a formula's cached text, B1 "Email", then 100,000 rows of 200 cells."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bombs import bomb


def setup(work: Path) -> None:
    bomb(
        work / "data.xlsx",
        b'<c r="A1" t="str"><f>"First "&amp;"Name"</f><v>First Name</v></c>'
        + b'<c r="B1" t="inlineStr"><is><t>Email</t></is></c>',
    )
