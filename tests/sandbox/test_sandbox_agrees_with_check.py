"""The sandbox and `specc check` agree: what check predicts is what the sandbox's import reports.

(With what `specc plan` predicts against the sandbox's account, which starts with no records:
the rows check lets through are judged against the records, so an UPDATE of records the
account lacks fails its rows with UPDATE_ONLY_IMPORT there, as at HubSpot.)

Every example and every case folder with data (tests/cases/data/, tests/cases/rules/) is
checked by `specc check` and, when it compiles, uploaded to the sandbox, which plays HubSpot:

- a request HubSpot refuses outright (a 400 at upload) is one check calls an error;
- an import that FAILS is one whose file check could not read (an error of the whole file, or
  a header it cannot pair with the columns, so no row was checked);
- otherwise the import's errors are check's errors, row by row: the same (line, errorType,
  message) on the same lines, and the same errors of the whole file (line 0).

HubSpot knows nothing of the spec's own `checks:` settings: every row is checked (no
`checks: rows` limit, no `max_errors` cut), and what `allow:` hides from check's report the
sandbox still reports.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import casekit
import httpx
import pytest
from sandbox_support import AUTH

from specc.catalog.load import load_catalog
from specc.codes import lookup, rows
from specc.diagnostics import Diagnostic, Severity
from specc.pipeline import check, compile_spec, load_spec
from specc.plan import RECORD_ID, data_rows, plan_spec
from specc.run import Options
from specc.sandbox import ImportRecord, SandboxServer, Timing, load_catalog_file, serve
from specc.sandbox.records import RecordStore
from specc.spec.model import Spec

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p.parent for p in (ROOT / "examples").glob("*/spec.*"))
FOLDERS = [*EXAMPLES, *casekit.case_folders("data"), *casekit.case_folders("rules")]
# A file specc reads no row of: the import of it cannot write anything either.
ROWS_NOT_CHECKED = {rows.ROWS_NOT_CHECKED.code, rows.UNREADABLE_SPREADSHEET.code}

Row = tuple[int, str, str]  # line, errorType, message
# Where they disagree today, and why; each fails the suite once fixed (strict), so the entry
# goes with the fix.
DISAGREE = {
    "data/xlsx-too-large": "the sandbox fails the import with INVALID_SPREADSHEET; check's "
    "SPC456 names no HubSpot error",
}


def _param(folder: Path) -> object:
    name = f"{folder.parent.name}/{folder.name}"
    reason = DISAGREE.get(name)
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(folder, id=name, marks=marks)


def _options(folder: Path) -> Options:
    if folder.parent.name == "data" and folder.parent.parent == casekit.CASES:
        return casekit.data_options(folder)
    return Options(cwd=folder, environ={})


@dataclass
class Prediction:
    errors: list[Diagnostic]  # every error check reports
    rows: list[Row]  # ... those HubSpot reports as row errors, by line
    whole_file: list[str]  # ... as errors of a whole file (line 0): their errorTypes
    unread: bool  # an error of a whole data file, or one whose rows check could not pair


def predict(spec_path: Path, options: Options) -> Prediction:
    result = check([spec_path], replace(options, rows=sys.maxsize, max_errors=sys.maxsize))
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    typed = [d for d in errors if d.hubspot_error]
    return Prediction(
        errors=errors,
        rows=sorted(
            [
                *(
                    (d.data.line, str(d.hubspot_error), d.message)
                    for d in typed
                    if d.data is not None and d.data.line
                ),
                *account_rows(spec_path, options, typed),
            ]
        ),
        whole_file=sorted(str(d.hubspot_error) for d in typed if not (d.data and d.data.line)),
        unread=any(d.code in ROWS_NOT_CHECKED for d in result.diagnostics)
        or any(d.data is not None and not d.data.line for d in errors),
    )


def account_rows(spec_path: Path, options: Options, typed: list[Diagnostic]) -> list[Row]:
    """What `specc plan` predicts against an account with no records, for the rows check lets
    through (the sandbox judges only those against its records)."""
    loaded = load_spec(spec_path, options)
    if loaded.spec is None:
        return []
    catalog, _ = load_catalog(loaded.spec)
    checked = {(d.data.file, d.data.line) for d in typed if d.data is not None and d.data.line}
    plan = plan_spec(loaded.spec, catalog, RecordStore(catalog), name_errors=False)
    return [
        (d.data.line, str(d.hubspot_error), d.message)
        for d in plan.diagnostics
        if d.data is not None and d.data.line and (d.data.file, d.data.line) not in checked
    ]


def allowed_error_types(spec: Spec) -> set[str]:
    """The errorTypes of the codes the spec allows, spec-wide or on a column."""
    codes = set(spec.checks.allow) | {c for _, column in spec.columns() for c in column.allow}
    return {t for t in (getattr(lookup(c), "hubspot_error", None) for c in codes) if t}


def upload(
    spec_path: Path, options: Options, *, seed: bool = False
) -> tuple[httpx.Response, ImportRecord | None]:
    """Upload to a fresh sandbox; `seed`: holding first the records the spec updates by id."""
    request, result = compile_spec(spec_path, options)
    assert request is not None, [d.message for d in result.diagnostics]
    loaded = load_spec(spec_path, options)
    assert loaded.spec is not None
    catalog_path = loaded.spec.catalog_path
    catalog = load_catalog_file(catalog_path) if catalog_path else None
    with serve(catalog=catalog, timing=Timing(0, 0)) as server:
        if seed:
            seed_updated_records(server, loaded.spec)
        files = [
            ("files", (f.file_name, f.path.read_bytes(), "application/octet-stream"))
            for f in loaded.spec.files
        ]
        response = httpx.post(
            f"{server.base_url}/crm/v3/imports",
            headers=AUTH,
            data={"importRequest": json.dumps(request)},
            files=files,
            timeout=10,
        )
        if response.status_code != 200:
            return response, None
        return response, server.wait(response.json()["id"])


@pytest.mark.parametrize("folder", [_param(f) for f in FOLDERS])
def test_the_sandbox_reports_what_check_predicts(folder: Path) -> None:
    spec_path = casekit.spec_file(folder)
    assert spec_path is not None
    options = _options(folder)
    predicted = predict(spec_path, options)
    loaded = load_spec(spec_path, options)
    if loaded.spec is None or compile_spec(spec_path, options)[0] is None:
        assert predicted.errors, "a spec that does not compile is an error of check's"
        return
    if any(not f.path.is_file() for f in loaded.spec.files):
        assert predicted.errors, "a data file that is not there is an error of check's"
        return

    response, record = upload(spec_path, options)
    if record is None:
        assert response.status_code == 400, response.text
        assert predicted.errors, f"HubSpot refuses the request, check does not: {response.text}"
        return
    whole_file = sorted(e.error_type for e in record.errors if not e.line)
    if record.state == "FAILED":
        assert predicted.unread, f"the import failed, check read the file: {record.failure}"
        assert whole_file == predicted.whole_file
        return
    assert record.state == "DONE", record.failure
    reported = Counter((e.line, e.error_type, e.message) for e in record.errors if e.line)
    # `allow:` hides a finding from check's report only: HubSpot still reports the row.
    hidden = reported - Counter(predicted.rows)
    assert {t for _, t, _ in hidden} <= allowed_error_types(loaded.spec), sorted(hidden)
    assert sorted((reported - hidden).elements()) == predicted.rows
    assert whole_file == predicted.whole_file


def test_every_example_imports_without_errors() -> None:
    for folder in EXAMPLES:
        spec_path = casekit.spec_file(folder)
        assert spec_path is not None
        response, record = upload(spec_path, Options(cwd=folder, environ={}), seed=True)
        assert record is not None, response.text
        assert record.state == "DONE", record.failure
        assert record.errors == []
        assert record.counters["TOTAL_ROWS"] > 0
        assert record.counters["UNIQUE_OBJECTS_WRITTEN"] > 0


def seed_updated_records(server: SandboxServer, spec: Spec) -> None:
    """The records an UPDATE by record id needs, as an account that holds them would."""
    for data_file in spec.files:
        for index, column in enumerate(data_file.columns):
            oid = column.object_type_id
            if column.property != RECORD_ID or oid is None or spec.operation(oid) != "UPDATE":
                continue
            for _, cells in data_rows(data_file):
                if index < len(cells) and cells[index].strip():
                    server.records.add(oid, {}, record_id=cells[index].strip())


def test_the_oracle_sees_planted_errors() -> None:
    """Guards the guard: the cases hold row errors of many kinds, so agreeing means something."""
    types = set()
    for folder in casekit.case_folders("data"):
        spec_path = casekit.spec_file(folder)
        assert spec_path is not None
        types |= {t for _, t, _ in predict(spec_path, _options(folder)).rows}
    assert len(types) >= 6, types
