"""Every code of `specc plan` (SPC600-649) is explained and predicted by some test here."""

from __future__ import annotations

from pathlib import Path

from specc.codes import all_codes


def test_every_plan_code_is_explained_and_exercised() -> None:
    codes = [c for c in all_codes() if "SPC600" <= c.code <= "SPC649"]
    assert len(codes) == 5
    here = Path(__file__).parent
    tests = "".join(
        p.read_text(encoding="utf-8")
        for p in here.glob("test_*.py")
        if p.name != Path(__file__).name
    )
    for code in codes:
        assert len(code.explanation) > 100, code.code
        assert code.hubspot_error, code.code
        # The tests assert the HubSpot error each failing row is predicted with.
        assert f'"{code.hubspot_error}"' in tests, f"{code.code} is never predicted by a test"
