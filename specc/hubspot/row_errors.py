"""HubSpot's row errors (`GET /imports/{id}/errors`) turned into specc diagnostics.

Each error names a file only by HubSpot's `fileId` (or a sheet's `pageName`), a row by
`sourceData.lineNumber` (the header is line 1; 0 means the whole file) and a column by the
0-based `knownColumnNumber`. The import's own record lists its `fileIds` in upload order and
echoes the importRequest, so the file, its header names and, with the spec at hand, the
mapping's place in the spec can all be recovered.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from specc.diagnostics import DataLocation, Diagnostic, SpecLocation, shorten
from specc.errors import SpeccError
from specc.findings import ErrorCounts, ranked
from specc.spec.model import Spec

log = logging.getLogger(__name__)

# A cell's check, as `specc check` runs it on the column: text -> its problem, or None.
CellCheck = Callable[[str], Any]


@dataclass(frozen=True)
class FileLayout:
    """One uploaded file as far as error mapping needs it."""

    file_name: str  # the request's fileName
    shown_path: str
    columns: tuple[str, ...]  # header names, in order
    properties: tuple[str | None, ...] = ()  # each column's property, when it writes one
    has_header: bool = True
    csv: bool = True
    path: Path | None = None  # the local file, when known: lets lines become data rows
    spec_locations: tuple[SpecLocation | None, ...] = ()  # each column's mapping in the spec
    spec_location: SpecLocation | None = None  # the file's entry in the spec
    # Each column's cell check, as `check` runs it (with the spec): the row error then gets
    # the hint `check` gives for the same value.
    cell_checks: tuple[CellCheck | None, ...] = ()


def layouts_from_spec(spec: Spec) -> list[FileLayout]:
    checks = _cell_checks(spec)
    return [
        FileLayout(
            file_name=f.file_name,
            shown_path=f.shown_path,
            columns=tuple(c.name for c in f.columns),
            properties=tuple(c.property for c in f.columns),
            has_header=f.has_header,
            csv=f.format == "CSV",
            path=f.path,
            spec_locations=tuple(spec.where(c.pointer) for c in f.columns),
            spec_location=spec.where(f.pointer),
            cell_checks=checks[n],
        )
        for n, f in enumerate(spec.files)
    ]


def _cell_checks(spec: Spec) -> list[tuple[CellCheck | None, ...]]:
    """Per file, each column's cell check, built as `specc check` builds it for the column:
    the spec's catalog and date format, the identifier's column type."""
    from specc.catalog.load import load_catalog
    from specc.data.values import checker_for

    catalog, _ = load_catalog(spec)
    found = []
    for f in spec.files:
        checks: list[CellCheck | None] = []
        for c in f.columns:
            prop = (
                catalog.property(c.object_type_id, c.property)
                if c.is_property and c.object_type_id and c.property
                else None
            )
            if prop is None:
                checks.append(None)
                continue
            column_type = None
            if c.id:
                column_type = (
                    "HUBSPOT_OBJECT_ID" if c.property == "hs_object_id" else "HUBSPOT_ALTERNATE_ID"
                )
            checks.append(
                checker_for(
                    prop,
                    date_format=spec.date_format,
                    snapshot=catalog.is_snapshot,
                    column_type=column_type,
                    object_type_id=c.object_type_id,
                    catalog=catalog,
                )
            )
        found.append(tuple(checks))
    return found


def check_hint(
    layout: FileLayout | None, column: int | None, value: str | None, error_type: str
) -> str | None:
    """The hint `specc check` gives for `value` in the column, when its check finds the very
    error HubSpot reported (the same errorType); None otherwise."""
    if layout is None or column is None or value is None or not value.strip():
        return None
    if column >= len(layout.cell_checks) or layout.cell_checks[column] is None:
        return None
    check = layout.cell_checks[column]
    assert check is not None
    try:
        problem = check(value)
    except Exception:  # a hint is a courtesy: never let it cost the report
        return None
    if problem is None or problem.code.hubspot_error != error_type:
        return None
    hint = problem.hint
    return hint if isinstance(hint, str) and hint else None


def predicting_hint(error_type: str, meaning: str) -> str | None:
    """For an error no cell check reproduces (a repeated id, a row too long): the codes that
    predict it before an import, to look up with `specc explain`."""
    from specc.codes import all_codes

    codes = [c.code for c in all_codes() if c.hubspot_error == error_type]
    if not codes:
        return None
    return f"{meaning}; `specc explain {codes[0]}` says how to fix it"


def echoed_request(record: Mapping[str, Any]) -> Any:
    """The importRequest an import's record echoes (`importRequestJson`), parsed when HubSpot
    gives it as text; None when there is none (imports made in HubSpot's tool may have none).

    The text comes from the server, so it is read as any JSON specc is handed: within the
    bounds of a saved request (no nesting past 64 levels, no 4 MiB of it). Text beyond them
    is a malformed answer and says so (SpeccError, exit 2) rather than be guessed around.
    """
    from specc.diff import parse_echoed_request
    from specc.json_input import JsonRefused

    found = record.get("importRequestJson")
    if not isinstance(found, str):
        return found
    try:
        return parse_echoed_request(found)
    except JsonRefused as refused:
        raise SpeccError(
            f"could not map the row errors of import {shorten(str(record.get('id')), 40)} to "
            "its files: the importRequestJson in the server's answer is not JSON HubSpot "
            f"would send (it {refused.problem}, line {refused.line}, column {refused.column})",
            hint="check that --base-url points at HubSpot's API; with --spec SPEC the errors "
            "are mapped with the spec instead",
        ) from None


def layouts_from_request(request: Any) -> list[FileLayout]:
    """Layouts from the importRequest HubSpot echoes in the import's `importRequestJson`,
    as `echoed_request` parses it (none from anything but an object)."""
    if not isinstance(request, Mapping):
        return []
    layouts = []
    files = request.get("files")
    for item in files if isinstance(files, list) else []:
        if not isinstance(item, Mapping):
            continue
        page = item.get("fileImportPage")
        page = page if isinstance(page, Mapping) else {}
        listed = page.get("columnMappings")
        mappings = [m for m in listed if isinstance(m, Mapping)] if isinstance(listed, list) else []
        name = str(item.get("fileName") or "")
        layouts.append(
            FileLayout(
                file_name=name,
                shown_path=name,
                columns=tuple(str(m.get("columnName") or "") for m in mappings),
                properties=tuple(
                    p if isinstance(p := m.get("propertyName"), str) else None for m in mappings
                ),
                has_header=page.get("hasHeader", True) is not False,
                csv=item.get("fileFormat", "CSV") != "SPREADSHEET",
            )
        )
    return layouts


@cache
def error_meanings() -> dict[str, str]:
    """errorType -> a short meaning (hubspot-domain.md §7.5); unknown types are fine."""
    with resources.files("specc.hubspot").joinpath("data", "error_types.json").open("rb") as fh:
        meanings: dict[str, str] = json.load(fh)["errorTypes"]
    return meanings


def meaning_of(error_type: str) -> str:
    return error_meanings().get(error_type) or error_type.replace("_", " ").lower()


def pick_layout(
    error: Mapping[str, Any], layouts: Sequence[FileLayout], file_ids: Sequence[str]
) -> FileLayout | None:
    """The file an error belongs to: by fileId's place in the import's `fileIds`, else by
    sheet name, else the only file."""
    source = _source(error)
    file_id = source.get("fileId")
    if isinstance(file_id, int | str) and str(file_id) in file_ids:
        index = list(file_ids).index(str(file_id))
        if index < len(layouts):
            return layouts[index]
    page = source.get("pageName")
    if isinstance(page, str) and page:
        for layout in layouts:
            if page in (layout.file_name, Path(layout.file_name).stem):
                return layout
    return layouts[0] if len(layouts) == 1 else None


def column_index(error: Mapping[str, Any], layout: FileLayout | None) -> int | None:
    number = error.get("knownColumnNumber")
    if isinstance(number, int) and not isinstance(number, bool) and number >= 0:
        return number
    # No column number: HubSpot may still name the property the bad value was meant for.
    invalid = error.get("invalidPropertyValue")
    if layout is not None and isinstance(invalid, Mapping):
        name = invalid.get("name")
        if isinstance(name, str) and name and name in layout.properties:
            return layout.properties.index(name)
    return None


def error_value(error: Mapping[str, Any], column: int | None) -> str | None:
    for key in ("invalidValue", "invalidValueToDisplay"):
        value = error.get(key)
        if isinstance(value, str):
            return value
    row = _source(error).get("rowData")
    if column is not None and isinstance(row, list) and column < len(row):
        cell = row[column]
        return cell if isinstance(cell, str) else json.dumps(cell, ensure_ascii=False)
    return None


def rows_of_lines(path: Path, lines: Iterable[int], has_header: bool = True) -> dict[int, int]:
    """line -> 1-based data row of a CSV file: the data row that starts on that line, as
    `specc check` numbers them (empty lines are no rows).

    A quoted cell may hold line breaks, so line and row only agree until the first such
    cell; reading the file is the only way to know. Stops once every wanted line is found.
    """
    from specc.inputs import InputRefused
    from specc.tables.batch import FileProblem
    from specc.tables.header import HeaderProblem
    from specc.tables.table import Table

    wanted = set(lines)
    found: dict[int, int] = {}
    if not wanted:
        return found
    try:
        for item in Table(path, "CSV", has_header).rows(lenient=True):
            if isinstance(item, FileProblem):
                break
            if item.line in wanted:
                found[item.line] = item.row
                if len(found) == len(wanted):
                    break
    except (OSError, InputRefused, HeaderProblem) as exc:
        # The errors are still reported, by line; only their row numbers are missing.
        log.debug("rows of %s not numbered: %s", path, exc)
        return {}
    return found


def map_errors(
    errors: Sequence[Mapping[str, Any]],
    layouts: Sequence[FileLayout],
    file_ids: Sequence[str] = (),
) -> list[Diagnostic]:
    """One diagnostic per HubSpot error, pointing at its file, line, column and mapping.

    Sorted by error type, then file and line, so a report reads grouped by type.
    """
    from specc.codes import hubspot as codes

    wanted: dict[int, set[int]] = {}
    for error in errors:
        layout = pick_layout(error, layouts, file_ids)
        line = _line(error)
        if layout is not None and layout.csv and layout.path and line:
            wanted.setdefault(id(layout), set()).add(line)
    rows: dict[int, dict[int, int]] = {}
    for layout in layouts:
        if id(layout) in wanted and layout.path is not None:
            rows[id(layout)] = rows_of_lines(layout.path, wanted[id(layout)], layout.has_header)

    found = []
    for error in errors:
        raw_type = error.get("errorType")
        error_type = raw_type if isinstance(raw_type, str) and raw_type else "UNKNOWN_ERROR"
        layout = pick_layout(error, layouts, file_ids)
        line = _line(error)
        column = column_index(error, layout)
        value = error_value(error, column)
        column_name = None
        spec_at = layout.spec_location if layout else None
        if layout is not None and column is not None and column < len(layout.columns):
            column_name = layout.columns[column]
            if column < len(layout.spec_locations):
                spec_at = layout.spec_locations[column] or spec_at
        elif column is not None:
            column_name = f"column {column + 1}"
        file_shown = layout.shown_path if layout else _unknown_file(error)
        meaning = meaning_of(error_type)
        raw_message = error.get("errorMessage")
        said = (raw_message.strip() if isinstance(raw_message, str) else "") or meaning
        # The hint `check` gives for the same value, else where `specc explain` tells more,
        # else HubSpot's meaning of the type when its message did not say it.
        hint = (
            check_hint(layout, column, value, error_type)
            or predicting_hint(error_type, meaning)
            or (meaning if said != meaning else None)
        )
        if value is not None and value not in said:
            said += f': "{shorten(value, 80)}"'
        # The type leads: text reports do not show `hubspot_error` on their own.
        message = f"{error_type}: {said}"
        if not line:
            found.append(
                codes.FILE_ERROR.at(
                    f"{file_shown}: {message}",
                    hint=hint,
                    spec=layout.spec_location if layout else None,
                    data=DataLocation(file=file_shown),
                    hubspot_error=error_type,
                )
            )
            continue
        row = None
        if layout is not None:
            if id(layout) in rows:
                row = rows[id(layout)].get(line)
            elif not layout.csv:
                row = line - 1 if layout.has_header else line  # sheet rows never span lines
        found.append(
            codes.ROW_ERROR.at(
                message,
                hint=hint,
                spec=spec_at,
                data=DataLocation(
                    file=file_shown, line=line, row=row, column=column_name, value=value
                ),
                hubspot_error=error_type,
            )
        )
    found.sort(
        key=lambda d: (
            d.hubspot_error or "",
            d.data.file if d.data else "",
            (d.data.line or 0) if d.data else 0,
        )
    )
    return found


def _source(error: Mapping[str, Any]) -> Mapping[str, Any]:
    source = error.get("sourceData")
    return source if isinstance(source, Mapping) else {}


def _line(error: Mapping[str, Any]) -> int | None:
    value = _source(error).get("lineNumber")
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return None


def _unknown_file(error: Mapping[str, Any]) -> str:
    source = _source(error)
    if isinstance(source.get("pageName"), str) and source["pageName"]:
        return str(source["pageName"])
    return f"file {source.get('fileId', '?')}"


def counts_by_type(diagnostics: Iterable[Diagnostic]) -> list[tuple[str, int]]:
    """(errorType, how many), most frequent first: the summary above the report."""
    tally = ErrorCounts()
    for d in diagnostics:
        tally.error(d.code, d.hubspot_error)
    return ranked(tally)


def file_ids_of(record: Mapping[str, Any]) -> list[str]:
    metadata = record.get("metadata")
    ids = metadata.get("fileIds") if isinstance(metadata, Mapping) else None
    return [str(i) for i in ids] if isinstance(ids, list) else []


def layouts_for(record: Mapping[str, Any], spec: Spec | None) -> list[FileLayout]:
    """The best layouts available: the spec's (with locations), else the echoed request's."""
    if spec is not None:
        return layouts_from_spec(spec)
    return layouts_from_request(echoed_request(record))
