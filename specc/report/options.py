"""What a reporter may be told besides the Result itself."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from specc import __version__


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False  # ANSI colors in text; the CLI asks for them on a terminal only
    rows: bool = False  # the command read data rows, so the summary says how many
    tool_version: str = __version__  # named in SARIF's tool.driver
    # What a command adds to the JSON document, after `diagnostics`, in this order: `import`
    # for `import` and `errors` (specc.hubspot.workflow.import_summary), `plan` for `plan`.
    members: Mapping[str, Any] = field(default_factory=dict)
