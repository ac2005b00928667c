from pathlib import Path

HEAD = "specc: 1\nname: x\nvars: {a: !!int "
TAIL = """}
files:
  - path: leads.csv
    object: contacts
    columns:
      Email: {property: email, id: true}
"""


def setup(work: Path) -> None:
    (work / "spec.yaml").write_text(HEAD + "1" * 5_000 + TAIL)
