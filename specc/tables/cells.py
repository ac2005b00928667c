"""The one rule by which a cell becomes text.

A CSV cell is text already. A spreadsheet cell may be typed (a number, a boolean, a date, a
time, a duration); it becomes the text HubSpot most likely reads, the spreadsheet's General
format (`specc.data.values.typed.render`: whole numbers without `.0`, large ones in scientific
notation, TRUE/FALSE, ISO dates). The header check, the row check, `specc init`, the sandbox
and the writers all turn cells into text here, so they read a cell the same way.
"""

from __future__ import annotations

from typing import Any


def cell_text(value: Any) -> str:
    """A cell as text: "" for no value, text as it is, a typed cell as HubSpot reads it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    # Imported here: the value checks are not loaded until a typed cell needs them
    # (`specc lint` reads headers, which are nearly always text).
    from specc.data.values.typed import render

    return render(value)


def is_utf8(data: Any) -> bool:
    """Whether `data` (bytes, a memoryview of them, or an Arrow buffer) is valid UTF-8, as
    strict as Python's decoder (no surrogates, no overlong forms), checked by Arrow in place:
    several times faster than decoding it, and no string is made."""
    import pyarrow as pa

    if isinstance(data, bytes) and data.isascii():
        return True
    body = data if isinstance(data, pa.Buffer) else pa.py_buffer(data)
    offsets = pa.array([0, body.size], pa.int64()).buffers()[1]
    try:
        pa.LargeStringArray.from_buffers(1, offsets, body).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True
