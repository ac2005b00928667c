"""Case folders: tests/cases/<stage>/<case>/, one format for every stage.

A case folder holds its inputs, written by hand, and its expectations, written by
`python tools/regen_golden.py` and never by hand (review the diff before committing):

    inputs            spec.yaml or spec.toml, data files, snapshot.json (catalog), options.json
                      (spec: vars, environ, data_roots, now), checks.json (rules `ok-*`: the codes
                      the clean case exercises), sheets.json (data: what data.xlsx holds)
    expected.json     {"diagnostics": [...], ...}: every diagnostic the stage reports, and the
                      stage's other facts ("loaded" for a catalog, "rejects" for a check)
    expected-*        the stage's other output, byte for byte: expected-request.json (a spec
                      that compiles), expected-rejects.csv / .json (rows `check` rejects;
                      a spreadsheet's as the cells calamine reads back)

Each stage runs its case through specc's real entry point and pins what that stage locates:

    spec      compile_spec              code, severity, line, column (in the spec)
    rules     lint                      code, severity, hubspot_error, spec "line:col",
                                        data "file:line:column"
    catalog   load_snapshot             code, severity, line, column (in snapshot.json)
    data      check (with --rejects)    code, line, column (the data line and column)
    fix       fix_spec                  every change (line, column, before, after, rule) and
                                        what check of the copy reports (code, line, column);
                                        expected-<copy>: each fixed copy, byte for byte (a
                                        workbook's as expected-<copy>.json, its cells as
                                        calamine reads them back)

`expected_files(folder)` is what a folder must hold; tests/test_case_folders.py compares it
with the folder, tools/regen_golden.py writes it. Drop a folder in, run the tool, and it is
tested.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from specc.catalog.snapshot import load_snapshot
from specc.compiler import request_json
from specc.diagnostics import Diagnostic
from specc.pipeline import check, compile_spec, lint
from specc.run import Options

CASES = Path(__file__).resolve().parent / "cases"
SPEC_NAMES = ("spec.yaml", "spec.toml")
EXPECTED = "expected"  # every file whose name starts so is written by regen_golden
CASE_NOW = "2026-11-29T10:00:00Z"


def spec_file(folder: Path) -> Path | None:
    return next((folder / n for n in SPEC_NAMES if (folder / n).is_file()), None)


def _folders(stage: str) -> list[Path]:
    root = CASES / stage
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("_"))


def case_folders(stage: str | None = None) -> list[Path]:
    """Every case folder of a stage (or of all stages), in a stable order."""
    stages = [stage] if stage is not None else list(STAGES)
    return [folder for name in stages for folder in _folders(name)]


def stage_of(folder: Path) -> str:
    return folder.resolve().parent.name


def expected_files(folder: Path) -> dict[str, bytes]:
    """Every expected-* file the case folder must hold, by name, as specc produces it now."""
    return STAGES[stage_of(folder)](folder)


def written_files(folder: Path) -> dict[str, bytes]:
    """The expected-* files the folder holds now."""
    return {
        p.name: p.read_bytes()
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name.startswith(EXPECTED)
    }


def layout(document: dict[str, Any]) -> bytes:
    """expected.json as every stage writes it: one key per line, one diagnostic per line."""
    parts = []
    for key, value in document.items():
        if key == "diagnostics" and value:
            rows = ",\n".join("  " + json.dumps(d, ensure_ascii=False) for d in value)
            text = f"[\n{rows}\n ]"
        else:
            text = json.dumps(value, ensure_ascii=False)
        parts.append(f"{json.dumps(key)}: {text}")
    return ("{" + ",\n ".join(parts) + "}\n").encode("utf-8")


def read_expected(folder: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((folder / "expected.json").read_text("utf-8"))
    return document


# --- spec: tests/cases/spec/ -----------------------------------------------------------------


def spec_options(folder: Path) -> Options:
    """options.json may give vars, environ, data_roots (relative to the case) and now."""
    extra: dict[str, Any] = {}
    path = folder / "options.json"
    if path.is_file():
        extra = json.loads(path.read_text("utf-8"))
    now = extra.get("now", CASE_NOW).replace("Z", "+00:00")
    return Options(
        vars=extra.get("vars", {}),
        environ=extra.get("environ", {}),
        data_roots=tuple(Path(r) for r in extra.get("data_roots", ())),
        cwd=folder,
        now=datetime.fromisoformat(now),
    )


def run_spec_case(folder: Path) -> tuple[list[dict[str, Any]], str | None]:
    """The case's diagnostics (code, severity, line, column) and its request JSON, if any."""
    spec = spec_file(folder)
    assert spec is not None, f"{folder} has no spec.yaml or spec.toml"
    request, result = compile_spec(Path(spec.name), spec_options(folder))
    found = sorted(
        (
            {
                "code": d.code,
                "severity": d.severity.value,
                "line": d.spec.line if d.spec else None,
                "column": d.spec.column if d.spec else None,
            }
            for d in result.diagnostics
        ),
        key=lambda d: (d["line"] or 0, d["column"] or 0, d["code"]),
    )
    return found, None if request is None else request_json(request)


def _spec_stage(folder: Path) -> dict[str, bytes]:
    found, request = run_spec_case(folder)
    files = {"expected.json": layout({"diagnostics": found})}
    if request is not None:
        files["expected-request.json"] = request.encode("utf-8")
    return files


# --- rules: tests/cases/rules/ ---------------------------------------------------------------


def run_rule_case(folder: Path) -> list[Diagnostic]:
    """lint's diagnostics for the case's spec, in the library's stable order."""
    spec = spec_file(folder)
    assert spec is not None, f"{folder} has no spec.yaml or spec.toml"
    return lint([spec], Options(cwd=folder, environ={})).sorted()


def rule_shape(d: Diagnostic) -> dict[str, Any]:
    return {
        "code": d.code,
        "severity": d.severity.value,
        "hubspot_error": d.hubspot_error,
        "spec": f"{d.spec.line}:{d.spec.column}" if d.spec else None,
        "data": None
        if d.data is None
        else f"{d.data.file}:{d.data.line or ''}:{d.data.column or ''}",
    }


def _rules_stage(folder: Path) -> dict[str, bytes]:
    found = [rule_shape(d) for d in run_rule_case(folder)]
    return {"expected.json": layout({"diagnostics": found})}


# --- catalog: tests/cases/catalog/ -----------------------------------------------------------


def _catalog_stage(folder: Path) -> dict[str, bytes]:
    catalog, found = load_snapshot(folder / "snapshot.json", "snapshot.json")
    diagnostics = [
        {
            "code": d.code,
            "severity": d.severity.value,
            "line": d.spec.line if d.spec else None,
            "column": d.spec.column if d.spec else None,
        }
        for d in found
    ]
    return {"expected.json": layout({"diagnostics": diagnostics, "loaded": catalog is not None})}


# --- data: tests/cases/data/ -----------------------------------------------------------------

# The data cases share one catalog snapshot, catalog.json beside the folders: a data root.
DATA_ROOTS = (CASES / "data",)


def data_options(folder: Path, rejects: Path | None = None) -> Options:
    return Options(cwd=folder, data_roots=DATA_ROOTS, environ={}, rejects=rejects)


def data_shape(d: Diagnostic) -> dict[str, Any]:
    return {
        "code": d.code,
        "line": d.data.line if d.data is not None else None,
        "column": d.data.column if d.data is not None else None,
    }


def _data_order(shape: dict[str, Any]) -> tuple[bool, int, str, str]:
    # By data line (whole-file findings last), then code and column: the file read downwards.
    return (shape["line"] is None, shape["line"] or 0, shape["code"], shape["column"] or "")


def sheet_cells(path: Path) -> list[list[list[Any]]]:
    """Every sheet's rows as calamine reads them, dates as {"date": ...} (as sheets.json)."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return [
        [[_json_cell(c) for c in row] for row in book.get_sheet_by_index(index).iter_rows()]
        for index in range(len(book.sheet_names))
    ]


def _json_cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return value


def _data_stage(folder: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="specc-case-") as tmp:
        rejects = Path(tmp) / "rejects"
        result = check([folder / "spec.yaml"], data_options(folder, rejects))
        written = sorted(rejects.iterdir()) if rejects.is_dir() else []
        assert len(written) <= 1, f"{folder.name}: keep rejects to one data file per case"
        document: dict[str, Any] = {
            "diagnostics": sorted((data_shape(d) for d in result.diagnostics), key=_data_order)
        }
        for path in written:
            if path.suffix.lower() in {".xlsx", ".xls"}:
                # A workbook's bytes hold timestamps; its cells are what a reader sees.
                (sheet,) = sheet_cells(path)
                golden = "expected-rejects.json"
                rows = ",\n".join(" " + json.dumps(row, ensure_ascii=False) for row in sheet)
                files[golden] = f"[\n{rows}\n]\n".encode()
            else:
                golden = f"expected-rejects{path.suffix}"
                files[golden] = path.read_bytes()
            document["rejects"] = {path.name: golden}
    files["expected.json"] = layout(document)
    return files


# --- fix: tests/cases/fix/ -------------------------------------------------------------------

# The fix cases share a catalog snapshot, catalog.json beside the folders: a data root.
FIX_ROOTS = (CASES / "fix",)


def _fix_stage(folder: Path) -> dict[str, bytes]:
    from specc.fix import fix_spec

    files: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="specc-fix-case-") as tmp:
        out = Path(tmp) / "out"
        options = Options(cwd=folder, data_roots=FIX_ROOTS, environ={})
        fixed = fix_spec(folder / "spec.yaml", out, options)
        try:
            changes = [
                {
                    "file": Path(c.file).name,
                    "line": c.line,
                    "column": c.column,
                    "before": c.before,
                    "after": c.after,
                    "rule": c.rule,
                }
                for c in fixed.changes
            ]
        finally:
            fixed.changes.close()
        left = sorted((data_shape(d) for d in fixed.left.diagnostics), key=_data_order)
        files["expected.json"] = _fix_layout(changes, left)
        for path in sorted(out.iterdir()):
            if path.name == "spec.yaml":
                continue
            if path.suffix.lower() in {".xlsx", ".xls"}:
                (sheet,) = sheet_cells(path)
                rows = ",\n".join(" " + json.dumps(row, ensure_ascii=False) for row in sheet)
                files[f"expected-{path.name}.json"] = f"[\n{rows}\n]\n".encode()
            else:
                files[f"expected-{path.name}"] = path.read_bytes()
    return files


def _fix_layout(changes: list[dict[str, Any]], left: list[dict[str, Any]]) -> bytes:
    """expected.json of a fix case: one change, one diagnostic per line."""
    parts = []
    for key, rows in (("changes", changes), ("left", left)):
        inner = ",\n".join("  " + json.dumps(row, ensure_ascii=False) for row in rows)
        parts.append(f"{json.dumps(key)}: " + (f"[\n{inner}\n ]" if rows else "[]"))
    return ("{" + ",\n ".join(parts) + "}\n").encode("utf-8")


STAGES: dict[str, Callable[[Path], dict[str, bytes]]] = {
    "spec": _spec_stage,
    "rules": _rules_stage,
    "catalog": _catalog_stage,
    "data": _data_stage,
    "fix": _fix_stage,
}
