"""One data file, CSV or spreadsheet, and every way specc reads it.

`Table(path, format, has_header)` is where a data file is read, whoever reads it:

- `header()`: its first row, without reading the rows (the header check, `specc init`);
- `batches(ncols)`: every data row, streamed in batches of Arrow string columns with their
  row and physical line numbers (the row check; `--rejects` reads it a second time);
- `rows()`: the data rows one at a time as text, with the same numbers (`specc init`'s
  sample, the sandbox, HubSpot's row errors mapped back to rows);
- `too_large()`: why a workbook must not be opened at all (a zip bomb).

Which reader reads what: CSV is `specc.tables.csv` (Arrow's parser where it provably reads
what Python's `csv` module reads, `csv` itself elsewhere); an .xlsx workbook is streamed by
`specc.tables.xlsx`; other spreadsheets (.xls) are read by python-calamine
(`specc.tables.calamine`). A typed spreadsheet cell becomes text by one rule,
`specc.tables.cells.cell_text`, in every one of them. Every file is opened through
`specc.inputs.open_input` (regular files only, inside the allowed roots).
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from specc.tables.batch import Batch, FileProblem, RowEvent
from specc.tables.cells import cell_text
from specc.tables.header import Header, read_header

# Spreadsheets the streaming reader reads (specc.tables.xlsx); .xls and the rest: calamine.
STREAMED_SUFFIXES = frozenset({".xlsx", ".xlsm"})
# The spreadsheets HubSpot imports; every other file is read as CSV.
SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xls"})


class TextRow(NamedTuple):
    """A data row as text: the physical line it starts on (the header is line 1; a sheet's
    row number), its 1-based number among the data rows, and its cells."""

    line: int
    row: int
    cells: list[str]


@dataclass(frozen=True)
class Table:
    path: Path
    format: str = "CSV"  # or "SPREADSHEET"
    has_header: bool = True

    @classmethod
    def at(cls, path: Path, has_header: bool = True) -> Table:
        """The table at `path`, a spreadsheet or CSV by its extension."""
        spreadsheet = path.suffix.lower() in SPREADSHEET_SUFFIXES
        return cls(path, "SPREADSHEET" if spreadsheet else "CSV", has_header)

    @property
    def streamed(self) -> bool:
        return self.format == "SPREADSHEET" and self.path.suffix.lower() in STREAMED_SUFFIXES

    def header(self) -> Header | None:
        """The first row (None: the file or its first line is empty). Raises HeaderProblem,
        InputRefused or OSError."""
        return read_header(self.path, self.format)

    def too_large(self) -> str | None:
        """Why the workbook must not be opened (too large inside), or None; None for CSV."""
        if self.format != "SPREADSHEET":
            return None
        from specc.data.workbook_limits import workbook_problem

        return workbook_problem(self.path, streamed=self.streamed)

    def batches(
        self, ncols: int, *, fast: bool = True, prepare: Any = None
    ) -> Generator[Batch | FileProblem, None, None]:
        """Every data row in batches of `ncols` string columns; a FileProblem ends them.

        `prepare(columns)`, when given, runs in the reader's worker threads on each batch's
        columns and its result travels as `batch.prepared`. `fast=False`: CSV is read by the
        exact path only (tests compare the two).
        """
        if self.format != "SPREADSHEET":
            from specc.tables.csv import read_csv

            return read_csv(self.path, ncols, self.has_header, fast=fast, prepare=prepare)
        if self.streamed:
            from specc.tables.xlsx import read_xlsx

            return read_xlsx(self.path, ncols, self.has_header, prepare=prepare)
        from specc.tables.calamine import read_spreadsheet

        return read_spreadsheet(self.path, ncols, self.has_header)

    def rows(
        self, ncols: int | None = None, *, lenient: bool = False
    ) -> Generator[TextRow | RowEvent | FileProblem, None, None]:
        """The data rows one at a time, in file order: a TextRow for each row read into
        cells, a RowEvent for a row that could not be (broken quoting, too long to be a
        row: passed over), and a FileProblem last if the rest cannot be read.

        `ncols` (None: the header's) only sets the bound on a CSV row's bytes
        (max_row_bytes) and the width of a spreadsheet's batches: every row keeps the cells
        it has. `lenient`: a CSV file's bytes that are not UTF-8 read as U+FFFD and end
        nothing. Raises InputRefused or OSError when the file cannot be opened, and
        HeaderProblem when ncols is None and the header cannot be read.
        """
        if ncols is None:
            header = self.header()
            ncols = len(header.cells) if header is not None and header.cells else 1
        if self.format == "SPREADSHEET":
            yield from self._sheet_rows(ncols)
            return
        from specc.inputs import open_input
        from specc.tables.csv import Skipped, data_start, text_rows

        with open_input(self.path) as fh:
            start = data_start(fh, self.has_header)
            if isinstance(start, FileProblem):
                yield start
                return
            for item in text_rows(fh, *start, ncols, lenient=lenient):
                if isinstance(item, tuple):
                    yield TextRow(*item)
                elif isinstance(item, Skipped):
                    yield item.event(item.row)
                else:
                    yield item

    def _sheet_rows(self, ncols: int) -> Iterator[TextRow | FileProblem]:
        items = self.batches(max(1, ncols), prepare=None)
        try:
            for item in items:
                if isinstance(item, FileProblem):
                    yield item
                    return
                yield from _batch_rows(item)
        finally:
            items.close()

    def sample(self, ncols: int, limit: int) -> tuple[list[list[str]], FileProblem | None]:
        """The cells of the first `limit` data rows that read into cells, and the problem
        that ended the file early, if one did. Rows that cannot be read are left out; a
        quote that never closes ends the sample (nothing after it is a row)."""
        rows: list[list[str]] = []
        items = self.rows(ncols)
        try:
            for item in items:
                if isinstance(item, FileProblem):
                    return rows, item
                if isinstance(item, TextRow):
                    rows.append(item.cells)
                elif item.fatal:
                    break
                if len(rows) >= limit:
                    break
        finally:
            items.close()
        return rows, None


def _batch_rows(batch: Batch) -> Iterator[TextRow]:
    """A spreadsheet batch's rows and "cells" events (rows with cells past the header's),
    merged back into sheet order, as text."""
    found: list[tuple[int, int, list[str]]] = []
    columns = [column.to_pylist() for column in batch.columns]
    for i in range(batch.size):
        found.append((batch.row_at(i), batch.line_at(i), [column[i] for column in columns]))
    for event in batch.events:
        found.append((event.row, event.line, [cell_text(c) for c in event.cells]))
    found.sort(key=lambda item: item[0])
    for row, line, cells in found:
        yield TextRow(line, row, cells)
