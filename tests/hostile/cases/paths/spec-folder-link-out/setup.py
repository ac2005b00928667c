"""A spec in a folder of its own whose data file is a link to a file outside every root."""

from pathlib import Path

SPEC = """\
specc: 1
name: Leads
files:
  - path: leads.csv
    object: contacts
    columns:
      Email: {property: email, id: true}
"""


def setup(work: Path) -> None:
    outside = work.parent / "outside-spec-folder-link"
    outside.mkdir(exist_ok=True)
    (outside / "leads.csv").write_text("CANARY-spec-folder-link-7c2e,Email\n", "utf-8")
    (work / "sub").mkdir()
    (work / "sub" / "spec.yaml").write_text(SPEC, "utf-8")
    (work / "sub" / "leads.csv").symlink_to(outside / "leads.csv")
