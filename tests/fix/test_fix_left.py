"""What `specc fix` says is left is exactly what `specc check` says of the copy.

A CSV file (UTF-8, commas) is checked as its copy is written, from the batches read with
the fixed cells in them, instead of being read again: these tests compare that with a real
check of the copy, diagnostic for diagnostic, on every fix case folder and on a file of
several batches whose fixes make identifiers repeat.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from specc.diagnostics import Result
from specc.fix import fix_spec
from specc.pipeline import check_one, load_spec
from specc.run import Options

CASES = Path(__file__).resolve().parents[1] / "cases" / "fix"
FOLDERS = sorted(p.name for p in CASES.iterdir() if (p / "spec.yaml").is_file())


def _workspace(tmp_path: Path, case: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(CASES / "catalog.json", tmp_path / "catalog.json")
    shutil.copytree(CASES / case, tmp_path / case, ignore=shutil.ignore_patterns("expected*"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / case / "spec.yaml"


def _check_of_copy(copy: Path, options: Options) -> Result:
    roots = (*options.data_roots, copy.parent.parent)  # the shared catalog's folder
    final = Options(data_roots=roots, environ=options.environ)
    return check_one(load_spec(copy, final), final)


def _same(left: Result, checked: Result) -> None:
    assert left.diagnostics == checked.diagnostics
    assert left.rows_checked == checked.rows_checked
    assert left.errors_by_type == checked.errors_by_type
    assert left.files == checked.files
    assert left.sources == checked.sources


@pytest.mark.parametrize("case", FOLDERS)
def test_left_is_the_check_of_the_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    spec = _workspace(tmp_path, case, monkeypatch)
    options = Options(data_roots=(tmp_path,))
    with fix_spec(spec, Path("out"), options) as fixed:
        _same(fixed.left, _check_of_copy(Path("out").resolve() / "spec.yaml", options))


@pytest.mark.parametrize("max_bytes", [None, "2000000"])
def test_left_of_a_file_of_several_batches_with_repeats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, max_bytes: str | None
) -> None:
    """The messy export many times over (about 9 MB: two batches), so that the
    fixed emails repeat across batches; with a lowered byte limit, over which the size of
    the copy counts (the copy is then read again)."""
    spec = _workspace(tmp_path, "messy", monkeypatch)
    source = spec.parent / "contacts.csv"
    header, *rows = source.read_bytes().splitlines(keepends=True)
    body = b"".join(rows)
    source.write_bytes(header + body * (9_000_000 // len(body)))
    environ = {"SPECC_MAX_FILE_BYTES": max_bytes} if max_bytes else {}
    options = Options(data_roots=(tmp_path,), environ=environ)
    with fix_spec(spec, Path("out"), options) as fixed:
        assert len(fixed.changes) > 80_000
        checked = _check_of_copy(Path("out").resolve() / "spec.yaml", options)
        assert checked.rows_checked > 80_000
        assert any(d.code == "SPC432" or "repeat" in d.message for d in checked.diagnostics)
        _same(fixed.left, checked)


def test_left_when_a_fix_takes_a_line_break_out_of_a_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An email with a line break at its end loses it (whitespace): the rewritten record
    is a line shorter, so the lines after it move, and the copy is read again to say so."""
    spec = _workspace(tmp_path, "messy", monkeypatch)
    source = spec.parent / "contacts.csv"
    header, *rows = source.read_bytes().splitlines(keepends=True)
    broken = b'"g@example.com\r\n",Gus,lead,NEW,chess,true,5,0,31/12/2023,01/01/2024,x.com\r\n'
    source.write_bytes(header + rows[0] + broken + b"".join(rows[1:]))
    options = Options(data_roots=(tmp_path,))
    with fix_spec(spec, Path("out"), options) as fixed:
        trimmed = ("g@example.com\r\n", "g@example.com")
        assert any((c.before, c.after) == trimmed for c in fixed.changes)
        _same(fixed.left, _check_of_copy(Path("out").resolve() / "spec.yaml", options))


def test_a_fixed_record_with_a_line_break_in_a_cell_stays_one_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record whose name holds a line break, its stage fixed: written again, the name is
    quoted as it was, so the copy still reads it as one row, on the same lines."""
    spec = _workspace(tmp_path, "messy", monkeypatch)
    source = spec.parent / "contacts.csv"
    header, *rows = source.read_bytes().splitlines(keepends=True)
    two_lines = b'h@example.com,"Hal\nJr",LEAD,NEW,chess,true,5,0,31/12/2023,01/01/2024,x.com\r\n'
    source.write_bytes(header + rows[0] + two_lines + b"".join(rows[1:]))
    options = Options(data_roots=(tmp_path,))
    with fix_spec(spec, Path("out"), options) as fixed:
        assert any((c.line, c.before, c.after) == (3, "LEAD", "lead") for c in fixed.changes)
        copy = (Path("out") / "contacts.csv").read_bytes().splitlines(keepends=True)
        tail = b'Jr",lead,NEW,chess,true,5,0,31/12/2023,01/01/2024,x.com\r\n'
        assert copy[2:4] == [b'h@example.com,"Hal\n', tail]
        assert len(copy) == 1 + len(rows) + 2  # the header, the rows, two lines for Hal
        _same(fixed.left, _check_of_copy(Path("out").resolve() / "spec.yaml", options))
