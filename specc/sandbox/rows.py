"""The rows of an uploaded file, with the line each starts on: for counters and `rowData`.

The checks themselves are specc's (`specc.data.check`); this only walks the rows again to count
what an import would write and to give an error its row's cells, as HubSpot's
`sourceData.rowData` does. Lines count as HubSpot's `lineNumber` does: the header is line 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# HubSpot refuses cells over 65,536 characters; the csv module's default limit is lower.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def data_rows(path: Path, file_format: str, has_header: bool) -> Iterator[tuple[int, list[str]]]:
    """(line where the row starts, cells) for every data row; the header row is skipped."""
    rows = _spreadsheet_rows(path) if file_format == "SPREADSHEET" else _csv_rows(path)
    for index, (line, cells) in enumerate(rows):
        if index == 0 and has_header:
            continue
        if not any(cell.strip() for cell in cells):
            continue  # blank lines are not rows to HubSpot
        yield line, cells


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
        reader = csv.reader(fh)
        start = 1
        try:
            for cells in reader:
                yield start, cells
                start = reader.line_num + 1
        except csv.Error:
            return  # specc's checks report the unreadable row; counting stops there


def _spreadsheet_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:  # the spreadsheet reader is an optional extra of specc
        return
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0).to_python()
    except Exception:  # an unreadable workbook is specc's checks' INVALID_SPREADSHEET
        return
    for index, row in enumerate(sheet):
        yield index + 1, [_cell_text(value) for value in row]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value)
