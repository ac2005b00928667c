"""specc.pipeline.check_spec: every check of `specc check` on one loaded spec, in one place."""

from __future__ import annotations

import shutil
from pathlib import Path

from specc.catalog.snapshot import load_snapshot
from specc.diagnostics import Diagnostic
from specc.pipeline import check, check_spec, load_spec
from specc.run import Options

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "examples" / "custom-object-update" / "pets-catalog.json"


def write_spec(folder: Path, catalog: str) -> Path:
    (folder / "pets.csv").write_text("Record ID,Name\n1,Rex\n1,Rex\n", encoding="utf-8")
    (folder / "spec.yaml").write_text(
        f"specc: 1\nname: pets\ncatalog: {catalog}\nobjects:\n  pets: '2-1234567'\n"
        "operations:\n  pets: update\nfiles:\n  - path: pets.csv\n    object: pets\n"
        "    columns:\n      Record ID: {property: hs_object_id, id: true}\n"
        "      Name: pet_name\n",
        encoding="utf-8",
    )
    return folder / "spec.yaml"


def codes(found: list[Diagnostic]) -> list[str]:
    return sorted(d.code for d in found)


def test_check_is_check_spec_on_each_spec(tmp_path: Path) -> None:
    shutil.copy(SNAPSHOT, tmp_path / "pets-catalog.json")
    spec_path = write_spec(tmp_path, "pets-catalog.json")
    options = Options(cwd=tmp_path, environ={})
    loaded = load_spec(spec_path, options)
    assert loaded.spec is not None
    findings = check_spec(loaded.spec, options)
    result = check([spec_path], options)
    assert codes(findings.diagnostics) == codes(result.diagnostics) == ["SPC462"]  # repeated id
    assert result.errors_by_type == findings.errors_by_type
    assert result.rows_checked == findings.rows_checked == 2


def test_a_catalog_given_replaces_the_specs_own(tmp_path: Path) -> None:
    """The sandbox checks uploads against the catalog it serves: the spec's `catalog:` (here
    missing) is neither loaded nor reported, and the custom object resolves in the one given."""
    spec_path = write_spec(tmp_path, "nowhere.json")
    options = Options(cwd=tmp_path, environ={})
    loaded = load_spec(spec_path, options)
    assert loaded.spec is not None

    alone = check_spec(loaded.spec, options)
    assert "SPC350" in codes(alone.diagnostics)  # the snapshot is not found

    served, problems = load_snapshot(SNAPSHOT, "pets-catalog.json")
    assert served is not None and not problems
    given = check_spec(loaded.spec, options, catalog=served)
    assert codes(given.diagnostics) == ["SPC462"]
