"""python-calamine's Rust code panics on some cells (a date of -1e15 days is beyond chrono):
pyo3 raises PanicException, a BaseException, which specc reports as a broken spreadsheet."""

from __future__ import annotations

import zipfile
from pathlib import Path

from specc.tables.batch import Batch, FileProblem
from specc.tables.calamine import read_spreadsheet

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def workbook(path: Path, rows: str) -> Path:
    """One sheet whose cells of style 1 are dates (built-in number format 14)."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/styles.xml",
            f'<styleSheet xmlns="{MAIN}"><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/>'
            "</cellXfs></styleSheet>",
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>',
        )
    return path


def test_a_date_beyond_any_calendar_is_a_broken_spreadsheet_not_a_crash(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "dates.xlsx",
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Signed</t></is></c></row>'
        '<row r="2"><c r="A2"><v>5</v></c></row>'
        '<row r="3"><c r="A3" s="1"><v>-1e15</v></c></row>'
        '<row r="4"><c r="A4"><v>6</v></c></row>',
    )
    found = list(read_spreadsheet(path, 1))
    problems = [item for item in found if isinstance(item, FileProblem)]
    assert len(problems) == 1, found
    (problem,) = problems
    assert problem.kind == "spreadsheet"
    assert "a cell holds a date or duration out of any calendar's range" in problem.detail
    # What was read before the panic is kept, as for any sheet that fails while read.
    assert [row for item in found if isinstance(item, Batch) for row in item.rows] == [1]
