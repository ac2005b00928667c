"""No text that came from a file or a server can drive the user's terminal through a report."""

from __future__ import annotations

import re

from specc.codes import spec as spec_codes
from specc.diagnostics import DataLocation, Result, SpecLocation
from specc.hubspot.row_errors import FileLayout, map_errors
from specc.report.github import render_github
from specc.report.options import ReportOptions
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
