"""What `specc import` says of how its run ended (specc.hubspot.workflow.ImportRun)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from specc.diagnostics import Result
from specc.report.imports import describe_counters, error_groups


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
    return (
        f"specc: stopped waiting; import {import_id} keeps running at HubSpot. "
        f"Follow it with `specc status {import_id}` and `specc errors {import_id}`"
    )
