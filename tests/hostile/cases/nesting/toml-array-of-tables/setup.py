from pathlib import Path

HEAD = 'specc = 1\nname = "x"\n'


def setup(work: Path) -> None:
    text = HEAD + "".join("[[" + ".".join(["a"] * k) + "]]\n" for k in range(1, 40))
    (work / "spec.toml").write_text(text)
