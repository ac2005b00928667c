"""A data file's header, read without reading its rows.

For CSV only the bytes up to the end of the first record (a quoted header cell may span
lines), never more than MAX_HEADER_BYTES; for spreadsheets the first row of the first sheet
and the list of sheets, an .xlsx streamed up to the end of its first row
(`specc.tables.xlsx_header`). `specc lint` reads headers on every commit, so this module
imports no tabular library: python-calamine only for an .xls file or a workbook the streaming
reader leaves to it, and only when the workbook is small enough to be read whole.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from pathlib import Path

from specc.tables.cells import cell_text

log = logging.getLogger(__name__)

# No header of column names is this long (HubSpot takes under 1,000 columns): past it, the
# first line is reported for what it is (a quote that never closes, one endless line, a
# binary file) rather than read on.
MAX_HEADER_BYTES = 1 << 20
_CHUNK = 1 << 16
_QUOTE_OR_NEWLINE = re.compile(rb'["\r\n]')


class Header:
    """A data file's first row, and for spreadsheets the names of all sheets."""

    __slots__ = ("cells", "sheets")

    def __init__(self, cells: list[str], sheets: list[str] | None = None) -> None:
        self.cells = cells
        self.sheets = sheets


class HeaderProblem(Exception):
    """The header cannot be read: the message says why, the hint what to do (the header
    check makes it a diagnostic, `specc init` an error)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def read_csv_header(path: Path) -> list[str] | None:
    """The cells of a CSV file's first record; None when the file or its first line is empty.

    Reads bytes only up to the end of that record, and never more than MAX_HEADER_BYTES: the
    rest of the file may be huge (or one endless line), and a bad byte far below must not
    make the header unreadable. Scanning bytes is safe for UTF-8, whose multi-byte sequences
    never contain a quote or a line break.
    """
    from specc.inputs import open_input

    data = bytearray()
    in_quotes = False
    quoted = False
    end = -1
    with open_input(path) as fh:
        while end < 0:
            chunk = fh.read(_CHUNK)
            if not chunk:
                break
            start = len(data)
            data += chunk
            if not start:
                _refuse_non_text(bytes(data[:4]))
            for match in _QUOTE_OR_NEWLINE.finditer(data, start):
                if match.group() == b'"':
                    in_quotes = not in_quotes
                    quoted = True
                elif not in_quotes:
                    end = match.start()
                    break
            if (end < 0 and len(data) > MAX_HEADER_BYTES) or end > MAX_HEADER_BYTES:
                raise _header_too_long(bytes(data[:MAX_HEADER_BYTES]), in_quotes, quoted)
    raw = bytes(data if end < 0 else data[:end])
    text = _decode(raw)
    if not text.strip(" \t"):
        return None
    try:
        return next(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:  # a cell over csv's 131,072 characters: no column name is
        raise HeaderProblem(
            f"the header cannot be read as CSV: {exc}",
            hint="the first line should hold the column names, comma-separated",
        ) from None


def _header_too_long(data: bytes, in_quotes: bool, quoted: bool) -> HeaderProblem:
    """Why the first line does not end within MAX_HEADER_BYTES, in words."""
    nul = data.find(b"\0")
    if nul >= 0:
        return _binary(nul)
    limit = f"{MAX_HEADER_BYTES >> 20} MiB"
    if in_quotes:
        return HeaderProblem(
            f"a quote opens a header cell and does not close within the first {limit}",
            hint='remove the stray quote (") from the header, or close it',
        )
    what = "with quoted cells" if quoted else "without a line break"
    return HeaderProblem(
        f"the first line runs past {limit} {what}: longer than any header of column names",
        hint="a CSV file holds one row per line, the column names first: is it a one-line "
        "export, or not CSV at all? Export it again as CSV UTF-8",
    )


def _binary(offset: int) -> HeaderProblem:
    return HeaderProblem(
        f"the file holds NUL bytes (the first at byte {offset:,}): a binary file, not CSV text",
        hint='export the data as "CSV UTF-8"; a spreadsheet needs the .xlsx extension',
    )


def _refuse_non_text(head: bytes) -> None:
    """Refuse at once what a file's first bytes show is not CSV text: UTF-16, a workbook."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise HeaderProblem(
            "the file is UTF-16 text; HubSpot reads CSV files as UTF-8",
            hint="save it as 'CSV UTF-8 (comma delimited)'",
        )
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise HeaderProblem(
            "the file is a spreadsheet (Excel workbook), not CSV text",
            hint="name it .xlsx (or .xls), or export it from the spreadsheet as CSV UTF-8",
        )


def _decode(raw: bytes) -> str:
    _refuse_non_text(raw[:4])
    nul = raw.find(b"\0")
    if nul >= 0:
        raise _binary(nul)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1]
        guess = raw[max(0, exc.start - 10) : exc.start + 10].decode("cp1252", errors="replace")
        raise HeaderProblem(
            f"the header is not UTF-8: byte 0x{bad.hex().upper()} at offset {exc.start} "
            f"(near '{guess.strip()}' if read as Windows-1252)",
            hint="save the file as 'CSV UTF-8'; HubSpot needs UTF-8 for non-ASCII text",
        ) from None


def read_spreadsheet_header(path: Path) -> Header | None:
    """The first row of the first sheet and every sheet's name; None when there is no sheet."""
    found = _spreadsheet_first_row(path)
    if found is None:
        return None
    values, sheets = found
    cells = [cell_text(v) for v in values]
    while cells and not cells[-1].strip():
        # A sheet's used range often runs past the last header (formatted empty cells).
        cells.pop()
    return Header(cells, sheets)


def _spreadsheet_first_row(path: Path) -> tuple[list[object], list[str]] | None:
    """Row 1 of the first sheet as python-calamine's values, and the sheet names.

    An .xlsx file is streamed up to the end of its first row (xlsx_header); .xls files and
    the few .xlsx files that reader leaves aside are read by python-calamine, which parses the
    whole first sheet.
    """
    from specc.tables import xlsx_header  # here: only spreadsheets need it

    try:
        values, sheets = xlsx_header.read_xlsx_header(path)
    except xlsx_header.Unsupported as exc:
        log.debug("%s: the streaming header reader leaves it to python-calamine: %s", path, exc)
        too_large = _too_large_to_parse_whole(path)
        if too_large is not None:
            raise HeaderProblem(
                f"cannot read the spreadsheet's header without reading its whole sheet "
                f"({exc}), and {too_large}",
                hint=_RESAVE_HINT,
            ) from None
    except xlsx_header.Unreadable as exc:
        raise HeaderProblem(f"cannot read the spreadsheet: {exc}", hint=_RESAVE_HINT) from None
    else:
        return (list(values), sheets) if sheets else None
    return _calamine_first_row(path)


_RESAVE_HINT = "open it in a spreadsheet program and save it again as .xlsx, or as CSV UTF-8"
# python-calamine parses a whole sheet to give its first row: lint lets it do so only for a
# workbook this small once inflated (about a million cells, a second and 100 MiB), so that
# a header check stays a header check.
MAX_WHOLE_SHEET_BYTES = 32 << 20


def _too_large_to_parse_whole(path: Path) -> str | None:
    """Why python-calamine may not read the whole workbook for its header, or None."""
    from specc.data import workbook_limits  # standard library only, no tabular reader

    declared = workbook_limits.declared_size(path)
    if declared is None:  # an .xls file (or no workbook at all): its size bounds its cells
        try:
            size = path.stat().st_size
        except OSError:
            return None
        if size > 2 * MAX_WHOLE_SHEET_BYTES:
            return f"it is {size >> 20} MiB, too large to read whole for a header"
        return None
    if declared > MAX_WHOLE_SHEET_BYTES:
        return f"its parts inflate to {declared >> 20} MiB, too much to read whole for a header"
    return workbook_limits.workbook_problem(path)


def _calamine_first_row(path: Path) -> tuple[list[object], list[str]] | None:
    from specc.inputs import InputRefused
    from specc.tables import calamine  # here: only spreadsheets need it

    try:
        workbook = calamine.open_workbook(path)
        sheets = list(workbook.sheet_names)
        if not sheets:
            return None
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False, nrows=1)
    except (InputRefused, ImportError):
        raise  # the file itself is refused (missing, not a regular file): the caller says so
    # python-calamine raises its own error classes, OSError and ValueError for damaged,
    # protected or mislabelled files, and pyo3's PanicException (a BaseException) when its
    # Rust code panics on a cell (a date of -1e15 days in the header); all of them mean
    # "cannot read this spreadsheet". KeyboardInterrupt and the like go on.
    except BaseException as exc:
        if not calamine.reader_failed(exc):
            raise
        raise HeaderProblem(
            f"cannot read the spreadsheet: {calamine.problem_words(exc)}", hint=_RESAVE_HINT
        ) from None
    return (list(rows[0]) if rows else []), sheets


def read_header(path: Path, file_format: str) -> Header | None:
    """The header of the CSV file or (file_format "SPREADSHEET") workbook at `path`; None
    when there is none. Raises HeaderProblem, InputRefused or OSError."""
    if file_format == "SPREADSHEET":
        return read_spreadsheet_header(path)
    cells = read_csv_header(path)
    return None if cells is None else Header(cells)
