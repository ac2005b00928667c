from pathlib import Path


def setup(work: Path) -> None:
    (work / "spec.toml").write_text('specc = 1\nname = "x"\n' + "[[vars]]\n" * 400_000)
