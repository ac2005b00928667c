"""`specc init --from-request` on requests people wrote: every one the schema accepts becomes a
spec that `specc compile` turns back into the same request, as HubSpot reads it (`specc.diff`
finds no change between them, not even a minor one); the others get the schema's diagnostics
and no spec.

The real-world corpus (../shared/realworld/requests/, 20 requests found in public code) lives
beside the repository, like the reference data; the examples' requests live in it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from specc.cli import cli
from specc.compiler import request_errors
from specc.diff import diff_requests

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
CORPUS = REPO.parent / "shared" / "realworld" / "requests"
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason="../shared/realworld/requests is not present"
)
CORPUS_FILES = sorted(CORPUS.glob("*.json")) if CORPUS.is_dir() else []

# What the bundled schema refuses in the corpus, by request: the pointer of each problem.
REFUSED = {
    # dateFormat "yyyy-mm-dd" is none of HubSpot's three orders.
    "01-otf-contacts-invalid-dateformat": {"/dateFormat"},
    # The misspelt key associationIdentifiedColumn (columns 0-5), and four ignored columns that
    # name no object (6-9).
    "17-projectblogs-typo-key": {f"/files/0/fileImportPage/columnMappings/{n}" for n in range(10)},
}


def init_from_request(request: Path, spec: Path) -> Any:
    return CliRunner().invoke(cli, ["init", "--from-request", str(request), "-o", str(spec)])


def compile_written(spec: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """`specc compile` of the spec written, run where it lies (its data files need not exist:
    compile reads none)."""
    monkeypatch.chdir(spec.parent)
    done = CliRunner().invoke(cli, ["compile", spec.name])
    assert done.exit_code == 0, done.output
    compiled: dict[str, Any] = json.loads(done.stdout)
    return compiled


def assert_round_trip(
    request_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, read_as: Any = None
) -> str:
    """init, then compile: the same request as HubSpot reads it. `read_as` is the request as
    init announced it reads it, when that is not the request as written (SPC153)."""
    original = json.loads(request_file.read_text("utf-8"))
    spec = tmp_path / "spec.yaml"
    written = init_from_request(request_file, spec)
    assert written.exit_code == 0, written.output
    assert f"wrote {spec}" in written.stderr
    compiled = compile_written(spec, monkeypatch)
    assert diff_requests(read_as or original, compiled) == []
    return spec.read_text("utf-8")


def test_the_corpus_is_the_one_described() -> None:
    if not CORPUS.is_dir():
        pytest.skip("../shared/realworld/requests is not present")
    assert len(CORPUS_FILES) == 20
    assert set(REFUSED) <= {f.stem for f in CORPUS_FILES}


@needs_corpus
@pytest.mark.parametrize("request_file", CORPUS_FILES, ids=[f.stem for f in CORPUS_FILES])
def test_every_real_request_round_trips_or_gets_the_schemas_diagnostics(
    request_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = json.loads(request_file.read_text("utf-8"))
    refused = {pointer for pointer, _ in request_errors(original)}
    assert refused == REFUSED.get(request_file.stem, set())
    if not refused:
        if request_file.stem != "19-cdproject-file-dateformat":  # the test below
            assert_round_trip(request_file, tmp_path, monkeypatch)
        return
    spec = tmp_path / "spec.yaml"
    done = init_from_request(request_file, spec)
    assert done.exit_code == 1
    assert not spec.exists()
    errors = [line for line in done.stderr.splitlines() if "error[" in line]
    assert len(errors) == len(refused)
    assert all("error[SPC150] the request breaks the importRequest schema at " in e for e in errors)
    for pointer in refused:
        assert f" at {pointer}: " in done.stderr
    # Located in the request file itself, with its line shown.
    assert f"{request_file}:" in done.stderr
    assert "Traceback" not in done.output


@needs_corpus
def test_legacy_shapes_become_object_names_and_their_nulls_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = assert_round_trip(
        CORPUS / "08-company-scraper-legacy-company.json", tmp_path, monkeypatch
    )
    assert "    object: companies\n" in text
    assert "      Company Domain: {property: domain, id: true}\n" in text
    assert "ignore" not in text and "association_key" not in text


@needs_corpus
def test_a_repeated_column_name_uses_the_list_form(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = assert_round_trip(
        CORPUS / "03-otf-notebook-duplicate-column.json", tmp_path, monkeypatch
    )
    assert text.count("      - {column: Phone, property: Phone Number, id: true}\n") == 2


@needs_corpus
def test_a_per_file_date_format_is_read_as_the_imports_and_said_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    request_file = CORPUS / "19-cdproject-file-dateformat.json"
    original = json.loads(request_file.read_text("utf-8"))
    moved = {**original, "dateFormat": "DAY_MONTH_YEAR"}
    moved["files"] = [{k: v for k, v in f.items() if k != "dateFormat"} for f in original["files"]]
    text = assert_round_trip(request_file, tmp_path, monkeypatch, read_as=moved)
    assert "\ndate_format: DAY_MONTH_YEAR\n" in text
    # The one reading that is specc's choice, and the warning that says it.
    compiled = compile_written(tmp_path / "spec.yaml", monkeypatch)
    assert {(c.field, c.file) for c in diff_requests(original, compiled)} == {
        ("date_format", None),
        ("date_format", "output_bundle.csv"),
    }
    again = init_from_request(request_file, tmp_path / "again.yaml")
    assert "warning[SPC153] dateFormat DAY_MONTH_YEAR is given in each file" in again.stderr


EXAMPLE_REQUESTS = sorted(EXAMPLES.glob("*/expected-request.json"))


def test_there_are_six_examples() -> None:
    assert len(EXAMPLE_REQUESTS) == 6


@pytest.mark.parametrize(
    "request_file", EXAMPLE_REQUESTS, ids=[f.parent.name for f in EXAMPLE_REQUESTS]
)
def test_every_examples_request_round_trips(
    request_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = assert_round_trip(request_file, tmp_path, monkeypatch)
    original = json.loads(request_file.read_text("utf-8"))
    # The examples say every field as the compiler writes it: nothing to normalise away.
    assert compile_written(tmp_path / "spec.yaml", monkeypatch) == original
    assert text.startswith("# yaml-language-server: $schema=")
