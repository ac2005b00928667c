from pathlib import Path

HEAD = "specc: 1\nname: x\n"


def setup(work: Path) -> None:
    text = HEAD + "vars: " + "[" * 200_000 + "]" * 200_000
    (work / "spec.yaml").write_text(text)
