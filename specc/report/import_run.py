"""What `specc import` says of how its run ended (specc.hubspot.workflow.ImportRun)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from specc.diagnostics import Result
from specc.report import ReportOptions, report_pieces
from specc.report.imports import describe_counters, error_groups
from specc.report.text import visible


def import_outcome(result: Result, record: Mapping[str, Any] | None) -> str:
    """What the text formats show above the diagnostics: the import's counters (once it has
    a state) and its row errors by type; empty when there is neither."""
    parts = [describe_counters(record)] if record is not None and record.get("state") else []
    groups = error_groups(result)
    if groups:
        parts.append(groups)
    return "\n".join(parts)


def interruption_notice(stage: str, import_id: str | None) -> str:
    """Where the import stands after Ctrl-C while uploading ("upload") or while waiting for
    its end ("wait"): ImportRun.interrupted."""
    if stage == "upload":
        return (
            "specc: upload interrupted; HubSpot may have received it. Check `specc imports` "
            "before running the import again"
        )
    shown = visible(import_id)
    return (
        f"specc: stopped waiting; import {shown} keeps running at HubSpot. "
        f"Follow it with `specc status {shown}` and `specc errors {shown}`"
    )


def errors_report_pieces(
    result: Result, format_name: str, members: Mapping[str, Any]
) -> Iterator[str]:
    """`specc errors`' report in pieces (report_pieces), the row errors by type above it in
    text; `members` go into the JSON document (the import's summary)."""
    groups = error_groups(result) if format_name == "text" else ""
    if groups:
        yield groups + "\n"
    yield from report_pieces(result, format_name, ReportOptions(members=members))
