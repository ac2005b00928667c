"""`json.dumps(value, indent=2, ensure_ascii=False)`, written by CPython's C encoder.

With `indent`, the json module falls back to its pure-Python encoder: a report of 100,000
findings took 1.85 times as long per finding as one of 1,000, and the whole document sat in
memory as dicts and then as text. `indented` gives the same text, byte for byte, but hands
every run of plain values (and every container holding only plain values) to the C encoder
at once: separators of ",\\n" plus the indentation make its one-line output the indented
one, because a JSON string never holds a raw line break. Only containers that hold
containers are laid out here. A document can then be written one piece at a time
(specc.report.json_document).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

INDENT = "  "


@cache
def _encoder(level: int) -> json.JSONEncoder:
    """Encodes a container at `level` (0: the document) with its items on lines of their own,
    once its brackets are cut off."""
    pad = INDENT * (level + 1)
    return json.JSONEncoder(ensure_ascii=False, separators=(",\n" + pad, ": "))


def _nested(value: Any) -> bool:
    return isinstance(value, dict | list | tuple) and bool(value)


def indented(value: Any, level: int = 0) -> str:
    """The text `json.dumps(value, indent=2, ensure_ascii=False)` gives for `value`, as it
    appears `level` containers deep (its first line not indented, its last at `level`)."""
    if not _nested(value):
        return _encoder(level).encode(value)
    pad = INDENT * (level + 1)
    close = "\n" + INDENT * level
    if isinstance(value, dict):
        if not any(_nested(v) for v in value.values()):
            return "{\n" + pad + _encoder(level).encode(value)[1:-1] + close + "}"
        parts = []
        plain: dict[Any, Any] = {}
        for key, item in value.items():
            if not _nested(item):
                plain[key] = item
                continue
            if plain:
                parts.append(_encoder(level).encode(plain)[1:-1])
                plain = {}
            parts.append(_key(key, level) + ": " + indented(item, level + 1))
        if plain:
            parts.append(_encoder(level).encode(plain)[1:-1])
        return "{\n" + pad + (",\n" + pad).join(parts) + close + "}"
    if not any(_nested(v) for v in value):
        return "[\n" + pad + _encoder(level).encode(value)[1:-1] + close + "]"
    items = (indented(item, level + 1) for item in value)
    return "[\n" + pad + (",\n" + pad).join(items) + close + "]"


def _key(key: Any, level: int) -> str:
    """A member name as json writes it (a number or true/false/null key becomes a string)."""
    if isinstance(key, str):
        return _encoder(level).encode(key)
    return _encoder(level).encode({key: 0})[1:-4]  # '{"1": 0}' without '{' and ': 0}'
