"""What `specc import` says when Ctrl-C ended it early (specc.hubspot.workflow.ImportRun)."""

from __future__ import annotations

from specc.hubspot.workflow import Stage


def interruption_notice(stage: Stage, import_id: str | None) -> str:
    """Where the import stands after Ctrl-C while uploading or while waiting for its end."""
    if stage == "upload":
        return (
            "specc: upload interrupted; HubSpot may have received it. Check `specc imports` "
            "before running the import again"
        )
    return (
        f"specc: stopped waiting; import {import_id} keeps running at HubSpot. "
        f"Follow it with `specc status {import_id}` and `specc errors {import_id}`"
    )
