"""The row-check engine: limits, options, rejects, progress; fast path == exact path."""

from __future__ import annotations

import csv
import io
import os
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specc.catalog.load import load_catalog
from specc.data.check import RowsResult, check_rows
from specc.errors import UsageError
from specc.pipeline import lint_loaded, load_spec
from specc.run import Options
from specc.tables import csv as csv_reader

CATALOG = Path(__file__).resolve().parent.parent / "cases" / "data" / "catalog.json"

# name in the header -> (column mapping in the spec, values a cell may hold)
COLUMNS: dict[str, tuple[str, list[str]]] = {
    "Email": (
        "{property: email, id: true}",
        ["a@x.com", "A@X.com", "b@x.com", " c@x.com", "no-at", "", "  ", "d@@x.com", "é@x.com"],
    ),
    "First": ("firstname", ["Ann", "", " ", "Ben, Jr.", 'Cé "C"', "multi\nline"]),
    "Stage": ("lifecyclestage", ["lead", "Lead", "LEAD", "prospect", "", " customer"]),
    "Score": ("lead_score", ["1", "-2.5", "12,5", "1.2.3", "", "1e3", "99999999999"]),
    "Signup": ("signup_date", ["10/28/2023", "28/10/2023", "2023-10-28", "", "02/30/2024"]),
    "Web": ("website_domain", ["example.com", "exa mple.com", "nodot", "", "https://x.org"]),
    "Member": ("member_no", ["M1", "M2", "m1", "", "M1 "]),
    "Phone": ("phone", ["+4930123456", "12345", "abc", ""]),
}


def make_spec(
    folder: Path,
    names: list[str],
    rows: list[list[str]],
    *,
    operation: str = "upsert",
    extra: str = "",
) -> Path:
    shutil.copy(CATALOG, folder / "catalog.json")
    lines = [
        "specc: 1",
        "name: engine test",
        "catalog: catalog.json",
        f"operations: {{contacts: {operation}}}",
        extra,
        "files:",
        "  - path: data.csv",
        "    object: contacts",
        "    columns:",
    ]
    lines += [f"      {name}: {COLUMNS[name][0]}" for name in names]
    (folder / "spec.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(names)
    writer.writerows(rows)
    (folder / "data.csv").write_text(buffer.getvalue(), "utf-8")
    return folder / "spec.yaml"


def run(spec_path: Path, *, fast: bool = True, **options: Any) -> RowsResult:
    opts = Options(cwd=spec_path.parent, environ={}, **options)
    loaded = load_spec(spec_path, opts)
    assert loaded.spec is not None, loaded.diagnostics
    catalog, _ = load_catalog(loaded.spec)
    return check_rows(loaded.spec, catalog, opts, lint_loaded(loaded.spec), fast=fast)


def codes(result: RowsResult) -> list[tuple[str, int | None]]:
    return [(d.code, d.data.line if d.data else None) for d in result.diagnostics]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.data(),
    names=st.lists(st.sampled_from(list(COLUMNS)), min_size=1, max_size=5, unique=True),
    operation=st.sampled_from(["create", "upsert"]),
    chunk=st.sampled_from([64, 1 << 20]),
)
def test_fast_and_exact_checks_agree(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    data: st.DataObject,
    names: list[str],
    operation: str,
    chunk: int,
) -> None:
    """The column-wise tests and the Arrow reader change nothing but the speed."""
    monkeypatch.setattr(csv_reader, "CHUNK_BYTES", chunk)
    row = st.tuples(*(st.sampled_from(COLUMNS[n][1]) for n in names)).map(list)
    ragged = st.lists(st.sampled_from(["x", ""]), max_size=len(names) + 2)
    rows = data.draw(st.lists(st.one_of(row, row, row, ragged), max_size=25))
    spec = make_spec(tmp_path_factory.mktemp("engine"), names, rows, operation=operation)
    fast = run(spec, fast=True)
    exact = run(spec, fast=False)
    assert [d.to_json() for d in fast.diagnostics] == [d.to_json() for d in exact.diagnostics]
    assert fast.counts_by_error_type == exact.counts_by_error_type
    # csv.writer writes an empty row as an empty line, which is no row
    assert fast.rows_checked == exact.rows_checked == len([r for r in rows if r])


def test_repeats_across_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_reader, "CHUNK_BYTES", 32)
    rows = [[f"p{i}@x.com", "A"] for i in range(20)] + [["P3@x.com", "B"], ["p19@x.com", "C"]]
    result = run(make_spec(tmp_path, ["Email", "First"], rows))
    assert codes(result) == [("SPC461", 22), ("SPC461", 23)]
    assert "row 4 (line 5)" in result.diagnostics[0].message
    assert result.counts_by_error_type == {"DUPLICATE_ALTERNATE_ID": 2}


@pytest.mark.parametrize("chunk", [32, 1 << 20])
def test_repeats_ignore_case_and_spaces_in_ascii_and_unicode_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """Batches of ASCII text and batches with other characters make the same keys: a
    repeat is found across them, whatever the case and the spaces around it."""
    monkeypatch.setattr(csv_reader, "CHUNK_BYTES", chunk)
    rows = [
        ["A@x.com", "Ann"],
        ["b@x.com", "Ben"],
        ["c@x.com", "Cé"],
        ["\ta@X.COM ", "Dan"],
        ["B@X.com\u00a0", "Eve"],
        ["\u3000C@X.COM", "Flo"],
        ["d@x.com", "Gus"],
    ]
    result = run(make_spec(tmp_path, ["Email", "First"], rows))
    repeats = [d for d in result.diagnostics if d.code == "SPC461"]
    assert [d.data.line if d.data else None for d in repeats] == [5, 6, 7]
    assert "row 1 (line 2)" in repeats[0].message
    assert "row 3 (line 4)" in repeats[2].message


# HubSpot's per-file limits (SPC470, SPC471, SPC472): tests/split/test_check_parts.py.


def test_options_override_the_spec_checks(tmp_path: Path) -> None:
    rows = [["no-at-1"], ["no-at-2"], ["no-at-3"]]
    spec = make_spec(tmp_path, ["Email"], rows, extra="checks: {max_errors: 1, rows: 1}")
    assert codes(run(spec)) == [("SPC401", 2)]
    assert codes(run(spec, rows=2, max_errors=5)) == [("SPC401", 2), ("SPC401", 3)]
    capped = run(spec, rows=3, max_errors=2)
    assert codes(capped) == [("SPC401", 2), ("SPC401", 3), ("SPC480", None)]
    assert "1 more problem in" in capped.diagnostics[-1].message
    assert capped.counts_by_error_type == {"INVALID_EMAIL": 3}  # all counted, shown or not


def test_no_rows_checked(tmp_path: Path) -> None:
    result = run(make_spec(tmp_path, ["Email"], [["no-at"]]), rows=0)
    assert result.diagnostics == [] and result.rows_checked == 0


def test_progress_reaches_the_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_reader, "CHUNK_BYTES", 64)
    spec = make_spec(tmp_path, ["Email"], [[f"p{i}@x.com"] for i in range(40)])
    seen: list[tuple[str, int, int]] = []
    run(spec, progress=lambda f, done, total: seen.append((f, done, total)))
    size = (tmp_path / "data.csv").stat().st_size
    assert len(seen) > 3
    assert [s[1] for s in seen] == sorted(s[1] for s in seen)
    assert seen[-1] == ("data.csv", size, size)


def test_rejects_of_a_clean_file_hold_the_header(tmp_path: Path) -> None:
    spec = make_spec(tmp_path, ["Email", "First"], [["a@x.com", "Ann"]])
    run(spec, rejects=tmp_path / "out")
    assert (tmp_path / "out" / "data.csv").read_bytes() == b"Email,First\r\n"
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["data.csv"]  # no temp left


def test_rejects_get_the_permissions_a_plain_file_would(tmp_path: Path) -> None:
    """Not mkstemp's private 0600: a colleague fixing the rejected rows must be able to read
    them, as they can read any file specc writes (umask 022: 0644)."""
    spec = make_spec(tmp_path, ["Email"], [["no-at"]])
    before = os.umask(0o022)
    try:
        run(spec, rejects=tmp_path / "out")
    finally:
        os.umask(before)
    assert stat.S_IMODE((tmp_path / "out" / "data.csv").stat().st_mode) == 0o644


def test_rejects_never_overwrite_the_data(tmp_path: Path) -> None:
    spec = make_spec(tmp_path, ["Email"], [["no-at"]])
    with pytest.raises(UsageError):
        run(spec, rejects=tmp_path)
    assert (tmp_path / "data.csv").read_bytes() == b"Email\r\nno-at\r\n"


def test_rejects_keep_the_bom(tmp_path: Path) -> None:
    spec = make_spec(tmp_path, ["Email"], [])
    (tmp_path / "data.csv").write_bytes(b"\xef\xbb\xbfEmail\nno-at\nok@x.com\n")
    run(spec, rejects=tmp_path / "out")
    assert (tmp_path / "out" / "data.csv").read_bytes() == b"\xef\xbb\xbfEmail\r\nno-at\r\n"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.lists(
        st.sampled_from([b"a@x.com", b"1", b",", b'"', b"\n", b"\r\n", b" ", b"\xc3\xa9", b"\xff"]),
        max_size=40,
    ).map(b"".join)
)
def test_any_bytes_after_the_header_give_diagnostics(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, body: bytes
) -> None:
    monkeypatch.setattr(csv_reader, "CHUNK_BYTES", 16)
    folder = tmp_path_factory.mktemp("bytes")
    spec = make_spec(folder, ["Email", "Score"], [])
    (folder / "data.csv").write_bytes(b"Email,Score\n" + body)
    fast = run(spec, fast=True, rejects=folder / "out")
    exact = run(spec, fast=False)
    assert [d.to_json() for d in fast.diagnostics] == [d.to_json() for d in exact.diagnostics]
