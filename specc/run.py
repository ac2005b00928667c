"""What one run of specc is given and what it loaded: `Options`, `Progress`, `Loaded`.

The stages below the pipeline (resolving a spec, checking rows, the sandbox) take these, so
they live here, beside nothing but the spec model and the diagnostics, and every stage can
import them without importing the pipeline that composes the stages.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from specc.diagnostics import Diagnostic, Severity
from specc.spec.model import Spec

# Called as progress(file_shown_path, bytes_done, bytes_total) while data rows are checked.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Options:
    """What the command line gives a run, and the outside world it may see."""

    vars: Mapping[str, str] = field(default_factory=dict)  # --var NAME=VALUE
    data_roots: tuple[Path, ...] = ()  # --data-root, besides the working directory
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    cwd: Path = field(default_factory=Path.cwd)
    now: datetime | None = None  # None: SOURCE_DATE_EPOCH, else the clock
    rows: int | None = None  # --rows
    max_errors: int | None = None  # --max-errors
    rejects: Path | None = None  # --rejects DIR
    progress: Progress | None = None

    def clock(self) -> datetime:
        if self.now is not None:
            return self.now
        epoch = self.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch.isdigit():
            return datetime.fromtimestamp(int(epoch), UTC)
        return datetime.now(UTC)


@dataclass
class Loaded:
    """One spec file, loaded and resolved: the Spec (None when it could not be) and what
    loading found."""

    path: Path
    text: str  # the spec file's text ("" when unreadable), for carets in reports
    spec: Spec | None
    diagnostics: list[Diagnostic]

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)
