"""Row-check case folders, run through the real pipeline (`specc.pipeline.check`).

tests/cases/data/<name>/ holds spec.yaml, its data file(s) and expected.json:

    {"diagnostics": [{"code": "SPC452", "line": 4, "column": null}, ...],
     "rejects": {"contacts.csv": "expected-rejects.csv"}}     # optional

`diagnostics` lists every diagnostic `specc check` reports for the spec, as (code, data line,
data column): lint's, the value checks' and the row checks'. Expectations are written by
hand, from the data file, so a case says what HubSpot would report where. The shared
catalog snapshot is tests/cases/data/catalog.json.

Every case also runs both ways (fast reader and column-wise tests, and the exact reader with
every cell checked one by one), which must give the very same diagnostics.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from specc.catalog.load import load_catalog
from specc.codes import rows as row_codes
from specc.data.check import check_rows
from specc.diagnostics import Diagnostic
from specc.pipeline import check, lint_loaded, load_spec
from specc.run import Options

CASES = Path(__file__).resolve().parent.parent / "cases" / "data"
CASE_DIRS = sorted(p for p in CASES.iterdir() if p.is_dir() and not p.name.startswith("_"))
# The shared catalog.json lies beside the case folders, outside each case's working directory.
ROOTS = (CASES,)


def sheet_cells(path: Path) -> list[list[list[Any]]]:
    """Every sheet's rows, cells as sheets.json writes them (dates as {"date": ...})."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    sheets = []
    for index in range(len(book.sheet_names)):
        rows = [[_json_cell(c) for c in row] for row in book.get_sheet_by_index(index).iter_rows()]
        sheets.append(rows)
    return sheets


def _json_cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return value


def _shape(d: Diagnostic) -> dict[str, Any]:
    data = d.data
    return {
        "code": d.code,
        "line": data.line if data is not None else None,
        "column": data.column if data is not None else None,
    }


def _key(shape: dict[str, Any]) -> tuple[str, int, str]:
    return (shape["code"], shape["line"] or 0, shape["column"] or "")


def _expected(case: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((case / "expected.json").read_text("utf-8"))
    return data


@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_case(case: Path, tmp_path: Path) -> None:
    expected = _expected(case)
    rejects = tmp_path / "rejects"
    options = Options(cwd=case, data_roots=ROOTS, environ={}, rejects=rejects)
    result = check([case / "spec.yaml"], options)
    got = sorted((_shape(d) for d in result.diagnostics), key=_key)
    assert got == sorted(expected["diagnostics"], key=_key)
    for name, wanted in expected.get("rejects", {}).items():
        if wanted.endswith(".json"):  # a spreadsheet: compare cells, as calamine reads them
            cells = json.loads((case / wanted).read_text("utf-8"))
            assert sheet_cells(rejects / name) == [cells], name
        else:
            assert (rejects / name).read_bytes() == (case / wanted).read_bytes(), name
    if "rejects" in expected and not expected["rejects"]:
        assert not rejects.exists() or not any(rejects.iterdir())


@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_case_fast_and_exact_agree(case: Path) -> None:
    options = Options(cwd=case, data_roots=ROOTS, environ={})
    loaded = load_spec(case / "spec.yaml", options)
    assert loaded.spec is not None
    spec = loaded.spec
    linted = lint_loaded(spec)
    catalog, _ = load_catalog(spec)
    fast = check_rows(spec, catalog, options, linted, fast=True)
    exact = check_rows(spec, catalog, options, linted, fast=False)
    assert [d.to_json() for d in fast.diagnostics] == [d.to_json() for d in exact.diagnostics]
    assert fast.rows_checked == exact.rows_checked
    assert fast.counts_by_error_type == exact.counts_by_error_type


@pytest.mark.parametrize("sheets", sorted(CASES.glob("*/sheets.json")), ids=lambda p: p.parent.name)
def test_spreadsheet_matches_its_description(sheets: Path) -> None:
    """Each committed data.xlsx holds what its sheets.json says (make_spreadsheets.py)."""
    described = json.loads(sheets.read_text("utf-8"))
    found = sheet_cells(sheets.parent / "data.xlsx")
    assert len(found) == len(described)
    for rows, sheet in zip(found, described, strict=True):
        width = max(len(r) for r in sheet["rows"])
        wanted = [[_written(c) for c in r] + [""] * (width - len(r)) for r in sheet["rows"]]
        assert [r[:width] for r in rows] == wanted


def _written(raw: Any) -> Any:
    """A sheets.json cell as calamine reads it back: numbers as floats, empty as ""."""
    if raw is None:
        return ""
    if isinstance(raw, (bool, str, dict)):
        return raw
    return float(raw)


def test_every_row_code_has_a_case() -> None:
    """Each SPC45x-SPC48x code is raised by some case folder, or by a named unit test."""
    elsewhere = {
        # Unreachable from a folder: lint's header check reads a broken spreadsheet first.
        "SPC454": "tests/tables/test_calamine.py",
        # A row too long to read is at least 16 MiB; the unit tests shrink the bound.
        "SPC455": "tests/data/test_csv_long_rows.py",
        # A file over HubSpot's limits is too large to keep in the repository (the tests
        # lower the limits through SPECC_MAX_FILE_ROWS / SPECC_MAX_FILE_BYTES).
        "SPC470": "tests/split/test_check_parts.py",
        "SPC471": "tests/split/test_check_parts.py",
        "SPC472": "tests/split/test_check_parts.py",
        # HubSpot's 429 for a file over its limits: an answer, not a check.
        "SPC473": "tests/split/test_split_import.py",
        # emit's refusal of such a file: not a check either.
        "SPC474": "tests/split/test_split_cli.py",
    }
    raised = {d["code"] for case in CASE_DIRS for d in _expected(case).get("diagnostics", [])}
    codes = {
        value.code
        for value in vars(row_codes).values()
        if hasattr(value, "code") and hasattr(value, "explanation")
    }
    missing = sorted(codes - raised - set(elsewhere))
    assert not missing, f"no case folder raises {missing}"
