"""specc.tables is the one place a data file is read: every reader of specc goes through it,
reads a cell the same way, and `lint` stays free of the tabular libraries."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from datetime import date, datetime, time
from pathlib import Path

from specc.data.values.typed import render
from specc.hubspot.row_errors import rows_of_lines
from specc.sandbox.rows import data_rows
from specc.tables.batch import Batch, FileProblem, RowEvent
from specc.tables.table import Table, TextRow
from specc.tables.write import write_csv, write_xlsx

REPO = Path(__file__).resolve().parents[2]
SPECC = REPO / "specc"
TABLES = SPECC / "tables"


def _reads_tables(path: Path) -> list[int]:
    """Lines of `path` that parse CSV (csv.reader, DictReader, Sniffer) or use
    python-calamine: what only specc.tables may do. Read from the syntax tree, so words in a
    message or a docstring do not count."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            parsing = node.value.id == "csv" and node.attr in {"reader", "DictReader", "Sniffer"}
        elif isinstance(node, ast.Import):
            parsing = any(alias.name.split(".")[0] == "python_calamine" for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parsing = (node.module or "").split(".")[0] == "python_calamine"
        else:
            parsing = False
        if parsing:
            found.append(node.lineno)
    return found


def test_csv_parsing_and_calamine_live_in_specc_tables_only() -> None:
    offenders = [
        f"{path.relative_to(REPO)}:{line}"
        for path in sorted(SPECC.rglob("*.py"))
        if not path.is_relative_to(TABLES)
        for line in _reads_tables(path)
    ]
    assert offenders == []
    # The test would see them: the package itself does read that way.
    assert _reads_tables(TABLES / "csv.py") and _reads_tables(TABLES / "calamine.py")


def test_lint_reads_csv_and_xlsx_headers_without_the_tabular_libraries(tmp_path: Path) -> None:
    write_csv(tmp_path / "people.csv", [["Email"], ["a@example.com"]])
    write_xlsx(tmp_path / "people.xlsx", [["Email"], ["a@example.com"]])
    for name in ("people.csv", "people.xlsx"):
        (tmp_path / f"{name}.yaml").write_text(
            "specc: 1\nname: t\nfiles:\n"
            f"  - path: {name}\n    object: contacts\n"
            "    columns:\n      Email: {property: email, id: true}\n",
            encoding="utf-8",
        )
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from specc.pipeline import lint\n"
        "from specc.run import Options\n"
        "for name in sys.argv[1:]:\n"
        "    found = lint([Path(name)], Options(cwd=Path.cwd()))\n"
        "    assert not found.diagnostics, found.diagnostics\n"
        "print(' '.join(sorted(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "people.csv.yaml", "people.xlsx.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.split())
    assert "specc.tables.header" in loaded  # the headers were read, by the package
    assert not {m for m in loaded if m.split(".")[0] in {"pyarrow", "polars", "python_calamine"}}


# --- one cell rule ------------------------------------------------------------------------

TYPED = [2024.0, 1.5, True, 441234567890.0, date(2024, 2, 29), datetime(2024, 2, 29, 14, 30)]
TYPED += [datetime(2024, 3, 1), time(9, 15)]


def test_every_reader_reads_a_typed_cell_as_hubspot_does(tmp_path: Path) -> None:
    """The header check, the row check, `specc init` and the sandbox give the same text for
    the same typed cell: the General format (values.typed.render)."""
    path = tmp_path / "data.xlsx"
    write_xlsx(path, [TYPED, TYPED])
    expected = [render(v) for v in TYPED]
    assert expected[:4] == ["2024", "1.5", "TRUE", "4.41235E+11"]
    table = Table(path, "SPREADSHEET")

    header = table.header()
    assert header is not None and header.cells == expected

    batches = [b for b in table.batches(len(TYPED)) if isinstance(b, Batch)]
    assert [c.to_pylist() for c in batches[0].columns] == [[text] for text in expected]

    from specc.draft import read_sample

    assert read_sample(path) == (expected, [expected])
    assert list(data_rows(path, "SPREADSHEET", True)) == [(2, expected)]


def test_rows_number_lines_and_rows_as_the_checks_do(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(b'Email,Note\r\na@x.com,"two\r\nlines"\r\n\r\nb@x.com,ok\r\n"c,x\r\n')
    items = list(Table(path).rows())
    assert items[:2] == [
        TextRow(2, 1, ["a@x.com", "two\r\nlines"]),
        TextRow(5, 2, ["b@x.com", "ok"]),  # the empty line 4 is no row
    ]
    [event] = items[2:]
    assert isinstance(event, RowEvent) and event.fatal and (event.line, event.row) == (6, 3)
    # HubSpot's line numbers mapped back to the same rows.
    assert rows_of_lines(path, {2, 5, 6}) == {2: 1, 5: 2, 6: 3}
    checked = [b for b in Table(path).batches(2) if isinstance(b, Batch)]
    assert [(checked[0].row_at(i), checked[0].line_at(i)) for i in range(2)] == [(1, 2), (2, 5)]


def test_a_sample_stops_at_its_limit_and_says_what_ended_the_file(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(b"A\n1\n2\n3\n")
    assert Table(path).sample(1, 2) == ([["1"], ["2"]], None)
    path.write_bytes(b"A\n1\n2\n3\n\xff\n")
    _, problem = Table(path).sample(1, 10)
    assert isinstance(problem, FileProblem) and (problem.kind, problem.line) == ("encoding", 5)


def test_a_table_is_a_spreadsheet_by_its_extension(tmp_path: Path) -> None:
    assert Table.at(tmp_path / "a.XLSX").format == "SPREADSHEET"
    assert Table.at(tmp_path / "a.xls").format == "SPREADSHEET"
    assert Table.at(tmp_path / "a.txt").format == "CSV"
    assert Table.at(tmp_path / "a.csv").too_large() is None
