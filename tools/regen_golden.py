"""Regenerate the golden requests of examples/: examples/*/expected-request.json.

Goldens are never edited by hand: change a spec or the compiler, run this, and review the diff.
Each example compiles with its own folder as the working directory, no environment variables
and the clock fixed at SOURCE_DATE_EPOCH (or 2026-11-29T10:00:00Z), exactly as
tests/test_examples.py compiles it.

    python tools/regen_golden.py            # rewrite every golden
    python tools/regen_golden.py --check    # exit 1 when a golden differs
"""

from __future__ import annotations

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


def main(argv: list[str]) -> int:
    stale = []
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
