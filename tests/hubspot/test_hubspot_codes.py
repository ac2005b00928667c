"""Every SPC5xx code is documented and raised by some test of this folder."""

from __future__ import annotations

from pathlib import Path

from specc.codes import all_codes


def test_every_hubspot_code_is_explained_and_exercised() -> None:
    codes = [c for c in all_codes() if c.code.startswith("SPC5")]
    assert codes, "codes/hubspot.py defines no code"
    here = Path(__file__).parent
    # A file sent in parts is tested with the parts (tests/split).
    others = [p for p in here.glob("test_*.py") if p.name != Path(__file__).name]
    others += list((here.parent / "split").glob("test_*.py"))
    tests = "".join(p.read_text(encoding="utf-8") for p in others)
    for code in codes:
        assert len(code.explanation) > 100, code.code
        tested = f'"{code.code}"' in tests or f"[{code.code}]" in tests
        assert tested, f"{code.code} is never tested"
