"""Write each case folder's data.xlsx from its sheets.json (run by hand; needs openpyxl).

    python tests/cases/data/make_spreadsheets.py

sheets.json is a list of sheets, each {"name": ..., "rows": [[cell, ...], ...]}; a cell is a
string, a number, a boolean, null (empty), or {"date": "2024-01-31"} /
{"datetime": "2024-01-31T14:30:00"} for a date-formatted cell. The .xlsx files are committed,
so the tests need no spreadsheet writer; tests/data/test_spreadsheet_cases.py checks that
each one still holds what its sheets.json says.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def cell_value(raw: Any) -> Any:
    if isinstance(raw, dict) and "date" in raw:
        return date.fromisoformat(raw["date"])
    if isinstance(raw, dict) and "datetime" in raw:
        return datetime.fromisoformat(raw["datetime"])
    return raw


def write(folder: Path) -> None:
    import openpyxl

    sheets = json.loads((folder / "sheets.json").read_text("utf-8"))
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet in sheets:
        page = book.create_sheet(sheet["name"])
        for r, row in enumerate(sheet["rows"], start=1):
            for c, raw in enumerate(row, start=1):
                if raw is not None:
                    page.cell(r, c, cell_value(raw))
    book.save(folder / "data.xlsx")


if __name__ == "__main__":
    for sheets in sorted(HERE.glob("*/sheets.json")):
        write(sheets.parent)
        print(f"wrote {sheets.parent.name}/data.xlsx")
