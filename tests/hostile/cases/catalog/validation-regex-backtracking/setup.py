"""200 rows whose code is 60,000 a's and a b (under the 65,536-character cell limit),
each one different (no cache helps)."""

from pathlib import Path


def setup(work: Path) -> None:
    with open(work / "data.csv", "w", encoding="utf-8") as f:
        f.write("Email,Code\n")
        for i in range(200):
            f.write(f"u{i}@example.com,{'a' * (60_000 + i)}b\n")
