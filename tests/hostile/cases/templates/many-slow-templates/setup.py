from pathlib import Path

SLOW = "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}"


def setup(work: Path) -> None:
    columns = "".join(f'      C{i}: "{SLOW}"\n' for i in range(40))
    (work / "spec.yaml").write_text(
        "specc: 1\nname: Leads\nfiles:\n  - path: leads.csv\n    object: contacts\n"
        "    columns:\n" + columns
    )
