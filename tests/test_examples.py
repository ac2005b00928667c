"""Every folder of examples/ compiles to its golden request, byte for byte, and is clean."""

from __future__ import annotations

import importlib.util
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest

from specc.compiler import request_errors, request_json
from specc.pipeline import Options, compile_spec
from specc.schemas import load_schema
from specc.spec.loader import read_spec

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FIXED_NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
SPEC_NAMES = ("spec.yaml", "spec.yml", "spec.toml")
FOLDERS = sorted(f for f in EXAMPLES.iterdir() if any((f / n).is_file() for n in SPEC_NAMES))
REQUIRED = {"contacts-create", "marketing-event-participants", "association-labels",
            "contact-company-two-files", "deals-toml", "custom-object-update"}


def spec_of(folder: Path) -> Path:
    return next(folder / n for n in SPEC_NAMES if (folder / n).is_file())


def compile_example(folder: Path, **options: object) -> tuple[str | None, list[str]]:
    request, result = compile_spec(
        Path(spec_of(folder).name),
        Options(cwd=folder, environ={}, now=FIXED_NOW, **options),  # type: ignore[arg-type]
    )
    return (None if request is None else request_json(request)), [
        f"{d.code} {d.message}" for d in result.diagnostics
    ]


def test_every_required_example_is_there() -> None:
    assert {f.name for f in FOLDERS} >= REQUIRED
    assert any(spec_of(f).suffix == ".toml" for f in FOLDERS)


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_example_compiles_to_its_golden(folder: Path) -> None:
    text, diagnostics = compile_example(folder)
    assert diagnostics == []
    assert text is not None
    assert text == (folder / "expected-request.json").read_text("utf-8")
    assert request_errors(json.loads(text)) == []


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_example_spec_passes_the_spec_schema(folder: Path) -> None:
    path = spec_of(folder)
    data = read_spec(path, path.name).data
    jsonschema.Draft202012Validator(load_schema("spec")).validate(data)


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_example_data_headers_are_the_columns(folder: Path) -> None:
    """Data files exist and their headers are the spec's columns, in order."""
    request = json.loads((folder / "expected-request.json").read_text("utf-8"))
    for data_file in request["files"]:
        path = folder / data_file["fileName"]
        names = [m["columnName"] for m in data_file["fileImportPage"]["columnMappings"]]
        if data_file["fileFormat"] == "CSV":
            import csv

            with path.open(encoding="utf-8", newline="") as fh:
                rows = list(csv.reader(fh))
        else:
            rows = _xlsx_rows(path)
        assert rows[0] == names
        assert len(rows) > 1 and all(len(r) == len(names) for r in rows)


def _xlsx_rows(path: Path) -> list[list[str]]:
    """The text cells of the first sheet of a spreadsheet written by tools/xlsx_writer.py."""
    import re
    import zipfile
    from xml.etree import ElementTree

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(path) as archive:
        sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iterfind(".//m:row", ns):
        cells: dict[int, str] = {}
        for cell in row.iterfind("m:c", ns):
            letters = re.match(r"[A-Z]+", cell.get("r", "A")).group()  # type: ignore[union-attr]
            index = 0
            for letter in letters:
                index = index * 26 + ord(letter) - 64
            cells[index - 1] = "".join(t.text or "" for t in cell.iterfind(".//m:t", ns))
        rows.append([cells.get(i, "") for i in range(max(cells) + 1)] if cells else [])
    return rows


def test_custom_object_batch_comes_from_a_var() -> None:
    folder = EXAMPLES / "custom-object-update"
    text, diagnostics = compile_example(folder, vars={"batch": "2026-12"})
    assert diagnostics == [] and text is not None
    request = json.loads(text)
    assert request["name"] == "Pets update 2026-12"
    assert request["files"][0]["fileName"] == "pets-2026-12.csv"
    assert request["importOperations"] == {"2-1234567": "UPDATE"}


def test_goldens_and_spreadsheets_are_what_the_tools_write() -> None:
    def tool(name: str) -> object:
        spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    regen = tool("regen_golden")
    for folder in regen.example_folders():  # type: ignore[attr-defined]
        assert regen.compile_example(folder) == (  # type: ignore[attr-defined]
            folder / "expected-request.json").read_text("utf-8")
    xlsx = tool("xlsx_writer")
    for relative, rows in xlsx.SPREADSHEETS.items():  # type: ignore[attr-defined]
        buffer = io.BytesIO()
        xlsx.write_xlsx(buffer, rows)  # type: ignore[attr-defined]
        assert buffer.getvalue() == (EXAMPLES / relative).read_bytes()
