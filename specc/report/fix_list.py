"""The fix list: one CSV row per data problem, for a spreadsheet (`specc errors --format csv`).

    file,line,row,column,error_type,value,message
    leads.csv,3,2,Email,INVALID_EMAIL,not-an-email,"INVALID_EMAIL: ""not-an-email"" is ..."

Rows are grouped by error type, then file and line, which is how a fix list is worked
through; the sort is stable, so the order HubSpot gave errors of one line survives (and
`specc.hubspot.row_errors.map_errors` already yields this order). An empty cell is "not known".
"""

from __future__ import annotations

import csv
import io

from specc.diagnostics import Diagnostic, Result
from specc.report.options import ReportOptions

FIX_LIST_HEADER = ("file", "line", "row", "column", "error_type", "value", "message")


def render_fix_list(result: Result, options: ReportOptions) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FIX_LIST_HEADER)
    for d in sorted(result.diagnostics, key=_fix_order):
        data = d.data
        writer.writerow(
            (
                data.file if data else "",
                data.line if data and data.line is not None else "",
                data.row if data and data.row is not None else "",
                data.column if data and data.column else "",
                d.hubspot_error or "",
                data.value if data and data.value is not None else "",
                d.message,
            )
        )
    return buffer.getvalue()


def _fix_order(d: Diagnostic) -> tuple[str, str, int]:
    data = d.data
    return (d.hubspot_error or "", data.file if data else "", (data.line or 0) if data else 0)
