"""Regenerate golden files: examples/*/expected-request.json and the spec case folders.

Goldens are never edited by hand: change a spec or the compiler, run this, and review the diff.
Each example compiles with its own folder as the working directory, no environment variables
and the clock fixed at 2026-11-29T10:00:00Z, exactly as tests/test_examples.py compiles it.
Each case folder of tests/cases/spec/ gets `expected.json` (its diagnostics: code, severity,
line, column) and, when it compiles, `expected-request.json`, as tests/spec/test_cases.py
runs it.

    python tools/regen_golden.py            # rewrite every golden
    python tools/regen_golden.py --check    # exit 1 when a golden differs
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = "expected-request.json"
SPEC_NAMES = ("spec.yaml", "spec.yml", "spec.toml")
FIXED_NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)


def example_spec(folder: Path) -> Path | None:
    return next((folder / n for n in SPEC_NAMES if (folder / n).is_file()), None)


def example_folders() -> list[Path]:
    return sorted(f for f in EXAMPLES.iterdir() if f.is_dir() and example_spec(f))


def compile_example(folder: Path) -> str:
    """The example's request as specc writes it; raises if the example has errors."""
    sys.path.insert(0, str(ROOT))
    from specc.compiler import request_json
    from specc.pipeline import Options, compile_spec

    spec = example_spec(folder)
    assert spec is not None
    request, result = compile_spec(
        Path(spec.name), Options(cwd=folder, environ={}, now=FIXED_NOW)
    )
    if request is None:
        problems = "\n".join(f"  {d.code} {d.message}" for d in result.diagnostics)
        raise SystemExit(f"{folder.name}: does not compile:\n{problems}")
    return request_json(request)


def case_goldens() -> dict[Path, str]:
    """Every spec case's golden files and their fresh content."""
    sys.path.insert(0, str(ROOT / "tests" / "spec"))
    from casekit import case_folders, run_case

    goldens: dict[Path, str] = {}
    for folder in case_folders():
        found, request = run_case(folder)
        lines = ",\n".join("  " + json.dumps(d) for d in found)
        goldens[folder / "expected.json"] = f"[\n{lines}\n]\n" if found else "[]\n"
        if request is not None:
            goldens[folder / GOLDEN] = request
    return goldens


def main(argv: list[str]) -> int:
    stale = []
    for path, text in case_goldens().items():
        if "--check" in argv:
            if not path.is_file() or path.read_text("utf-8") != text:
                stale.append(str(path.relative_to(ROOT)))
            continue
        path.write_text(text, "utf-8")
    for folder in example_folders():
        text = compile_example(folder)
        golden = folder / GOLDEN
        if "--check" in argv:
            if not golden.is_file() or golden.read_text("utf-8") != text:
                stale.append(folder.name)
            continue
        golden.write_text(text, "utf-8")
        print(f"wrote {golden.relative_to(ROOT)}")
    if stale:
        print("stale goldens: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
