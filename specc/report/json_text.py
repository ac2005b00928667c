"""`json.dumps(value, indent=2, ensure_ascii=False)`, a value at a time, without its overhead.

With `indent`, the json module falls back to its pure-Python encoder, which walks the value
through nested generators; and it can only dump a whole document, so a report of 100,000
findings sat in memory as dicts and then as text. `indented` gives the same text, byte for
byte, for one value at any depth, so a document can be written one finding at a time
(specc.report.json_document). Strings, the bulk of a report, go through the C function
json itself uses (`encode_basestring`); the layout is a join per container; anything else
(floats, subclasses of str or int) is left to json's own encoder, so its rules hold.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from json.encoder import encode_basestring  # the C implementation when CPython has it
from typing import Any

INDENT = "  "

# The exact type of a plain value -> its JSON text, as json writes it.
_PLAIN: dict[type, Callable[[Any], str]] = {
    str: encode_basestring,
    int: int.__repr__,
    bool: lambda value: "true" if value else "false",
    type(None): lambda _value: "null",
}


@cache
def _pads(level: int) -> tuple[str, str, str]:
    """Opening, separating and closing whitespace of a container `level` deep."""
    inner = "\n" + INDENT * (level + 1)
    return inner, "," + inner, "\n" + INDENT * level


def indented(value: Any, level: int = 0) -> str:
    """The text `json.dumps(value, indent=2, ensure_ascii=False)` gives for `value`, as it
    appears `level` containers deep (its first line not indented, its last at `level`)."""
    plain = _PLAIN.get(type(value))
    if plain is not None:
        return plain(value)
    # The two loops below inline `_value` and `_key` for plain members: a report is mostly
    # strings, and a call per member was a third of the time.
    if isinstance(value, dict):
        if not value:
            return "{}"
        start, between, end = _pads(level)
        deeper = level + 1
        members = between.join(
            [
                (encode_basestring(key) if type(key) is str else _key(key))
                + ": "
                + (plain(item) if (plain := _PLAIN.get(type(item))) else indented(item, deeper))
                for key, item in value.items()
            ]
        )
        return f"{{{start}{members}{end}}}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        start, between, end = _pads(level)
        deeper = level + 1
        items = between.join(
            [
                plain(item) if (plain := _PLAIN.get(type(item))) else indented(item, deeper)
                for item in value
            ]
        )
        return f"[{start}{items}{end}]"
    # floats (nan, inf and repr as json has them), subclasses of str and int, and what json
    # refuses (it raises TypeError, as json.dumps would).
    return json.dumps(value, ensure_ascii=False)


def _key(key: Any) -> str:
    """A member name as json writes it (a number, true, false or null key becomes a string)."""
    if type(key) is str:
        return encode_basestring(key)
    return json.dumps({key: 0}, ensure_ascii=False)[1:-4]  # '{"1": 0}' without '{' and ': 0}'
