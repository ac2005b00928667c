"""`specc explain CODE`: the explanation of a code as the user typed it."""

from __future__ import annotations

import difflib
import re

from specc.codes import all_codes, lookup
from specc.errors import UsageError
from specc.report.explain import describe_code, describe_hubspot_error

# HubSpot's own name of an error, e.g. INVALID_EMAIL
HUBSPOT_ERROR_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")


def normalize_code(text: str) -> str:
    """`spc401`, ` SPC401 ` and `401` all mean SPC401."""
    text = text.strip().upper()
    if re.fullmatch(r"\d{3}", text):
        return f"SPC{text}"
    return text


def explanation(code: str) -> str:
    """What `code` (specc's, in any spelling, or HubSpot's error name) means and how to fix
    it; a UsageError naming the nearest codes when there is no such code."""
    wanted = normalize_code(code)
    entry = lookup(wanted)
    if entry is not None:
        return describe_code(entry)
    text = describe_hubspot_error(wanted) if HUBSPOT_ERROR_NAME.fullmatch(wanted) else None
    if text is not None:
        return text
    known = [c.code for c in all_codes()]
    close = difflib.get_close_matches(wanted, known, n=3, cutoff=0.6)
    hint = (
        f"did you mean {' or '.join(close)}?"
        if close
        else "`specc explain --list` lists every code"
    )
    raise UsageError(f"unknown code {code!r}", hint=hint)
