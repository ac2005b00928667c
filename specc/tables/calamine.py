"""Spreadsheets (.xlsx, .xls, and what else python-calamine reads), first sheet only.

python-calamine is a Rust reader: fast, no formulas evaluated (it reads the cached values
Excel saved, which is what HubSpot imports too), typed cells (numbers, dates, booleans). It
builds the whole sheet in memory, so .xlsx workbooks are streamed by specc.tables.xlsx and
this reader is for .xls files and the .xlsx files the streaming reader leaves to it. It is
imported only when such a spreadsheet is read.

`line` is the sheet's row number (1-based), the header is the first row that is not empty,
and rows run from the column where the sheet's used area starts. Cells beyond the header's
columns that hold something make the row's cell count wrong; empty ones do not. Empty rows
are skipped, as empty lines of a CSV file are. Several
sheets are the header checks' business (SPC306); the rows of the first one are checked here.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

from specc.tables.batch import Batch, FileProblem, RowEvent, Typed
from specc.tables.cells import cell_text

BATCH_ROWS = 20_000


def reader_failed(exc: BaseException) -> bool:
    """Whether `exc` is python-calamine failing on the file: its own errors, OSError and
    ValueError, and pyo3's PanicException, raised when its Rust code panics (chrono cannot
    hold the date or duration of a cell of -1e15 days). PanicException derives from
    BaseException, not Exception, so `except Exception` lets it through as a traceback; it is
    known by name, since pyo3 offers no importable class for it."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


# How a panic is told (each one seen came from a date or duration out of chrono's range).
PANICKED = "a cell holds a date or duration out of any calendar's range"


def problem_words(exc: BaseException) -> str:
    if type(exc).__name__ == "PanicException":
        return f"{PANICKED} ({exc})"
    return str(exc) or type(exc).__name__


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def open_workbook(path: Path) -> Any:
    """The workbook at `path`, opened through specc.inputs (regular files only, inside the
    allowed roots) and handed to python-calamine, which reads it whole."""
    from python_calamine import CalamineWorkbook

    from specc.inputs import open_input

    with open_input(path) as fh:
        return CalamineWorkbook.from_filelike(fh)


def read_spreadsheet(
    path: Path, ncols: int, has_header: bool = True
) -> Generator[Batch | FileProblem, None, None]:
    try:
        workbook = open_workbook(path)
        sheet = workbook.get_sheet_by_index(0)
        total = max(1, int(sheet.total_height or sheet.height or 1))
        rows = iter(sheet.iter_rows())
    except BaseException as exc:  # calamine raises its own family, OSErrors and panics
        if not reader_failed(exc):
            raise
        yield FileProblem("spreadsheet", None, None, problem_words(exc))
        return
    size = path.stat().st_size
    yield from _batches(rows, ncols, has_header, size, total)


def _batches(
    rows: Iterator[list[Any]], ncols: int, has_header: bool, size: int, total: int
) -> Iterator[Batch | FileProblem]:
    columns: list[list[str]] = [[] for _ in range(ncols)]
    typed: dict[int, dict[int, Typed]] = {}
    row_numbers: list[int] = []
    lines: list[int] = []
    events: list[RowEvent] = []
    header_seen = not has_header
    row = 0
    line = 0

    def batch() -> Batch:
        import pyarrow as pa

        out = Batch(
            columns=[pa.array(c, type=pa.string()) for c in columns],
            first_row=row_numbers[0] if row_numbers else row,
            first_line=lines[0] if lines else line,
            rows=list(row_numbers),
            lines=list(lines),
            events=list(events),
            typed={j: dict(cells) for j, cells in typed.items()},
            bytes_done=size * min(line, total) // total,
        )
        for column in columns:
            column.clear()
        typed.clear()
        row_numbers.clear()
        lines.clear()
        events.clear()
        return out

    while True:
        try:
            cells = next(rows, None)
        except BaseException as exc:  # a damaged sheet fails while its rows are read
            if not reader_failed(exc):
                raise
            if row_numbers or events:
                yield batch()
            yield FileProblem("spreadsheet", line + 1, None, problem_words(exc))
            return
        if cells is None:
            break
        line += 1
        if not header_seen:
            header_seen = any(not _blank(c) for c in cells)
            continue
        if all(_blank(c) for c in cells):
            continue  # an empty row, like an empty line of a CSV file, is not a row
        row += 1
        extra = [c for c in cells[ncols:] if not _blank(c)]
        if extra:
            events.append(
                RowEvent("cells", line, row, tuple("" if c is None else c for c in cells))
            )
        else:
            index = len(row_numbers)
            for j in range(ncols):
                value = cells[j] if j < len(cells) else ""
                columns[j].append(cell_text(value))
                if value is not None and not isinstance(value, str):
                    typed.setdefault(j, {})[index] = value
            row_numbers.append(row)
            lines.append(line)
        if len(row_numbers) + len(events) >= BATCH_ROWS:
            yield batch()
    if row_numbers or events:
        yield batch()
