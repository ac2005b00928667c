"""Where things live, measured from the code (issue 10's "one place for each thing").

- Data files are read in specc/tables/ only: no other module imports python-calamine or
  pyarrow's CSV reader, or reads with the csv module. Two readers of one file disagree sooner
  or later about a cell (that is how the header check and the row check once did).
- No test skips itself because a module is missing: specc and every dependency the tests use
  are installed by `pip install -e '.[test]'`, so a missing one is a broken install and must
  fail the suite, not turn into a quiet skip.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "specc"
TABLES = PACKAGE / "tables"

READER_MODULES = {"python_calamine", "pyarrow.csv"}
CSV_READERS = {"reader", "DictReader", "Sniffer"}


def data_reads(path: Path) -> list[str]:
    """Lines of `path` that import a data-file reader or call the csv module's readers."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "csv"
        ):
            names = [f"csv.{node.attr}"]
        else:
            continue
        found += [f"{node.lineno}: {name}" for name in names if _is_reader(name)]
    return sorted(found, key=lambda line: int(line.partition(":")[0]))


def _is_reader(name: str) -> bool:
    module, _, attribute = name.rpartition(".")
    return name in READER_MODULES or (module == "csv" and attribute in CSV_READERS)


def test_data_files_are_read_in_specc_tables_only() -> None:
    found = {
        str(path.relative_to(ROOT)): reads
        for path in sorted(PACKAGE.rglob("*.py"))
        if TABLES not in path.parents and (reads := data_reads(path))
    }
    assert not found, f"data files read outside specc/tables/: {found}"


def test_the_reader_scan_sees_each_way_of_reading(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "import csv\nimport python_calamine\nfrom pyarrow import csv as pacsv\n"
        "from csv import DictReader\n"
        "def f(fh):\n    csv.writer(fh)\n    return csv.reader(fh)\n",
        encoding="utf-8",
    )
    assert data_reads(module) == [
        "2: python_calamine",
        "3: pyarrow.csv",
        "4: csv.DictReader",
        "7: csv.reader",
    ]


def test_no_test_skips_for_a_missing_module() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        if isinstance(node, ast.Attribute) and node.attr == "importorskip"
    ]
    assert not found, f"importorskip hides a broken install: {found}"
