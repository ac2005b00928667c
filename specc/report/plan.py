"""`specc plan` in words: per data file, how many records the import creates and updates and
how many rows fail (by HubSpot's error type), or an estimate from a sample. File names and the
base URL pass `visible` (printable on one line): a name may hold an escape sequence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from specc.findings import ranked
from specc.report.text import visible

if TYPE_CHECKING:
    from specc.plan import FilePlan, Plan


def plan_text(plan: Plan, base_url: str) -> str:
    looked = f"{plan.looked_up:,} value{'s' if plan.looked_up != 1 else ''} looked up"
    lines = [f"plan against {visible(base_url)} ({looked}):"]
    for file_plan in plan.files:
        lines.append(f"  {visible(file_plan.file)}: {file_line(file_plan)}")
    return "\n".join(lines)


def file_line(file_plan: FilePlan) -> str:
    rows = f"{file_plan.rows:,} row{'s' if file_plan.rows != 1 else ''}"
    counts = (
        f"{file_plan.scaled(file_plan.create):,} create, "
        f"{file_plan.scaled(file_plan.update):,} update, "
        f"{file_plan.scaled(file_plan.fail):,} fail"
    )
    if file_plan.failures_by_type:
        failures = ranked(file_plan.failures_by_type)
        shown = ", ".join(f"{visible(k)} {file_plan.scaled(n):,}" for k, n in failures)
        counts += f" ({shown})"
    if file_plan.estimate:
        return f"an estimate from {file_plan.judged:,} of {rows}, scaled: about {counts}"
    return f"{rows}: {counts}"
