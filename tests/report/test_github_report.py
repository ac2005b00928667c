from __future__ import annotations

import re

from specc.diagnostics import DataLocation, Diagnostic, Result, Severity, SpecLocation
from specc.report import ReportOptions
from specc.report.github import annotation, escape_data, escape_property, render_github


def _unescape(value: str) -> str:
    return re.sub(r"%([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), value)


def test_spec_diagnostic_becomes_an_error_annotation_with_position(mixed_result: Result) -> None:
    lines = render_github(mixed_result, ReportOptions()).splitlines()
    assert (
        "::error file=imports/leads.yaml,line=7,col=25,title=SPC200::"
        'contacts have no property "emial"%0Ahint: did you mean "email"?'
    ) in lines


def test_data_rows_warnings_and_infos(mixed_result: Result) -> None:
    lines = render_github(mixed_result, ReportOptions()).splitlines()
    assert (
        "::warning file=imports/leads.csv,line=42,title=SPC300::"
        'not-an-email is not a valid email address (column "Email")'
    ) in lines
    assert "::notice file=imports/leads.csv,title=SPC202::the file could not be confirmed" in lines
    assert "::error title=SPC001::something without a place" in lines


def test_summary_is_a_plain_last_line(mixed_result: Result) -> None:
    last = render_github(mixed_result, ReportOptions(rows=True)).splitlines()[-1]
    assert not last.startswith("::")
    assert last.startswith("2 errors, 1 warning")


def test_escaping_follows_the_actions_toolkit() -> None:
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"


def test_hostile_text_cannot_break_out_of_its_annotation() -> None:
    nasty = "x\n::error file=evil::injected,%0A\r"
    d = Diagnostic(
        "SPC010",
        Severity.WARNING,
        nasty,
        hint=nasty,
        spec=SpecLocation("dir,with:odd%chars\n.yaml", 3, 4),
    )
    line = annotation(d)
    assert "\n" not in line and "\r" not in line
    head, _, message = line.partition("::")[2].partition("::")
    command, _, props = head.partition(" ")
    assert command == "warning"
    fields = dict(p.split("=", 1) for p in props.split(","))
    assert _unescape(fields["file"]) == "dir,with:odd%chars\n.yaml"
    assert fields["line"] == "3" and fields["col"] == "4" and fields["title"] == "SPC010"
    assert _unescape(message) == f"{nasty}\nhint: {nasty}"


def test_data_annotation_has_no_column_number() -> None:
    d = Diagnostic("SPC300", Severity.ERROR, "m", data=DataLocation("a.csv", 5, 4, "Email", "v"))
    assert annotation(d) == '::error file=a.csv,line=5,title=SPC300::m (column "Email")'
