"""`specc init` on each example's data files: a spec that compiles to the example's request, or
that names what it could not decide."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from specc.cli import cli
from specc.pipeline import compile_spec, lint
from specc.run import Options

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# (example folder, data file, extra init arguments)
CASES = [
    ("contacts-create", "Nov-event-leads.csv", []),
    ("marketing-event-participants", "Marketing Events Import Example.csv", []),
    ("association-labels", "association label example.xlsx", []),
    ("contact-company-two-files", "contact-import-file.csv", []),
    ("contact-company-two-files", "company-import-file.csv", ["--object", "companies"]),
    ("deals-toml", "deals.csv", []),
    ("custom-object-update", "pets-2026-11.csv", ["--catalog", "pets-catalog.json"]),
]


def run_init(folder: Path, data: str, extra: list[str]) -> tuple[Any, Path]:
    spec = folder / "drafted.yaml"
    cwd = os.getcwd()
    os.chdir(folder)  # init writes paths relative to where it runs, as a user would
    try:
        result = CliRunner().invoke(cli, ["init", data, "-o", spec.name, *extra])
    finally:
        os.chdir(cwd)
    return result, spec


def golden_mappings(folder: Path, data: str) -> list[dict[str, Any]]:
    request = json.loads((folder / "expected-request.json").read_text())
    for entry in request["files"]:
        if entry["fileName"] == data:
            mappings: list[dict[str, Any]] = entry["fileImportPage"]["columnMappings"]
            return mappings
    raise AssertionError(f"{data} is not in the golden request")


def comparable(mapping: dict[str, Any]) -> dict[str, Any]:
    """A mapping without what init adds on purpose or cannot know from one file.

    init marks identifier columns (HubSpot's docs' examples sometimes leave them unmarked),
    and a two-file import's association key needs the other file to be known.
    """
    dropped = {"columnType", "associationIdentifierColumn"}
    kept = {k: v for k, v in mapping.items() if k not in dropped}
    if mapping.get("columnType") not in (
        None,
        "HUBSPOT_ALTERNATE_ID",
        "HUBSPOT_OBJECT_ID",
        "STANDARD",
    ):
        kept["columnType"] = mapping["columnType"]
    return kept


@pytest.mark.parametrize(("example", "data", "extra"), CASES, ids=[f"{c[0]}/{c[1]}" for c in CASES])
def test_init_reproduces_the_example_or_names_what_is_left(
    tmp_path: Path, example: str, data: str, extra: list[str]
) -> None:
    folder = tmp_path / example
    shutil.copytree(EXAMPLES / example, folder)
    result, spec = run_init(folder, data, extra)
    assert result.exit_code == 0, result.output
    assert spec.is_file()
    request, compiled = compile_spec(spec, Options(cwd=folder))
    undecided = result.output
    if request is None:
        # Only what init said is left to decide may keep the spec from compiling.
        assert "to decide" in undecided, compiled.diagnostics
        return
    drafted = request["files"][0]["fileImportPage"]["columnMappings"]
    expected = golden_mappings(folder, data)
    assert [m["columnName"] for m in drafted] == [m["columnName"] for m in expected]
    for got, want in zip(drafted, expected, strict=True):
        if comparable(got) != comparable(want):
            assert f"column {want['columnName']!r}" in undecided, (got, want)


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    folder = tmp_path / "contacts"
    shutil.copytree(EXAMPLES / "contacts-create", folder)
    first, spec = run_init(folder, "Nov-event-leads.csv", [])
    assert first.exit_code == 0
    spec.write_text("# mine\n")
    again, _ = run_init(folder, "Nov-event-leads.csv", [])
    assert again.exit_code == 2
    assert "--force" in again.output
    assert spec.read_text() == "# mine\n"
    forced, _ = run_init(folder, "Nov-event-leads.csv", ["--force"])
    assert forced.exit_code == 0
    assert "specc: 1" in spec.read_text()


def test_drafted_spec_lints_clean(tmp_path: Path) -> None:
    folder = tmp_path / "contacts"
    shutil.copytree(EXAMPLES / "contacts-create", folder)
    result, spec = run_init(folder, "Nov-event-leads.csv", [])
    assert result.exit_code == 0
    assert "lints clean" in result.output
    linted = lint([spec], Options(cwd=folder))
    assert linted.errors == 0 and linted.warnings == 0, linted.diagnostics


def test_unknown_object_is_a_usage_error_with_a_hint(tmp_path: Path) -> None:
    folder = tmp_path / "contacts"
    shutil.copytree(EXAMPLES / "contacts-create", folder)
    result, _ = run_init(folder, "Nov-event-leads.csv", ["--object", "contcts"])
    assert result.exit_code == 2
    assert "did you mean 'contacts'" in result.output


def test_binary_data_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_bytes(b"\xff\xfe\x00\x01garbage")
    result, _ = run_init(tmp_path, "x.csv", [])
    assert result.exit_code == 2
    assert "UTF-8" in result.output
    assert "Traceback" not in result.output


def test_an_endless_first_line_is_a_clear_error_read_boundedly(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_bytes(b"Email," + b"x" * (3 << 20))
    result, _ = run_init(tmp_path, "x.csv", [])
    assert result.exit_code == 2
    assert "runs past 1 MiB without a line break" in result.output
    assert "Traceback" not in result.output


def test_a_row_too_long_to_import_is_left_out_of_the_sample(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from specc.tables import csv as csv_reader

    monkeypatch.setattr(csv_reader, "MIN_ROW_BYTES", 64)
    monkeypatch.setattr(csv_reader, "MAX_ROW_BYTES", 64)
    monkeypatch.setattr(csv_reader, "CHUNK_BYTES", 16)
    data = b"Email,First Name\nann@example.com," + b"A" * 200 + b"\nben@example.com,Ben\n"
    (tmp_path / "x.csv").write_bytes(data)
    from specc.draft import read_sample

    assert read_sample(tmp_path / "x.csv") == (
        ["Email", "First Name"],
        [["ben@example.com", "Ben"]],
    )


def test_a_workbook_too_large_inside_is_not_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1] / "data"))
    from workbook_support import (
        inline_row,
        shared_strings_xml,
        sheet_xml,
        understate_sizes,
        write_workbook,
    )

    path = write_workbook(
        tmp_path / "x.xlsx",
        sheet_xml(inline_row(1, ["Email"])),
        shared_strings=shared_strings_xml(b"<si><t>x</t></si>" * 10_000),
    )
    understate_sizes(path, only="xl/sharedStrings.xml")
    result, _ = run_init(tmp_path, "x.xlsx", [])
    assert result.exit_code == 2
    assert "was not opened" in result.output and "zip bomb" in result.output


def test_a_workbook_with_a_far_corner_cell_is_streamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sample is read by the streaming reader, which builds no rectangle: a cell in the
    sheet's last corner costs nothing (python-calamine would build 17 billion cells)."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1] / "data"))
    from workbook_support import inline_row, sheet_xml, write_workbook

    corner = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    rows = inline_row(1, ["Email"]) + inline_row(2, ["ann@example.com"]) + corner
    write_workbook(tmp_path / "x.xlsx", sheet_xml(rows))
    from specc.draft import read_sample

    header, rows_read = read_sample(tmp_path / "x.xlsx")
    assert header == ["Email"]
    assert rows_read[0] == ["ann@example.com"]
    assert rows_read[1][0] == "" and rows_read[1][-1] == "1" and len(rows_read[1]) == 16_384
