"""Benchmark of `specc check`: speed, memory and accuracy on a generated contacts file.

    python bench/check_bench.py                 # 1,000,000 rows (about 120 MB), all measures
    python bench/check_bench.py --rows 20000    # smaller, e.g. in tests
    python bench/check_bench.py --results bench/results.md
    python bench/check_bench.py --crlf          # rows ending in CRLF, as Excel writes them

It writes, into a scratch folder (`--dir`, default a temporary one):

- `contacts.csv`: ROWS rows of 10 columns (email, first and last name, phone, lifecycle stage
  and lead status with HubSpot's default options, a number, a date, a website domain, a
  city), with a few quoted cells (commas, a line break inside a cell) and errors planted at
  known rows: bad emails, dates, options, numbers and domains, repeated emails, rows with a
  cell too many or too few, rows missing every required contact property;
- `spec.yaml` and `catalog.json` (a catalog snapshot) that map it;
- `schema.json`, the equivalent Frictionless Table Schema.

Then it measures, side by side in one run:

1. Python's `csv` module merely reading the file (`csv.reader`, every row, in this process);
2. `specc check spec.yaml --format json` through the real CLI, in a subprocess: wall time and
   peak memory (the child's maximum resident set size, from `os.wait4`);
3. `frictionless validate --schema schema.json contacts.csv` in a subprocess;
4. pyarrow's CSV reader merely parsing the file into string columns (all its threads), in
   this process: the baseline of the CRLF goal;
5. the same parse as a process of its own (`python -c "import pyarrow.csv; ..."`, wall time,
   alternated with specc's runs), so that specc's CLI, which pays for its interpreter and
   imports, is also compared like for like.

and checks that specc found every planted error, at its line and column with HubSpot's error
name, and flagged no clean row. It prints a table of figures with the ratios against the
goals (specc <= 1.5x the csv read, >= 30x faster than frictionless, <= 1 GiB) and exits 1
when a planted error is missed or a clean row flagged.

    python bench/check_bench.py --fix                   # specc fix against specc check
    python bench/check_bench.py --fix --fixable 0.7     # 70% of the rows messy but fixable

`--fix` measures `specc fix spec.yaml -o DIR --format json` (every change listed) against
`specc check` on the same file, alternated, in subprocesses: wall time and peak memory; the
goals are fix within 2x check's time and under 1 GiB. `--fixable SHARE` first rewrites that
share of the rows into forms fix rewrites (an ISO date, `$1,234.00`, `LEAD`, `Y`-less
spellings, a URL for the domain), so the memory goal is measured with many bad cells.

Frictionless is a benchmark dependency only: `pip install frictionless`. Without it, step 3
is skipped with a note.

Before timing, specc's modules are byte-compiled (`compileall`), as installing specc does, so
that a development checkout does not pay for compiling its edited modules in every timed run.

    python bench/check_bench.py --xlsx          # the same rows as an .xlsx workbook

`--xlsx` writes the rows as Excel saves them instead (`contacts.xlsx`: text as shared strings,
scores as numbers, dates as date-formatted numbers) and measures python-calamine merely
reading the sheet (every row, in a child process) against `specc check`: the goals are
specc within 1.0x calamine's read and 512 MiB, every planted error found (a row with a cell
too few is no error in a sheet: its last cell is just empty).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

GOAL_VS_CSV = 1.5
GOAL_VS_ARROW = 2.0
GOAL_VS_FRICTIONLESS = 30.0
GOAL_MEMORY = 1 << 30
GOAL_VS_CALAMINE = 1.0
GOAL_XLSX_MEMORY = 512 << 20
GOAL_FIX_VS_CHECK = 2.0

HEADER = [
    "Email",
    "First Name",
    "Last Name",
    "Phone",
    "Lifecycle Stage",
    "Lead Status",
    "Score",
    "Signup Date",
    "Website",
    "City",
]
# HubSpot's default options (shared/reference/hubspot-properties/contacts.json).
LIFECYCLE = [
    ("subscriber", "Subscriber"),
    ("lead", "Lead"),
    ("marketingqualifiedlead", "Marketing Qualified Lead"),
    ("salesqualifiedlead", "Sales Qualified Lead"),
    ("opportunity", "Opportunity"),
    ("customer", "Customer"),
    ("evangelist", "Evangelist"),
    ("other", "Other"),
]
LEAD_STATUS = [
    ("NEW", "New"),
    ("OPEN", "Open"),
    ("IN_PROGRESS", "In Progress"),
    ("OPEN_DEAL", "Open Deal"),
    ("UNQUALIFIED", "Unqualified"),
    ("ATTEMPTED_TO_CONTACT", "Attempted to Contact"),
    ("CONNECTED", "Connected"),
    ("BAD_TIMING", "Bad Timing"),
]
FIRST = ["Anna", "Ben", "Chloé", "David", "Emma", "Felix", "Greta", "Hugo", "Inès", "Jonas"]
LAST = ["Müller", "Schmidt", "Smith", "Johnson", "García", "Rossi", "Dubois", "Novak", "Nguyen"]
CITIES = ["Berlin", "London", "New York", "Paris", "Madrid", "Zürich", "São Paulo", "Tokyo"]
QUOTED_CITIES = ["Washington, D.C.", 'The "Big" Apple', "Frankfurt am Main\nHesse"]

# What is planted: kind -> (column, HubSpot error, bad values). Column None: the whole row.
PLANTS: dict[str, tuple[str | None, str, list[str]]] = {
    "email": (
        "Email",
        "INVALID_EMAIL",
        ["john@@example.com", "no-at-sign.example.com", "a b@x.org"],
    ),
    "date": ("Signup Date", "COULD_NOT_PARSE_DATE", ["31/12/2020", "2020-12-31", "02/30/2021"]),
    "lifecycle": ("Lifecycle Stage", "INVALID_ENUMERATION_OPTION", ["prospect", "vip"]),
    "lead_status": ("Lead Status", "INVALID_ENUMERATION_OPTION", ["HOT", "cold lead"]),
    "number": ("Score", "COULD_NOT_PARSE_NUMBER", ["12,5", "1.2.3", "n/a"]),
    "domain": ("Website", "INVALID_DOMAIN", ["exa mple.com", "nodot", "site.nope"]),
    "duplicate": ("Email", "DUPLICATE_ALTERNATE_ID", []),
    "required": ("Email", "MISSING_REQUIRED_PROPERTY", []),
    "short_row": (None, "INCORRECT_NUMBER_OF_COLUMNS", []),
    "long_row": (None, "INCORRECT_NUMBER_OF_COLUMNS", []),
}


@dataclass(frozen=True)
class Planted:
    line: int
    column: str | None
    error: str


def generate(folder: Path, rows: int, seed: int, line_end: str = "\n") -> list[Planted]:
    """Write the data file, spec, catalog and schema; return what was planted where.
    `line_end`: what ends each row ("\\r\\n" as Excel and csv.writer write it)."""
    planted: list[Planted] = []
    line = 2
    with open(folder / "contacts.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator=line_end)
        writer.writerow(HEADER)
        for cells, kind in contact_rows(rows, seed):
            if kind is not None:
                column, error, _ = PLANTS[kind]
                planted.append(Planted(line, column, error))
            writer.writerow(cells)
            line += 1 + sum(c.count("\n") for c in cells)
    write_companions(folder, "contacts.csv")
    return planted


def contact_rows(rows: int, seed: int) -> Iterator[tuple[list[str], str | None]]:
    """Each data row's cells (text) and the kind of error planted in it (None: none)."""
    rng = random.Random(seed)
    per_kind = max(2, rows // 10_000)
    candidates = rng.sample(range(rows), min(rows, per_kind * len(PLANTS) + 50))
    plan: dict[int, str] = {}
    kinds = list(PLANTS)
    for n, index in enumerate(candidates[: per_kind * len(PLANTS)]):
        plan[index] = kinds[n % len(kinds)]
    quoted = set(candidates[per_kind * len(PLANTS) :])
    emails: list[str] = []
    for i in range(rows):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{ascii_name(first)}.{ascii_name(last)}.{i}@example{i % 97}.com"
        cells = [
            email,
            first,
            last,
            f"+4930{rng.randint(1_000_000, 9_999_999)}",
            rng.choice(rng.choice(LIFECYCLE)),
            rng.choice(rng.choice(LEAD_STATUS)),
            str(rng.randint(0, 100_000)),
            f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/{rng.randint(1990, 2025)}",
            f"site{i % 5000}.example.com",
            rng.choice(QUOTED_CITIES) if i in quoted else rng.choice(CITIES),
        ]
        kind = plan.get(i)
        if kind == "duplicate" and not emails:
            kind = None
        if kind is not None:
            column, _, bad = PLANTS[kind]
            if bad:
                cells[HEADER.index(column or "")] = rng.choice(bad)
            elif kind == "duplicate":
                cells[0] = rng.choice(emails).upper()
            elif kind == "required":
                cells[0] = cells[1] = cells[2] = ""
            elif kind == "short_row":
                cells.pop()
            elif kind == "long_row":
                cells.append("extra")
        if kind is None or kind in ("date", "lifecycle", "lead_status", "number", "domain"):
            emails.append(email)  # a row HubSpot reads, with its email
        yield cells, kind


def write_companions(folder: Path, data: str) -> None:
    """The spec (mapping `data`), the catalog snapshot and the Table Schema."""
    (folder / "catalog.json").write_text(json.dumps(catalog(), indent=1), encoding="utf-8")
    spec = SPEC.replace("path: contacts.csv", f"path: {data}")
    (folder / "spec.yaml").write_text(spec, encoding="utf-8")
    (folder / "schema.json").write_text(json.dumps(table_schema(), indent=1), encoding="utf-8")


def generate_xlsx(folder: Path, rows: int, seed: int) -> list[Planted]:
    """The same rows as `generate`, as Excel saves them in contacts.xlsx: text as shared
    strings, the scores as numbers, the valid dates as date-formatted numbers, empty cells
    left out. A row with a cell too few is just a row with an empty last cell in a sheet,
    so that plant is not an error there; line numbers are sheet rows."""
    planted: list[Planted] = []
    strings: dict[str, int] = {}

    def text(value: str) -> str:
        index = strings.setdefault(value, len(strings))
        return f' t="s"><v>{index}</v>'

    with zipfile.ZipFile(folder / "contacts.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
        for name, part in XLSX_PARTS.items():
            archive.writestr(name, part)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(XLSX_SHEET_START)
            buffer = [_xlsx_row(1, [text(h) for h in HEADER])]
            for i, (cells, kind) in enumerate(contact_rows(rows, seed)):
                line = i + 2
                if kind is not None and kind != "short_row":
                    column, error, _ = PLANTS[kind]
                    planted.append(Planted(line, column, error))
                typed = []
                for j, cell in enumerate(cells):
                    if cell == "":
                        typed.append("")
                    elif j == 6 and cell.isdigit():
                        typed.append(f"><v>{cell}</v>")
                    elif j == 7 and (serial := _excel_serial(cell)) is not None:
                        typed.append(f' s="1"><v>{serial}</v>')
                    else:
                        typed.append(text(cell))
                buffer.append(_xlsx_row(line, typed))
                if len(buffer) >= 10_000:
                    sheet.write("".join(buffer).encode())
                    buffer.clear()
            sheet.write("".join(buffer).encode() + b"</sheetData></worksheet>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as shared:
            shared.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            chunk: list[str] = []
            for value in strings:
                preserve = ' xml:space="preserve"' if value != value.strip() else ""
                chunk.append(f"<si><t{preserve}>{escape(value)}</t></si>")
                if len(chunk) >= 10_000:
                    shared.write("".join(chunk).encode())
                    chunk.clear()
            shared.write("".join(chunk).encode() + b"</sst>")
    write_companions(folder, "contacts.xlsx")
    return planted


def _xlsx_row(line: int, cells: list[str]) -> str:
    body = "".join(f'<c r="{chr(65 + j)}{line}"{cell}</c>' for j, cell in enumerate(cells) if cell)
    return f'<row r="{line}">{body}</row>'


def _excel_serial(text: str) -> int | None:
    """MM/DD/YYYY as Excel's day count, or None when it is no date."""
    try:
        month, day, year = (int(part) for part in text.split("/"))
        return (date(year, month, day) - date(1899, 12, 30)).days
    except ValueError:
        return None


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"
XLSX_SHEET_START = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}">'
    "<sheetData>"
).encode()
XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPES}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPES}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPES}.sharedStrings+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_TYPES}.styles+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_RELS}">'
        f'<Relationship Id="rId1" Type="{_DOC_RELS}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" '
        f'xmlns:r="{_DOC_RELS}"><sheets><sheet name="Contacts" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>"
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_RELS}">'
        f'<Relationship Id="rId1" Type="{_DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        f'<Relationship Id="rId3" Type="{_DOC_RELS}/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
    # Cell style 1 shows a date (built-in number format 14, m/d/yyyy).
    "xl/styles.xml": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_MAIN}">'
        '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
        "</cellXfs></styleSheet>"
    ),
}


def ascii_name(name: str) -> str:
    """Chloé -> chloe: HubSpot takes only ASCII before the @."""
    decomposed = unicodedata.normalize("NFKD", name.lower())
    return "".join(ch for ch in decomposed if ch.isascii())


SPEC = """\
specc: 1
name: Benchmark contacts
catalog: catalog.json
date_format: MONTH_DAY_YEAR
operations:
  contacts: create
files:
  - path: contacts.csv
    object: contacts
    columns:
      Email: {property: email, id: true}
      First Name: firstname
      Last Name: lastname
      Phone: phone
      Lifecycle Stage: lifecyclestage
      Lead Status: hs_lead_status
      Score: lead_score
      Signup Date: signup_date
      Website: website_domain
      City: city
"""


def catalog() -> dict[str, object]:
    def text(name: str, label: str, **more: object) -> dict[str, object]:
        return {"name": name, "label": label, "type": "string", "fieldType": "text", **more}

    def choice(name: str, label: str, options: list[tuple[str, str]]) -> dict[str, object]:
        return {
            "name": name,
            "label": label,
            "type": "enumeration",
            "fieldType": "radio",
            "options": [{"value": v, "label": lb} for v, lb in options],
        }

    return {
        "catalog": 1,
        "portalId": 12345678,
        "pulledAt": "2026-11-29T10:00:00Z",
        "objects": [
            {
                "objectTypeId": "0-1",
                "name": "contacts",
                "properties": [
                    text("email", "Email"),
                    text("firstname", "First Name"),
                    text("lastname", "Last Name"),
                    {
                        "name": "phone",
                        "label": "Phone Number",
                        "type": "string",
                        "fieldType": "phonenumber",
                    },
                    choice("lifecyclestage", "Lifecycle Stage", LIFECYCLE),
                    choice("hs_lead_status", "Lead Status", LEAD_STATUS),
                    {
                        "name": "lead_score",
                        "label": "Score",
                        "type": "number",
                        "fieldType": "number",
                    },
                    {
                        "name": "signup_date",
                        "label": "Signup date",
                        "type": "date",
                        "fieldType": "date",
                    },
                    text("website_domain", "Website domain", textDisplayHint="domain_name"),
                    text("city", "City"),
                    {
                        "name": "hs_object_id",
                        "label": "Record ID",
                        "type": "number",
                        "fieldType": "number",
                        "modificationMetadata": {"readOnlyValue": True},
                    },
                ],
            }
        ],
    }


def table_schema() -> dict[str, object]:
    """What Frictionless checks, as close to specc's checks as Table Schema can say."""
    label = "|".join(v for pair in LIFECYCLE for v in pair)
    status = "|".join(v for pair in LEAD_STATUS for v in pair)
    return {
        "fields": [
            {"name": "Email", "type": "string", "format": "email", "constraints": {"unique": True}},
            {"name": "First Name", "type": "string"},
            {"name": "Last Name", "type": "string"},
            {"name": "Phone", "type": "string", "constraints": {"pattern": r"\+?[0-9 ()./-]{5,}"}},
            {"name": "Lifecycle Stage", "type": "string", "constraints": {"pattern": label}},
            {"name": "Lead Status", "type": "string", "constraints": {"pattern": status}},
            {"name": "Score", "type": "number"},
            {"name": "Signup Date", "type": "date", "format": "%m/%d/%Y"},
            {
                "name": "Website",
                "type": "string",
                "constraints": {"pattern": r"([a-z0-9-]+\.)+[a-z]{2,}"},
            },
            {"name": "City", "type": "string"},
        ]
    }


# --- measuring ------------------------------------------------------------------------------


def csv_read_seconds(path: Path) -> float:
    start = time.perf_counter()
    with open(path, encoding="utf-8", newline="") as f:
        for _ in csv.reader(f):
            pass
    return time.perf_counter() - start


def arrow_parse_seconds(path: Path) -> float:
    """pyarrow merely parsing the file into string columns (all its threads; rows with a
    wrong cell count skipped), in this process."""
    import pyarrow.csv as pacsv

    start = time.perf_counter()
    pacsv.read_csv(
        path,
        parse_options=pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=_skip),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(HEADER, "string"), strings_can_be_null=False
        ),
    )
    return time.perf_counter() - start


def _skip(row: object) -> str:
    return "skip"


# arrow_parse_seconds's parse, as a child process: interpreter, import and parse, as the
# specc CLI is measured.
ARROW_PARSE = """
import sys
import pyarrow.csv as pacsv

def skip(row):
    return "skip"

pacsv.read_csv(
    sys.argv[1],
    parse_options=pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=skip),
    convert_options=pacsv.ConvertOptions(
        column_types=dict.fromkeys(sys.argv[2:], "string"), strings_can_be_null=False
    ),
)
"""


def arrow_process_command(path: Path) -> list[str]:
    return [sys.executable, "-c", ARROW_PARSE, str(path), *HEADER]


def compile_specc() -> None:
    """Byte-compile specc's modules before its CLI is timed, as installing it does: a
    development checkout run with PYTHONDONTWRITEBYTECODE (or edited since its last run)
    would otherwise compile every changed module again in each timed child, which no
    installed specc does (pyarrow, polars and calamine come compiled)."""
    import importlib.util

    spec = importlib.util.find_spec("specc")
    if spec is None or not spec.submodule_search_locations:
        return
    for folder in spec.submodule_search_locations:
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", folder],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )


# The child is started by a small launcher, which times it and reads its peak: a child
# spawned by this process directly would report this process's own peak as well (Linux folds
# the parent's high-water mark into a vfork'd child's ru_maxrss at exec), and this process
# holds the reports it reads. The launcher's time is the child's alone.
_LAUNCHER = """
import os, sys, time
out = os.open(sys.argv[1], os.O_WRONLY | os.O_TRUNC)
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.dup2(out, 1)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def run_child(
    command: list[str], cwd: Path, *, keep_output: bool = True
) -> tuple[float, int, int, bytes]:
    """(wall seconds, peak RSS in bytes, exit code, stdout) of one child process; stdout is
    empty unless `keep_output`."""
    with tempfile.NamedTemporaryFile() as out:
        launcher = [sys.executable, "-c", _LAUNCHER, out.name, *command]
        done = subprocess.run(launcher, cwd=cwd, capture_output=True, text=True, check=True)
        wall, peak_kib, code = done.stdout.split()
        # ru_maxrss is in KiB on Linux.
        output = Path(out.name).read_bytes() if keep_output else b""
        return float(wall), int(peak_kib) * 1024, int(code), output


def specc_command(folder: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "specc",
        "check",
        str(folder / "spec.yaml"),
        "--format",
        "json",
        "--max-errors",
        "100000000",
    ]


def frictionless_command(folder: Path) -> list[str] | None:
    exe = shutil.which("frictionless") or str(Path(sys.executable).with_name("frictionless"))
    if not Path(exe).exists():
        return None
    # Relative paths (the child runs in `folder`): frictionless refuses absolute ones.
    return [
        exe,
        "validate",
        "--schema",
        "schema.json",
        "--limit-errors",
        "100000000",
        "contacts.csv",
    ]


def accuracy(
    report: bytes, planted: list[Planted]
) -> tuple[list[Planted], list[dict[str, object]]]:
    """(planted errors specc missed, diagnostics on rows where nothing was planted)."""
    document = json.loads(report)
    found = {
        (d["data"]["line"], d["data"]["column"], d["hubspot_error"])
        for d in document["diagnostics"]
        if d.get("data") and d["data"].get("line") is not None
    }
    missed = [p for p in planted if (p.line, p.column, p.error) not in found]
    planted_lines = {p.line for p in planted}
    invented = [
        d
        for d in document["diagnostics"]
        if not (d.get("data") and d["data"].get("line") in planted_lines)
    ]
    return missed, invented


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--dir", type=Path, help="scratch folder (default: a temporary one)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of csv and specc")
    parser.add_argument("--no-frictionless", action="store_true")
    parser.add_argument("--results", type=Path, help="also write the table here (Markdown)")
    parser.add_argument(
        "--xlsx", action="store_true", help="an .xlsx workbook, against python-calamine's read"
    )
    parser.add_argument(
        "--crlf", action="store_true", help="rows end in CRLF, as Excel and csv.writer write them"
    )
    parser.add_argument(
        "--fix", action="store_true", help="specc fix against specc check on the same file"
    )
    parser.add_argument(
        "--fixable",
        type=float,
        default=0.0,
        help="with --fix: the share of rows made messy in ways fix rewrites",
    )
    args = parser.parse_args(argv)

    scratch = args.dir or Path(tempfile.mkdtemp(prefix="specc-bench-"))
    scratch.mkdir(parents=True, exist_ok=True)
    compile_specc()
    try:
        return xlsx_bench(args, scratch) if args.xlsx else bench(args, scratch)
    finally:
        if args.dir is None:
            shutil.rmtree(scratch, ignore_errors=True)


def bench(args: argparse.Namespace, folder: Path) -> int:
    started = time.perf_counter()
    planted = generate(folder, args.rows, args.seed, "\r\n" if args.crlf else "\n")
    data = folder / "contacts.csv"
    if args.fix and args.fixable > 0:
        make_fixable(data, args.fixable, args.seed, "\r\n" if args.crlf else "\n")
    size = data.stat().st_size
    print(
        f"generated {args.rows:,} rows, {size / 1e6:,.1f} MB, {len(planted):,} planted errors "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    if args.fix:
        return fix_bench(args, folder, size)

    csv_times = [csv_read_seconds(data) for _ in range(args.repeat)]
    arrow_times = [arrow_parse_seconds(data) for _ in range(args.repeat)]
    # Alternated, so that a busy moment of the machine does not favour either.
    arrow_process_runs, specc_runs = [], []
    for _ in range(args.repeat):
        arrow_process_runs.append(run_child(arrow_process_command(data), folder))
        specc_runs.append(run_child(specc_command(folder), folder))
    if any(run[2] != 0 for run in arrow_process_runs):
        print("pyarrow failed to parse the file in a child process")
        return 1
    arrow_process = min(r[0] for r in arrow_process_runs)
    specc_wall = min(r[0] for r in specc_runs)
    specc_rss = max(r[1] for r in specc_runs)
    report = specc_runs[-1][3]
    missed, invented = accuracy(report, planted)

    frictionless_wall: float | None = None
    note = ""
    command = None if args.no_frictionless else frictionless_command(folder)
    if command is not None:
        frictionless_wall, _, _, output = run_child(command, folder)
        if b"type-error" not in output:  # it did not validate the rows: say so, no figure
            note = "frictionless failed: " + output.decode("utf-8", "replace")[-500:]
            frictionless_wall = None
    elif not args.no_frictionless:
        note = "frictionless not installed (pip install frictionless): comparison skipped"

    csv_best = min(csv_times)
    vs_arrow = specc_wall / min(arrow_times)
    rows = [
        ("rows, size", f"{args.rows:,} rows, {size / 1e6:,.1f} MB", ""),
        (f"csv module, read only (best of {args.repeat})", f"{csv_best:.2f} s", ""),
        (f"pyarrow, parse only (best of {args.repeat})", f"{min(arrow_times):.2f} s", ""),
        (
            f"specc check, CLI (best of {args.repeat})",
            f"{specc_wall:.2f} s",
            f"{specc_wall / csv_best:.2f}x the csv read (goal <= {GOAL_VS_CSV}x): "
            f"{'met' if specc_wall <= GOAL_VS_CSV * csv_best else 'NOT met'}",
        ),
        (
            "specc check against pyarrow's parse",
            f"{vs_arrow:.2f}x",
            f"goal <= {GOAL_VS_ARROW}x for CRLF rows"
            + (f": {'met' if vs_arrow <= GOAL_VS_ARROW else 'NOT met'}" if args.crlf else ""),
        ),
        (
            f"pyarrow, parse only, as a process (best of {args.repeat})",
            f"{arrow_process:.2f} s",
            "python + import pyarrow.csv + the same parse: timed as specc's CLI is",
        ),
        (
            "specc check against pyarrow's parse as a process",
            f"{specc_wall / arrow_process:.2f}x",
            "like for like (both processes); no goal",
        ),
        (
            "specc check, peak memory",
            f"{specc_rss / 2**20:,.0f} MiB",
            f"goal <= 1024 MiB: {'met' if specc_rss <= GOAL_MEMORY else 'NOT met'}",
        ),
    ]
    if frictionless_wall is not None:
        speedup = frictionless_wall / specc_wall
        rows.append(
            (
                "frictionless validate",
                f"{frictionless_wall:.1f} s",
                f"specc is {speedup:.0f}x faster (goal >= {GOAL_VS_FRICTIONLESS:.0f}x): "
                f"{'met' if speedup >= GOAL_VS_FRICTIONLESS else 'NOT met'}",
            )
        )
    rows.append(
        ("planted errors found", f"{len(planted) - len(missed):,} / {len(planted):,}", "goal: all")
    )
    rows.append(("diagnostics on clean rows", f"{len(invented):,}", "goal: none"))
    table = render(rows, note)
    print(table)
    for p in missed[:20]:
        print(f"MISSED: line {p.line} column {p.column} {p.error}")
    for d in invented[:20]:
        print(f"INVENTED: {json.dumps(d)}")
    if args.results is not None:
        args.results.write_text(
            f"# specc check benchmark\n\nMachine: {os.cpu_count()} cores, Python "
            f"{sys.version.split()[0]}. Command: `python bench/check_bench.py "
            f"--rows {args.rows}{' --crlf' if args.crlf else ''}`.\n\n{table}\n",
            encoding="utf-8",
        )
    return 1 if missed or invented else 0


# --- specc fix -------------------------------------------------------------------------------


def make_fixable(data: Path, share: float, seed: int, line_end: str) -> None:
    """Rewrite `share` of the rows' cells into forms `specc fix` rewrites: each chosen row
    gets its score as currency, its date in ISO form, its lifecycle stage in capitals, its
    lead status by its label, its website as a URL, and spaces around the city."""
    rng = random.Random(seed + 1)
    labels = dict(LEAD_STATUS)
    temp = data.with_name(data.name + ".tmp")
    with (
        open(data, encoding="utf-8", newline="") as source,
        open(temp, "w", encoding="utf-8", newline="") as sink,
    ):
        writer = csv.writer(sink, lineterminator=line_end)
        for number, cells in enumerate(csv.reader(source)):
            if number and len(cells) == len(HEADER) and rng.random() < share:
                if cells[6].isdigit():
                    cells[6] = f"${int(cells[6]):,}.00"
                parts = cells[7].split("/")
                if len(parts) == 3 and all(part.isdigit() for part in parts):
                    month, day, year = parts
                    cells[7] = f"{year}-{month}-{day}"  # ISO: one reading in every order
                cells[4] = cells[4].upper()
                cells[5] = labels.get(cells[5], cells[5])
                if cells[8].endswith(".example.com"):
                    cells[8] = f"https://{cells[8]}/about"
                cells[9] = f" {cells[9]} "
            writer.writerow(cells)
    temp.replace(data)


def fix_command(folder: Path, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "specc",
        "fix",
        str(folder / "spec.yaml"),
        "-o",
        str(out),
        "--force",
        "--format",
        "json",
    ]


def count_changes(command: list[str], cwd: Path) -> tuple[int, int]:
    """The changes and the problems left `specc fix --format json` lists, counted in a child
    of its own: the document can outgrow this process's memory."""
    counter = (
        "import json, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, check=False)\n"
        "document = json.loads(done.stdout)\n"
        "print(len(document['changes']), len(document['left']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", counter, *command], cwd=cwd, capture_output=True, check=True
    )
    changes, left = done.stdout.split()
    return int(changes), int(left)


def fix_bench(args: argparse.Namespace, folder: Path, size: int) -> int:
    """specc check and specc fix of the same file, alternated; their figures side by side."""
    out = folder / "fixed"
    check = [*specc_command(folder)[:-1], "1000"]
    check_runs, fix_runs = [], []
    for _ in range(args.repeat):
        check_runs.append(run_child(check, folder))
        # Every change listed: hundreds of MB of JSON with --fixable; counted once, below.
        fix_runs.append(run_child(fix_command(folder, out), folder, keep_output=False))
    check_wall = min(r[0] for r in check_runs)
    check_rss = max(r[1] for r in check_runs)
    fix_wall = min(r[0] for r in fix_runs)
    fix_rss = max(r[1] for r in fix_runs)
    if any(r[2] not in (0, 1) for r in fix_runs):
        print("specc fix failed")
        return 1
    changes, left = count_changes(fix_command(folder, out), folder)
    ratio = fix_wall / check_wall
    rows = [
        (
            "rows, size",
            f"{args.rows:,} rows, {size / 1e6:,.1f} MB"
            + (f", {args.fixable:.0%} of rows messy" if args.fixable else ""),
            "",
        ),
        (
            f"specc check, CLI (best of {args.repeat})",
            f"{check_wall:.2f} s, {check_rss / 2**20:,.0f} MiB",
            "",
        ),
        (
            f"specc fix, CLI (best of {args.repeat})",
            f"{fix_wall:.2f} s",
            f"{ratio:.2f}x check (goal <= {GOAL_FIX_VS_CHECK}x): "
            f"{'met' if ratio <= GOAL_FIX_VS_CHECK else 'NOT met'}",
        ),
        (
            "specc fix, peak memory",
            f"{fix_rss / 2**20:,.0f} MiB",
            f"goal <= 1024 MiB: {'met' if fix_rss <= GOAL_MEMORY else 'NOT met'}",
        ),
        ("cells fixed (every one listed)", f"{changes:,}", ""),
        ("problems left (first 1,000 per file)", f"{left:,}", ""),
    ]
    table = render(rows, "")
    print(table)
    if args.results is not None:
        args.results.write_text(
            f"# specc fix benchmark\n\nMachine: {os.cpu_count()} cores, Python "
            f"{sys.version.split()[0]}. Command: `python bench/check_bench.py --fix "
            f"--rows {args.rows} --fixable {args.fixable}`.\n\n{table}\n",
            encoding="utf-8",
        )
    met = ratio <= GOAL_FIX_VS_CHECK and fix_rss <= GOAL_MEMORY
    return 0 if met else 1


CALAMINE_READ = """
import sys
from python_calamine import CalamineWorkbook
sheet = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0)
for row in sheet.iter_rows():
    pass
"""


def xlsx_bench(args: argparse.Namespace, folder: Path) -> int:
    started = time.perf_counter()
    planted = generate_xlsx(folder, args.rows, args.seed)
    data = folder / "contacts.xlsx"
    size = data.stat().st_size
    print(
        f"generated {args.rows:,} rows, {size / 1e6:,.1f} MB, {len(planted):,} planted errors "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    calamine = [sys.executable, "-c", CALAMINE_READ, str(data)]
    # Alternated, so that a busy moment of the machine does not favour either.
    calamine_runs, specc_runs = [], []
    for _ in range(args.repeat):
        calamine_runs.append(run_child(calamine, folder))
        specc_runs.append(run_child(specc_command(folder), folder))
    if any(run[2] != 0 for run in calamine_runs):
        print("python-calamine failed to read the workbook")
        return 1
    calamine_wall = min(r[0] for r in calamine_runs)
    calamine_rss = max(r[1] for r in calamine_runs)
    specc_wall = min(r[0] for r in specc_runs)
    specc_rss = max(r[1] for r in specc_runs)
    missed, invented = accuracy(specc_runs[-1][3], planted)
    ratio = specc_wall / calamine_wall
    rows = [
        ("rows, size", f"{args.rows:,} rows x 10 columns, {size / 1e6:,.1f} MB .xlsx", ""),
        (
            f"python-calamine, read only (best of {args.repeat})",
            f"{calamine_wall:.2f} s, {calamine_rss / 2**20:,.0f} MiB",
            "",
        ),
        (
            f"specc check, CLI (best of {args.repeat})",
            f"{specc_wall:.2f} s",
            f"{ratio:.2f}x the calamine read (goal <= {GOAL_VS_CALAMINE}x): "
            f"{'met' if ratio <= GOAL_VS_CALAMINE else 'NOT met'}",
        ),
        (
            "specc check, peak memory",
            f"{specc_rss / 2**20:,.0f} MiB",
            f"goal <= {GOAL_XLSX_MEMORY >> 20} MiB: "
            f"{'met' if specc_rss <= GOAL_XLSX_MEMORY else 'NOT met'}",
        ),
        ("planted errors found", f"{len(planted) - len(missed):,} / {len(planted):,}", "goal: all"),
        ("diagnostics on clean rows", f"{len(invented):,}", "goal: none"),
    ]
    table = render(rows, "")
    print(table)
    for p in missed[:20]:
        print(f"MISSED: line {p.line} column {p.column} {p.error}")
    for d in invented[:20]:
        print(f"INVENTED: {json.dumps(d)}")
    if args.results is not None:
        args.results.write_text(
            f"# specc check benchmark (.xlsx)\n\nMachine: {os.cpu_count()} cores, Python "
            f"{sys.version.split()[0]}. Command: `python bench/check_bench.py --xlsx "
            f"--rows {args.rows}`.\n\n{table}\n",
            encoding="utf-8",
        )
    return 1 if missed or invented else 0


def render(rows: list[tuple[str, str, str]], note: str) -> str:
    widths = [max(len(r[k]) for r in rows) for k in range(3)]
    lines = [
        "| "
        + " | ".join(
            h.ljust(w) for h, w in zip(("measure", "figure", "vs goal"), widths, strict=True)
        )
        + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    lines += [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows
    ]
    if note:
        lines.append(f"\n{note}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
