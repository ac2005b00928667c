"""data.xlsx: a real workbook of 2,000 rows, its second half cut off."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bombs import support


def setup(work: Path) -> None:
    made = support()
    rows = b"".join(made.inline_row(r, ["Ann", f"a{r}@b.co"]) for r in range(2, 2_000))
    path = made.write_workbook(
        work / "data.xlsx", made.sheet_xml(made.inline_row(1, ["First Name", "Email"]) + rows)
    )
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
