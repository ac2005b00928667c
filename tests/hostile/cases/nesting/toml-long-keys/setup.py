from pathlib import Path

HEAD = 'specc = 1\n[vars]\n"'


def setup(work: Path) -> None:
    text = HEAD + "k" * 1_000_000 + '" = [' + "1," * 40_000 + "1]\n"
    (work / "spec.toml").write_text(text)
