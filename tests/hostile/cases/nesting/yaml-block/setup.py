from pathlib import Path

HEAD = "specc: 1\nname: x\n"


def setup(work: Path) -> None:
    text = HEAD + "vars:\n" + "".join(" " * i + "a:\n" for i in range(1, 2_000))
    (work / "spec.yaml").write_text(text)
