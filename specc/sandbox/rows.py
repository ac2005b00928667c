"""The rows of an uploaded file, with the line each starts on: for counters and `rowData`.

The checks themselves are specc's (`specc.data.check`); this only walks the rows again to count
what an import would write and to give an error its row's cells, as HubSpot's
`sourceData.rowData` does. Lines count as HubSpot's `lineNumber` does: the header is line 1.

Read as boundedly as the checks read: a CSV row too long to import is passed over in chunks
(it counts as a row, with no cells), and a workbook too large inside is not opened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from specc.inputs import InputRefused, open_input
from specc.tables.batch import FileProblem, RowEvent


def data_rows(path: Path, file_format: str, has_header: bool) -> Iterator[tuple[int, list[str]]]:
    """(line where the row starts, cells) for every data row; the header row is skipped."""
    rows = _spreadsheet_rows(path) if file_format == "SPREADSHEET" else _csv_rows(path)
    for index, (line, cells) in enumerate(rows):
        if index == 0 and has_header:
            continue
        if cells and not any(cell.strip() for cell in cells):
            continue  # blank lines are not rows to HubSpot
        yield line, cells


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    from specc.rules.headers import HeaderProblem, read_csv_header
    from specc.tables.csv import data_start, text_rows

    try:
        # The row bound follows the column count, as the checks' does.
        header = read_csv_header(path)
        ncols = len(header) if header else 1
        with open_input(path) as fh:
            start = data_start(fh, has_header=False)  # past a byte order mark only
            if isinstance(start, FileProblem):
                return  # UTF-16: specc's checks say so; nothing reads as rows
            for item in text_rows(fh, *start, ncols, lenient=True):
                if isinstance(item, tuple):
                    yield item[0], item[2]
                elif isinstance(item, RowEvent):
                    if item.fatal:
                        return  # a quote that never closes: no row after it
                    yield item.line, []  # a row csv cannot split: there, but no cells
                elif isinstance(item, FileProblem):
                    return
                else:
                    yield item.line, []  # a row too long to read: there, but no cells
    except (OSError, InputRefused, HeaderProblem):
        return  # specc's checks report an unreadable file


def _spreadsheet_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    from specc.data.workbook_limits import workbook_problem

    if workbook_problem(path) is not None:
        return  # refused before any reader opens it (the import fails: INVALID_SPREADSHEET)
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
