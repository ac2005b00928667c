"""Column-wide tests on Arrow string columns: which cells are blank, which are an option.

These run over a whole batch at once in Arrow's compute kernels, so the Python-level work of
a check is proportional to the cells that are not plainly fine, not to the file. (The accept
patterns run in polars, in `FileCheck.prepare`.)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from specc.data.values.base import STRIP_CHARS

# A cell is blank when it holds nothing but these (the value checks' own trimming set).
# Only cells that start with one of their first bytes can be blank without being empty.
_BLANK_FIRST_BYTES = sorted({ch.encode("utf-8")[0] for ch in STRIP_CHARS})
# Characters a regex alternation of literals escapes (specc.data.values.literal).
_REGEX_SPECIAL = frozenset("\\.^$|?*+()[]{}")


def _chunks(column: Any) -> list[Any]:
    import pyarrow as pa

    return list(column.chunks) if isinstance(column, pa.ChunkedArray) else [column]


def _flat(values: Any) -> Any:
    import pyarrow as pa

    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def byte_lengths(column: Any) -> Any:
    """Each cell's length in bytes (an Arrow int array)."""
    import pyarrow.compute as pc

    return _flat(pc.binary_length(column))


class Blanks:
    """Which cells of a batch are blank: empty, or only spaces and invisible characters.

    Row rules ask "where are all of these columns blank?". The answer starts from one
    column's blank cells, found column-wide (empty cells from the byte lengths; the few cells
    whose first byte could start a blank looked at one by one), and narrows them down with
    the other columns' cells at those rows only. On a file with values that is a handful of
    cells, whatever the number of columns.
    """

    def __init__(self, columns: list[Any], lengths: list[Any]) -> None:
        self.columns = columns
        self.lengths = lengths
        self.found: dict[int, list[int]] = {}

    def of(self, j: int) -> list[int]:
        """The indices of column j's blank cells, in order."""
        found = self.found.get(j)
        if found is None:
            import pyarrow.compute as pc

            empty = indices(pc.equal(self.lengths[j], 0))
            at, texts = _maybe_blank(self.columns[j])
            extra = [i for i, text in zip(at, texts, strict=True) if not text.strip(STRIP_CHARS)]
            found = self.found[j] = sorted(empty + extra) if extra else empty
        return found

    def where_all(self, columns: Sequence[int]) -> list[int]:
        """The indices of the rows where every one of `columns` is blank, in order."""
        import pyarrow as pa
        import pyarrow.compute as pc

        ordered = sorted(columns, key=lambda j: j not in self.found)
        rows = self.of(ordered[0])
        for j in ordered[1:]:
            if not rows:
                break
            known = self.found.get(j)
            if known is not None:
                rows = sorted(set(rows).intersection(known))
                continue
            texts = pc.take(self.columns[j], pa.array(rows, pa.int64())).to_pylist()
            rows = [i for i, text in zip(rows, texts, strict=True) if not text.strip(STRIP_CHARS)]
        return rows


def _maybe_blank(column: Any) -> tuple[list[int], list[str]]:
    """(indices, texts) of the non-empty cells whose first byte may start a blank."""
    import pyarrow as pa
    import pyarrow.compute as pc

    first_bytes = pa.array(_BLANK_FIRST_BYTES, pa.uint8())
    found: list[int] = []
    base = 0
    for chunk in _chunks(column):
        size = len(chunk)
        buffers = chunk.buffers()
        data = buffers[2]
        if size == 0 or data is None or data.size == 0:
            base += size
            continue
        offset_type = pa.int64() if pa.types.is_large_string(chunk.type) else pa.int32()
        offsets = pa.Array.from_buffers(
            offset_type, size + 1, [None, buffers[1]], offset=chunk.offset
        )
        starts = offsets.slice(0, size)
        ends = offsets.slice(1, size)
        raw = pa.Array.from_buffers(pa.uint8(), data.size, [None, data])
        first = pc.take(raw, pc.min_element_wise(starts, data.size - 1))
        candidates = pc.and_(pc.greater(ends, starts), pc.is_in(first, value_set=first_bytes))
        at = pc.indices_nonzero(candidates).to_pylist()
        found.extend(base + i for i in at)
        base += size
    if not found:
        return [], []
    texts = pc.take(column, pa.array(found, pa.int64())).to_pylist()
    return found, texts


def indices(mask: Any) -> list[int]:
    import pyarrow.compute as pc

    found: list[int] = pc.indices_nonzero(mask).to_pylist()
    return found


@cache
def literal_alternatives(pattern: str) -> frozenset[str] | None:
    """The strings an accept pattern matches when it is `^(?:lit1|lit2|...)$` with plain
    literals (enumerations' options), so a hash lookup can replace the regex; else None.

    Sound by construction: the set is used only when writing it back as a pattern gives the
    very same text, so no piece can hold an unescaped metacharacter.
    """
    if not (pattern.startswith("^(?:") and pattern.endswith(")$")):
        return None
    inner = pattern[4:-2]
    pieces: list[str] = []
    current: list[str] = []
    escaped = False
    for ch in inner:
        if escaped:
            current.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "|":
            pieces.append("".join(current))
            current = []
        elif ch in _REGEX_SPECIAL:
            return None
        else:
            current.append(ch)
    if escaped:
        return None
    pieces.append("".join(current))

    def literal(text: str) -> str:
        return "".join("\\" + c if c in _REGEX_SPECIAL else c for c in text)

    if "^(?:" + "|".join(literal(p) for p in pieces) + ")$" != pattern or "" in pieces:
        return None
    return frozenset(pieces)


def in_set(column: Any, values: frozenset[str]) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    return _flat(pc.is_in(column, value_set=pa.array(sorted(values), pa.string())))
