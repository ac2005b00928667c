"""The library's entry points: one function per command that reads specs.

    load_spec    -> Loaded (the resolved Spec, or None, and the diagnostics of loading)
    compile_spec -> the importRequest dict (or None) and diagnostics
    lint         -> Result: loading, the request schema, the catalog, mapping rules, headers
    check        -> Result: lint, then every data row
    spec_problem -> why a spec path cannot be read (readable_spec, readable_specs use it)

`check_spec` is the one place where the checks of `check` are put together, for one spec
already loaded: `check` runs it on every spec it is given, and the sandbox on every upload,
so the sandbox reports what `specc check` predicts. compile_loaded and lint_one do the same
as compile_spec and lint for a spec already loaded, check_one as check.

Nothing here prints; the CLI renders the Result.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from specc.diagnostics import Diagnostic, Result
from specc.errors import InputError
from specc.findings import Allowed, Findings
from specc.run import Loaded, Options
from specc.spec.model import Spec

if TYPE_CHECKING:
    from specc.catalog.model import Catalog
    from specc.data.check import RowsCheck


def spec_problem(path: Path) -> InputError | None:
    """Why the spec at `path` cannot be read (a missing one with its likely name), or None."""
    if not path.exists():
        from specc.inputs import near_match

        return InputError(f"{path}: no such file", hint=near_match(path))
    if not path.is_file():
        return InputError(f"{path}: not a file", hint="give the spec file itself")
    if not os.access(path, os.R_OK):
        return InputError(f"{path}: permission denied")
    return None


def readable_spec(path: Path) -> Path:
    """`path`, checked to be a readable spec file (else the InputError that names it)."""
    problem = spec_problem(path)
    if problem is not None:
        raise problem
    return path


def readable_specs(paths: Iterable[Path]) -> tuple[list[Path], list[InputError]]:
    """The specs that can be read, and why each of the others cannot: one mistyped name among
    the files pre-commit passes hides nothing about the others."""
    readable: list[Path] = []
    problems: list[InputError] = []
    for path in paths:
        problem = spec_problem(path)
        if problem is None:
            readable.append(path)
        else:
            problems.append(problem)
    return readable, problems


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
    take_loaded(result, loaded)
    if loaded.spec is None or loaded.has_errors:
        return None, result
    request = compile_request(loaded.spec)
    result.extend(Allowed.of(loaded.spec).keep(validate_request(request, loaded.spec)))
    if result.errors:
        return None, result
    return request, result


def lint(paths: list[Path], options: Options) -> Result:
    result = Result()
    for path in paths:
        _lint_into(result, load_spec(path, options))
    return result


def lint_spec(path: Path, options: Options) -> tuple[Spec | None, Result]:
    """Load and lint one spec: the spec (None when it did not load) and lint's result, as
    `plan` needs them before it reads the account."""
    loaded = load_spec(path, options)
    return loaded.spec, lint_one(loaded)


def lint_one(loaded: Loaded) -> Result:
    """lint of one spec already loaded."""
    result = Result()
    _lint_into(result, loaded)
    return result


def check_one(loaded: Loaded, options: Options, *, rows: RowsCheck | None = None) -> Result:
    """check of one spec already loaded (`import` checks the rows it is about to send;
    `fix` gives `rows`, see `check_spec`)."""
    result = Result()
    take_loaded(result, loaded)
    if loaded.spec is not None:
        result.files += len(loaded.spec.files)
        _add(result, check_spec(loaded.spec, options, rows=rows))
    return result


def _lint_into(result: Result, loaded: Loaded) -> None:
    take_loaded(result, loaded)
    if loaded.spec is not None:
        result.files += len(loaded.spec.files)
        findings = Findings.of(loaded.spec)
        findings.add(lint_loaded(loaded.spec))
        _add(result, findings)


def lint_loaded(spec: Spec) -> list[Diagnostic]:
    """Every check that reads no data rows, on a spec that loaded, before its `allow`s."""
    return static_checks(spec)[1]


def static_checks(spec: Spec, catalog: Catalog | None = None) -> tuple[Catalog, list[Diagnostic]]:
    """Every check that reads no data rows, and the catalog they used: the spec's own, or
    `catalog` when one is given."""
    from specc.catalog.load import load_catalog
    from specc.compiler import compile_request, validate_request
    from specc.rules import check_headers, check_mapping

    found = validate_request(compile_request(spec), spec)
    if catalog is None:
        catalog, catalog_diagnostics = load_catalog(spec)
        found.extend(catalog_diagnostics)
    found.extend(check_mapping(spec, catalog))
    found.extend(check_headers(spec))
    return catalog, found


def check(paths: list[Path], options: Options) -> Result:
    """lint, then every data row of every file of every spec (the rows that fail written
    into `options.rejects`, made if missing)."""
    if options.rejects is not None:
        try:
            options.rejects.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"cannot create {options.rejects}: {exc.strerror or exc}") from exc
    result = Result()
    for path in paths:
        loaded = load_spec(path, options)
        take_loaded(result, loaded)
        if loaded.spec is None:
            continue
        result.files += len(loaded.spec.files)
        _add(result, check_spec(loaded.spec, options))
    return result


def check_spec(
    spec: Spec,
    options: Options,
    *,
    catalog: Catalog | None = None,
    rows: RowsCheck | None = None,
) -> Findings:
    """Every check `specc check` runs on one loaded spec: the request schema, the catalog,
    the mapping rules and the headers, then every data row; the spec's `allow`s applied and
    the row errors counted by type.

    `catalog`: check against it instead of the spec's `catalog:` (the sandbox checks uploads
    against the catalog it serves, as HubSpot checks them against the account's properties).
    `rows`: how the rows are checked, `specc.data.check.check_rows` unless given (`fix`
    gives the rows it checked while writing the copies).
    """
    from specc.data.check import check_rows

    catalog, linted = static_checks(spec, catalog)
    findings = Findings.of(spec)
    findings.add(linted)
    # The header errors, even those the spec allows, decide which files' rows can be read.
    checked = (rows or check_rows)(spec, catalog, options, linted)
    findings.add(checked.diagnostics)
    findings.rows_checked = checked.rows_checked
    findings.errors_by_type.update(checked.counts_by_error_type)
    return findings


def take_loaded(result: Result, loaded: Loaded) -> None:
    """Into `result`: the spec's source, and the diagnostics of loading it (those its
    `allow`s keep, once it loaded)."""
    result.sources[str(loaded.path)] = loaded.text
    if loaded.spec is None:
        result.extend(loaded.diagnostics)
    else:
        result.extend(Allowed.of(loaded.spec).keep(loaded.diagnostics))


def _add(result: Result, findings: Findings) -> None:
    result.extend(findings.diagnostics)
    result.rows_checked += findings.rows_checked
    result.errors_by_type.update(findings.errors_by_type)
