"""Regenerate every golden file: examples/*/expected-request.json and the case folders'.

Goldens are never edited by hand: change a spec, a case or specc, run this, and review the diff.
Each example compiles with its own folder as the working directory, no environment variables
and the clock fixed at 2026-11-29T10:00:00Z, exactly as tests/test_examples.py compiles it.
Each case folder of tests/cases/<stage>/ gets the expected-* files its stage writes
(tests/casekit.py says which); an expected-* file the case no longer produces is deleted.

    python tools/regen_golden.py                  # rewrite every golden
    python tools/regen_golden.py tests/cases/spec/clean-minimal   # only these folders
    python tools/regen_golden.py --check          # exit 1 when a golden differs
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # this checkout's specc, and casekit

import casekit  # noqa: E402

from specc.compiler import request_json  # noqa: E402
from specc.diagnostics import Result  # noqa: E402
from specc.pipeline import compile_spec  # noqa: E402
from specc.run import Options  # noqa: E402

EXAMPLES = ROOT / "examples"
GOLDEN = "expected-request.json"
SPEC_NAMES = ("spec.yaml", "spec.yml", "spec.toml")
FIXED_NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)


def example_spec(folder: Path) -> Path | None:
    return next((folder / n for n in SPEC_NAMES if (folder / n).is_file()), None)


def example_folders() -> list[Path]:
    return sorted(f for f in EXAMPLES.iterdir() if f.is_dir() and example_spec(f))


def example_request(folder: Path, **extra: Any) -> tuple[str | None, Result]:
    """The example's request as specc writes it (None when it has errors), and the result;
    `extra` are more Options (vars, ...)."""
    spec = example_spec(folder)
    assert spec is not None
    options = Options(cwd=folder, environ={}, now=FIXED_NOW, **extra)
    request, result = compile_spec(Path(spec.name), options)
    return (None if request is None else request_json(request)), result


def compile_example(folder: Path) -> str:
    """The example's request as specc writes it; exits naming the problems if it has errors."""
    text, result = example_request(folder)
    if text is None:
        problems = "\n".join(f"  {d.code} {d.message}" for d in result.diagnostics)
        raise SystemExit(f"{folder.name}: does not compile:\n{problems}")
    return text


def goldens(folders: list[Path]) -> dict[Path, bytes | None]:
    """Each golden file of these folders and its fresh content (None: it must not exist)."""
    wanted: dict[Path, bytes | None] = {}
    for folder in folders:
        if folder.parent == EXAMPLES:
            wanted[folder / GOLDEN] = compile_example(folder).encode("utf-8")
            continue
        fresh = casekit.expected_files(folder)
        for name in casekit.written_files(folder).keys() - fresh.keys():
            wanted[folder / name] = None
        for name, content in fresh.items():
            wanted[folder / name] = content
    return wanted


def all_folders() -> list[Path]:
    return [*example_folders(), *casekit.case_folders()]


def main(argv: list[str]) -> int:
    check = "--check" in argv
    chosen = [Path(a).resolve() for a in argv if a != "--check"]
    stale = []
    for path, content in goldens(chosen or all_folders()).items():
        current = path.read_bytes() if path.is_file() else None
        if current == content:
            continue
        shown = str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        stale.append(shown)
        if check:
            continue
        if content is None:
            path.unlink()
            print(f"deleted {shown}")
        else:
            path.write_bytes(content)
            print(f"wrote {shown}")
    if check and stale:
        print(
            "stale goldens (run python tools/regen_golden.py): " + ", ".join(stale), file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
