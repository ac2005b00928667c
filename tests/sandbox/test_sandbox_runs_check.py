"""The sandbox runs exactly the checks `specc check` runs, on every example.

Each example is uploaded to a real sandbox (over HTTP, as `specc import` would) as shipped,
with mistakes planted in its rows, and with a header that no longer matches; the checks the
sandbox ran on the upload (caught on their way to becoming row errors) must find what
`specc check` finds in the same files: the same codes, severities, messages and hints at the
same data places. Only the spec places differ by design: check points into the spec file, the
sandbox into the importRequest it received.

`check` is given no row limit and no --max-errors cut, as HubSpot has none.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sandbox_support import AUTH

import specc.sandbox.imports as sandbox_imports
from specc.diagnostics import Diagnostic, Severity
from specc.pipeline import check, compile_spec, load_spec
from specc.run import Options
from specc.sandbox import Timing, load_catalog_file, serve

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p.parent for p in (ROOT / "examples").glob("*/spec.*"))
Rows = list[list[str]]


def _xlsx_tool() -> Any:
    """tools/xlsx_writer: it wrote the examples' spreadsheets and knows their rows."""
    spec = importlib.util.spec_from_file_location("xlsx_writer", ROOT / "tools" / "xlsx_writer.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


XLSX = _xlsx_tool()


def read_rows(path: Path, example: str) -> Rows:
    if path.suffix.lower() == ".xlsx":
        return [list(row) for row in XLSX.SPREADSHEETS[f"{example}/{path.name}"]]
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def write_rows(path: Path, rows: Rows) -> None:
    if path.suffix.lower() == ".xlsx":
        XLSX.write_xlsx(path, rows)
        return
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")


def as_shipped(rows: Rows) -> Rows:
    return rows


def mistakes_in_rows(rows: Rows) -> Rows:
    """A value no typed column accepts, a repeated row, a row a cell short, a blank row."""
    header, first = rows[0], rows[1]
    return [*rows, ["?not valid?"] * len(header), first, first[:-1], [""] * len(header)]


def header_changed(rows: Rows) -> Rows:
    """The first column renamed: the header no longer pairs with the spec's columns."""
    return [["Not in the spec", *rows[0][1:]], *rows[1:]]


VARIANTS: dict[str, Callable[[Rows], Rows]] = {
    "as shipped": as_shipped,
    "mistakes in rows": mistakes_in_rows,
    "header changed": header_changed,
}


@pytest.fixture
def sandbox_checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[Diagnostic]]]:
    """What the sandbox's checks return, import by import, on their way to row errors."""
    seen: list[list[Diagnostic]] = []
    real = sandbox_imports.run_checks

    def spy(*args: Any) -> list[Diagnostic]:
        found = real(*args)
        seen.append(found)
        return found

    monkeypatch.setattr(sandbox_imports, "run_checks", spy)
    yield seen


def comparable(d: Diagnostic) -> tuple[Any, ...]:
    data = None if d.data is None else (d.data.file, d.data.line, d.data.column, d.data.value)
    return (d.code, d.severity.value, d.hubspot_error, d.message, d.hint, data)


def planted(folder: Path, work: Path, variant: Callable[[Rows], Rows]) -> Path:
    """A copy of the example with the variant applied to each of its data files."""
    shutil.copytree(folder, work)
    spec_path = next(work.glob("spec.*"))
    loaded = load_spec(spec_path, Options(cwd=work, environ={}))
    assert loaded.spec is not None, loaded.diagnostics
    for data_file in loaded.spec.files:
        write_rows(data_file.path, variant(read_rows(data_file.path, folder.name)))
    return spec_path


# Where they disagree today, and why; strict: each fails the suite once fixed.
DISAGREE: dict[tuple[str, str], str] = {}


def _cases() -> list[Any]:
    return [
        pytest.param(
            folder,
            variant,
            id=f"{folder.name}-{variant.replace(' ', '-')}",
            marks=[pytest.mark.xfail(reason=reason, strict=True)]
            if (reason := DISAGREE.get((folder.name, variant)))
            else [],
        )
        for folder in EXAMPLES
        for variant in VARIANTS
    ]


def check_and_sandbox(
    spec_path: Path, seen: list[list[Diagnostic]]
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """What `specc check` finds in a spec's files, and what the sandbox's checks find when the
    spec's request and files are uploaded to it."""
    work = spec_path.parent
    options = Options(cwd=work, environ={}, rows=sys.maxsize, max_errors=sys.maxsize)
    checked = check([spec_path], options)
    request, compiled = compile_spec(spec_path, options)
    assert request is not None, [d.message for d in compiled.diagnostics]
    spec = load_spec(spec_path, options).spec
    assert spec is not None

    catalog = load_catalog_file(spec.catalog_path) if spec.catalog_path else None
    with serve(catalog=catalog, timing=Timing(0, 0)) as server:
        response = httpx.post(
            f"{server.base_url}/crm/v3/imports",
            headers=AUTH,
            data={"importRequest": json.dumps(request)},
            files=[
                ("files", (f.file_name, f.path.read_bytes(), "application/octet-stream"))
                for f in spec.files
            ],
            timeout=10,
        )
        assert response.status_code == 200, response.text
        record = server.wait(response.json()["id"])
    assert record.state in ("DONE", "FAILED"), record.failure
    (ran,) = seen
    return checked.diagnostics, ran


@pytest.mark.parametrize(("folder", "variant"), _cases())
def test_the_sandbox_finds_what_check_finds(
    folder: Path, variant: str, tmp_path: Path, sandbox_checks: list[list[Diagnostic]]
) -> None:
    spec_path = planted(folder, tmp_path / folder.name, VARIANTS[variant])
    checked, ran = check_and_sandbox(spec_path, sandbox_checks)
    expected = sorted(comparable(d) for d in checked)
    assert sorted(comparable(d) for d in ran) == expected
    if variant != "as shipped":
        # the planted mistakes were found, so agreeing means something
        assert any(d.severity.value == "error" for d in checked), expected


def test_the_sandbox_runs_the_request_schema_check_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sandbox_checks: list[list[Diagnostic]]
) -> None:
    """The examples' requests all pass the schema (the sandbox refuses those that do not,
    before any check runs), so a finding of the schema check is planted: it must reach the
    sandbox's checks as it reaches check's."""
    import specc.compiler
    from specc.codes import spec as spec_codes

    real = specc.compiler.validate_request

    def planted_schema_finding(request: dict[str, Any], spec: Any) -> list[Diagnostic]:
        note = spec_codes.REQUEST_SCHEMA.at(
            "planted", spec=spec.where("/name"), severity=Severity.WARNING
        )
        return [*real(request, spec), note]

    monkeypatch.setattr(specc.compiler, "validate_request", planted_schema_finding)
    spec_path = planted(EXAMPLES[0], tmp_path / "example", as_shipped)
    checked, ran = check_and_sandbox(spec_path, sandbox_checks)
    assert [d.message for d in checked] == ["planted"]
    assert sorted(comparable(d) for d in ran) == sorted(comparable(d) for d in checked)
