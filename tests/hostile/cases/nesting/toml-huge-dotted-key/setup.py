from pathlib import Path

HEAD = 'specc = 1\nname = "x"\n'


def setup(work: Path) -> None:
    text = HEAD + "vars." + ".".join(["a"] * 1_000_000) + " = 1\n"
    (work / "spec.toml").write_text(text)
