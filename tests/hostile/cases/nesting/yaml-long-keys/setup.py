from pathlib import Path

HEAD = "specc: 1\nvars:\n  ? "


def setup(work: Path) -> None:
    text = HEAD + "k" * 2_000_000 + "\n  : [" + "1," * 50_000 + "1]\n"
    (work / "spec.yaml").write_text(text)
