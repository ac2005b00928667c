from pathlib import Path

HEAD = "specc: 1\nname: x\nmarketing_event: 0o"
TAIL = """
files:
  - path: leads.csv
    object: contacts
    columns:
      Email: {property: email, id: true}
"""


def setup(work: Path) -> None:
    (work / "spec.yaml").write_text(HEAD + "7" * 20_000 + TAIL)
