from pathlib import Path

HEAD = '{"specc": 1, "vars": '


def setup(work: Path) -> None:
    text = HEAD + "[" * 100_000 + "]" * 100_000 + "}"
    (work / "spec.json").write_text(text)
