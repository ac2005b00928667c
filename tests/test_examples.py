"""Every folder of examples/ compiles to its golden request, byte for byte, and is clean."""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from specc.compiler import request_errors
from specc.pipeline import check
from specc.run import Options
from specc.schemas import load_schema
from specc.spec.loader import read_spec

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
REQUIRED = {
    "contacts-create",
    "marketing-event-participants",
    "association-labels",
    "contact-company-two-files",
    "deals-toml",
    "custom-object-update",
}


def tool(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The goldens' own tool: the examples are compiled here exactly as it compiles them.
REGEN = tool("regen_golden")
FOLDERS = REGEN.example_folders()


def compile_example(folder: Path, **options: Any) -> tuple[str | None, list[str]]:
    text, result = REGEN.example_request(folder, **options)
    return text, [f"{d.code} {d.message}" for d in result.diagnostics]


def test_every_required_example_is_there() -> None:
    assert {f.name for f in FOLDERS} >= REQUIRED
    assert any(REGEN.example_spec(f).suffix == ".toml" for f in FOLDERS)


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_example_compiles_to_its_golden(folder: Path) -> None:
    text, diagnostics = compile_example(folder)
    assert diagnostics == []
    assert text is not None
    assert text == (folder / "expected-request.json").read_text("utf-8")
    assert request_errors(json.loads(text)) == []


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_example_spec_passes_the_spec_schema(folder: Path) -> None:
    path = REGEN.example_spec(folder)
    data = read_spec(path, path.name).data
    jsonschema.Draft202012Validator(load_schema("spec")).validate(data)


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_example_data_is_clean(folder: Path) -> None:
    """`specc check` passes every example: its data files exist, their headers are the spec's
    columns in order, and every row is one HubSpot takes."""
    options = Options(cwd=folder, environ={}, now=REGEN.FIXED_NOW)
    result = check([REGEN.example_spec(folder)], options)
    assert [f"{d.code} {d.message}" for d in result.diagnostics] == []
    request = json.loads((folder / "expected-request.json").read_text("utf-8"))
    assert result.files == len(request["files"])
    assert result.rows_checked > len(request["files"])  # more than one row a file


def test_custom_object_batch_comes_from_a_var() -> None:
    folder = EXAMPLES / "custom-object-update"
    text, diagnostics = compile_example(folder, vars={"batch": "2026-12"})
    assert diagnostics == [] and text is not None
    request = json.loads(text)
    assert request["name"] == "Pets update 2026-12"
    assert request["files"][0]["fileName"] == "pets-2026-12.csv"
    assert request["importOperations"] == {"2-1234567": "UPDATE"}


def test_spreadsheets_are_what_the_tool_writes() -> None:
    xlsx = tool("xlsx_writer")
    for relative, rows in xlsx.SPREADSHEETS.items():
        buffer = io.BytesIO()
        xlsx.write_xlsx(buffer, rows)
        assert buffer.getvalue() == (EXAMPLES / relative).read_bytes()
