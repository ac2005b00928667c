"""What a reporter may be told besides the Result itself, and the choices the environment
makes for it: the format when --format is not given, colours or none."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from specc import __version__


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False  # ANSI colors in text; the CLI asks for them on a terminal only
    rows: bool = False  # the command read data rows, so the summary says how many
    tool_version: str = __version__  # named in SARIF's tool.driver
    # What a command adds to the JSON document, after `diagnostics`, in this order: `import`
    # for `import` and `errors` (specc.hubspot.workflow.import_summary), `plan` for `plan`.
    members: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def shown_on(
        cls,
        stream: IO[str],
        format_name: str,
        *,
        rows: bool = False,
        members: Mapping[str, Any] | None = None,
    ) -> ReportOptions:
        """The options of a report in `format_name` written to `stream`: colours in text on a
        terminal (`use_color`)."""
        color = format_name == "text" and use_color(stream)
        return cls(color=color, rows=rows, members=members or {})


def default_format(environ: Mapping[str, str] | None = None) -> str:
    """`github` under GitHub Actions (so findings become annotations), else `text`."""
    env = os.environ if environ is None else environ
    return "github" if env.get("GITHUB_ACTIONS", "").strip().lower() == "true" else "text"


def use_color(stream: IO[str], environ: Mapping[str, str] | None = None) -> bool:
    """Colors on a terminal only, and never when NO_COLOR is set (https://no-color.org)."""
    env = os.environ if environ is None else environ
    return not env.get("NO_COLOR", "") and is_terminal(stream)


def is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False
