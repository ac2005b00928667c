"""`--rejects DIR`: per data file, the rows that would fail, so they can be fixed and imported
apart.

Each data file gets a file of the same name in DIR with the same header and the failing rows
(any error; warnings alone do not make a row fail) in their original order. CSV stays CSV
(UTF-8, with a BOM when the original had one, RFC 4180 quoting, CRLF line ends); a row whose
quoting could not be parsed is copied as it is in the file. A spreadsheet becomes a one-sheet
.xlsx with its cells as typed as they were (text, numbers, booleans, dates); an .xls file's
rejects are written as .xlsx, under its name with the extension changed.

The rows are known only once the whole file is checked (a repeated identifier may be found
last), so they are written in a second, filtering read of the file. The file is written
beside its final name and moved into place at the end, so a reader never sees half a file; a
check that stops early leaves the old file alone. A file that is not UTF-8 gets no rejects
file: none of its rows were checked.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from specc.atomic import create_beside, settle
from specc.errors import InputError, UsageError
from specc.inputs import open_input
from specc.spec.model import DataFile
from specc.tables.batch import Batch, FileProblem, RowEvent
from specc.tables.write import XlsxWriter, open_csv


def write_rejects(
    directory: Path,
    data_file: DataFile,
    items: Iterator[Batch | FileProblem],
    failing: set[int],
) -> Path:
    """Write the rows numbered in `failing` (and the header) to DIR; return the file."""
    rejects = open_rejects(directory, data_file)
    wanted = sorted(failing)
    try:
        for item in items:
            if isinstance(item, FileProblem):
                break
            indices = _indices_of(item, wanted)
            events = [e for e in item.events if e.row in failing]
            if indices or events:
                rejects.write(item, indices, events)
        rejects.commit()
    finally:
        rejects.discard()
    return rejects.target


def _indices_of(batch: Batch, wanted: list[int]) -> list[int]:
    """Indices of the batch's rows whose numbers are in the sorted list `wanted`."""
    if not batch.size:
        return []
    low, high = batch.row_at(0), batch.row_at(batch.size - 1)
    numbers = wanted[bisect_left(wanted, low) : bisect_right(wanted, high)]
    if not numbers:
        return []
    if batch.rows is None:
        return [r - batch.first_row for r in numbers]
    found = []
    for r in numbers:  # the batch's row numbers rise: look each one up
        i = bisect_left(batch.rows, r)
        if i < len(batch.rows) and batch.rows[i] == r:
            found.append(i)
    return found


def rejects_path(directory: Path, data_file: DataFile) -> Path:
    name = data_file.file_name
    if data_file.format == "SPREADSHEET" and not name.lower().endswith(".xlsx"):
        name = Path(name).stem + ".xlsx"
    return directory / name


def open_rejects(directory: Path, data_file: DataFile) -> Rejects:
    target = rejects_path(directory, data_file)
    if target.resolve() == data_file.path.resolve():
        raise UsageError(
            f"--rejects {directory} would overwrite the data file {data_file.shown_path}",
            hint="give --rejects a folder of its own, e.g. --rejects rejects/",
        )
    try:
        directory.mkdir(parents=True, exist_ok=True)
        temp = create_beside(target)
    except OSError as exc:
        raise InputError(f"cannot write rejects to {directory}: {exc.strerror or exc}") from exc
    if data_file.format == "SPREADSHEET":
        return XlsxRejects(temp, target, data_file)
    return CsvRejects(temp, target, data_file)


class Rejects:
    def __init__(self, temp: Path, target: Path, data_file: DataFile) -> None:
        self.temp = temp
        self.target = target
        self.header = [c.name for c in data_file.columns] if data_file.has_header else None
        self.done = False

    def write(self, batch: Batch, indices: list[int], events: list[RowEvent]) -> None:
        """Rows `indices` of the batch and the rows of `events`, in the file's order."""
        items: list[tuple[int, Any]] = [(batch.row_at(i), i) for i in indices]
        items += [(e.row, e) for e in events]
        items.sort(key=lambda item: item[0])
        for _, item in items:
            if isinstance(item, RowEvent):
                self.write_event(item)
            else:
                self.write_row(batch.cells(item))

    def write_row(self, cells: list[Any]) -> None:
        raise NotImplementedError

    def write_event(self, event: RowEvent) -> None:
        self.write_row(list(event.cells))

    def finish(self) -> None:
        raise NotImplementedError

    def commit(self) -> None:
        try:
            self.finish()
            settle(self.temp, self.target)
        except OSError as exc:
            self.discard()
            raise InputError(f"cannot write {self.target}: {exc.strerror or exc}") from exc
        self.done = True

    def discard(self) -> None:
        if self.done:
            return
        self.done = True
        self.close()
        self.temp.unlink(missing_ok=True)

    def close(self) -> None:
        raise NotImplementedError


class CsvRejects(Rejects):
    def __init__(self, temp: Path, target: Path, data_file: DataFile) -> None:
        super().__init__(temp, target, data_file)
        self.source = data_file.path
        with open_input(data_file.path) as source:
            bom = source.read(3) == b"\xef\xbb\xbf"
        self.stream, self.writer = open_csv(temp, bom=bom)  # closed in finish/close
        if self.header is not None:
            self.writer.row(self.header)

    def write_row(self, cells: list[Any]) -> None:
        self.writer.row(cells)

    def write_event(self, event: RowEvent) -> None:
        if event.span is not None:
            self._copy(*event.span)
        elif event.kind == "parse":
            self.writer.raw(event.raw)
        else:
            self.writer.row(event.cells)

    def _copy(self, offset: int, length: int) -> None:
        """A row passed over unread (too long to hold), copied from the file as it is, a
        chunk at a time. The reader checked its bytes: they are UTF-8."""
        import codecs

        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        last = ""
        with open_input(self.source) as source:
            source.seek(offset)
            while length > 0:
                chunk = source.read(min(length, 1 << 20))
                if not chunk:
                    break
                length -= len(chunk)
                text = decoder.decode(chunk, final=length <= 0)
                if text:
                    self.stream.write(text)
                    last = text[-1]
        if last not in ("\n", "\r"):
            self.stream.write("\r\n")

    def finish(self) -> None:
        self.stream.close()

    def close(self) -> None:
        if not self.stream.closed:
            self.stream.close()


class XlsxRejects(Rejects):
    def __init__(self, temp: Path, target: Path, data_file: DataFile) -> None:
        super().__init__(temp, target, data_file)
        self.writer = XlsxWriter(temp, sheet="Rejects")
        if self.header is not None:
            self.write_row(list(self.header))

    def write_row(self, cells: list[Any]) -> None:
        self.writer.row(cells)

    def finish(self) -> None:
        self.writer.close()

    def close(self) -> None:
        self.writer.abort()
