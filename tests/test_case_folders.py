"""Every case folder of tests/cases/<stage>/ holds exactly what specc produces for it now.

The expected-* files of a folder (tests/casekit.py says which, per stage) are compared byte for
byte with a fresh run; a golden the case no longer produces, or one it produces and the folder
lacks, fails too. `python tools/regen_golden.py` writes them all, so none is edited by hand.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import casekit
import pytest

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = casekit.case_folders()


def _shown(content: bytes) -> str:
    return content.decode("utf-8", errors="backslashreplace")


@pytest.mark.parametrize(
    "folder", FOLDERS, ids=[f"{casekit.stage_of(f)}/{f.name}" for f in FOLDERS]
)
def test_case_folder_holds_what_specc_produces(folder: Path) -> None:
    fresh = casekit.expected_files(folder)
    held = casekit.written_files(folder)
    hint = f"run: python tools/regen_golden.py {folder.relative_to(ROOT)}"
    assert sorted(held) == sorted(fresh), hint
    for name, content in fresh.items():
        assert _shown(held[name]) == _shown(content), f"{name}: {hint}"
        assert held[name] == content, f"{name} differs in bytes: {hint}"


def test_every_stage_has_cases() -> None:
    for stage in casekit.STAGES:
        assert casekit.case_folders(stage), stage


def test_the_regeneration_command_rewrites_stale_goldens_and_deletes_leftovers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = importlib.util.spec_from_file_location("regen", ROOT / "tools" / "regen_golden.py")
    assert spec is not None and spec.loader is not None
    regen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(regen)
    source = next(
        f for f in casekit.case_folders("spec") if (f / "expected-request.json").is_file()
    )
    folder = tmp_path / "spec" / source.name  # a copy: the stage is the parent folder's name
    shutil.copytree(source, folder)
    (folder / "expected.json").write_text('{"diagnostics": []}\n', "utf-8")
    (folder / "expected-request.json").unlink()
    (folder / "expected-leftover.json").write_text("[]\n", "utf-8")

    assert regen.main(["--check", str(folder)]) == 1
    assert "stale goldens" in capsys.readouterr().err
    assert regen.main([str(folder)]) == 0
    assert casekit.written_files(folder) == casekit.written_files(source)
    assert regen.main(["--check", str(folder)]) == 0
