from pathlib import Path

HEAD = "specc: 1\nname: x\nvars:\n  a0: &a0 [1]\n"


def setup(work: Path) -> None:
    text = HEAD + "".join(
        f"  a{k}: &a{k} " + "[" * 40 + f"*a{k - 1}" + "]" * 40 + "\n" for k in range(1, 30)
    )
    (work / "spec.yaml").write_text(text)
