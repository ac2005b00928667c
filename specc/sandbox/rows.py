"""The rows of an uploaded file, with the line each starts on: for counters and `rowData`.

The checks themselves are specc's (`specc.data.check`); this only walks the rows again to count
what an import would write and to give an error its row's cells, as HubSpot's
`sourceData.rowData` does. Lines count as HubSpot's `lineNumber` does: the header is line 1.

Read as boundedly as the checks read: a CSV row too long to import is passed over in chunks
(it counts as a row, with no cells), and a workbook too large inside is not opened.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from specc.inputs import InputRefused
from specc.tables.batch import RowEvent
from specc.tables.header import HeaderProblem
from specc.tables.table import Table, TextRow

log = logging.getLogger(__name__)


def data_rows(path: Path, file_format: str, has_header: bool) -> Iterator[tuple[int, list[str]]]:
    """(line where the row starts, cells) for every data row; the header row is skipped.

    A row that cannot be split into cells (broken quoting, too long to be a row) is there
    with no cells; rows whose every cell is blank are not rows to HubSpot. Whatever cannot be
    read yields nothing more: specc's checks report it.
    """
    table = Table(path, file_format, has_header)
    try:
        if table.too_large() is not None:
            return  # refused before any reader opens it (the import fails: INVALID_SPREADSHEET)
        for item in table.rows(lenient=True):
            if isinstance(item, TextRow):
                if item.cells and not any(cell.strip() for cell in item.cells):
                    continue  # blank lines are not rows to HubSpot
                yield item.line, item.cells
            elif isinstance(item, RowEvent):
                if item.fatal:
                    return  # a quote that never closes: no row after it
                yield item.line, []  # a row that cannot be split: there, but no cells
            else:
                log.debug("rows of %s end at line %s: %s", path, item.line, item.kind)
                return  # the rest of the file cannot be read
    except (OSError, InputRefused, HeaderProblem) as exc:
        # specc's checks report an unreadable file; the counters stop where reading did.
        log.debug("rows of %s not read on: %s", path, exc)
        return
