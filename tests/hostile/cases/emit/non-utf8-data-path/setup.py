import os
from pathlib import Path

CSV = "First Name,Last Name,Email\nAda,Lovelace,ada@example.com\n"


def setup(work: Path) -> None:
    # A folder whose name is not UTF-8 (git cannot hold one portably), reached through a link.
    folder = work / os.fsdecode(b"d\xfe\n$(touch PWNED)")
    folder.mkdir()
    (folder / "leads.csv").write_text(CSV)
    (work / "link").symlink_to(folder.name)
