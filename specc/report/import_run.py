"""What `specc import` says as it runs and how its run ended (specc.hubspot.workflow.ImportRun),
and what `specc errors` shows of an import's row errors."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from specc.diagnostics import Result
from specc.hubspot.split import parts_span
from specc.report import ReportOptions, report_pieces
from specc.report.imports import describe_counters, error_groups, parts_members, parts_outcome
from specc.report.text import visible

if TYPE_CHECKING:
    from specc.hubspot.workflow import ImportRun

UPLOAD_QUESTION = "Upload it?"
NOTHING_SENT = "specc: nothing was sent"


def follow_up(import_ids: Sequence[str]) -> str:
    """How to follow the imports `import` started without --wait."""
    them = "them" if len(import_ids) > 1 else "it"
    return f"follow {them} with: specc status {' '.join(map(visible, import_ids))}"


def import_report_pieces(
    result: Result, format_name: str, run: ImportRun, options: ReportOptions
) -> Iterator[str]:
    """The end of `import` on stdout, in pieces (report_pieces): in JSON the document with the
    import (or every part's import) in it; in the other formats how to follow the imports
    when not waited for (follow_up), the import's counters and row errors by type, then the
    diagnostics' report when there are any."""
    from specc.hubspot.workflow import import_summary

    if format_name != "json" and run.import_id is not None and not run.waited:
        yield follow_up([p.import_id for p in run.parts] if run.parts else [run.import_id]) + "\n"
    if format_name == "json":
        if run.parts:
            members = parts_members(run.parts, run.totals)
        else:
            members = {"import": import_summary(run.record)} if run.record is not None else {}
        yield from report_pieces(result, format_name, replace(options, members=members))
        return
    if run.parts:
        outcome = parts_outcome(result, run.parts, run.totals)
    else:
        outcome = import_outcome(result, run.record)
    if outcome:
        yield outcome + "\n"
    if result.diagnostics:
        yield from report_pieces(result, format_name, options)


def import_outcome(result: Result, record: Mapping[str, Any] | None) -> str:
    """What the text formats show above the diagnostics: the import's counters (once it has
    a state) and its row errors by type; empty when there is neither."""
    parts = [describe_counters(record)] if record is not None and record.get("state") else []
    groups = error_groups(result)
    if groups:
        parts.append(groups)
    return "\n".join(parts)


def interruption_notice(run: ImportRun, spec_shown: str) -> str:
    """Where the import stands after Ctrl-C while uploading ("upload") or while waiting for
    its end ("wait"): ImportRun.interrupted; for a file in parts, also how to send the parts
    that were not sent."""
    if run.interrupted == "upload":
        notice = (
            "specc: upload interrupted; HubSpot may have received it. Check `specc imports` "
            "before running the import again"
        )
    else:
        shown = visible(run.import_id)
        notice = (
            f"specc: stopped waiting; import {shown} keeps running at HubSpot. "
            f"Follow it with `specc status {shown}` and `specc errors {shown}`"
        )
    if not run.parts:
        return notice
    last = run.parts[-1].part
    # While uploading, the part after the last one started may or may not exist now.
    unsent = last.number + 1
    if unsent > last.count:
        return notice
    resume = f"specc import {visible(spec_shown)} --from-part {unsent}"
    if run.interrupted == "upload":
        return (
            f"{notice}\nspecc: {parts_span(1, last.number)} of {last.count} sent; if part "
            f"{unsent} is not among the imports, send the rest with: {resume} (else from the "
            "part after it)"
        )
    return (
        f"{notice}\nspecc: {parts_span(unsent, last.count)} not sent; once import {shown} "
        f"has ended, send them with: {resume}"
    )


def errors_report_pieces(
    result: Result, format_name: str, record: Mapping[str, Any]
) -> Iterator[str]:
    """`specc errors`' report in pieces (report_pieces), the row errors by type above it in
    text; the JSON document holds the import's summary (`import`) of its `record`."""
    from specc.hubspot.workflow import import_summary

    groups = error_groups(result) if format_name == "text" else ""
    if groups:
        yield groups + "\n"
    members = {"import": import_summary(record)}
    yield from report_pieces(result, format_name, ReportOptions(members=members))
