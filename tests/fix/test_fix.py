"""`specc fix` end to end: the messy export, whole-file rewrites, and what it refuses."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from specc.cli import cli
from specc.errors import UsageError
from specc.fix import fix_spec
from specc.pipeline import check
from specc.run import Options

CASES = Path(__file__).resolve().parents[1] / "cases" / "fix"


def _workspace(tmp_path: Path, case: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The case folder and the shared catalog copied under tmp_path, which becomes the cwd."""
    shutil.copy(CASES / "catalog.json", tmp_path / "catalog.json")
    shutil.copytree(CASES / case, tmp_path / case, ignore=shutil.ignore_patterns("expected*"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / case / "spec.yaml"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def _cells(path: Path) -> list[list[str]]:
    import csv

    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_messy_export_fixes_exactly_the_cells_with_one_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = _workspace(tmp_path, "messy", monkeypatch)
    source = spec.parent / "contacts.csv"
    before_bytes = source.read_bytes()
    before_check = check([spec], Options())
    reported = {
        (d.data.line, d.data.column)
        for d in before_check.diagnostics
        if d.data is not None and d.data.column is not None
    }

    code, out = _run("fix", str(spec), "-o", "out", "--format", "json")
    assert code == 1, out
    document = json.loads(out)
    assert document["version"] == 1
    changed = {(c["line"], c["column"]) for c in document["changes"]}
    by_cell = {
        (c["line"], c["column"]): (c["before"], c["after"], c["rule"]) for c in document["changes"]
    }
    # Every rule at work, each value into the form HubSpot reads.
    assert by_cell[(3, "Signup")] == ("2023-10-28", "28/10/2023", "date")
    assert by_cell[(4, "Signup")] == ("10/28/2023", "28/10/2023", "date")
    assert by_cell[(3, "Seen")] == ("2023-10-28T14:30:00Z", "28/10/2023 14:30:00 +00:00", "date")
    assert by_cell[(3, "Revenue")] == ("1,200.50", "1200.50", "number")
    assert by_cell[(4, "Revenue")] == ("$300", "300", "number")
    assert by_cell[(3, "Discount")] == ("25%", "0.25", "percent")
    assert by_cell[(3, "Newsletter")] == ("Y", "true", "boolean")
    assert by_cell[(3, "Stage")] == ("LEAD", "lead", "option")
    assert by_cell[(3, "Hobbies")] == ("Hiking, Jazz", "hiking;jazz", "checkbox-list")
    assert by_cell[(3, "Website")] == ("https://www.example.com/about", "www.example.com", "domain")
    assert by_cell[(7, "Email")] == ("  f@example.com ", "f@example.com", "whitespace")
    # Only reported cells change; those with no single reading are left.
    assert changed <= reported
    left_cells = {
        (5, "Revenue"),
        (5, "Discount"),
        (5, "Hobbies"),
        (5, "Newsletter"),
        (5, "Website"),
        (6, "Signup"),
        (6, "Seen"),
        (6, "Stage"),
        (7, "Signup"),
    }
    assert left_cells <= reported
    assert not changed & left_cells
    assert changed | left_cells == reported

    # check of the copy reports only the cells left, at their original lines.
    copy = tmp_path / "out" / "spec.yaml"
    after = check([copy], Options())
    assert {(d.data.line, d.data.column) for d in after.diagnostics if d.data} == left_cells
    assert {(d["data"]["line"], d["data"]["column"]) for d in document["left"]} == left_cells

    # Rows, lines and untouched lines byte for byte; the source never touched.
    assert source.read_bytes() == before_bytes
    fixed_lines = (tmp_path / "out" / "contacts.csv").read_bytes().split(b"\r\n")
    source_lines = before_bytes.split(b"\r\n")
    assert len(fixed_lines) == len(source_lines)
    touched = {line for line, _ in changed}
    for number, (old_line, new_line) in enumerate(
        zip(source_lines, fixed_lines, strict=True), start=1
    ):
        if number not in touched:
            assert old_line == new_line, number
    rows_before, rows_after = _cells(source), _cells(tmp_path / "out" / "contacts.csv")
    header = rows_before[0]
    for line, (old_row, new_row) in enumerate(zip(rows_before, rows_after, strict=True), start=1):
        for name, old, new in zip(header, old_row, new_row, strict=True):
            assert (old == new) == ((line, name) not in changed), (line, name)

    # fix of the fixed copy changes nothing.
    code, out = _run("fix", str(copy), "-o", "again", "--format", "json")
    assert code == 1
    assert json.loads(out)["changes"] == []
    assert (tmp_path / "again" / "contacts.csv").read_bytes() == (
        tmp_path / "out" / "contacts.csv"
    ).read_bytes()


def test_text_output_summarises_per_column_and_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = _workspace(tmp_path, "messy", monkeypatch)
    code, out = _run("fix", str(spec), "-o", "out")
    assert code == 1
    assert 'out/contacts.csv: Newsletter: boolean: 3 cells (line 3: "Y" -> "true"' in out
    assert "fixed 19 values into out" in out
    # 1,200 has two readings: left as it is, and reported
    assert 'out/contacts.csv:5: warning[SPC443] "1,200" may be read as 1200 or as 1.2' in out


def test_latin1_semicolon_file_becomes_utf8_with_commas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = _workspace(tmp_path, "encoding-delimiter", monkeypatch)
    code, out = _run("fix", str(spec), "-o", "out", "--format", "json")
    assert code == 0, out
    rules = [(c["rule"], c["before"], c["after"]) for c in json.loads(out)["changes"]]
    assert ("encoding", "windows-1252", "utf-8") in rules
    assert ("delimiter", ";", ",") in rules
    expected = (CASES / "encoding-delimiter" / "expected-contacts.csv").read_bytes()
    assert (tmp_path / "out" / "contacts.csv").read_bytes() == expected
    assert check([tmp_path / "out" / "spec.yaml"], Options()).diagnostics == []


def test_refuses_a_folder_holding_a_source_and_keeps_existing_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = _workspace(tmp_path, "messy", monkeypatch)
    source = spec.parent / "contacts.csv"
    before = source.read_bytes()
    code, out = _run("fix", str(spec), "-o", str(spec.parent))
    assert code == 2
    assert "a source of the spec" in out
    assert source.read_bytes() == before
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "contacts.csv").write_text("mine\n")
    with pytest.raises(UsageError, match="exists"):
        fix_spec(spec, tmp_path / "out", Options())
    assert (tmp_path / "out" / "contacts.csv").read_text() == "mine\n"
    code, _ = _run("fix", str(spec), "-o", "out", "--force")
    assert code == 1
    assert (tmp_path / "out" / "contacts.csv").read_text() != "mine\n"


def test_a_workbook_is_fixed_into_a_one_sheet_xlsx_that_fix_leaves_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from specc.tables.table import Table

    spec = _workspace(tmp_path, "spreadsheet", monkeypatch)
    code, out = _run("fix", str(spec), "-o", "out", "--format", "json")
    assert code == 1, out
    document = json.loads(out)
    assert {c["rule"] for c in document["changes"]} == {
        "option",
        "number",
        "date",
        "boolean",
        "whitespace",
    }
    copy = tmp_path / "out" / "contacts.xlsx"
    rows = [r.cells for r in Table.at(copy).rows() if hasattr(r, "cells")]
    assert rows[1][:3] == ["b@example.com", "lead", "300"]
    # The copy of the spec leads to the workbook, and fixing it again changes nothing.
    code, out = _run("fix", str(tmp_path / "out" / "spec.yaml"), "-o", "again", "--format", "json")
    assert code == 1
    assert json.loads(out)["changes"] == []


def test_the_change_list_passes_the_secrets_scrubber(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = _workspace(tmp_path, "whitespace", monkeypatch)
    token = "pat-na1-11111111-2222-3333-4444-555555555555"
    source = spec.parent / "contacts.csv"
    source.write_text(source.read_text() + f"x@example.com, {token} \r\n")
    result = CliRunner().invoke(
        cli,
        ["fix", str(spec), "-o", "out", "--format", "json"],
        env={"HUBSPOT_ACCESS_TOKEN": token},
    )
    assert token not in result.output
    assert "[redacted]" in result.output


def test_a_target_that_leads_to_a_source_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = _workspace(tmp_path, "number", monkeypatch)
    source = spec.parent / "contacts.csv"
    before = source.read_bytes()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "contacts.csv").symlink_to(source)
    with pytest.raises(UsageError, match="leads to a source"):
        fix_spec(spec, tmp_path / "out", Options(), force=True)
    assert source.read_bytes() == before


def test_the_change_log_reads_back_every_change_in_order_and_forgets_a_file() -> None:
    from specc.fix import Change, ChangeLog

    log = ChangeLog()
    try:
        for line in range(2, 10_002):
            log.add_cell("a.csv", line, "Email", f" {line} ", str(line), "whitespace")
            if line % 1000 == 0:
                log.flush()
        log.add(Change("b.csv", None, None, ";", ",", "delimiter"))
        listed = list(log)
        assert [c.line for c in listed[:-1]] == list(range(2, 10_002))
        assert listed[-1].rule == "delimiter"
        assert len(log) == 10_001
        (group,) = [g for g in log.groups.values() if g.file == "a.csv"]
        assert group.count == 10_000 and len(group.examples) == 3
        log.forget("a.csv")
        assert [c.file for c in log] == ["b.csv"] and len(log) == 1
    finally:
        log.close()
