"""A 4 MB JSON spec: a list of 40,000 long texts (under the YAML reader's node bound), cut off
before its closing bracket, so the error is at the very end."""

from pathlib import Path


def setup(work: Path) -> None:
    texts = ",".join([f'"{"x" * 98}"'] * 40_000)
    (work / "spec.json").write_text('{"specc": 1, "name": "x", "files": [' + texts, "utf-8")
