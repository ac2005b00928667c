"""The human format: `file:line:col: severity[CODE] message`, the source line, a caret, the hint.

    imports/leads.yaml:9:25: error[SPC210] contacts have no property "emial"
        9 |       Email: {property: emial}
          |                         ^
      hint: did you mean "email"?

Data rows are shown as `file:line:` (the physical line of the row, header = 1).

Everything a report shows may have come from someone else: a data cell, a spec, a snapshot's
labels, a server's error message. `printable` is applied to each such piece before the report
adds its own colours, so that no escape sequence in them reaches the terminal: an ESC[2J that
clears the screen, an OSC 52 that writes the user's clipboard, a CR that overwrites the line.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from specc.diagnostics import Diagnostic, Result, Severity
from specc.report.options import ReportOptions
from specc.report.shared import errors_by_type_line, full_message, primary_place, summary_line

# Source lines longer than this are shown as a window around the caret.
MAX_SOURCE_WIDTH = 120

_RESET = "\033[0m"
_BOLD = "\033[1m"
_DIM = "\033[2m"
_SEVERITY_COLOR = {
    Severity.ERROR: "\033[1;31m",
    Severity.WARNING: "\033[1;33m",
    Severity.INFO: "\033[1;36m",
}


def _control_pictures() -> dict[int, str]:
    """Each character that can drive a terminal -> one visible character as wide as it was
    (so that a caret under a source line still points where it did): C0 controls as their
    Unicode pictures (ESC as ␛), DEL as ␡, C1 controls (0x9B is a CSI of its own on some
    terminals) and the bidi controls that reorder what is shown (Trojan Source) as �."""
    table = {code: chr(0x2400 + code) for code in range(0x20)}
    table[0x7F] = "\u2421"
    for code in (*range(0x80, 0xA0), 0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F)):
        table[code] = "\ufffd"
    for code in range(0x2066, 0x206A):
        table[code] = "\ufffd"
    return table


_CONTROLS = _control_pictures()


@cache
def _table(keep: str) -> dict[int, str]:
    return {code: shown for code, shown in _CONTROLS.items() if chr(code) not in keep}


def printable(text: str, *, keep: str = "\t\n") -> str:
    """`text` with every control character but those in `keep` replaced by a visible one of
    the same width (see `_control_pictures`), so that it cannot drive the terminal it is shown
    on. Tabs and line breaks are legitimate in a message or a hint (the renderer indents each
    line); a file name or a one-line field keeps none (`keep=""`)."""
    return text.translate(_table(keep))


def visible(value: object) -> str:
    """A value someone else wrote (a server's answer, a spec, a file name), shown on one line
    with its control characters (tabs and line breaks too) made visible."""
    return printable(str(value), keep="")


class _Paint:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, style: str) -> str:
        return f"{style}{text}{_RESET}" if self.enabled and text else text


def render_text(result: Result, options: ReportOptions) -> str:
    paint = _Paint(options.color)
    sources = _SourceIndex(result.sources)
    blocks = [_diagnostic_block(d, sources, paint) for d in result.sorted()]
    by_type = errors_by_type_line(result)  # HubSpot's error names: a server's words
    if by_type:
        blocks.append(printable(by_type, keep=""))
    summary = summary_line(result, rows=options.rows)
    color = _SEVERITY_COLOR[Severity.ERROR] if result.errors else _BOLD
    blocks.append(paint(summary, color))
    return "\n".join(blocks) + "\n"


def _diagnostic_block(d: Diagnostic, sources: _SourceIndex, paint: _Paint) -> str:
    place = primary_place(d)
    label = paint(f"{d.severity.value}[{d.code}]", _SEVERITY_COLOR[d.severity])
    head = f"{label} {printable(full_message(d))}"
    lines = []
    if place is None:
        lines.append(head)
    else:
        where = printable(place.file, keep="")
        if place.line is not None:
            where += f":{place.line}"
            if place.column is not None:
                where += f":{place.column}"
        lines.append(f"{paint(where + ':', _BOLD)} {head}")
        if place.in_spec and place.line is not None:
            text = sources.line(place.file, place.line)
            if text is not None:
                lines.extend(_excerpt(text, place.line, place.column or 1, d.severity, paint))
        elif d.spec is not None and (d.data is None or d.data.row is None):
            # A problem of a whole data file (its header, say) is fixed in the spec as often as
            # in the file: show the mapping too. Row problems skip this; they can be millions.
            spec = d.spec
            spec_file = printable(spec.file, keep="")
            lines.append(f"  {paint('spec:', _DIM)} {spec_file}:{spec.line}:{spec.column}")
            text = sources.line(spec.file, spec.line)
            if text is not None:
                lines.extend(_excerpt(text, spec.line, spec.column, d.severity, paint))
    if d.hint:
        hint_lines = printable(d.hint).splitlines() or [""]
        lines.append(f"  {paint('hint:', _DIM)} {hint_lines[0]}")
        lines.extend(f"        {more}" for more in hint_lines[1:])
    return "\n".join(lines)


def _excerpt(text: str, line: int, column: int, severity: Severity, paint: _Paint) -> list[str]:
    """The source line under a gutter with its number, and a caret under `column` (1-based)."""
    text = printable(text)  # tabs stay: the caret's padding keeps them
    index = max(0, min(column - 1, len(text)))
    start = 0
    if len(text) > MAX_SOURCE_WIDTH:
        start = max(0, min(index - MAX_SOURCE_WIDTH // 2, len(text) - MAX_SOURCE_WIDTH))
        text = text[start : start + MAX_SOURCE_WIDTH]
        index -= start
    shown = ("…" if start else "") + text
    pad = ("" if not start else " ") + _blank_like(text[:index])
    number = str(line)
    gutter = " " * len(number)
    return [
        f"    {paint(number + ' |', _DIM)} {shown}",
        f"    {paint(gutter + ' |', _DIM)} {pad}{paint('^', _SEVERITY_COLOR[severity])}",
    ]


def _blank_like(prefix: str) -> str:
    """Whitespace as wide on screen as `prefix`: tabs kept, wide characters counted twice."""
    out = []
    for ch in prefix:
        if ch == "\t":
            out.append("\t")
        elif unicodedata.combining(ch):
            continue
        elif unicodedata.east_asian_width(ch) in ("W", "F"):
            out.append("  ")
        else:
            out.append(" ")
    return "".join(out)


class _SourceIndex:
    """Spec texts by the file name diagnostics use (as given, or the same file resolved)."""

    def __init__(self, sources: dict[str, str]) -> None:
        self._by_name = sources
        self._by_resolved: dict[Path, str] | None = None
        self._lines: dict[str, list[str]] = {}

    def line(self, file: str, number: int) -> str | None:
        if file not in self._lines:
            text = self._text(file)
            self._lines[file] = [] if text is None else text.splitlines()
        lines = self._lines[file]
        if 1 <= number <= len(lines):
            return lines[number - 1].rstrip("\r\n")
        return None

    def _text(self, file: str) -> str | None:
        if file in self._by_name:
            return self._by_name[file]
        if self._by_resolved is None:
            self._by_resolved = {_resolved(name): text for name, text in self._by_name.items()}
        return self._by_resolved.get(_resolved(file))


def _resolved(name: str) -> Path:
    try:
        return Path(name).resolve()
    except (OSError, RuntimeError, ValueError):
        return Path(name)
