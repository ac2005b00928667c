"""A workbook cell that makes python-calamine's Rust code panic (a date or a duration out of
any calendar's range) is a broken spreadsheet, told once, as specc tells it: no Rust panic
report and no backtrace on the terminal, even with RUST_BACKTRACE=1 set, as it often is on
developers' machines (`--debug` keeps it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from panic_workbooks import PANICKING_CELL, workbook_with_header

SPEC = """\
specc: 1
name: Leads
files:
  - path: leads.xlsx
    object: contacts
    columns:
      Email: {property: email, id: true}
      Joined: firstname
"""
# Style 1 is a date format: -1e15 days saturates calamine's milliseconds (chrono panics).
# Built-in format 46 ([h]:mm:ss) is a duration: 10^12 days is past any timedelta.
CELLS = {
    "date": PANICKING_CELL,
    "duration": '<c r="B1" s="2"><v>1e12</v></c>',
}


def specc(cwd: Path, *args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    """`specc ARGS` with RUST_BACKTRACE=1 (with `code`: that program, given ARGS, instead)."""
    program = ["-m", "specc"] if code is None else ["-c", code]
    return subprocess.run(
        [sys.executable, *program, *args],
        cwd=cwd,
        env={**os.environ, "RUST_BACKTRACE": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("kind", CELLS)
def test_a_header_cell_out_of_any_calendar_is_a_broken_spreadsheet_without_a_panic(
    tmp_path: Path, kind: str
) -> None:
    workbook_with_header(tmp_path / "leads.xlsx", CELLS[kind])
    (tmp_path / "spec.yaml").write_text(SPEC)
    done = specc(tmp_path, "check", "spec.yaml")
    assert done.returncode == 1, done.stderr
    assert "error[SPC307]" in done.stdout
    assert "out of any calendar's range" in done.stdout
    assert "panicked" not in done.stderr and "backtrace" not in done.stderr
    assert done.stderr == ""


# The same cell read by python-calamine itself (as a .xls file is): its Rust code panics.
CALAMINE_READS = """
import sys
from specc.tables import xlsx_header
def leave_it(path):
    raise xlsx_header.Unsupported("left to python-calamine for this test")
xlsx_header.read_xlsx_header = leave_it
from specc.cli import main
main(sys.argv[1:])
"""


def test_a_panic_in_python_calamine_prints_no_backtrace_unless_debug(tmp_path: Path) -> None:
    workbook_with_header(tmp_path / "leads.xlsx", CELLS["date"])
    (tmp_path / "spec.yaml").write_text(SPEC)
    quiet = specc(tmp_path, "lint", "spec.yaml", code=CALAMINE_READS)
    assert quiet.returncode == 1, quiet.stderr
    assert "error[SPC307]" in quiet.stdout and "out of any calendar's range" in quiet.stdout
    # Rust's own one-line report stays (nothing in Python can stop it); its frames do not.
    assert "stack backtrace" not in quiet.stderr
    assert len(quiet.stderr.strip().splitlines()) <= 3, quiet.stderr
    shown = specc(tmp_path, "lint", "spec.yaml", "--debug", code=CALAMINE_READS)
    assert "stack backtrace" in shown.stderr
