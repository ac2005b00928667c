from pathlib import Path

HEAD = 'specc = 1\nname = "x"\nmarketing_event = 0x'
TAIL = """
[[files]]
path = "leads.csv"
object = "contacts"
columns = { Email = { property = "email", id = true } }
"""


def setup(work: Path) -> None:
    (work / "spec.toml").write_text(HEAD + "f" * 20_000 + TAIL)
