from pathlib import Path


def setup(work: Path) -> None:
    # About 150 KB of name: past the 128 KiB one program argument may hold on Linux.
    name = "touch PWNED\\n" * 12_000
    spec = (work / "spec.yaml").read_text()
    (work / "spec.yaml").write_text(spec.replace("name: PLACEHOLDER", f'name: "{name}"'))
