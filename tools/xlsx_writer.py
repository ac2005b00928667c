"""A minimal, deterministic .xlsx writer (pure Python) for the examples' spreadsheets.

Writes one sheet of text cells (inline strings) with a fixed zip timestamp, so the same rows
always give the same bytes and the committed file can be regenerated and compared. Excel,
LibreOffice and calamine (the reader specc uses) open the result.

    python tools/xlsx_writer.py            # regenerate every spreadsheet of examples/
"""

# The OOXML boilerplate below is clearer verbatim than wrapped.
# ruff: noqa: E501

from __future__ import annotations

import sys
import zipfile
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
FIXED_TIME = (2026, 11, 29, 10, 0, 0)

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>
"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>
"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets>
</workbook>
"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
</Relationships>
"""


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_xml(rows: list[list[str]]) -> str:
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData>"
    ]
    for r, row in enumerate(rows, start=1):
        out.append(f'<row r="{r}">')
        for c, value in enumerate(row):
            if value == "":
                continue
            ref = f"{column_letter(c)}{r}"
            out.append(
                f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'
            )
        out.append("</row>")
    out.append("</sheetData></worksheet>\n")
    return "".join(out)


def write_xlsx(path: Path | BinaryIO, rows: list[list[str]], sheet: str = "Sheet1") -> None:
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": WORKBOOK.format(name=escape(sheet, {'"': "&quot;"})),
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": sheet_xml(rows),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"))


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
