"""Data beside the spec is allowed: the spec's own folder (and below) is an allowed root,
besides the working directory and each --data-root (spec-format.md, `path`). Everything else
stays out of reach, links followed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SPEC = """\
specc: 1
name: Leads
files:
  - path: {path}
    object: contacts
    columns:
      Email: {{property: email, id: true}}
"""


def specc(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "specc", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path]:
    """work/ (the working directory) and elsewhere/ beside it, holding a spec and its data."""
    work = tmp_path / "work"
    elsewhere = tmp_path / "elsewhere"
    work.mkdir()
    (elsewhere / "data").mkdir(parents=True)
    (elsewhere / "data" / "leads.csv").write_text("Email\nada@example.com\n", "utf-8")
    (elsewhere / "beside.csv").write_text("Email\nada@example.com\n", "utf-8")
    return work, elsewhere


def test_lint_of_a_spec_elsewhere_reads_the_data_beside_it(layout: tuple[Path, Path]) -> None:
    work, elsewhere = layout
    (elsewhere / "spec.yaml").write_text(SPEC.format(path="beside.csv"), "utf-8")
    done = specc(work, "lint", "../elsewhere/spec.yaml")
    assert (done.returncode, done.stdout) == (0, "no problems in 1 spec (1 data file)\n")
    # Below the spec's folder too; and check reads its rows.
    (elsewhere / "spec.yaml").write_text(SPEC.format(path="data/leads.csv"), "utf-8")
    done = specc(work, "check", "../elsewhere/spec.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 row checked" in done.stdout


def test_the_spec_folder_does_not_open_its_parent(layout: tuple[Path, Path]) -> None:
    """The spec in elsewhere/data/ reaches elsewhere/data/ and below, not elsewhere/."""
    work, elsewhere = layout
    (elsewhere / "data" / "spec.yaml").write_text(SPEC.format(path="../beside.csv"), "utf-8")
    done = specc(work, "lint", "../elsewhere/data/spec.yaml")
    assert done.returncode == 1
    assert "error[SPC110] '../beside.csv' resolves to" in done.stdout
    assert "outside the working directory, the spec's folder and every --data-root" in done.stdout


def test_a_link_beside_the_spec_leading_out_is_refused(layout: tuple[Path, Path]) -> None:
    work, elsewhere = layout
    secret = work.parent / "secret"
    secret.mkdir()
    (secret / "leads.csv").write_text("CANARY-beside,Email\n", "utf-8")
    (elsewhere / "link.csv").symlink_to(secret / "leads.csv")
    (elsewhere / "spec.yaml").write_text(SPEC.format(path="link.csv"), "utf-8")
    done = specc(work, "check", "../elsewhere/spec.yaml")
    assert done.returncode == 1
    assert f"resolves to {(secret / 'leads.csv').resolve()}" in done.stdout
    assert "CANARY" not in done.stdout + done.stderr


def test_a_spec_in_the_working_directory_still_cannot_climb_out(
    layout: tuple[Path, Path],
) -> None:
    work, _ = layout
    (work / "spec.yaml").write_text(SPEC.format(path="../elsewhere/beside.csv"), "utf-8")
    done = specc(work, "lint", "spec.yaml")
    assert done.returncode == 1 and "SPC110" in done.stdout
    # --data-root still opens a folder.
    done = specc(work, "lint", "spec.yaml", "--data-root", "../elsewhere")
    assert done.returncode == 0, done.stdout
