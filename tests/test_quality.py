"""The house rules a reviewer would otherwise check by hand: ruff and mypy are clean, and the
repo's own pre-commit hooks are valid and pass."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    assert found is not None, f"{name} is not installed: pip install -e '.[test]'"
    return found


def test_ruff_is_clean() -> None:
    done = subprocess.run(
        [tool("ruff"), "check", "specc", "tests", "bench", "tools"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format_is_clean() -> None:
    done = subprocess.run(
        [tool("ruff"), "format", "--check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_is_clean() -> None:
    done = subprocess.run([tool("mypy")], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


# --- the repo's own .pre-commit-config.yaml -------------------------------------------------

CONFIG = ROOT / ".pre-commit-config.yaml"


def _local_hooks() -> dict[str, dict[str, Any]]:
    config = yaml.safe_load(CONFIG.read_text("utf-8"))
    return {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}


def pre_commit(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    # The hooks run from this environment (language: system): its tools come first on PATH.
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
    }
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [tool("pre-commit"), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_pre_commit_config_is_valid_and_runs_the_house_checks(tmp_path: Path) -> None:
    done = pre_commit("validate-config", str(CONFIG), home=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    hooks = _local_hooks()
    assert {"ruff", "ruff-format", "mypy", "specc-lint", "specc-check"} <= hooks.keys()
    assert hooks["ruff"]["entry"].split()[:2] == ["ruff", "check"]
    assert hooks["ruff-format"]["entry"].split()[:2] == ["ruff", "format"]
    # specc's hooks are the published ones (.pre-commit-hooks.yaml), pointed at examples/.
    published = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    for name in ("specc-lint", "specc-check"):
        assert hooks[name]["entry"] == published[name]["entry"]
        assert hooks[name]["files"].startswith("^examples/")


def test_the_specc_hooks_pass_on_the_examples(tmp_path: Path) -> None:
    specs = sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("examples/*/spec.*"))
    assert len(specs) >= 6
    for hook in ("specc-lint", "specc-check"):
        done = pre_commit("run", hook, "--color", "never", "--files", *specs, home=tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Passed" in done.stdout and "(no files to check)" not in done.stdout, done.stdout
