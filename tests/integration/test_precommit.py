"""The real pre-commit, in a temporary git repository, installs specc from this repo's hooks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# One worker runs this module (pytest-xdist --dist loadgroup): the hook environment, built by
# pip install, is made once.
pytestmark = pytest.mark.xdist_group("precommit")
PRE_COMMIT = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which(
    "pre-commit"
)

CLEAN_SPEC = """\
specc: 1
name: Leads
operations: {contacts: create}
files:
  - path: leads.csv
    object: contacts
    columns:
      First Name: firstname
      Email: {property: email, id: true}
"""

BROKEN_SPEC = """\
specc: 1
name: Leads
operations: {contacts: create}
files:
  - path: leads.csv
    object: contacts
    columns:
      First Name: firstname
      Email: {property: lastname, id: true}
"""


def git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def hook_repository(tmp: Path) -> tuple[Path, str]:
    """A git repository holding this project's files as they are now (committed or not)."""
    repo = tmp / "specc-hooks"
    tracked = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\n")
    for name in filter(None, tracked):
        source = ROOT / name
        if not source.is_file() or name.startswith(("tests/", "bench/", "examples/")):
            continue
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target, follow_symlinks=False)
    # `schemas` is a symlink into the package; keep it one.
    git(repo if repo.exists() else tmp, "init", "-q", str(repo))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "specc as it is now")
    return repo, git(repo, "rev-parse", "HEAD")


def user_repository(tmp: Path, hooks: Path, rev: str, spec: str) -> Path:
    project = tmp / "project"
    (project / "imports").mkdir(parents=True)
    (project / "imports" / "leads.yaml").write_text(spec)
    (project / "imports" / "leads.csv").write_text("First Name,Email\nAda,ada@example.com\n")
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n      - id: specc-lint\n"
    )
    git(project, "init", "-q")
    git(project, "add", "-A")
    return project


@pytest.fixture(scope="module")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path]:
    tmp = tmp_path_factory.mktemp("precommit")
    repo, rev = hook_repository(tmp)
    return repo, rev, tmp / "cache"


def run_pre_commit(project: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(cache)}
    env.pop("GITHUB_ACTIONS", None)
    assert PRE_COMMIT is not None, "pre-commit is not installed: pip install -e '.[test]'"
    return subprocess.run(
        [PRE_COMMIT, "run", "--all-files", "--color", "never"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_clean_spec_passes(tmp_path: Path, hooks: tuple[Path, str, Path]) -> None:
    repo, rev, cache = hooks
    project = user_repository(tmp_path, repo, rev, CLEAN_SPEC)
    done = run_pre_commit(project, cache)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "specc lint" in done.stdout and "Passed" in done.stdout


def test_broken_spec_fails_naming_file_and_line(
    tmp_path: Path, hooks: tuple[Path, str, Path]
) -> None:
    repo, rev, cache = hooks
    project = user_repository(tmp_path, repo, rev, BROKEN_SPEC)
    done = run_pre_commit(project, cache)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Failed" in done.stdout
    assert "imports/leads.yaml:9:" in done.stdout
