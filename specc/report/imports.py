"""HubSpot imports in words: the plan `specc import` shows before asking, why it sent
nothing, an import's state and counters (`status`, `imports`, `cancel`), the row errors
counted by type, and a line for each notable client event.

Plain text, one function per thing shown; the CLI decides where each line goes. Every value
that came from HubSpot's answers, the spec or a file name passes `visible` (printable, on one
line), so an escape sequence in it is shown, not obeyed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from specc.catalog.objects import object_label
from specc.codes import hubspot as codes
from specc.codes import rows as row_codes
from specc.diagnostics import Result, Severity
from specc.hubspot import events as ev
from specc.hubspot.row_errors import counts_by_type
from specc.hubspot.runner import counters_of
from specc.hubspot.split import PartRun, PartUpload, Split, parts_span
from specc.hubspot.upload import Upload
from specc.report.shared import plural
from specc.report.text import visible

# The diagnostics that stand for HubSpot's row errors (and errors of a whole file).
ROW_ERROR_CODES = frozenset({codes.ROW_ERROR.code, codes.FILE_ERROR.code})


def describe_plan(upload: Upload, imports_url: str, split: Split | None = None) -> str:
    """What `import` will send, asked about before it sends: the name, operations, files, and
    the parts of a file over HubSpot's per-file limits."""
    lines = [f'import "{visible(upload.name)}" to {visible(imports_url)}']
    if upload.operations:
        ops = ", ".join(
            f"{visible(object_label(o))} {visible(op)}"
            for o, op in sorted(upload.operations.items())
        )
    else:
        ops = "UPSERT (HubSpot's default) for every object"
    lines.append(f"  operations: {ops}")
    lines.append(f"  files ({len(upload.files)}):")
    for f in upload.files:
        obj = f" -> {visible(object_label(f.object_type_id))}" if f.object_type_id else ""
        lines.append(f"    {visible(f.shown_path)}: {human_size(f.size)}, {f.columns} columns{obj}")
    if split is not None and split.plan is not None and split.parts:
        plan, first = split.plan, split.parts[0]
        sent = f"sent as {first.count} imports, one after another"
        if first.number > 1:
            sent = (
                f"{sent}; {parts_span(first.number, first.count)} now "
                f"({parts_span(1, first.number - 1)} must be imported already: checked "
                "before sending)"
            )
        lines.append(
            f"  over HubSpot's per-file limits ({plan.rows:,} data rows, "
            f"{human_size(plan.size)}): {sent}:"
        )
        for part in split.parts:
            lines.append(f"    {describe_part(part)}")
    return "\n".join(lines)


def describe_part(part: PartUpload) -> str:
    """`part K of N: ROWS rows (lines A-B), SIZE`."""
    p = part.part
    (sent,) = part.upload.files
    return (
        f"part {part.number} of {part.count}: {_rows(p.rows)} from line "
        f"{p.first_line:,}, {human_size(sent.size)}"
    )


def import_started(import_id: str, sent: Upload | PartUpload) -> str:
    """The line `import` prints once HubSpot accepted the upload, or a part of it."""
    if isinstance(sent, PartUpload):
        name, rows = visible(sent.upload.name), _rows(sent.part.rows)
        return f'import {visible(import_id)}: "{name}" ({rows})'
    return f"import {visible(import_id)} started: {visible(sent.name)}"


def _rows(count: int) -> str:
    return f"{count:,} row" if count == 1 else f"{count:,} rows"


def parts_outcome(result: Result, runs: list[PartRun], totals: Mapping[str, int] | None) -> str:
    """What the text formats show above the diagnostics of a file sent in parts: each part's
    import, and once waited for, the totals and the row errors by type."""
    lines = [describe_parts_outcome(runs, totals or {})] if totals is not None else []
    groups = error_groups(result)
    if groups:
        lines.append(groups)
    return "\n".join(lines)


def parts_members(runs: list[PartRun], totals: Mapping[str, int] | None) -> dict[str, Any]:
    """The JSON document's members of a file sent in parts: every part's import (as
    `"import"` shows one) and, when waited for, the counters added up."""
    from specc.hubspot.workflow import import_summary

    members: dict[str, Any] = {"imports": [import_summary(run.record) for run in runs]}
    if totals is not None:
        members["totals"] = dict(totals)
    return members


def describe_parts_outcome(runs: list[PartRun], totals: Mapping[str, int]) -> str:
    """`import --wait` of a split file: each part's import, state and counters, then the
    counters of all parts added up."""
    lines = []
    for run in runs:
        counters = counters_of(run.record)
        shown = ", ".join(f"{visible(k)} {visible(v)}" for k, v in sorted(counters.items()))
        lines.append(
            f"import {visible(run.import_id)} (part {run.part.number} of {run.part.count}, from "
            f"line {run.part.part.first_line:,}): {visible(run.record.get('state'))}"
            + (f"; {shown}" if shown else "")
        )
    if totals:
        first, last = runs[0].part, runs[-1].part
        if first.number == 1 and last.number == last.count:
            lines.append(f"all {last.count} parts:")
        else:
            lines.append(f"{parts_span(first.number, last.number)} of {last.count}:")
        lines.extend(f"  {visible(key)}: {visible(value)}" for key, value in sorted(totals.items()))
    return "\n".join(lines)


@dataclass(frozen=True)
class Refusal:
    """What `import` shows when it sends nothing."""

    shown: Result  # the report to show
    rows: bool  # the rows were checked: the summary counts them
    row_errors: int  # the rows' errors, when they alone stopped the upload (0 otherwise)
    spec: Path  # the spec, named in `message`

    @property
    def message(self) -> tuple[str, str] | None:
        """The error line and its hint below the report when rows alone stopped the upload."""
        return refusal_message(self.row_errors, self.spec) if self.row_errors else None


def import_refusal(result: Result, spec: Path, *, whole: bool) -> Refusal:
    """The spec's own problems are shown whole, as lint shows them; when only rows would fail
    they are counted (a file may hold thousands) and, unless `whole` (the JSON document keeps
    every finding), left out of the report: `check` shows each one."""
    row_errors = sum(result.errors_by_type.values())
    spec_errors = any(
        d.severity is Severity.ERROR and (d.data is None or d.data.line is None)
        for d in result.diagnostics
    )
    if not row_errors or spec_errors:
        return Refusal(result, rows=bool(row_errors), row_errors=0, spec=spec)
    if whole:
        return Refusal(result, rows=True, row_errors=row_errors, spec=spec)
    kept = [
        d
        for d in result.diagnostics
        if (d.data is None or d.data.line is None) and d.code != row_codes.MORE_NOT_SHOWN.code
    ]
    return Refusal(replace(result, diagnostics=kept), rows=True, row_errors=row_errors, spec=spec)


def refusal_message(row_errors: int, spec: Path) -> tuple[str, str]:
    """The error line and its hint when rows alone stopped the upload."""
    return (
        f"nothing was sent: the rows hold {plural(row_errors, 'error')} HubSpot would report",
        f"`specc check {spec}` shows each one; `specc check {spec} --rejects DIR` writes "
        "the failing rows apart, to fix and import on their own; --no-check sends the file "
        "as it is",
    )


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"


def describe_counters(record: Mapping[str, Any]) -> str:
    """`import ID: STATE` and its counters, as `import --wait` ends."""
    counters = counters_of(record)
    line = f"import {visible(record.get('id'))}: {visible(record.get('state'))}"
    if counters:
        line += "\n" + "\n".join(
            f"  {visible(key)}: {visible(value)}" for key, value in sorted(counters.items())
        )
    return line


def describe_import(record: Mapping[str, Any]) -> str:
    """`specc status`: name, state, times, objects and counters."""
    lines = [
        f"import {visible(record.get('id'))}: {visible(record.get('importName') or '(no name)')}"
    ]
    lines.append(f"  state: {visible(record.get('state'))}")
    for key in ("createdAt", "updatedAt", "importSource"):
        if record.get(key):
            lines.append(f"  {key}: {visible(record[key])}")
    objects = record.get("mappedObjectTypeIds")
    if isinstance(objects, list) and objects:
        lines.append(f"  objects: {', '.join(map(visible, objects))}")
    counters = counters_of(record)
    if counters:
        lines.append("  counters:")
        lines.extend(f"    {visible(k)}: {visible(v)}" for k, v in sorted(counters.items()))
    return "\n".join(lines)


def status_report(record: Mapping[str, Any], format_name: str) -> str:
    """`specc status`: the import's record as HubSpot answered it (json), or described."""
    return _as_json(record) if format_name == "json" else describe_import(record)


def imports_report(records: list[dict[str, Any]], format_name: str) -> str:
    """`specc imports`: the list as HubSpot answered it (json), or a line per import."""
    return _as_json(records) if format_name == "json" else describe_imports(records)


def _as_json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def cancel_outcome(import_id: str, status: str | None) -> str:
    """`specc cancel`: HubSpot's status of the cancel, or None when it was canceled before."""
    if status is None:
        return f"import {visible(import_id)}: already CANCELED"
    return f"import {visible(import_id)}: cancel requested" + (
        f" ({visible(status)})" if status else ""
    )


def describe_imports(records: list[dict[str, Any]]) -> str:
    """`specc imports`: one tab-separated line per import (a tab inside a value is shown as
    a picture, so the columns hold)."""
    if not records:
        return "no imports"
    return "\n".join(
        "\t".join(map(visible, (r.get("id"), r.get("state"), r.get("createdAt"))))
        + f"\t{visible(r.get('importName') or '')}"
        for r in records
    )


def error_groups(result: Result) -> str:
    """HubSpot's row errors counted by type, most frequent first; "" when there are none."""
    rows = [d for d in result.diagnostics if d.code in ROW_ERROR_CODES]
    if not rows:
        return ""
    lines = [f"row errors reported by HubSpot: {len(rows)}"]
    lines.extend(f"  {visible(kind)}: {count}" for kind, count in counts_by_type(rows))
    return "\n".join(lines)


def event_line(event: ev.Event) -> str | None:
    """What a client event says on stderr; None for the ones a progress bar shows (or none).

    Every poll is a `Polled` event: the caller shows only those whose state changed.
    """
    if isinstance(event, ev.Retrying):
        return (
            f"{event.action}: {visible(event.reason)}; trying again in {event.delay:.1f}s "
            f"(attempt {event.attempt + 1})"
        )
    if isinstance(event, ev.OutcomeUnknown):
        return (
            f"the upload's answer was lost ({visible(event.reason)}); "
            "checking whether HubSpot created the import before sending anything again"
        )
    if isinstance(event, ev.Adopted):
        more = (
            f" ({event.candidates} imports matched; following the newest)"
            if event.candidates > 1
            else ""
        )
        return f"import {visible(event.import_id)} was created by this upload; following it{more}"
    if isinstance(event, ev.Resending):
        return visible(event.reason)
    if isinstance(event, ev.Polled):
        return f"import {visible(event.import_id)}: {visible(event.state)}"
    return None
