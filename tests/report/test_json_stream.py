"""The JSON document written piece by piece: the same bytes as `json.dumps(indent=2)`, in
pieces that end between findings, in memory that does not grow with the report."""

from __future__ import annotations

import json
import tracemalloc
from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from specc.diagnostics import DataLocation, Diagnostic, Result, Severity, SpecLocation
from specc.report import REPORTER_BY_NAME, ReportOptions, render, report_pieces
from specc.report.json_document import render_json
from specc.report.json_text import indented

# Every JSON value json.dumps accepts, with the keys and values a document can meet: control
# characters, quotes, non-ASCII and astral characters, huge integers, floats in exponents.
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False)
    | st.text()
)
keys = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.tuples(inner, inner)
        | st.dictionaries(keys, inner, max_size=5)
    ),
    max_leaves=40,
)


# 200 nested values (up to 40 leaves each) reach every kind of scalar, key and container.
@settings(max_examples=200, deadline=None)
@given(values)
def test_indented_is_json_dumps_with_indent(value: Any) -> None:
    assert indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


def _diagnostic(n: int) -> Diagnostic:
    return Diagnostic(
        f"SPC4{n % 10:02d}",
        Severity.ERROR if n % 3 else Severity.WARNING,
        f'"bad\\value {n}" is not valid — \x1b[31m ünïcode 🎉 "quoted"',
        hint=None if n % 2 else "a hint\non two lines",
        hubspot_error=None if n % 5 == 0 else "INVALID_EMAIL",
        spec=SpecLocation("imports/leads.yaml", 9, 7, "/files/0/columns/Email") if n % 4 else None,
        data=DataLocation("imports/leads.csv", n + 2, n + 1, "Email", "x" * (n % 300))
        if n % 7
        else None,
    )


def _result(count: int) -> Result:
    result = Result(files=1, rows_checked=count * 10)
    result.extend(_diagnostic(n) for n in range(count))
    result.errors_by_type = Counter({"INVALID_EMAIL": count, "SPC400": 3})
    return result


def _as_0_1_rendered_it(result: Result, members: dict[str, Any]) -> str:
    """The document as specc 0.1.0 built and dumped it: one dict, json.dumps with indent."""
    summary: dict[str, Any] = {
        "errors": result.errors,
        "warnings": result.warnings,
        "files": result.files,
        "rows_checked": result.rows_checked,
    }
    if result.errors_by_type:
        summary["errors_by_type"] = dict(sorted(result.errors_by_type.items()))
    document = {
        "version": 1,
        "ok": result.ok(),
        "summary": summary,
        "diagnostics": [d.to_json() for d in result.sorted()],
        **members,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


IMPORT = {
    "id": "71000001",
    "name": "Leads",
    "state": "DONE",
    "createdAt": "2026-11-29T10:00:00Z",
    "updatedAt": None,
    "counters": {"TOTAL_ROWS": 3, "CREATED_OBJECTS": 2},
}


def test_the_document_is_byte_for_byte_what_json_dumps_gave() -> None:
    for count in (0, 1, 2, 50):
        result = _result(count)
        assert render_json(result, ReportOptions()) == _as_0_1_rendered_it(result, {})
        # `import` (import, errors) and `plan` (plan) follow the diagnostics
        members = {"import": IMPORT, "plan": {"files": []}}
        options = ReportOptions(members=members)
        assert render_json(result, options) == _as_0_1_rendered_it(result, members)
    assert render_json(Result(), ReportOptions()) == _as_0_1_rendered_it(Result(), {})


def test_pieces_join_to_the_report_in_every_format(mixed_result: Result) -> None:
    for name in REPORTER_BY_NAME:
        assert "".join(report_pieces(mixed_result, name)) == render(mixed_result, name)


def test_a_large_document_comes_in_pieces_that_end_between_findings() -> None:
    result = _result(2000)
    pieces = list(report_pieces(result, "json"))
    assert len(pieces) > 10  # some 64 KiB each, not one string
    for piece in pieces[:-1]:
        assert piece.endswith("}") or piece.endswith('"diagnostics": ')
    assert json.loads("".join(pieces))["summary"]["errors"] == result.errors


def test_writing_the_document_holds_a_piece_not_the_document() -> None:
    result = _result(5_000)
    size = 0
    tracemalloc.start()
    try:
        for piece in report_pieces(result, "json"):
            size += len(piece.encode())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert size > 5 << 19  # the document: some 2.8 MiB of text
    # The sort order (a key per finding) and a piece: some 1 MiB, less than the document; one
    # dict dumped with indent (0.1.0) peaked at 28 MiB.
    assert peak < 2 << 20, f"peak {peak / 2**20:.1f} MiB"
