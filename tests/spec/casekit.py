"""Running a spec case folder: tests/cases/spec/<name>/ (shared by the case test and regen)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from specc.compiler import request_json
from specc.pipeline import Options, compile_spec

CASES = Path(__file__).resolve().parent.parent / "cases" / "spec"


def case_folders() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.is_dir() and spec_file(p) is not None)


def spec_file(folder: Path) -> Path | None:
    return next((p for p in sorted(folder.iterdir()) if p.name.startswith("spec.")), None)


def case_options(folder: Path) -> Options:
    """options.json may give vars, environ, data_roots (relative to the case) and now."""
    extra: dict[str, Any] = {}
    path = folder / "options.json"
    if path.is_file():
        extra = json.loads(path.read_text("utf-8"))
    now = extra.get("now", "2026-11-29T10:00:00Z").replace("Z", "+00:00")
    return Options(
        vars=extra.get("vars", {}),
        environ=extra.get("environ", {}),
        data_roots=tuple(Path(r) for r in extra.get("data_roots", ())),
        cwd=folder,
        now=datetime.fromisoformat(now),
    )


def run_case(folder: Path) -> tuple[list[dict[str, Any]], str | None]:
    """The case's diagnostics (code, severity, line, column) and its request JSON, if any."""
    spec = spec_file(folder)
    assert spec is not None
    request, result = compile_spec(Path(spec.name), case_options(folder))
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
