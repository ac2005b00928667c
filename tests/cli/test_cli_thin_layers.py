"""The CLI parses options and renders; the work is the library's.

Checked from the code: specc/cli reaches the import workflow through specc.hubspot.workflow
(never the runner, the row-error mapping or the retry policies underneath it), JSON
documents through the reporters (never by building one from diagnostics), and the SPECC_*
settings through specc.hubspot.settings.
"""

from __future__ import annotations

import ast
from pathlib import Path

CLI = Path(__file__).resolve().parents[2] / "specc" / "cli"

# The layers under the workflow: a command that imports them does the workflow's job.
BELOW_THE_WORKFLOW = {
    "specc.hubspot.runner",
    "specc.hubspot.row_errors",
    "specc.hubspot.retry",
    "specc.report.json_document",
    "specc.report.json_text",
}
# Library work the CLI once did itself: loading catalogs and snapshots (init drafts through
# specc.draft, plan and catalog pull go through the workflow), looking codes up (explain
# renders specc.report.explanation), deciding whether a spec path is readable (specc.pipeline)
# or a spec would overwrite its request (specc.draft), comparing requests (specc.diff).
LIBRARY_WORK = {
    "specc.catalog",
    "specc.codes.lookup",
    "specc.inputs.near_match",
    "specc.inputs.real_path",
    "specc.diff.diff_requests",
    "specc.diff.read_saved_request",
    "difflib",
}
# Renderers the CLI once held: progress bars are specc.report.progress's (the CLI says only
# whether it wants one), and every message passes specc.report.text.printable.
RENDERING = {"rich"}
# Settings the CLI itself reads: whether to show tracebacks.
CLI_SETTINGS = {"SPECC_DEBUG"}


def _cli_modules() -> dict[str, ast.Module]:
    modules = {p.name: ast.parse(p.read_text("utf-8")) for p in sorted(CLI.glob("*.py"))}
    assert "hubspot_commands.py" in modules  # the glob found the CLI
    return modules


def _imported(tree: ast.Module) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_the_cli_does_not_reach_below_the_workflow() -> None:
    reached = {
        name: sorted(_imported(tree) & BELOW_THE_WORKFLOW)
        for name, tree in _cli_modules().items()
        if _imported(tree) & BELOW_THE_WORKFLOW
    }
    assert reached == {}


def test_the_cli_builds_no_json_document_of_diagnostics() -> None:
    """A diagnostic becomes JSON in specc.report only (`to_json` of a Diagnostic)."""
    calls = {}
    for name, tree in _cli_modules().items():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "to_json"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in {"d", "diagnostic", "diagnostics"}
            ):
                calls.setdefault(name, []).append(node.lineno)
    assert calls == {}


def test_the_cli_reads_no_specc_setting_of_the_library() -> None:
    read = {}
    for name, tree in _cli_modules().items():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value.startswith("SPECC_")
                and node.value not in CLI_SETTINGS
            ):
                read.setdefault(name, []).append(node.value)
    assert read == {}


def test_the_cli_leaves_catalogs_codes_and_spec_paths_to_the_library() -> None:
    reached = {
        name: sorted(
            found
            for found in _imported(tree)
            if any(found == work or found.startswith(work + ".") for work in LIBRARY_WORK)
        )
        for name, tree in _cli_modules().items()
    }
    assert {name: found for name, found in reached.items() if found} == {}


def test_the_cli_draws_no_progress_bar_itself() -> None:
    reached = {
        name: sorted(
            found
            for found in _imported(tree)
            if any(found == work or found.startswith(work + ".") for work in RENDERING)
        )
        for name, tree in _cli_modules().items()
    }
    assert {name: found for name, found in reached.items() if found} == {}
