"""`specc check` and HubSpot's per-file limits: a spec of one CSV file over them is sent in
parts (a note, SPC472); a spreadsheet or a file of a spec with several files stays an error
(SPC470 rows, SPC471 bytes). The limits are lowered through SPECC_MAX_FILE_ROWS and
SPECC_MAX_FILE_BYTES, as the variables' documentation says tests do."""

from __future__ import annotations

from pathlib import Path

from specc.catalog.load import load_catalog
from specc.codes import lookup
from specc.data.check import RowsResult, check_rows
from specc.diagnostics import Severity
from specc.pipeline import lint_loaded, load_spec
from specc.run import Options
from specc.tables.parts import FileLimits, plan_parts

HEADER = "Email,First Name\n"


def write_spec(folder: Path, files: dict[str, str]) -> Path:
    lines = ["specc: 1", "name: limits", "operations: {contacts: upsert}", "files:"]
    for name, content in files.items():
        (folder / name).write_text(content, "utf-8")
        lines += [
            f"  - path: {name}",
            "    object: contacts",
            "    columns:",
            "      Email: {property: email, id: true}",
            "      First Name: firstname",
        ]
    (folder / "spec.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    return folder / "spec.yaml"


def rows(count: int, start: int = 0) -> str:
    return "".join(f'p{i}@x.com,"Ann\n{i}"\n' for i in range(start, start + count))


def check(spec_path: Path, **environ: str) -> RowsResult:
    options = Options(cwd=spec_path.parent, environ=environ)
    loaded = load_spec(spec_path, options)
    assert loaded.spec is not None, loaded.diagnostics
    catalog, _ = load_catalog(loaded.spec)
    return check_rows(loaded.spec, catalog, options, lint_loaded(loaded.spec))


def test_one_csv_file_over_the_row_limit_is_a_note_naming_its_parts(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, {"data.csv": HEADER + rows(25)})
    result = check(spec, SPECC_MAX_FILE_ROWS="10")
    (note,) = result.diagnostics
    assert note.code == "SPC472" and note.severity is Severity.INFO
    assert "25 data rows (HubSpot takes 10)" in note.message
    assert "will send it in 3 parts" in note.message
    assert result.counts_by_error_type == {}
    assert result.rows_checked == 25


def test_one_csv_file_over_the_byte_limit_is_a_note(tmp_path: Path) -> None:
    content = HEADER + rows(300)
    spec = write_spec(tmp_path, {"data.csv": content})
    limit = len(content) // 3
    result = check(spec, SPECC_MAX_FILE_BYTES=str(limit))
    (note,) = result.diagnostics
    # As many parts as import will send: each leaves room under the limit for the request.
    parts = plan_parts(tmp_path / "data.csv", True, FileLimits(bytes=limit)).parts
    assert len(parts) >= 4
    assert note.code == "SPC472"
    assert f"{len(content):,} bytes (HubSpot takes {limit:,} bytes)" in note.message
    assert f"in {len(parts)} parts" in note.message
    assert check(spec, SPECC_MAX_FILE_BYTES=str(len(content))).diagnostics == []


def test_rows_repeated_across_parts_are_still_repeats(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, {"data.csv": HEADER + rows(12) + "p1@x.com,Ann\n"})
    found = [
        (d.code, d.data.line if d.data else None)
        for d in check(spec, SPECC_MAX_FILE_ROWS="5").diagnostics
    ]
    assert found == [("SPC472", None), ("SPC461", 26)]


def test_a_file_of_a_spec_with_two_files_stays_an_error(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, {"a.csv": HEADER + rows(5), "b.csv": HEADER + rows(2, 100)})
    result = check(spec, SPECC_MAX_FILE_ROWS="3")
    assert [(d.code, d.data.line if d.data else None) for d in result.diagnostics] == [
        ("SPC470", 8)
    ]
    assert "specc import splits only a spec of one file" in (result.diagnostics[0].hint or "")
    big = check(spec, SPECC_MAX_FILE_BYTES="40").diagnostics
    assert [d.code for d in big] == ["SPC471", "SPC471"]
    assert all(d.severity is Severity.ERROR for d in big)


def test_explain_tells_what_import_does_with_each() -> None:
    for code, words in [
        ("SPC470", "a spreadsheet"),
        ("SPC471", "MiB"),
        ("SPC472", "NAME (part K of N)"),
        ("SPC473", "does not retry"),
    ]:
        found = lookup(code)
        assert found is not None and words in found.explanation
