"""How progress looks on a terminal: rich bars on stderr that leave no trace once done.

One bar renderer serves the three things specc waits on: the bytes of each data file `check`
reads (specc.run.Progress), the values `plan` looks up (specc.plan.LookupProgress), and an
upload's bytes, shown by `EventPrinter` among the library's other events
(specc.hubspot.events). The CLI decides whether a bar is wanted (a terminal, not --debug, not
JSON) and wires the callbacks; rich is imported only when a bar is shown, so commands
without one start fast.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from specc.hubspot.events import Event
    from specc.hubspot.split import PartUpload
    from specc.hubspot.upload import Upload
    from specc.plan import LookupProgress
    from specc.run import Progress


def stderr_bar(label: Any, *columns: Any) -> Any:
    """A rich Progress on stderr: `label` (a rich column), the bar, `columns`, the time left."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TimeRemainingColumn

    return Progress(
        label,
        BarColumn(),
        *columns,
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )


@contextmanager
def file_bars(enabled: bool) -> Iterator[Progress | None]:
    """A bar per data file of the bytes read, fed by specc.run's progress callback; None (no
    callback) when not `enabled`."""
    if not enabled:
        yield None
        return
    from rich.progress import DownloadColumn, TaskID, TextColumn

    bar = stderr_bar(TextColumn("{task.description}"), DownloadColumn())
    tasks: dict[str, TaskID] = {}

    def update(file: str, done: int, total: int) -> None:
        task = tasks.get(file)
        if task is None:
            task = tasks[file] = bar.add_task(file, total=total or None)
        bar.update(task, completed=done, total=total or None)

    with bar:
        yield update


@contextmanager
def lookup_bar(enabled: bool) -> Iterator[LookupProgress | None]:
    """A bar of the values looked up, fed by specc.plan's progress callback; None (no
    callback) when not `enabled`."""
    if not enabled:
        yield None
        return
    from rich.progress import MofNCompleteColumn, TextColumn

    bar = stderr_bar(TextColumn("looking up records"), MofNCompleteColumn())
    task = bar.add_task("lookups", total=None)

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total or None)

    with bar:
        yield update


class EventPrinter:
    """Shows the library's events: an upload bar on a terminal, and through `say` (stderr)
    one notice per notable event (`specc: ` and specc.report.imports.event_line), a poll only
    when the import's state changed; through `out` (stdout) each import HubSpot accepts
    (`started`). A context manager: the bar never outlives it."""

    def __init__(
        self, terminal: bool, say: Callable[[str], None], out: Callable[[str], None] | None = None
    ) -> None:
        self.terminal = terminal
        self.say = say
        self.out = out
        self._bar: Any = None
        self._task: Any = None
        self._last_state: str | None = None

    def __call__(self, event: Event) -> None:
        from specc.hubspot import events as ev
        from specc.report.imports import event_line
        from specc.report.messages import notice

        if isinstance(event, ev.UploadStarted):
            self._start_bar(event.total, event.attempt)
            return
        if isinstance(event, ev.UploadProgress):
            if self._bar is not None:
                self._bar.update(self._task, completed=event.sent)
            return
        self.stop_bar()
        if isinstance(event, ev.Polled):
            if event.state == self._last_state:
                return
            self._last_state = event.state
        line = event_line(event)
        if line:
            self.say(notice(line))

    def _start_bar(self, total: int, attempt: int) -> None:
        self.stop_bar()
        if not self.terminal:
            return
        from rich.progress import DownloadColumn, TextColumn, TransferSpeedColumn

        label = "uploading" if attempt == 1 else f"uploading (try {attempt})"
        self._bar = stderr_bar(TextColumn(label), DownloadColumn(), TransferSpeedColumn())
        self._bar.start()
        self._task = self._bar.add_task("upload", total=total or None)

    def started(self, import_id: str, sent: Upload | PartUpload) -> None:
        """The line of an import HubSpot accepted (specc.report.imports.import_started), once
        the upload's bar is gone; none without `out` (JSON: the document names the imports).
        specc.hubspot.workflow.send's `on_started`."""
        from specc.report.imports import import_started

        self.stop_bar()
        if self.out is not None:
            self.out(import_started(import_id, sent))

    def stop_bar(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def __enter__(self) -> EventPrinter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_bar()  # a bar left running would hide the terminal's cursor
