"""What the readers hand the row checks: batches of rows, column by column.

A reader turns a data file into a stream of `Batch`es (a few tens of thousands of rows each,
so memory stays bounded whatever the file's size) and at most one `FileProblem` that ends the
file. A batch holds its rows as Arrow string columns, one per header column, so the checks
can run column-wide in compiled code; rows that could not be split into one cell per column
travel beside them as `RowEvent`s.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, overload

# A typed spreadsheet cell, as python-calamine gives it.
Typed = int | float | bool | date | datetime | time | timedelta


class Runs(Sequence[int]):
    """Rising numbers held as runs of consecutive ones: the row or line numbers of a batch
    whose rows are consecutive but for a few (rows set aside, cells holding line breaks).
    Costs a few integers a run, where a list costs an object a row."""

    __slots__ = ("_firsts", "_size", "_starts")

    def __init__(self) -> None:
        self._starts: list[int] = []  # the index where each run starts
        self._firsts: list[int] = []  # the number it starts with
        self._size = 0

    def run(self, first: int, count: int) -> None:
        """Append first, first + 1, ..., first + count - 1."""
        if count <= 0:
            return
        if self._starts and self._firsts[-1] + self._size - self._starts[-1] == first:
            self._size += count  # it goes on from the last run
            return
        self._starts.append(self._size)
        self._firsts.append(first)
        self._size += count

    def append(self, number: int) -> None:
        self.run(number, 1)

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, i: int) -> int: ...

    @overload
    def __getitem__(self, i: slice) -> list[int]: ...

    def __getitem__(self, i: int | slice) -> int | list[int]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self._size))]
        if i < 0:
            i += self._size
        if not 0 <= i < self._size:
            raise IndexError(i)
        k = bisect_right(self._starts, i) - 1
        return self._firsts[k] + i - self._starts[k]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Runs({list(self)!r})"


@dataclass(frozen=True)
class RowEvent:
    """A row that is not in the batch's columns: it has the wrong number of cells, its
    quoting cannot be parsed, or it is too long to be a row. `cells` is what could be read
    of it (for --rejects)."""

    kind: str  # "cells" (wrong cell count), "parse" (broken quoting), "long" (passed over)
    line: int
    row: int
    cells: tuple[Any, ...]  # text; a spreadsheet's typed cells stay typed
    detail: str = ""  # the parser's own words, for "parse"
    fatal: bool = False  # nothing after this row can be read (a quote that never closes)
    raw: str = ""  # the row's lines as they are in the file, for "parse" (--rejects)
    # (byte offset, length) of a row passed over unread: --rejects copies it from the file,
    # and `raw` holds only its start, to show.
    span: tuple[int, int] | None = None


@dataclass(frozen=True)
class FileProblem:
    """Why the rest of a file cannot be read: not UTF-8, NUL bytes, a damaged spreadsheet."""

    kind: str  # "encoding", "nul", "spreadsheet"
    line: int | None
    offset: int | None  # byte offset of the first bad byte (CSV)
    detail: str = ""


@dataclass
class Batch:
    """Consecutive rows of one data file.

    `columns[j][i]` is the text of cell j of the batch's i-th row. Row numbers and physical
    line numbers are contiguous from `first_row` / `first_line` unless `rows` / `lines` say
    otherwise (rows left out as events, cells holding line breaks).
    """

    columns: list[Any]  # pa.Array or pa.ChunkedArray of strings
    first_row: int
    first_line: int
    rows: Sequence[int] | None = None  # rising; a list or Runs
    lines: Sequence[int] | None = None
    events: list[RowEvent] = field(default_factory=list)
    # Spreadsheets: column index -> {row index: the cell's typed value} for cells that are not
    # text; `columns` then hold their text form (for duplicates and blank checks).
    typed: dict[int, dict[int, Typed]] = field(default_factory=dict)
    bytes_done: int = 0
    # What the checks computed from the columns alone, in the reader's worker thread (see
    # FileCheck.prepare); None: not done yet.
    prepared: Any = None

    @property
    def size(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    def row_at(self, i: int) -> int:
        return self.rows[i] if self.rows is not None else self.first_row + i

    def line_at(self, i: int) -> int:
        return self.lines[i] if self.lines is not None else self.first_line + i

    def last_row(self) -> int:
        """The highest row number in the batch (rows and events), 0 when empty."""
        last = self.row_at(self.size - 1) if self.size else 0
        return max([last, *(e.row for e in self.events)])

    def cells(self, i: int) -> list[Any]:
        """The i-th row's cells, typed where the sheet typed them (for --rejects)."""
        out: list[Any] = []
        for j, column in enumerate(self.columns):
            typed = self.typed.get(j)
            if typed is not None and i in typed:
                out.append(typed[i])
            else:
                out.append(column[i].as_py())
        return out
