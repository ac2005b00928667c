"""`specc explain` in words: what a code means, the list of codes, a HubSpot error type."""

from __future__ import annotations

import inspect
from collections.abc import Iterable

from specc.codes import Code, all_codes
from specc.codes import hubspot as hubspot_codes
from specc.hubspot.row_errors import error_meanings


def describe_code(entry: Code) -> str:
    """Title, severity, the HubSpot error it predicts, then the explanation."""
    if entry.relays_hubspot_error:
        hubspot_error = "the errorType HubSpot reported (each diagnostic names its own)"
    else:
        hubspot_error = entry.hubspot_error or "none (HubSpot has no such error)"
    return "\n".join(
        [
            f"{entry.code}: {entry.title}",
            f"severity: {entry.severity.value}",
            f"HubSpot error: {hubspot_error}",
            "",
            inspect.cleandoc(entry.explanation),
        ]
    )


def list_of_codes(codes: Iterable[Code]) -> str:
    """One line per code: code, severity, title."""
    return "\n".join(f"{c.code}  {c.severity.value:<7}  {c.title}" for c in codes)


def describe_hubspot_error(name: str) -> str | None:
    """`specc explain INVALID_EMAIL`: a HubSpot row error type and the codes that predict it
    before an import; None when HubSpot has no error of that name and no code predicts one."""
    predicting = [c for c in all_codes() if c.hubspot_error == name]
    meaning = error_meanings().get(name)
    if not predicting and meaning is None:
        return None
    lines = [f"{name}: an error HubSpot reports for an import's rows or files"]
    if meaning:
        lines.append(f"meaning: {meaning}")
    lines.append("")
    if predicting:
        lines.append("specc predicts it before the import with:")
        lines.extend(f"  {line}" for line in list_of_codes(predicting).splitlines())
        lines.append("")
        which = "each" if len(predicting) > 1 else "it"
        lines.append(
            f"`specc explain {predicting[0].code}` says what {which} means and how to fix it."
        )
    else:
        row, whole_file = hubspot_codes.ROW_ERROR.code, hubspot_codes.FILE_ERROR.code
        lines.append(
            "No check of specc predicts it; after an import `specc import --wait` and "
            f"`specc errors` report it as {row} (a row) or {whole_file} (a file)."
        )
    return "\n".join(lines)
