"""The sandbox and `specc check` agree: what check predicts is what the sandbox's import reports.

Every spec in examples/ is compiled by specc and uploaded; it must end DONE without errors. A
spec with planted errors must give the same (errorType, line) pairs both ways.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import httpx
import pytest
from sandbox_support import AUTH

from specc.pipeline import Options, check, compile_spec, load_spec
from specc.sandbox import SandboxServer, Timing, load_catalog_file, serve

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SPECS = sorted(p for p in EXAMPLES.glob("*/spec.*") if p.suffix in (".yaml", ".toml"))


def import_spec(spec_path: Path, options: Options) -> tuple[SandboxServer, str]:
    request, result = compile_spec(spec_path, options)
    assert request is not None, [d.message for d in result.diagnostics]
    loaded = load_spec(spec_path, options)
    assert loaded.spec is not None
    catalog_path = loaded.spec.catalog_path
    server = serve(
        catalog=load_catalog_file(catalog_path) if catalog_path else None, timing=Timing(0, 0)
    )
    files = [("files", (f.file_name, f.path.read_bytes(), "text/csv")) for f in loaded.spec.files]
    response = httpx.post(
        f"{server.base_url}/crm/v3/imports",
        headers=AUTH,
        data={"importRequest": json.dumps(request)},
        files=files,
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return server, response.json()["id"]


@pytest.mark.parametrize("spec_path", SPECS, ids=[p.parent.name for p in SPECS])
def test_every_example_imports_without_errors(spec_path: Path) -> None:
    server, import_id = import_spec(spec_path, Options(cwd=spec_path.parent))
    try:
        record = server.wait(import_id)
        assert record.state == "DONE", record.failure
        assert [(e.error_type, e.line, e.message) for e in record.errors] == []
        assert record.counters["TOTAL_ROWS"] > 0
        assert record.counters["UNIQUE_OBJECTS_WRITTEN"] > 0
    finally:
        server.shutdown()


def test_planted_errors_are_reported_alike(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(
        textwrap.dedent(
            """
            specc: 1
            name: Planted errors
            date_format: YEAR_MONTH_DAY
            operations:
              contacts: create
            files:
              - path: leads.csv
                object: contacts
                columns:
                  Email: {property: email, id: true}
                  First name: firstname
                  Employees: followercount
                  Birthday: hs_job_change_detected_date
            """
        ),
        encoding="utf-8",
    )
    (tmp_path / "leads.csv").write_text(
        "Email,First name,Employees,Birthday\n"
        "ada@example.com,Ada,10,1815-12-10\n"
        "not-an-email,Alan,12,1912-06-23\n"
        "grace@example.com,Grace,many,1906-12-09\n"
        "ada@example.com,Ada again,3,1815-12-10\n"
        "linus@example.com,Linus,4,1969-13-28\n",
        encoding="utf-8",
    )
    options = Options(cwd=tmp_path)
    predicted = check([tmp_path / "spec.yaml"], options)
    expected: list[tuple[Any, ...]] = sorted(
        (d.hubspot_error, d.data.line if d.data else 0)
        for d in predicted.diagnostics
        if d.severity.value == "error" and d.hubspot_error
    )
    assert len(expected) >= 4, predicted.diagnostics  # the planted ones at least
    server, import_id = import_spec(tmp_path / "spec.yaml", options)
    try:
        record = server.wait(import_id)
        assert record.state == "DONE", record.failure
        assert sorted((e.error_type, e.line) for e in record.errors) == expected
    finally:
        server.shutdown()
