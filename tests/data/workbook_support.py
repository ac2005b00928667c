"""Writing .xlsx files by hand, part by part, for the tests of hostile workbooks.

openpyxl writes only what Excel would; a zip bomb, a lying zip header or a cell past the
grid need the parts written directly. The hostile-input cases load this file by its path
(tests/hostile/cases/xlsx/*/setup.py), so it imports nothing from the tests.
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Iterable
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<workbook xmlns="{MAIN}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    "{pr}<sheets>{sheets}</sheets></workbook>"
)
_REL = (
    '<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/{kind}" Target="{target}"/>'
)


def sheet_xml(rows: Iterable[bytes] | bytes, dimension: str | None = None) -> Iterable[bytes]:
    """A worksheet part around `rows` (the <row> elements, as bytes)."""
    yield (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">'
    ).encode()
    if dimension is not None:
        yield f'<dimension ref="{dimension}"/>'.encode()
    yield b"<sheetData>"
    if isinstance(rows, bytes):
        yield rows
    else:
        yield from rows
    yield b"</sheetData></worksheet>"


def shared_strings_xml(strings: Iterable[bytes] | bytes) -> Iterable[bytes]:
    yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN}">'.encode()
    if isinstance(strings, bytes):
        yield strings
    else:
        yield from strings
    yield b"</sst>"


def inline_row(number: int, cells: list[str]) -> bytes:
    """A row of inline-string cells from column A."""
    out = [f'<row r="{number}">']
    for j, text in enumerate(cells):
        out.append(f'<c r="{column_name(j + 1)}{number}" t="inlineStr"><is><t>{text}</t></is></c>')
    out.append("</row>")
    return "".join(out).encode()


def column_name(column: int) -> str:
    name = ""
    while column:
        column, rest = divmod(column - 1, 26)
        name = chr(65 + rest) + name
    return name


def write_workbook(
    path: Path,
    sheet: Iterable[bytes],
    *,
    shared_strings: Iterable[bytes] | None = None,
    styles: str | None = None,
    date1904: bool = False,
    level: int = 6,
    parts: dict[str, bytes] | None = None,
) -> Path:
    """An .xlsx file of one sheet named Sheet1, its XML streamed into the zip (so a part of
    hundreds of MB costs no memory). `parts`: more entries, written as they are."""
    rels = [_REL.format(n=1, kind="worksheet", target="worksheets/sheet1.xml")]
    if shared_strings is not None:
        rels.append(_REL.format(n=2, kind="sharedStrings", target="sharedStrings.xml"))
    if styles is not None:
        rels.append(_REL.format(n=3, kind="styles", target="styles.xml"))
    workbook = _WORKBOOK.format(
        pr='<workbookPr date1904="1"/>' if date1904 else "",
        sheets='<sheet name="Sheet1" sheetId="1" r:id="rId1"/>',
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
            '"http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(rels)
            + "</Relationships>",
        )
        if styles is not None:
            archive.writestr("xl/styles.xml", styles)
        if shared_strings is not None:
            _stream(archive, "xl/sharedStrings.xml", shared_strings)
        _stream(archive, "xl/worksheets/sheet1.xml", sheet)
        for name, data in (parts or {}).items():
            archive.writestr(name, data)
    return path


def _stream(archive: zipfile.ZipFile, name: str, chunks: Iterable[bytes]) -> None:
    with archive.open(name, "w") as part:
        buffer = bytearray()
        for chunk in chunks:
            buffer += chunk
            if len(buffer) >= 1 << 20:
                part.write(buffer)
                buffer.clear()
        part.write(buffer)


def understate_sizes(path: Path, declared: int = 1_000, only: str | None = None) -> None:
    """Make the parts' zip headers (local and central) declare `declared` bytes
    uncompressed, whatever they really inflate to: a zip bomb that lies. `only`: just the
    part of that name."""
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    entries, _, at = struct.unpack_from("<HII", data, end + 10)
    for _ in range(entries):
        assert data[at : at + 4] == b"PK\x01\x02"
        names, extra, comment = struct.unpack_from("<HHH", data, at + 28)
        offset = struct.unpack_from("<I", data, at + 42)[0]
        if only is None or data[at + 46 : at + 46 + names].decode() == only:
            struct.pack_into("<I", data, at + 24, declared)
            struct.pack_into("<I", data, offset + 22, declared)
        at += 46 + names + extra + comment
    path.write_bytes(bytes(data))


# A styles part whose cell style 1 shows a date (built-in format 14), 2 a time (21),
# 3 a custom date-and-time format, 4 a plain number.
DATE_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm"/></numFmts>'
    '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="21"/>'
    '<xf numFmtId="164"/><xf numFmtId="2"/></cellXfs></styleSheet>'
)
