"""Line and column of every node of a JSON text, by JSON pointer.

The json module parses without positions; a schema error in a catalog snapshot should still
point at its line. This walks the (already valid) text once, only on that error path.
"""

from __future__ import annotations

import bisect
import contextlib
import json.decoder
import re
from collections.abc import Callable

from specc.pointer import join_pointer

# The json module's own string scanner: (text, index after the quote) -> (value, end).
scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]

_SPACE = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null|NaN|-?Infinity")


class JsonPositions:
    """Pointer -> (line, column), both 1-based; members are placed at their key."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.positions: dict[str, tuple[int, int]] = {}
        # (index, key) of the first key, in text order, that its object already has.
        self.first_duplicate: tuple[int, str] | None = None
        # Not valid JSON after all: keep the positions found so far.
        with contextlib.suppress(ValueError, IndexError):
            self._value(self._skip(0), "")

    def where(self, pointer: str) -> tuple[int, int]:
        """The node's position, else its nearest ancestor's, else 1:1."""
        probe = pointer
        while probe not in self.positions and probe:
            probe = probe.rsplit("/", 1)[0]
        return self.positions.get(probe, (1, 1))

    def _at(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._line_starts, index)
        return line, index - self._line_starts[line - 1] + 1

    def _skip(self, index: int) -> int:
        return _SPACE.match(self._text, index).end()  # type: ignore[union-attr]

    def _value(self, index: int, pointer: str) -> int:
        self.positions.setdefault(pointer, self._at(index))
        char = self._text[index]
        if char == "{":
            return self._object(index + 1, pointer)
        if char == "[":
            return self._array(index + 1, pointer)
        if char == '"':
            return scanstring(self._text, index + 1)[1]
        match = _SCALAR.match(self._text, index)
        if match is None:
            raise ValueError(f"unexpected {char!r} at {index}")
        return match.end()

    def _object(self, index: int, pointer: str) -> int:
        index = self._skip(index)
        if self._text[index] == "}":
            return index + 1
        keys: set[str] = set()
        while True:
            key_at = index
            key, index = scanstring(self._text, index + 1)
            if key in keys and self.first_duplicate is None:
                self.first_duplicate = (key_at, key)
            keys.add(key)
            child = join_pointer(pointer, key)
            self.positions[child] = self._at(key_at)
            index = self._skip(self._skip(index) + 1)  # past the colon
            index = self._skip(self._value(index, child))
            if self._text[index] == "}":
                return index + 1
            index = self._skip(index + 1)  # past the comma

    def _array(self, index: int, pointer: str) -> int:
        index = self._skip(index)
        if self._text[index] == "]":
            return index + 1
        item = 0
        while True:
            index = self._skip(self._value(index, f"{pointer}/{item}"))
            item += 1
            if self._text[index] == "]":
                return index + 1
            index = self._skip(index + 1)
