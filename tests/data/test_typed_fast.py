"""The column-wise tests of typed spreadsheet cells (`TypedFast`, `typed_cleared`) and of
number-like text: sound (every cell they clear, the exact check accepts), and a workbook
checked with them reports what the exact checks alone report."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specc.catalog.load import load_catalog
from specc.data.check import check_rows
from specc.data.plan import FilePlan, plan_file
from specc.data.row_checks import BatchCheck
from specc.data.values.typed import FastTyped
from specc.pipeline import lint_loaded, load_spec
from specc.run import Options
from specc.tables.cells import cell_text
from specc.tables.xlsx_cells import (
    TYPED_DATE,
    TYPED_DATETIME,
    TYPED_MIDNIGHT,
    TYPED_NUMBER,
    TYPED_OTHER,
    TypedCells,
)

OPTIONS = [{"label": "Lead", "value": "lead"}, {"label": "Customer", "value": "customer"}]
# header -> (the property, as a catalog snapshot lists it; the spec's mapping)
COLUMNS: dict[str, tuple[dict[str, Any], str]] = {
    "Amount": ({"name": "amount", "type": "number", "fieldType": "number"}, "amount"),
    "Share": (
        {
            "name": "share",
            "type": "number",
            "fieldType": "number",
            "numberDisplayHint": "percentage",
        },
        "share",
    ),
    "Odds": (
        {
            "name": "odds",
            "type": "number",
            "fieldType": "number",
            "numberDisplayHint": "probability",
        },
        "odds",
    ),
    "Price": (
        {"name": "price", "type": "number", "fieldType": "number", "showCurrencySymbol": True},
        "price",
    ),
    "Born": ({"name": "born", "type": "date", "fieldType": "date"}, "born"),
    "Seen": ({"name": "seen", "type": "datetime", "fieldType": "date"}, "seen"),
    "Phone": ({"name": "phone", "type": "string", "fieldType": "phonenumber"}, "phone"),
    "Notes": ({"name": "notes", "type": "string", "fieldType": "textarea"}, "notes"),
    "Email": ({"name": "email", "type": "string", "fieldType": "text"}, "email"),
    "Code": ({"name": "code", "type": "string", "fieldType": "text"}, "code"),
    "Stage": (
        {"name": "stage", "type": "enumeration", "fieldType": "select", "options": OPTIONS},
        "stage",
    ),
    "Flag": ({"name": "flag", "type": "bool", "fieldType": "booleancheckbox"}, "flag"),
    "Record": (
        {"name": "hs_object_id", "type": "number", "fieldType": "number"},
        "{property: hs_object_id, id: true}",
    ),
}
NAMES = list(COLUMNS)


def write_spec(folder: Path, data: str = "data.xlsx") -> Path:
    catalog = {
        "catalog": 1,
        "portalId": 1,
        "pulledAt": "2026-01-01T00:00:00Z",
        "objects": [
            {
                "objectTypeId": "0-1",
                "name": "contacts",
                "properties": [prop for prop, _ in COLUMNS.values()],
            }
        ],
    }
    (folder / "catalog.json").write_text(json.dumps(catalog), "utf-8")
    lines = [
        "specc: 1",
        "name: typed cells",
        "catalog: catalog.json",
        "operations: {contacts: upsert}",
        "files:",
        f"  - path: {data}",
        "    object: contacts",
        "    columns:",
        *(f"      {name}: {mapping}" for name, (_, mapping) in COLUMNS.items()),
    ]
    spec = folder / "spec.yaml"
    spec.write_text("\n".join(lines) + "\n", "utf-8")
    return spec


def _loaded(spec_path: Path) -> tuple[Any, Any, Options]:
    options = Options(cwd=spec_path.parent, environ={})
    loaded = load_spec(spec_path, options)
    assert loaded.spec is not None, loaded.diagnostics
    catalog, _ = load_catalog(loaded.spec)
    return loaded.spec, catalog, options


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> FilePlan:
    spec, catalog, _ = _loaded(write_spec(tmp_path_factory.mktemp("typed")))
    return plan_file(spec, spec.files[0], catalog)


# --- typed values, as the spreadsheet readers give them -----------------------------------------

EDGES = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    1.0000000001,
    0.9999999999,
    99_999_999_999.0,
    100_000_000_000.0,
    -99_999_999_999.0,
    9.2e18,
    9.3e18,
    2.0**53,
    2.0**53 + 2,
    2.0**63,
    1e-10,
    45000.5,
    1e300,
]
FLOATS = st.one_of(
    st.sampled_from(EDGES),
    st.floats(),
    st.integers(-(10**20), 10**20).map(float),
    st.floats(-2, 2),
)
VALUES = st.one_of(
    FLOATS,
    FLOATS,
    st.dates(),
    st.datetimes(),
    st.dates().map(lambda d: datetime.combine(d, time(0))),
    st.booleans(),
    st.times(),
    st.timedeltas(timedelta(days=-3), timedelta(days=3)),
)


def typed_kind(value: Any) -> int:
    if isinstance(value, float):
        return TYPED_NUMBER
    if isinstance(value, datetime):
        return TYPED_MIDNIGHT if value.time() == time(0) else TYPED_DATETIME
    if isinstance(value, date):
        return TYPED_DATE
    return TYPED_OTHER


def typed_column(values: list[Any], every: int) -> tuple[Any, TypedCells]:
    """A column of `len(values) * every` cells whose every `every`-th one is typed (the
    others text), as a reader lays it out: the column of texts, the typed cells
    column-wise."""
    import polars as pl
    import pyarrow as pa

    texts = ["x"] * (len(values) * every)
    at = []
    for k, value in enumerate(values):
        texts[k * every] = cell_text(value)
        at.append(k * every)
    cells = TypedCells(
        pl.Series(at, dtype=pl.Int64),
        pl.Series([typed_kind(v) for v in values], dtype=pl.UInt8),
        pl.Series([v if isinstance(v, float) else None for v in values], dtype=pl.Float64),
    )
    return pa.array(texts, pa.string()), cells


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(VALUES, min_size=1, max_size=30), every=st.sampled_from([1, 3]))
def test_typed_cells_the_fast_tests_clear_pass_the_exact_check(
    plan: FilePlan, values: list[Any], every: int
) -> None:
    """Whatever the typed tests of `prepare` clear, in any column, the exact typed check
    accepts."""
    checks = BatchCheck(plan)
    columns, typed = [], {}
    for j in range(len(plan.columns)):
        column, cells = typed_column(values, every)
        columns.append(column)
        typed[j] = cells
    prepared = checks.prepare(columns, typed=typed)
    for column_plan in plan.checked:
        j = column_plan.index
        check = column_plan.check_typed
        assert check is not None
        needs = prepared.typed_needs.get(j)
        if not isinstance(check, FastTyped):
            assert needs is None  # no fast description: every typed cell is checked
            continue
        assert needs is not None
        cleared = [k for k, i in enumerate(typed[j].at.to_list()) if i not in set(needs)]
        for k in cleared:
            problem = check(values[k])
            assert problem is None, f"{column_plan.column.name}: {values[k]!r} gets {problem}"
        # The text cells never reach the typed check, nor the typed cells the text check.
        assert not set(prepared.needs[j]) & set(typed[j].at.to_list())


def test_the_fast_tests_clear_the_plain_cases(plan: FilePlan) -> None:
    """They are of use: plain numbers in number columns, dates in date columns, whole
    numbers in text columns need no Python call."""
    by_name = {p.column.name: p for p in plan.columns}
    values = [5.0, -2.5, 45000.0, 0.25]
    column, cells = typed_column(values, 1)
    dates = [date(2024, 1, 2), datetime(2024, 1, 2), datetime(2024, 1, 2, 3, 4), date(1999, 9, 9)]
    date_column, date_cells = typed_column(dates, 1)
    columns = [column] * len(plan.columns)
    typed = {j: cells for j in range(len(plan.columns))}
    for name in ("Born", "Seen"):
        columns[by_name[name].index] = date_column
        typed[by_name[name].index] = date_cells
    prepared = BatchCheck(plan).prepare(columns, typed=typed)
    needs = {name: prepared.typed_needs.get(p.index) for name, p in by_name.items()}
    assert needs["Amount"] == needs["Price"] == []
    assert needs["Share"] == needs["Odds"] == [0, 1, 2]  # beyond 1: 5 is read as 500 %
    assert needs["Born"] == [2]  # a time the date property drops
    assert needs["Seen"] == []
    assert needs["Notes"] == needs["Code"] == [1, 3]  # not whole: may be rounded when shown
    assert needs["Record"] == [1, 3]
    assert needs["Email"] == [0, 1, 2, 3]  # no number is an email


def test_without_the_fast_path_every_typed_cell_is_checked(plan: FilePlan) -> None:
    column, cells = typed_column([5.0, 6.0], 1)
    prepared = BatchCheck(dataclasses.replace(plan, fast=False)).prepare(
        [column] * len(plan.columns), typed=dict.fromkeys(range(len(plan.columns)), cells)
    )
    assert prepared.typed_needs == {}


# --- number-like text ---------------------------------------------------------------------------

NUMBER_LIKE = st.lists(
    st.sampled_from([*"0123456789", *"0123456789", ".", "-", "+", ",", "e", "E", "%", " ", "$"]),
    min_size=1,
    max_size=22,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(NUMBER_LIKE, min_size=1, max_size=40))
def test_number_like_text_the_fast_tests_clear_passes_the_exact_check(
    plan: FilePlan, texts: list[str]
) -> None:
    """A CSV's number columns: whatever text the column-wise tests clear, the exact check
    accepts."""
    import pyarrow as pa

    checks = BatchCheck(plan)
    column = pa.array(texts, pa.string())
    prepared = checks.prepare([column] * len(plan.columns))
    for name in ("Amount", "Share", "Odds", "Price", "Record"):
        column_plan = next(p for p in plan.columns if p.column.name == name)
        check = column_plan.check
        assert check is not None
        needs = set(prepared.needs[column_plan.index])
        for i, text in enumerate(texts):
            if i not in needs and text:
                assert check(text) is None, f"{name}: {text!r} gets {check(text)}"


# --- a workbook, both ways ----------------------------------------------------------------------

CELL_VALUES = st.one_of(
    st.none(),
    st.sampled_from(EDGES),
    st.floats(-1e12, 1e12, allow_nan=False),
    st.integers(-(10**16), 10**16),
    st.dates(date(1900, 3, 1), date(2100, 1, 1)),
    st.datetimes(datetime(1900, 3, 1), datetime(2100, 1, 1)).map(
        lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000)
    ),
    st.booleans(),
    st.sampled_from(["12", "1,5", "lead", "a@b.co", "01/02/2024", " 7 ", "TRUE"]),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(CELL_VALUES, min_size=len(NAMES), max_size=len(NAMES)), max_size=12))
def test_a_workbook_checked_fast_reports_what_the_exact_checks_report(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[Any]]
) -> None:
    import openpyxl

    folder = tmp_path_factory.mktemp("workbook")
    spec_path = write_spec(folder)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(NAMES)
    for row in rows:
        sheet.append(row)
    book.save(folder / "data.xlsx")
    spec, catalog, options = _loaded(spec_path)
    linted = lint_loaded(spec)
    fast = check_rows(spec, catalog, options, linted, fast=True)
    exact = check_rows(spec, catalog, options, linted, fast=False)
    assert [d.to_json() for d in fast.diagnostics] == [d.to_json() for d in exact.diagnostics]
    assert fast.rows_checked == exact.rows_checked


def test_a_workbook_of_numbers_and_dates_is_checked_as_before(tmp_path: Path) -> None:
    """Typed cells the fast tests cannot clear still get their findings."""
    import openpyxl

    spec_path = write_spec(tmp_path)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(NAMES)
    good = [5, 0.5, 0.25, 9.5, date(2024, 1, 2), datetime(2024, 1, 2, 3, 4), 4930123456]
    good += [7, "a@b.co", 123, "lead", True, 17]
    sheet.append(good)
    bad = [1e19, 25, 2, 1.5, datetime(2024, 1, 2, 3, 4), 45000, 12.5]
    bad += [441234567890123, 5, 1.25, 3, 4, 1.5]
    sheet.append(bad)
    book.save(tmp_path / "data.xlsx")
    spec, catalog, options = _loaded(spec_path)
    result = check_rows(spec, catalog, options, lint_loaded(spec))
    found = {(d.data.column, d.code) for d in result.diagnostics if d.data and d.data.line == 3}
    assert found == {
        ("Amount", "SPC405"),  # too large
        ("Share", "SPC426"),  # 25 read as 2,500 %
        ("Odds", "SPC426"),
        ("Born", "SPC421"),  # a time the date drops
        ("Seen", "SPC423"),  # a number, not a date
        ("Phone", "SPC430"),
        ("Notes", "SPC428"),  # shown rounded
        ("Email", "SPC401"),
        ("Stage", "SPC406"),
        ("Flag", "SPC408"),
        ("Record", "SPC409"),
    }, result.diagnostics
    assert not [d for d in result.diagnostics if d.data and d.data.line == 2]
