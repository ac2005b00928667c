"""`specc import --wait --yes` of a file over HubSpot's per-file limits, against the sandbox.

    python bench/split_bench.py                    # ~820,000 rows of ~680 bytes, 529 MiB
    python bench/split_bench.py --rows 1100000     # over the row limit only (about 85 MB)

Writes a contacts CSV (email, first and last name with a quoted comma, a city, a quoted note
with a line break in every 10th row) past a limit: over 512 MB with long notes (the byte
limit decides the parts), or `--rows N` short rows (the row limit decides them). It starts
the sandbox in this process, with HubSpot's real limits (a 429 for any file over 1,048,576
data rows or 512 MB, rows counted as they arrive), and runs `python -m specc import spec.yaml
--wait --yes` as a child process. It prints the child's wall time and peak resident memory
(getrusage of the children: the specc process alone, not the sandbox), and checks what the
sandbox received: no 429, every part under both limits, and the parts (header + bytes)
rebuilding the file exactly, in order, by their SHA-256 digests. Exit 1 when a check fails
or memory reaches 1 GiB.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from specc.sandbox import Timing, serve
from specc.tables.parts import MAX_BYTES, MAX_ROWS

SPEC = """\
specc: 1
name: Split benchmark
operations: {contacts: upsert}
files:
  - path: contacts.csv
    object: contacts
    columns:
      Email: {property: email, id: true}
      First Name: firstname
      Last Name: lastname
      City: city
      Notes: message
"""
GOAL_RSS = 1024 * 1024 * 1024


def write_csv(path: Path, rows: int | None, min_bytes: int = 0, pad: int = 0) -> int:
    """Write `rows` rows, or (None) rows until the file passes `min_bytes`; the rows written.
    `pad` characters of text lengthen each row's note."""
    filler = ("lorem ipsum dolor sit amet " * (pad // 27 + 1))[:pad]
    written = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("Email,First Name,Last Name,City,Notes\n")
        block = 100_000
        start = 1
        while (rows is None and out.tell() <= min_bytes) or (rows is not None and written < rows):
            end = start + block if rows is None else min(rows + 1, start + block)
            lines = []
            for i in range(start, end):
                if i % 10 == 0:
                    note = f'"call back\nabout order {i}{filler}"'
                else:
                    note = f"customer since {i % 97}{filler}"
                lines.append(
                    f'contact{i}@example.com,Ann{i % 1000},"Smith, Jr {i % 300}",'
                    f"Berlin-{i % 5000},{note}\n"
                )
            out.write("".join(lines))
            written += end - start
            start = end
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=None, help="rows to write [over 512 MB]")
    parser.add_argument("--keep", type=Path, default=None, help="work in this folder")
    args = parser.parse_args()
    over = MAX_BYTES + 16 * 1024 * 1024  # past 512 MB when no --rows
    folder = args.keep or Path(tempfile.mkdtemp(prefix="specc-split-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "contacts.csv"
    (folder / "spec.yaml").write_text(SPEC, "utf-8")
    began = time.perf_counter()
    # Past 512 MB, rows of ~680 bytes stay under the row limit: the bytes decide the parts.
    # With --rows, rows of ~80 bytes: the rows decide them.
    rows = write_csv(data, args.rows, over, pad=0 if args.rows else 600)
    size = data.stat().st_size
    print(
        f"file: {rows:,} rows, {size:,} bytes ({size / 2**20:,.1f} MiB), written in "
        f"{time.perf_counter() - began:.1f} s"
    )
    print(
        f"HubSpot's limits: {MAX_ROWS:,} rows, {MAX_BYTES:,} bytes; over: "
        f"rows {rows > MAX_ROWS}, bytes {size > MAX_BYTES}"
    )

    with serve(timing=Timing(started=0.0, processing=0.0)) as sandbox:
        environ = dict(os.environ, HUBSPOT_ACCESS_TOKEN="bench-token", SPECC_POLL_CAP="2")
        environ.pop("SPECC_MAX_FILE_ROWS", None)
        environ.pop("SPECC_MAX_FILE_BYTES", None)
        command = [
            sys.executable,
            "-m",
            "specc",
            "import",
            "spec.yaml",
            "--wait",
            "--yes",
            "--base-url",
            sandbox.base_url,
        ]
        start = time.perf_counter()
        child = subprocess.Popen(
            command,
            cwd=folder,
            env=environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        out, err = child.communicate()
        wall = time.perf_counter() - start
        peak = _children_peak()
        print(
            f"specc import: exit {child.returncode}, wall {wall:.1f} s, "
            f"peak RSS {peak / 2**20:,.0f} MiB (goal < 1024 MiB)"
        )
        print("--- specc's output ---")
        print(out.rstrip())
        print(err.rstrip()[-3000:])
        print("----------------------")
        failures = check_received(sandbox, data)
    if child.returncode != 0:
        failures.append(f"specc import exited {child.returncode}")
    if peak >= GOAL_RSS:
        failures.append("peak RSS reached 1 GiB")
    for failure in failures:
        print(f"FAILED: {failure}")
    if not failures:
        print("all checks met")
    return 1 if failures else 0


def _children_peak() -> int:
    import resource

    # ru_maxrss of the children waited for: the one specc process (Linux: KiB). The sandbox
    # runs in this process, so it is not counted.
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


def check_received(sandbox, data: Path) -> list[str]:  # type: ignore[no-untyped-def]
    """What the sandbox received, against the file: no 429, parts under both limits, and
    header + parts' bytes equal to the file, in order (by digest, reading the file once)."""
    failures = []
    refused = [e for e in sandbox.log if e.route == "create" and e.status == 429]
    print(f"uploads: {sandbox.count('create')}, refused with 429: {len(refused)}")
    if refused:
        failures.append(f"{len(refused)} uploads were refused with 429")
    records = sorted(sandbox.imports.values(), key=lambda r: int(r.id))
    with data.open("rb") as source:
        header = source.readline()
        at = len(header)
        for record in records:
            (stored,) = record.files.values()
            digest = hashlib.sha256(header)
            remaining = stored.size - len(header)
            source.seek(at)
            while remaining > 0:
                chunk = source.read(min(8 << 20, remaining))
                digest.update(chunk)
                remaining -= len(chunk)
            at = source.tell()
            same = digest.hexdigest() == stored.sha256
            print(
                f"  {record.name}: {record.state}, {stored.rows:,} rows, {stored.size:,} "
                f"bytes, counters {record.counters.get('TOTAL_ROWS')} rows / "
                f"{record.counters.get('ERRORS')} errors, bytes match the file: {same}"
            )
            if not same:
                failures.append(f"{record.name}: its bytes are not the file's")
            if (stored.rows or 0) > MAX_ROWS or stored.size > MAX_BYTES:
                failures.append(f"{record.name}: over a limit")
        if at != data.stat().st_size:
            failures.append(f"the parts end at byte {at:,}, the file at {data.stat().st_size:,}")
    if len(records) < 2:
        failures.append("the file was not sent in parts")
    return failures


if __name__ == "__main__":
    sys.exit(main())
