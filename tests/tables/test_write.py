"""specc's one CSV writer and one .xlsx writer: what they write reads back as it was."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from specc.tables.batch import Batch
from specc.tables.table import Table, TextRow
from specc.tables.write import open_csv, write_csv, write_xlsx

CELL = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"), max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(CELL, min_size=2, max_size=2), min_size=1, max_size=5))
def test_csv_reads_back_cell_for_cell(rows: list[list[str]]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "out.csv"
        write_csv(path, [["A", "B"], *rows])
        read = [i for i in Table(path).rows() if isinstance(i, TextRow)]
    assert [r.cells for r in read] == rows


def test_csv_with_a_bom_crlf_and_typed_cells(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    stream, writer = open_csv(path, bom=True)
    with stream:
        writer.row(["n", "when", "flag"])
        writer.row([2024.0, datetime(2024, 2, 29, 14, 30), True])
        writer.raw('broken,"row')
    assert path.read_bytes() == (
        b'\xef\xbb\xbfn,when,flag\r\n2024,2024-02-29 14:30:00,TRUE\r\nbroken,"row\r\n'
    )


def test_xlsx_keeps_types_and_reads_back_through_every_reader(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    cells = ["x & <y> \x01", 2.5, True, date(2024, 2, 29), datetime(2024, 2, 29, 14, 30)]
    cells += [time(12, 0), timedelta(hours=36), None, ""]
    write_xlsx(path, [["a", "b", "c", "d", "e", "f", "g", "h", "i"], cells])
    table = Table(path, "SPREADSHEET")
    header = table.header()
    assert header is not None and header.cells == list("abcdefghi")
    [batch] = [b for b in table.batches(9) if isinstance(b, Batch)]
    assert batch.cells(0)[:7] == cells[:7]


def test_xlsx_with_a_fixed_time_is_the_same_bytes_every_time() -> None:
    def written() -> bytes:
        buffer = io.BytesIO()
        write_xlsx(buffer, [["Email"], ["a@x.com"]], fixed_time=(2026, 1, 2, 3, 4, 6))
        return buffer.getvalue()

    assert written() == written()
