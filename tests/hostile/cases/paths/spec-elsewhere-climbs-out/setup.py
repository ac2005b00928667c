"""A spec in a folder beside the working directory whose data path climbs out of its folder."""

from pathlib import Path

SPEC = """\
specc: 1
name: Leads
files:
  - path: ../secret/leads.csv
    object: contacts
    columns:
      Email: {property: email, id: true}
"""


def setup(work: Path) -> None:
    base = work.parent / "elsewhere-climbs-out"
    (base / "spec").mkdir(parents=True, exist_ok=True)
    (base / "secret").mkdir(exist_ok=True)
    (base / "secret" / "leads.csv").write_text("CANARY-elsewhere-climbs-9b41,Email\n", "utf-8")
    (base / "spec" / "spec.yaml").write_text(SPEC, "utf-8")
