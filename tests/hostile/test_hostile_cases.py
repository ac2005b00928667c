"""Every hostile-input case folder ends cleanly: exit 1 or 2, in time, in memory, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_kit import case_folders, case_id, problems, run_case


def test_there_are_cases_of_every_class() -> None:
    classes = {folder.parent.name for folder in case_folders()}
    assert len(case_folders()) >= 1
    assert classes, "no hostile-input cases found"


@pytest.mark.parametrize("folder", case_folders(), ids=case_id)
def test_hostile_input_ends_cleanly(folder: Path, tmp_path: Path) -> None:
    outcome = run_case(folder, tmp_path)
    found = problems(outcome)
    assert not found, (
        f"{case_id(folder)}: {'; '.join(found)}\n"
        f"exit {outcome.exit_code}, {outcome.seconds:.1f} s, {outcome.peak_mib:.0f} MiB\n"
        f"--- stdout ---\n{outcome.stdout[-2000:]}\n--- stderr ---\n{outcome.stderr[-2000:]}"
    )
