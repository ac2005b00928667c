"""Benchmark of `--format json`: the report of 1,000 and of 100,000 findings.

    python bench/json_report_bench.py               # 1,000 and 100,000 findings
    python bench/json_report_bench.py --counts 1000 20000

Each measure runs in a fresh child process, which builds a Result of N synthetic row
findings (as `specc check` reports them: code, HubSpot error, message, hint, spec and data
locations, a value) and writes its JSON report to /dev/null:

- "streamed": what the CLI does now (`specc.report.report_pieces`, a finding at a time, each
  laid out by CPython's C encoder);
- "one dump": what specc 0.1.0 did, kept here as the reference: the whole document as one
  dict, `json.dumps(document, indent=2, ensure_ascii=False)` (the pure-Python encoder, since
  `indent` turns the C one off), written at once.

It prints the time (the child's CPU time, best of `--repeat` children: wall time on a shared
machine measures its neighbours), the time per finding, and the memory the writing added to
the child's peak (its maximum resident set size after writing, less the same before: the
Result itself is not counted), then the ratios of the largest count against the smallest.
It exits 1 when the two ways do not write the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
WAYS = ("streamed", "one dump")


def findings(count: int) -> Any:
    from specc.diagnostics import DataLocation, Diagnostic, Result, Severity, SpecLocation

    result = Result(files=1, rows_checked=count * 10)
    for n in range(count):
        value = f"person{n}@example" if n % 3 else f"{n % 13}/{n % 40}/2026"
        result.diagnostics.append(
            Diagnostic(
                "SPC401" if n % 3 else "SPC410",
                Severity.ERROR if n % 11 else Severity.WARNING,
                f'"{value}" is not a valid email address: the domain has no dot',
                hint="HubSpot refuses the row; fix the address or leave the cell empty"
                if n % 2
                else None,
                hubspot_error="INVALID_EMAIL" if n % 3 else "COULD_NOT_PARSE_DATE",
                spec=SpecLocation("imports/leads.yaml", 9 + n % 4, 7, "/files/0/columns/Email"),
                data=DataLocation("imports/leads.csv", n + 2, n + 1, "Email", value),
            )
        )
    result.errors_by_type.update({"INVALID_EMAIL": count * 2 // 3, "COULD_NOT_PARSE_DATE": 9})
    return result


def one_dump(result: Any) -> str:
    """The 0.1.0 renderer (specc/report/json_document.py before the document was streamed)."""
    summary: dict[str, Any] = {
        "errors": result.errors,
        "warnings": result.warnings,
        "files": result.files,
        "rows_checked": result.rows_checked,
    }
    if result.errors_by_type:
        summary["errors_by_type"] = dict(sorted(result.errors_by_type.items()))
    document = {
        "version": 1,
        "ok": result.ok(),
        "summary": summary,
        "diagnostics": [d.to_json() for d in result.sorted()],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def child(way: str, count: int) -> None:
    """Build the findings, write the report one way, print one JSON line of figures."""
    import gc

    from specc.report import report_pieces

    result = findings(count)
    gc.collect()
    digest = hashlib.sha256()
    before = peak_mib()
    start = time.process_time()
    with open(os.devnull, "w", encoding="utf-8") as sink:
        if way == "streamed":
            for piece in report_pieces(result, "json"):
                sink.write(piece)
                digest.update(piece.encode())
        else:
            text = one_dump(result)
            sink.write(text)
            digest.update(text.encode())
    seconds = time.process_time() - start
    figures = {"seconds": seconds, "added_mib": peak_mib() - before, "sha256": digest.hexdigest()}
    print(json.dumps(figures))


def measure(way: str, count: int, repeat: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    runs = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, __file__, "--child", way, str(count)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        runs.append(json.loads(done.stdout))
    best: dict[str, Any] = min(runs, key=lambda r: r["seconds"])
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[1_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3, metavar="N")
    parser.add_argument("--child", nargs=2, metavar=("WAY", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return 0
    counts = sorted(args.counts)
    runs = {(way, n): measure(way, n, args.repeat) for n in counts for way in WAYS}
    print(f"{'findings':>9}  {'way':<9} {'CPU time':>9} {'per finding':>12} {'memory added':>13}")
    for n in counts:
        for way in WAYS:
            r = runs[way, n]
            per = r["seconds"] / n * 1e6
            print(
                f"{n:>9,}  {way:<9} {r['seconds']:>8.3f}s {per:>10.2f}µs {r['added_mib']:>9.1f} MiB"
            )
    low, high = counts[0], counts[-1]
    print(f"\n{high:,} against {low:,} findings:")
    for way in WAYS:
        a, b = runs[way, low], runs[way, high]
        per_ratio = (b["seconds"] / high) / (a["seconds"] / low)
        more = b["added_mib"] - a["added_mib"]
        print(f"  {way:<9} time per finding {per_ratio:.2f}x, memory {more:+.1f} MiB")
    same = all(runs["streamed", n]["sha256"] == runs["one dump", n]["sha256"] for n in counts)
    print("\nthe two ways write the same bytes" if same else "\nTHE TWO WAYS DIFFER")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
