"""No text that came from a file or a server can drive the user's terminal through a report."""

from __future__ import annotations

import re
from pathlib import Path

from specc.codes import spec as spec_codes
from specc.diagnostics import DataLocation, Result, SpecLocation
from specc.diff import Change
from specc.fix.changes import Change as FixChange
from specc.fix.changes import ChangeLog
from specc.hubspot import events as ev
from specc.hubspot.row_errors import FileLayout, map_errors
from specc.hubspot.upload import Upload, UploadFile
from specc.hubspot.workflow import SavedCatalog
from specc.plan import FilePlan, Plan
from specc.report.diff import render_diff_text
from specc.report.fixes import fix_summary
from specc.report.github import render_github
from specc.report.imports import (
    describe_counters,
    describe_import,
    describe_imports,
    describe_plan,
    error_groups,
    event_line,
)
from specc.report.messages import catalog_saved, failure, sandbox_reachable
from specc.report.options import ReportOptions
from specc.report.plan import plan_text
from specc.report.text import printable, render_text

CLEAR = "\x1b[2J"
CLIPBOARD = "\x1b]52;c;UFdORUQ=\x07"  # OSC 52: put "PWNED" on the clipboard
C1_CSI = "\x9b2J"
# What specc itself writes when colour is on: SGR sequences only.
OWN_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def hostile_import_errors() -> Result:
    """The diagnostics `specc errors` shows for an answer whose messages carry escapes."""
    layout = FileLayout(file_name="leads.csv", shown_path="leads.csv", columns=("Email", "Stage"))
    errors = [
        {
            "errorType": "INVALID_EMAIL",
            "errorMessage": f"Invalid email {CLEAR}{CLIPBOARD}",
            "invalidValue": f"x{C1_CSI}@y",
            "sourceData": {"lineNumber": 2, "sourceFileName": "leads.csv"},
            "knownColumnNumber": 1,
        },
        {
            "errorType": f"UNKNOWN{CLEAR}",
            "errorMessage": f"line one\r{CLIPBOARD}overwritten",
            "sourceData": {"lineNumber": 3, "sourceFileName": "leads.csv"},
        },
    ]
    result = Result()
    result.extend(map_errors(errors, [layout]))
    result.errors_by_type = {f"BAD{CLEAR}": 2}
    return result


def test_a_server_message_reaches_the_text_report_made_visible() -> None:
    result = hostile_import_errors()
    for color in (False, True):
        text = render_text(result, ReportOptions(color=color))
        assert "\x07" not in text and "\x9b" not in text and "\r" not in text
        assert "\x1b" not in OWN_COLOUR.sub("", text), text
        assert "Invalid email \u241b[2J\u241b]52;c;UFdORUQ=\u2407" in text
        assert "BAD\u241b[2J 2" in text  # the count by error type: the server's type name


def test_a_cell_value_in_a_message_hint_and_file_name_is_made_visible() -> None:
    result = Result()
    result.sources["spec.yaml"] = f"name: {CLEAR}\n"
    result.extend(
        [
            spec_codes.SYNTAX.at(
                f'"{CLIPBOARD}sales" is not an option',
                hint=f"options: lead\n{CLEAR}",
                spec=SpecLocation("spec.yaml", 1, 7),
                data=DataLocation(file=f"c{C1_CSI}.csv"),
            )
        ]
    )
    text = render_text(result, ReportOptions(color=False))
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
    # The source line keeps its width: the caret still points under column 7, the ESC.
    source, caret = [line for line in text.splitlines() if " | " in line or line.endswith("^")]
    assert source.endswith("name: \u241b[2J")
    assert caret.index("^") == source.index("\u241b")


def test_github_annotations_carry_no_escape_either() -> None:
    text = render_github(hostile_import_errors(), ReportOptions())
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
    assert text.count("\n") == len(text.splitlines())  # CR and LF percent-encoded, as before


def test_printable_keeps_layout_and_width() -> None:
    assert printable("a\tb\nc") == "a\tb\nc"
    assert printable("a\tb\nc", keep="") == "a\u2409b\u240ac"
    hostile = f"{CLEAR}{CLIPBOARD}{C1_CSI}\x7f\u202e"
    assert len(printable(hostile)) == len(hostile)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in printable(hostile))


# --- the renderers of imports, plans and diffs ------------------------------------------------


def _no_terminal_control(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text and "\r" not in text


def test_an_import_record_and_the_imports_list_are_shown_inert() -> None:
    record = {
        "id": f"71{CLEAR}",
        "importName": f"leads{CLIPBOARD}",
        "state": f"DONE{C1_CSI}",
        "createdAt": "2026-01-02\r\x1b[1Atampered",
        "mappedObjectTypeIds": [f"0-1{CLEAR}"],
        "metadata": {"counters": {f"TOTAL{CLEAR}": 3}},
    }
    for shown in (describe_import(record), describe_counters(record), describe_imports([record])):
        _no_terminal_control(shown)
        assert "71\u241b[2J" in shown
    # One line per import: a tab or a line break in a value cannot make a column or a row.
    listed = describe_imports([{**record, "importName": "a\tb\nc"}])
    assert listed.count("\t") == 3 and "\n" not in listed and "a\u2409b\u240ac" in listed


def test_the_upload_plan_and_client_events_show_names_inert(tmp_path: Path) -> None:
    upload = Upload(
        name=f"leads{CLEAR}",
        request_json="{}",
        files=(
            UploadFile(
                path=tmp_path / "leads.csv",
                shown_path=f"leads{CLIPBOARD}.csv",
                file_name="leads.csv",
                content_type="text/csv",
                size=10,
                object_type_id="0-1",
                columns=2,
            ),
        ),
        operations={"0-1": f"CREATE{C1_CSI}"},
    )
    plan = describe_plan(upload, f"http://127.0.0.1/{CLEAR}")
    _no_terminal_control(plan)
    assert 'import "leads\u241b[2J"' in plan and "leads\u241b]52;c;UFdORUQ=\u2407.csv" in plan
    for event in (
        ev.Retrying("list imports", 1, 0.5, f"HTTP 503 {CLEAR}"),
        ev.OutcomeUnknown(f"dropped{CLIPBOARD}"),
        ev.Polled(f"7{CLEAR}", f"PROCESSING{C1_CSI}", {}),
    ):
        line = event_line(event)
        assert line is not None
        _no_terminal_control(line)
        assert "\u241b" in line


def test_row_errors_by_type_show_the_servers_type_name_inert() -> None:
    groups = error_groups(hostile_import_errors())
    _no_terminal_control(groups)
    assert "UNKNOWN\u241b[2J: 1" in groups


def test_the_plan_shows_file_names_and_error_types_inert() -> None:
    file_plan = FilePlan(file=f"leads{CLEAR}.csv", rows=2, judged=2, fail=1)
    file_plan.failures_by_type[f"CREATE_ONLY_IMPORT{C1_CSI}"] = 1
    text = plan_text(Plan(files=[file_plan], looked_up=1), f"http://x/{CLIPBOARD}")
    _no_terminal_control(text)
    assert "  leads\u241b[2J.csv: 2 rows" in text and "CREATE_ONLY_IMPORT\ufffd2J 1" in text


def test_a_diff_line_shows_the_spec_file_and_the_changed_names_inert() -> None:
    change = Change("changed", "property", "email", f"e{CLEAR}", file="c.csv", column=f"E{CLEAR}")
    located = [(change, SpecLocation(f"spec{CLEAR}.yaml", 3, 5))]
    text = render_diff_text(located, {}, {"file": f"saved{CLIPBOARD}.json"}, github=False)
    _no_terminal_control(text)
    assert text.startswith("spec\u241b[2J.yaml:3:5: ~ ")


def test_the_fix_summary_shows_file_and_column_names_inert(tmp_path: Path) -> None:
    changes = ChangeLog()
    try:
        changes.add(FixChange(f"c{CLEAR}.csv", 2, f"Stage{CLIPBOARD}", " a", "a", "trim"))
        changes.add(FixChange(f"d{C1_CSI}.csv", None, None, "latin-1", "UTF-8", "encoding"))
        text = fix_summary(changes, tmp_path / f"out{CLEAR}" / "spec.yaml")
    finally:
        changes.close()
    _no_terminal_control(text)
    assert "c\u241b[2J.csv: Stage\u241b]52;c;UFdORUQ=\u2407: trim: 1 cell" in text
    assert "d\ufffd2J.csv: encoding: " in text and text.endswith("out\u241b[2J")


def test_specc_s_own_messages_show_what_they_quote_inert(tmp_path: Path) -> None:
    saved = SavedCatalog(tmp_path / f"c{CLEAR}.json", 2, 10)
    gone = FileNotFoundError(2, "No such file or directory", f"leads{CLIPBOARD}.csv")
    for text in (
        catalog_saved([f"left out owners: the token has no scope{CLEAR}"], saved),
        failure(gone).text,
        failure(RuntimeError(f"boom{C1_CSI}")).text,
        sandbox_reachable(f"0.0.0.0{CLEAR}"),
    ):
        _no_terminal_control(text)
        assert text.startswith("specc: ")
    assert failure(gone).exit_code == 2 and failure(RuntimeError()).exit_code == 3
