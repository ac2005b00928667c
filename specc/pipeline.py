"""The library's entry points: one function per command that reads specs.

    load_spec  -> Loaded (the resolved Spec, or None, and the diagnostics of loading)
    compile_spec -> the importRequest dict (or None) and diagnostics
    lint       -> Result: structure, catalog, request schema, data headers
    check      -> Result: lint, then every data row

compile_loaded and lint_one do the same for a spec already loaded.

Nothing here prints; the CLI renders the Result.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from specc.diagnostics import Diagnostic, Result, Severity
from specc.spec.model import Spec

if TYPE_CHECKING:
    from specc.catalog.model import Catalog

# Called as progress(file_shown_path, bytes_done, bytes_total) while data rows are checked.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Options:
    vars: Mapping[str, str] = field(default_factory=dict)  # --var NAME=VALUE
    data_roots: tuple[Path, ...] = ()  # --data-root, besides the working directory
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    cwd: Path = field(default_factory=Path.cwd)
    now: datetime | None = None  # None: SOURCE_DATE_EPOCH, else the clock
    rows: int | None = None  # --rows
    max_errors: int | None = None  # --max-errors
    rejects: Path | None = None  # --rejects DIR
    progress: Progress | None = None

    def clock(self) -> datetime:
        if self.now is not None:
            return self.now
        epoch = self.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch.isdigit():
            return datetime.fromtimestamp(int(epoch), UTC)
        return datetime.now(UTC)


@dataclass
class Loaded:
    path: Path
    text: str  # the spec file's text ("" when unreadable), for carets in reports
    spec: Spec | None
    diagnostics: list[Diagnostic]

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


def load_spec(path: Path, options: Options) -> Loaded:
    from specc.spec.resolve import load_and_resolve

    return load_and_resolve(path, options)


def compile_spec(path: Path, options: Options) -> tuple[dict[str, Any] | None, Result]:
    """The importRequest of one spec; None when the spec has errors."""
    return compile_loaded(load_spec(path, options))


def compile_loaded(loaded: Loaded) -> tuple[dict[str, Any] | None, Result]:
    """compile_spec of a spec already loaded (so `import` loads it once for lint and compile)."""
    from specc.compiler import compile_request, validate_request

    result = Result()
    _take(result, loaded)
    if loaded.spec is None or loaded.has_errors:
        return None, result
    request = compile_request(loaded.spec)
    result.extend(_suppress(loaded.spec, validate_request(request, loaded.spec)))
    if result.errors:
        return None, result
    return request, result


def lint(paths: list[Path], options: Options) -> Result:
    result = Result()
    for path in paths:
        _lint_into(result, load_spec(path, options))
    return result


def lint_one(loaded: Loaded) -> Result:
    """lint of one spec already loaded."""
    result = Result()
    _lint_into(result, loaded)
    return result


def _lint_into(result: Result, loaded: Loaded) -> None:
    _take(result, loaded)
    if loaded.spec is not None:
        result.files += len(loaded.spec.files)
        _, found = _static_checks(loaded.spec)
        result.extend(_suppress(loaded.spec, found))


def lint_loaded(spec: Spec) -> list[Diagnostic]:
    """Every check that reads no data rows, on a spec that loaded."""
    return _static_checks(spec)[1]


def _static_checks(spec: Spec) -> tuple[Catalog, list[Diagnostic]]:
    """Every check that reads no data rows, on a spec that loaded; and the catalog it used."""
    from specc.catalog.load import load_catalog
    from specc.compiler import compile_request, validate_request
    from specc.rules import check_headers, check_mapping

    found = validate_request(compile_request(spec), spec)
    catalog, catalog_diagnostics = load_catalog(spec)
    found.extend(catalog_diagnostics)
    found.extend(check_mapping(spec, catalog))
    found.extend(check_headers(spec))
    return catalog, found


def check(paths: list[Path], options: Options) -> Result:
    """lint, then every data row of every file of every spec."""
    from specc.data.check import check_rows

    result = Result()
    for path in paths:
        loaded = load_spec(path, options)
        _take(result, loaded)
        if loaded.spec is None:
            continue
        spec = loaded.spec
        result.files += len(spec.files)
        catalog, linted = _static_checks(spec)
        result.extend(_suppress(spec, linted))
        rows = check_rows(spec, catalog, options, linted)
        result.rows_checked += rows.rows_checked
        for key, count in rows.counts_by_error_type.items():
            result.errors_by_type[key] = result.errors_by_type.get(key, 0) + count
        result.extend(_suppress(spec, rows.diagnostics))
    return result


def _take(result: Result, loaded: Loaded) -> None:
    result.sources[str(loaded.path)] = loaded.text
    if loaded.spec is None:
        result.extend(loaded.diagnostics)
    else:
        result.extend(_suppress(loaded.spec, loaded.diagnostics))


def _suppress(spec: Spec, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Drop codes the spec allows, spec-wide (`checks.allow`) or per column (`allow:`)."""
    by_column = {c.pointer: c.allow for _, c in spec.columns() if c.allow}
    kept = []
    for d in diagnostics:
        if d.code in spec.checks.allow:
            continue
        pointer = d.spec.pointer if d.spec else ""
        if any(
            (pointer == p or pointer.startswith(p + "/")) and d.code in allow
            for p, allow in by_column.items()
        ):
            continue
        kept.append(d)
    return kept
