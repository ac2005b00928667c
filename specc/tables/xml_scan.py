"""XML bytes scanned with vectorised polars operations, for the .xlsx reader's fast paths.

No Python object per element: a chunk of XML becomes a table of its tags (where each `<`
is, and the bytes after it), and runs of bytes (values, attribute texts) become one polars
String Series, copied from the chunk in one go. The callers decide from these tables
whether they can prove they read the chunk exactly as an XML parser would, and fall back
to expat when they cannot.
"""

from __future__ import annotations

import sys
from typing import Any

LT = 60
_LITTLE_ENDIAN = sys.byteorder == "little"


def byte_series(data: bytes) -> Any:
    """`data` as a polars UInt8 Series, without a copy."""
    import polars as pl
    import pyarrow as pa

    raw = pl.from_arrow(pa.Array.from_buffers(pa.uint8(), len(data), [None, pa.py_buffer(data)]))
    assert isinstance(raw, pl.Series)
    return raw.alias("b")


def tags(b: Any) -> Any:
    """One row per `<` in the bytes `b`: its position L, `code` (the two bytes after it,
    as first * 256 + second) and the third byte `b3` (0 past the end)."""
    import polars as pl

    byte = pl.col("b")
    return (
        pl.DataFrame({"b": b})
        .lazy()
        .with_row_index("L")
        .with_columns(
            b1=byte.shift(-1, fill_value=0),
            b2=byte.shift(-2, fill_value=0),
            b3=byte.shift(-3, fill_value=0),
        )
        .filter(byte == LT)
        .select(
            pl.col("L").cast(pl.Int64),
            code=pl.col("b1").cast(pl.UInt16) * 256 + pl.col("b2").cast(pl.UInt16),
            b3=pl.col("b3"),
        )
        .collect()
    )


def spans(data: bytes, starts: Any, stops: Any) -> Any:
    """The byte ranges [start, stop) of `data` (in order, not overlapping) as a String
    Series, copied in one go: Arrow strings laid over the whole of `data`, every other one
    taken (the others are the gaps between the ranges). The bytes must be UTF-8 cut at
    character boundaries (ASCII markup around them is)."""
    import polars as pl
    import pyarrow as pa

    count = len(starts)
    if count == 0:
        return pl.Series([], dtype=pl.String)
    if _LITTLE_ENDIAN:
        # start, stop, start, stop... as 32-bit offsets: each pair is one 64-bit number
        # stop * 2^32 + start in memory (a multiply-add where interleaving costs a list).
        pairs = stops.cast(pl.UInt64) * (1 << 32) + starts.cast(pl.UInt64)
    else:
        pairs = pl.select(
            pl.concat_arr([pl.lit(starts.cast(pl.Int32)), pl.lit(stops.cast(pl.Int32))])
        ).to_series()
        pairs = pairs.arr.explode()
    laid = pa.StringArray.from_buffers(
        2 * count - 1, pairs.to_arrow().buffers()[1], pa.py_buffer(data)
    )
    evens = pl.int_range(0, 2 * count, 2, dtype=pl.Int32, eager=True).to_arrow()
    out = pl.from_arrow(laid.take(evens))
    assert isinstance(out, pl.Series)
    return out
