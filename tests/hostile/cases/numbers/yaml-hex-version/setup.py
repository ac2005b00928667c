from pathlib import Path

HEAD = "specc: 0x"
TAIL = """
name: x
files:
  - path: leads.csv
    object: contacts
    columns:
      Email: {property: email, id: true}
"""


def setup(work: Path) -> None:
    (work / "spec.yaml").write_text(HEAD + "f" * 20_000 + TAIL)
