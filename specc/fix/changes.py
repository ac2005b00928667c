"""Every change `specc fix` makes, listed without holding them all in memory.

A file with a million bad cells has a million changes, and each is listed (`--format json`
prints every one). `ChangeLog` keeps in memory only what the text summary shows: per file,
column and rule the count and the first few examples. The changes themselves go, a batch of
rows at a time, into an Arrow stream in a temporary file, and are read back in order, a
batch at a time, by whoever lists them. Memory stays a few batches whatever their number.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

EXAMPLES = 3  # changes kept in memory per file, column and rule, for the summary
_FIELDS = ("file", "line", "column", "before", "after", "rule")


@dataclass(frozen=True)
class Change:
    """One rewritten cell (line and column None for a whole-file change)."""

    file: str
    line: int | None
    column: str | None
    before: str
    after: str
    rule: str

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "before": self.before,
            "after": self.after,
            "rule": self.rule,
        }


@dataclass
class ChangeGroup:
    """The changes of one file, column and rule: how many, and the first few."""

    file: str
    column: str | None
    rule: str
    count: int = 0
    examples: list[Change] = field(default_factory=list)


class ChangeLog:
    """The changes of one run, in the order they were made (file by file, row by row).

    `add` takes a change; `flush` writes what was added since into the spool (the fixer
    calls it once per batch of rows); iterating reads every change back. `close` removes
    the spool."""

    def __init__(self) -> None:
        self.count = 0
        self.groups: dict[tuple[str, str | None, str], ChangeGroup] = {}
        self._pending: tuple[list[Any], ...] = tuple([] for _ in _FIELDS)
        self._spool: Any = None
        self._writer: Any = None
        self._forgotten: set[str] = set()

    def __len__(self) -> int:
        return self.count

    def add(self, change: Change) -> None:
        self.add_cell(
            change.file, change.line, change.column, change.before, change.after, change.rule
        )

    def add_cell(
        self, file: str, line: int | None, column: str | None, before: str, after: str, rule: str
    ) -> None:
        """`add` without a Change made for it (a fixer adds a million of them)."""
        self.count += 1
        key = (file, column, rule)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = ChangeGroup(file, column, rule)
        group.count += 1
        if len(group.examples) < EXAMPLES or column is None:
            # whole-file changes (column None) are one per file and rule: all kept
            group.examples.append(Change(file, line, column, before, after, rule))
        pending = self._pending
        pending[0].append(file)
        pending[1].append(line)
        pending[2].append(column)
        pending[3].append(before)
        pending[4].append(after)
        pending[5].append(rule)

    def forget(self, file: str) -> None:
        """Drop every change of `file` (its copy turned out to be the file as it is)."""
        self._forgotten.add(file)
        keep = [k for k, name in enumerate(self._pending[0]) if name != file]
        self._pending = tuple([column[k] for k in keep] for column in self._pending)
        for key in [key for key in self.groups if key[0] == file]:
            self.count -= self.groups.pop(key).count

    def flush(self) -> None:
        """Move the changes added since the last flush from memory into the spool."""
        if not self._pending[0]:
            return
        import pyarrow as pa

        types = (pa.string(), pa.int64(), pa.string(), pa.string(), pa.string(), pa.string())
        batch = pa.record_batch(
            [pa.array(values, kind) for values, kind in zip(self._pending, types, strict=True)],
            names=list(_FIELDS),
        )
        if self._writer is None:
            # Named, so that `__iter__` can read it through a handle of its own.
            self._spool = tempfile.NamedTemporaryFile(prefix="specc-fix-changes-")  # noqa: SIM115
            self._writer = pa.ipc.new_stream(self._spool, batch.schema)
        self._writer.write_batch(batch)
        for values in self._pending:
            values.clear()

    def __iter__(self) -> Iterator[Change]:
        """Every change, in order, read a batch at a time through a second handle on the
        spool (the log can go on growing, and be read again)."""
        self.flush()
        if self._spool is None:
            return
        import pyarrow as pa

        self._spool.flush()
        with open(self._spool.name, "rb") as spool:
            for batch in pa.ipc.open_stream(spool):
                columns = [batch.column(k).to_pylist() for k in range(len(_FIELDS))]
                for values in zip(*columns, strict=True):
                    if values[0] not in self._forgotten:
                        yield Change(*values)

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()
            self._spool = None
            self._writer = None
