"""GitHub Actions workflow commands: each diagnostic becomes an annotation on its file and line.

    ::error file=imports/leads.yaml,line=9,col=25,title=SPC210::contacts have no property ...

Escaping follows the Actions toolkit (`@actions/core`, command.ts): in the message `%`, CR and LF
are percent-encoded; in properties also `:` and `,`, which would otherwise end the property.
Because a value can never contain a raw newline, a message cannot start a command of its own.
Control characters (ESC and the rest) are made visible first, as in the text format
(`specc.report.text.printable`): the Actions log renders ANSI escapes.
"""

from __future__ import annotations

from specc.diagnostics import Diagnostic, Result, Severity
from specc.report.options import ReportOptions
from specc.report.shared import full_message, primary_place, summary_line
from specc.report.text import printable

COMMAND_BY_SEVERITY = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
}


def escape_data(value: str) -> str:
    # CR and LF stay, percent-encoded below, as the toolkit does.
    value = printable(value, keep="\t\r\n")
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(d: Diagnostic) -> str:
    properties: list[tuple[str, str]] = []
    place = primary_place(d)
    if place is not None:
        properties.append(("file", place.file))
        if place.line is not None:
            properties.append(("line", str(place.line)))
            if place.column is not None:
                properties.append(("col", str(place.column)))
    properties.append(("title", d.code))
    message = full_message(d)
    if d.hint:
        message += f"\nhint: {d.hint}"
    props = ",".join(f"{name}={escape_property(value)}" for name, value in properties)
    return f"::{COMMAND_BY_SEVERITY[d.severity]} {props}::{escape_data(message)}"


def render_github(result: Result, options: ReportOptions) -> str:
    lines = [annotation(d) for d in result.sorted()]
    # A plain line for the log; it starts with a count, so it is never read as a command.
    lines.append(summary_line(result, rows=options.rows))
    return "\n".join(lines) + "\n"
