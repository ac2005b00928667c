"""Writing tables: one CSV writer and one .xlsx writer, for every file specc writes.

`--rejects` copies, fixed copies of a data file, the examples' spreadsheets
(tools/xlsx_writer.py) and the tests' fixtures all write through here, so a cell is written
one way whoever writes it.

CSV: UTF-8 (with a byte order mark when asked, as Excel's "CSV UTF-8" has one), the `csv`
module's quoting (a cell is quoted only when it must be, quotes doubled: RFC 4180), CRLF line
ends as Excel and RFC 4180 write them. A typed cell is written as text by the one cell rule
(`specc.tables.cells.cell_text`).

.xlsx: no dependency, a zip of six small XML parts with the sheet streamed into it row by row
(memory stays flat however many rows). Cells keep their type: text as inline strings, numbers,
booleans, and dates, date-times, times and durations as serial numbers styled with Excel's
built-in formats, so a spreadsheet program and python-calamine read back what was written.
`fixed_time` makes the bytes depend on the rows only (the examples' committed workbooks are
compared with what the tool writes).

`replacing(path)`, for a whole file written so that readers see the old one or the new one,
never half of one, is `specc.atomic`'s (the one place specc replaces a file), named here too
for the callers that write tables with it.
"""

from __future__ import annotations

import contextlib
import csv
import zipfile
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from time import localtime
from typing import IO, Any, BinaryIO
from xml.sax.saxutils import escape

from specc.atomic import replacing as replacing
from specc.tables.cells import cell_text

BOM = "\ufeff"


class CsvWriter:
    """Rows to a text stream opened with newline="" (the writer ends lines itself)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self._writer = csv.writer(stream)  # excel dialect: minimal quoting, CRLF

    def row(self, cells: Sequence[Any]) -> None:
        self._writer.writerow([cell_text(cell) for cell in cells])

    def raw(self, text: str) -> None:
        """Text copied as it is (a row the reader could not split, kept verbatim), ended
        with a line break when it has none."""
        self.stream.write(text if text.endswith(("\n", "\r")) else text + "\r\n")


def open_csv(path: Path, *, bom: bool = False) -> tuple[IO[str], CsvWriter]:
    """A new CSV file at `path` and its writer; the caller closes the stream."""
    stream = open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="")  # noqa: SIM115
    return stream, CsvWriter(stream)


# --- .xlsx ------------------------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_SHEET = "xl/worksheets/sheet1.xml"
_CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
    f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
    '<sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    f'<Relationships xmlns="{_PKG}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# Cell styles 1-4: Excel's built-in date, date-time, time and duration formats.
_STYLES = (
    f'<styleSheet xmlns="{_MAIN}">'
    '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
    '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
    '<cellXfs count="5"><xf/>'
    '<xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="22" applyNumberFormat="1"/>'
    '<xf numFmtId="21" applyNumberFormat="1"/><xf numFmtId="46" applyNumberFormat="1"/>'
    "</cellXfs></styleSheet>"
)
_EPOCH = datetime(1899, 12, 30)


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _xml_text(text: str) -> str:
    # XML 1.0 cannot hold most control characters; Excel writes them as _xHHHH_.
    cleaned = "".join(
        f"_x{ord(ch):04X}_" if (ord(ch) < 32 and ch not in "\t\n\r") or ch in "\ufffe\uffff" else ch
        for ch in text
    )
    return escape(cleaned)


def _cell(ref: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, datetime):
        serial = (value.replace(tzinfo=None) - _EPOCH) / timedelta(days=1)
        return f'<c r="{ref}" s="2"><v>{serial!r}</v></c>'
    if isinstance(value, date):
        serial = (datetime.combine(value, time()) - _EPOCH) / timedelta(days=1)
        return f'<c r="{ref}" s="1"><v>{serial!r}</v></c>'
    if isinstance(value, time):
        fraction = (value.hour * 3600 + value.minute * 60 + value.second) / 86400
        return f'<c r="{ref}" s="3"><v>{fraction!r}</v></c>'
    if isinstance(value, timedelta):
        return f'<c r="{ref}" s="4"><v>{value / timedelta(days=1)!r}</v></c>'
    text = _xml_text(str(value))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


class XlsxWriter:
    """A one-sheet workbook written row by row. `close()` finishes it; `abort()` closes
    what is open without finishing (the caller removes the file)."""

    def __init__(
        self,
        target: Path | BinaryIO,
        *,
        sheet: str = "Sheet1",
        fixed_time: tuple[int, int, int, int, int, int] | None = None,
    ) -> None:
        self.sheet_name = sheet
        self.fixed_time = fixed_time
        self.zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED)
        self.sheet = self.zip.open(self._info(_SHEET), "w", force_zip64=True)
        self.line = 0
        self.sheet.write(f'{_XML}<worksheet xmlns="{_MAIN}"><sheetData>'.encode())

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self.fixed_time or localtime()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        return info

    def row(self, cells: Sequence[Any], *, at: int | None = None) -> None:
        """The next row, or the row numbered `at` (1-based, past the last one written: the
        rows between stay empty, so a fixed copy keeps every row's number)."""
        self.line = self.line + 1 if at is None else max(at, self.line + 1)
        body = "".join(_cell(f"{column_letters(j)}{self.line}", v) for j, v in enumerate(cells))
        self.sheet.write(f'<row r="{self.line}">{body}</row>'.encode())

    def close(self) -> None:
        self.sheet.write(b"</sheetData></worksheet>")
        self.sheet.close()
        parts = {
            "[Content_Types].xml": _CONTENT_TYPES,
            "_rels/.rels": _ROOT_RELS,
            "xl/workbook.xml": _WORKBOOK.replace(
                "{name}", escape(self.sheet_name, {'"': "&quot;"})
            ),
            "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
            "xl/styles.xml": _STYLES,
        }
        for name, xml in parts.items():
            self.zip.writestr(self._info(name), _XML + xml)
        self.zip.close()

    def abort(self) -> None:
        with contextlib.suppress(ValueError, OSError):
            self.sheet.close()
        with contextlib.suppress(ValueError, OSError):
            self.zip.close()


def write_xlsx(
    target: Path | BinaryIO,
    rows: Sequence[Sequence[Any]],
    *,
    sheet: str = "Sheet1",
    fixed_time: tuple[int, int, int, int, int, int] | None = None,
) -> None:
    """A one-sheet workbook of `rows` (the header first, if any)."""
    writer = XlsxWriter(target, sheet=sheet, fixed_time=fixed_time)
    try:
        for cells in rows:
            writer.row(cells)
    except BaseException:
        writer.abort()
        raise
    writer.close()


def write_csv(path: Path, rows: Sequence[Sequence[Any]], *, bom: bool = False) -> None:
    """A CSV file of `rows` (the header first, if any)."""
    stream, writer = open_csv(path, bom=bom)
    with stream:
        for cells in rows:
            writer.row(cells)
