"""contacts.csv: an address holding ESC[2J, a stage holding OSC 52 (set the clipboard), a
window title (OSC 0) and a C1 CSI (0x9b): each would reach the terminal in a message."""

from pathlib import Path


def setup(work: Path) -> None:
    rows = [
        "Email,Stage",
        "john\x1b[2J@example.com,lead",
        "a@example.com,\x1b]52;c;UFdORUQ=\x07sales\x1b]0;owned\x07",
        "b@example.com,\x9b2Jcustomer",
    ]
    (work / "contacts.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
