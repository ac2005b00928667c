"""The resolved Spec: paths and allowed roots, defaults, and agreement with the spec schema."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from specc.diagnostics import did_you_mean
from specc.pipeline import load_spec
from specc.run import Options
from specc.schemas import load_schema
from specc.spec import resolve
from specc.spec.model import Association, Spec

COLUMNS = "    columns:\n      Email: {property: email, id: true}\n"


def write_spec(folder: Path, body: str, name: str = "spec.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("specc: 1\nname: Case\n" + body, encoding="utf-8")
    return folder / name


def load(path: Path, cwd: Path, **options: object) -> tuple[Spec | None, list[str]]:
    loaded = load_spec(path, Options(cwd=cwd, environ={}, **options))  # type: ignore[arg-type]
    return loaded.spec, [d.code for d in loaded.diagnostics]


def test_data_paths_are_relative_to_the_spec(tmp_path: Path) -> None:
    spec_path = write_spec(
        tmp_path / "imports",
        "catalog: ../catalogs/acme.json\nfiles:\n"
        "  - path: data/leads.csv\n    object: contacts\n" + COLUMNS,
    )
    spec, codes = load(Path("imports/spec.yaml"), tmp_path)
    assert codes == [] and spec is not None
    assert spec.source == spec_path
    [data] = spec.files
    assert data.path == tmp_path / "imports" / "data" / "leads.csv"
    assert data.shown_path == os.path.join("imports", "data", "leads.csv")
    assert data.file_name == "leads.csv"
    assert spec.catalog_path == tmp_path / "catalogs" / "acme.json"


def test_links_are_followed_before_the_root_check(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.csv").write_text("Email\n", encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    (work / "leads.csv").symlink_to(outside / "secret.csv")
    write_spec(work, "files:\n  - path: leads.csv\n    object: contacts\n" + COLUMNS)
    spec, codes = load(Path("spec.yaml"), work)
    assert spec is None and codes == ["SPC110"]
    spec, codes = load(Path("spec.yaml"), work, data_roots=(outside,))
    assert codes == [] and spec is not None
    assert spec.files[0].path == outside / "secret.csv"


def test_data_roots_relative_to_the_working_directory(tmp_path: Path) -> None:
    write_spec(
        tmp_path / "specs",
        "files:\n  - path: ../shared/leads.csv\n    object: contacts\n" + COLUMNS,
    )
    spec, codes = load(Path("spec.yaml"), tmp_path / "specs")
    assert codes == ["SPC110"]
    spec, codes = load(Path("spec.yaml"), tmp_path / "specs", data_roots=(Path("../shared"),))
    assert codes == [] and spec is not None
    assert spec.files[0].shown_path == str(tmp_path / "shared" / "leads.csv")


def test_the_data_file_need_not_exist(tmp_path: Path) -> None:
    write_spec(tmp_path, "files:\n  - path: later.xlsx\n    object: contacts\n" + COLUMNS)
    spec, codes = load(Path("spec.yaml"), tmp_path)
    assert codes == [] and spec is not None and spec.files[0].format == "SPREADSHEET"


def test_defaults(tmp_path: Path) -> None:
    write_spec(tmp_path, "files:\n  - path: a.csv\n    object: contact\n" + COLUMNS)
    spec, _ = load(Path("spec.yaml"), tmp_path)
    assert spec is not None
    assert spec.date_format == "MONTH_DAY_YEAR"
    assert spec.operations is None and spec.operation("0-1") == "UPSERT"
    assert spec.files[0].has_header is True
    assert spec.files[0].object_type_id == "0-1"
    assert spec.checks.rows is None and spec.checks.max_errors is None


def test_default_association_is_hubspots_unlabeled_type(tmp_path: Path) -> None:
    write_spec(
        tmp_path,
        "files:\n  - path: a.csv\n    object: companies\n    columns:\n"
        "      Email: {references: contacts}\n      Deal: {references: deals}\n",
    )
    spec, _ = load(Path("spec.yaml"), tmp_path)
    assert spec is not None
    email, deal = spec.files[0].columns
    assert email.association == Association(280, "HUBSPOT_DEFINED", explicit=False)
    assert deal.association == Association(342, "HUBSPOT_DEFINED", explicit=False)


def test_operation_pointers_locate_each_entry(tmp_path: Path) -> None:
    write_spec(
        tmp_path,
        "operations:\n  contacts: create\n  companies: update\nfiles:\n"
        "  - path: a.csv\n    object: contacts\n" + COLUMNS,
    )
    spec, _ = load(Path("spec.yaml"), tmp_path)
    assert spec is not None
    assert spec.operations == {"0-1": "CREATE", "0-2": "UPDATE"}
    assert spec.where(spec.operation_pointers["0-2"]).line == 5


def test_warnings_do_not_hold_a_spec_back(tmp_path: Path) -> None:
    write_spec(tmp_path, "files:\n  - path: a.csv\n    object: contacts\n" + COLUMNS)
    loaded = load_spec(Path("spec.yaml"), Options(cwd=tmp_path, environ={}, vars={"x": "1"}))
    assert [d.code for d in loaded.diagnostics] == ["SPC107"]
    assert loaded.spec is not None and not loaded.has_errors


@pytest.mark.parametrize(
    ("schema_path", "keys"),
    [
        (("properties",), resolve.TOP_KEYS),
        (("$defs", "file", "properties"), resolve.FILE_KEYS),
        (("$defs", "columnObject", "properties"), resolve.COLUMN_KEYS),
        (("$defs", "listColumn", "properties"), resolve.LIST_COLUMN_KEYS),
        (("$defs", "association", "properties"), resolve.ASSOCIATION_KEYS),
        (("properties", "checks", "properties"), resolve.CHECKS_KEYS),
    ],
)
def test_the_spec_schema_knows_the_same_keys_as_the_resolver(
    schema_path: tuple[str, ...], keys: tuple[str, ...]
) -> None:
    node = load_schema("spec")
    for part in schema_path:
        node = node[part]
    assert sorted(node) == sorted(keys)


def test_did_you_mean() -> None:
    assert did_you_mean("date_fromat", resolve.TOP_KEYS) == "did you mean 'date_format'?"
    assert did_you_mean("Contcts", ["contacts"]) == "did you mean 'contacts'?"
    assert did_you_mean("zzz", ["contacts"]) is None
