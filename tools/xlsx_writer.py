"""The examples' spreadsheets, written deterministically by specc's own .xlsx writer.

specc.tables.write writes one sheet (text as inline strings); with a fixed zip timestamp the
same rows always give the same bytes, so the committed files can be regenerated and compared.
Excel, LibreOffice and calamine open the result.

    python tools/xlsx_writer.py            # regenerate every spreadsheet of examples/
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

from specc.tables import write

ROOT = Path(__file__).resolve().parent.parent
FIXED_TIME = (2026, 11, 29, 10, 0, 0)


def write_xlsx(path: Path | BinaryIO, rows: list[list[str]], sheet: str = "Sheet1") -> None:
    """The workbook of `rows`, written by specc's one .xlsx writer with a fixed timestamp."""
    write.write_xlsx(path, rows, sheet=sheet, fixed_time=FIXED_TIME)


# The examples' spreadsheets: path under examples/ -> rows (header first).
SPREADSHEETS: dict[str, list[list[str]]] = {
    "association-labels/association label example.xlsx": [
        ["Email", "Domain", "Association Label"],
        ["amelia.hart@northwind-traders.com", "northwind-traders.com", "Primary"],
        ["jonas.weber@bluefin-analytics.de", "bluefin-analytics.de", "Primary"],
        ["priya.raman@kestrel-labs.io", "kestrel-labs.io", "Primary"],
        ["marco.rossi@vela-design.it", "vela-design.it", "Primary"],
        ["chloe.martin@atelier-lumiere.fr", "atelier-lumiere.fr", "Primary"],
    ],
}


def main() -> int:
    for relative, rows in SPREADSHEETS.items():
        target = ROOT / "examples" / relative
        write_xlsx(target, rows)
        print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
