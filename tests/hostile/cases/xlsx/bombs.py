"""Workbooks for the .xlsx hostile cases, written part by part at test time (each setup.py
imports this file; the writer is tests/data/workbook_support.py)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

_SUPPORT = Path(__file__).resolve().parents[3] / "data" / "workbook_support.py"


def support() -> ModuleType:
    spec = importlib.util.spec_from_file_location("workbook_support", _SUPPORT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def value_rows(rows: int = 100_000, columns: int = 200) -> Iterator[bytes]:
    """`rows` rows of `columns` numeric cells without references, a thousand at a time:
    the XML a 1 MB bomb inflates to (300 MB for the defaults)."""
    block = (b"<row>" + b"<c><v>1</v></c>" * columns + b"</row>") * 1_000
    for _ in range(rows // 1_000):
        yield block


def bomb(path: Path, header: bytes, *, styles: str | None = None) -> Path:
    """Row 1 is `header` (its <c> elements); below it, 100,000 x 200 cells."""
    made = support()
    row = b'<row r="1">' + header + b"</row>"
    sheet = made.sheet_xml(_chain([row], value_rows()), "A1:GR100001")
    return made.write_workbook(path, sheet, styles=styles)


def _chain(*parts: list[bytes] | Iterator[bytes]) -> Iterator[bytes]:
    for part in parts:
        yield from part
