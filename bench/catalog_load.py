"""How long loading the property catalog takes (a measurement, not a test).

    python bench/catalog_load.py [--runs N]

Each figure is the best of N fresh interpreters, so imports and file reads are cold the way
they are for one `specc lint` run. Measured: importing the bundled-catalog module, the first
object a spec uses (contacts), every bundled object, and a catalog snapshot the size of the
whole bundle (load + schema validation), then the same snapshot from load_catalog's cache.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

PROBES = {
    "import specc.catalog.bundled": """
        t0 = time.perf_counter()
        import specc.catalog.bundled
        ms = (time.perf_counter() - t0) * 1000
    """,
    "bundled: first object (contacts)": """
        from specc.catalog.bundled import bundled_catalog
        t0 = time.perf_counter()
        bundled_catalog().object("0-1")
        ms = (time.perf_counter() - t0) * 1000
    """,
    "bundled: deals after contacts": """
        from specc.catalog.bundled import bundled_catalog
        bundled_catalog().object("0-1")
        t0 = time.perf_counter()
        bundled_catalog().object("0-3")
        ms = (time.perf_counter() - t0) * 1000
    """,
    "bundled: companies (2,538 options)": """
        from specc.catalog.bundled import bundled_catalog
        t0 = time.perf_counter()
        bundled_catalog().object("0-2")
        ms = (time.perf_counter() - t0) * 1000
    """,
    "bundled: all 11 objects": """
        from specc.catalog.bundled import bundled_catalog
        t0 = time.perf_counter()
        len(bundled_catalog().objects)
        ms = (time.perf_counter() - t0) * 1000
    """,
    "snapshot of the whole bundle: load_snapshot": """
        from pathlib import Path
        from specc.catalog.snapshot import load_snapshot
        t0 = time.perf_counter()
        catalog, found = load_snapshot(Path(SNAPSHOT), "snapshot.json")
        ms = (time.perf_counter() - t0) * 1000
        assert catalog is not None and not found, found
    """,
    "snapshot: second load_catalog (cached)": """
        from pathlib import Path
        from specc.catalog.load import cached_snapshot
        cached_snapshot(Path(SNAPSHOT), "snapshot.json")
        t0 = time.perf_counter()
        cached_snapshot(Path(SNAPSHOT), "snapshot.json")
        ms = (time.perf_counter() - t0) * 1000
    """,
}


def bundle_as_snapshot(path: Path) -> int:
    """A snapshot holding every bundled property in the API's shape; returns its size."""
    data = REPO / "specc" / "catalog" / "data"
    index = json.loads((data / "properties-index.json").read_text("utf-8"))["objects"]
    objects = []
    for oid, entry in index.items():
        compact = json.loads((data / entry["file"]).read_text("utf-8"))
        properties = []
        for p in compact["properties"]:
            prop = {k: v for k, v in p.items() if k not in ("readOnlyValue", "readOnlyOptions")}
            prop["modificationMetadata"] = {
                "readOnlyValue": bool(p.get("readOnlyValue")),
                "readOnlyDefinition": True,
                "archivable": True,
            }
            prop.setdefault("label", p["name"])
            prop["options"] = [
                {**o, "hidden": o.get("hidden", False), "displayOrder": i}
                for i, o in enumerate(p.get("options", []))
            ]
            prop.update(groupName="group", description="", hidden=False, formField=False)
            properties.append(prop)
        objects.append({"objectTypeId": oid, "name": entry["name"], "properties": properties})
    text = json.dumps({"catalog": 1, "portalId": 1, "pulledAt": None, "objects": objects})
    path.write_text(text, "utf-8")
    return len(text)


def measure(body: str, snapshot: Path, runs: int) -> float:
    script = f"import time\nSNAPSHOT = {str(snapshot)!r}\n{textwrap.dedent(body)}\nprint(ms)\n"
    best = float("inf")
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO
        )
        best = min(best, float(out.stdout.strip()))
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        snapshot = Path(folder) / "snapshot.json"
        size = bundle_as_snapshot(snapshot)
        print(
            f"catalog load times, best of {args.runs} fresh interpreters "
            f"(snapshot: {size / 1e6:.2f} MB, 1,479 properties)"
        )
        for name, body in PROBES.items():
            print(f"  {name:<46} {measure(body, snapshot, args.runs):8.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
