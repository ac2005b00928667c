from pathlib import Path


def setup(work: Path) -> None:
    numbers = "".join(f"  n{i}: {'7' * 4_000}\n" for i in range(1_000))
    (work / "spec.yaml").write_text("specc: 1\nname: x\nvars:\n" + numbers)
