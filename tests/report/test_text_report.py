from __future__ import annotations

import re
from pathlib import Path

import pytest

from specc.diagnostics import Diagnostic, Result, Severity, SpecLocation
from specc.report import REPORTER_BY_NAME, ReportOptions, render
from specc.report.text import MAX_SOURCE_WIDTH, render_text

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_spec_diagnostic_shows_location_source_line_caret_and_hint(mixed_result: Result) -> None:
    out = render_text(mixed_result, ReportOptions())
    lines = out.splitlines()
    start = lines.index('imports/leads.yaml:7:25: error[SPC200] contacts have no property "emial"')
    assert lines[start + 1] == "    7 |       Email: {property: emial}"
    assert lines[start + 2] == "      |                         ^"
    # the caret sits under column 25 of the source line
    assert lines[start + 2].index("^") - lines[start + 1].index("|") == 25 + 1
    assert lines[start + 3] == '  hint: did you mean "email"?'


def test_data_diagnostic_leads_with_data_file_and_line_and_names_the_column(
    mixed_result: Result,
) -> None:
    out = render_text(mixed_result, ReportOptions())
    assert (
        "imports/leads.csv:42: warning[SPC300] not-an-email is not a valid email address "
        '(column "Email")'
    ) in out.splitlines()


def test_column_not_repeated_when_the_message_names_it() -> None:
    from specc.diagnostics import DataLocation

    result = Result(
        diagnostics=[
            Diagnostic(
                "SPC300",
                Severity.ERROR,
                'column "Email": bad value',
                data=DataLocation("a.csv", 3, 2, "Email", "x"),
            )
        ]
    )
    assert 'a.csv:3: error[SPC300] column "Email": bad value\n' in render_text(
        result, ReportOptions()
    )


def test_whole_file_and_placeless_diagnostics(mixed_result: Result) -> None:
    lines = render_text(mixed_result, ReportOptions()).splitlines()
    assert "imports/leads.csv: info[SPC202] the file could not be confirmed" in lines
    assert "error[SPC001] something without a place" in lines


def test_summary_counts_and_rows(mixed_result: Result) -> None:
    last = render_text(mixed_result, ReportOptions(rows=True)).splitlines()[-1]
    assert last == "2 errors, 1 warning, 1 note in 1 spec (1 data file, 1,000 rows checked)"
    last = render_text(mixed_result, ReportOptions(rows=False)).splitlines()[-1]
    assert last == "2 errors, 1 warning, 1 note in 1 spec (1 data file)"


def test_clean_summary() -> None:
    result = Result(files=3, rows_checked=1, sources={"a.yaml": "", "b.yaml": ""})
    assert render_text(result, ReportOptions(rows=True)) == (
        "no problems in 2 specs (3 data files, 1 row checked)\n"
    )


def test_no_color_unless_asked_and_colors_when_asked(mixed_result: Result) -> None:
    plain = render_text(mixed_result, ReportOptions(color=False))
    assert "\x1b[" not in plain
    colored = render_text(mixed_result, ReportOptions(color=True))
    assert "\x1b[1;31merror[SPC200]\x1b[0m" in colored
    assert ANSI.sub("", colored) == plain


def _one(text: str, line: int, column: int) -> str:
    result = Result(sources={"s.yaml": text})
    result.extend(
        [Diagnostic("SPC010", Severity.ERROR, "m", spec=SpecLocation("s.yaml", line, column))]
    )
    return render_text(result, ReportOptions())


def test_caret_keeps_tabs_so_it_lines_up() -> None:
    lines = _one("a:\n\tb: 1\n", 2, 2).splitlines()
    assert lines[1] == "    2 | \tb: 1"
    assert lines[2] == "      | \t^"


def test_caret_counts_wide_characters_twice() -> None:
    lines = _one("名前: x\n", 1, 5).splitlines()
    # 名前 takes four cells on screen, then ": " -> the caret is in cell 7 (1-based)
    assert lines[2] == "      |       ^"


def test_long_source_lines_are_windowed_around_the_caret() -> None:
    text = "k: " + "x" * 500 + "TARGET" + "y" * 500
    column = text.index("TARGET") + 1
    lines = _one(text + "\n", 1, column).splitlines()
    shown, caret = lines[1], lines[2]
    assert len(shown) < MAX_SOURCE_WIDTH + 20
    assert "…" in shown
    assert shown[caret.index("^") :].startswith("TARGET")


def test_source_found_by_resolved_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = Result(sources={str(tmp_path / "s.yaml"): "name: x\n"})
    result.extend([Diagnostic("SPC010", Severity.ERROR, "m", spec=SpecLocation("s.yaml", 1, 1))])
    assert "    1 | name: x\n" in render_text(result, ReportOptions())


def test_missing_source_or_line_out_of_range_shows_no_excerpt() -> None:
    result = Result(sources={"s.yaml": "one line\n"})
    result.extend(
        [
            Diagnostic("SPC010", Severity.ERROR, "m", spec=SpecLocation("s.yaml", 9, 1)),
            Diagnostic("SPC010", Severity.ERROR, "m", spec=SpecLocation("other.yaml", 1, 1)),
        ]
    )
    out = render_text(result, ReportOptions())
    assert " | " not in out
    assert "s.yaml:9:1: error[SPC010] m" in out


def test_multiline_hint_is_indented() -> None:
    result = Result()
    result.extend([Diagnostic("SPC010", Severity.ERROR, "m", hint="first\nsecond")])
    assert "  hint: first\n        second\n" in render_text(result, ReportOptions())


def test_diagnostics_are_in_stable_order(mixed_result: Result) -> None:
    shuffled = Result(
        diagnostics=list(reversed(mixed_result.diagnostics)),
        files=mixed_result.files,
        rows_checked=mixed_result.rows_checked,
        sources=mixed_result.sources,
    )
    for name in REPORTER_BY_NAME:
        assert render(shuffled, name) == render(mixed_result, name)


def test_header_problem_shows_the_spec_mapping_too() -> None:
    from specc.diagnostics import DataLocation

    header = Diagnostic(
        "SPC301",
        Severity.ERROR,
        "column 'Email' is not in leads.csv's header",
        spec=SpecLocation("leads.yaml", 2, 3, "/files/0/columns/Email"),
        data=DataLocation("leads.csv", 1, None, "Emial"),
    )
    row = Diagnostic(
        "SPC401",
        Severity.ERROR,
        "not an email",
        spec=SpecLocation("leads.yaml", 2, 3, "/files/0/columns/Email"),
        data=DataLocation("leads.csv", 7, 6, "Email", "x"),
    )
    result = Result([header, row], sources={"leads.yaml": "columns:\n  Email: email\n"})
    text = render_text(result, ReportOptions())
    assert "leads.csv:1: error[SPC301]" in text
    assert "  spec: leads.yaml:2:3\n    2 |   Email: email\n      |   ^" in text
    # Row problems do not repeat the mapping: a big file may have millions of them.
    assert text.count("spec: leads.yaml") == 1
