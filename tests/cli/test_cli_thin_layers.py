"""The CLI parses options and renders; the work is the library's.

Checked from the code: specc/cli reaches the import workflow through specc.hubspot.workflow
(never the runner, the row-error mapping or the retry policies underneath it), JSON
documents through the reporters (never by building one from diagnostics, nor with `json`),
the SPECC_* settings through specc.hubspot.settings and specc.logs, and every line it shows
is made by specc.report (the CLI writes no prose of its own but option help and the usage
errors of its command line); and the whole of specc/cli stays under issue 10's 1,300 lines.
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
# Settings the CLI itself reads: none (SPECC_DEBUG is specc.logs.debug_wanted's).
CLI_SETTINGS: set[str] = set()
# The calls that show text, and the layout characters the CLI may still add to a renderer's.
SHOWING = {"echo", "echo_out", "echo_pieces", "print_error", "confirm", "secho"}
LAYOUT = {"", "\n"}


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


def test_the_cli_writes_no_json_itself() -> None:
    """JSON documents (status, imports, diff, fix, reports) are the reporters' (specc.report)."""
    reached = {name for name, tree in _cli_modules().items() if "json" in _imported(tree)}
    assert reached == set()


def _prose(node: ast.AST) -> list[str]:
    """The text a call's arguments write themselves: f-strings and string constants."""
    if isinstance(node, ast.JoinedStr):
        return [ast.unparse(node)]
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value not in LAYOUT:
        return [repr(node.value)]
    return [text for child in ast.iter_child_nodes(node) for text in _prose(child)]


def test_every_line_the_cli_shows_comes_from_a_renderer() -> None:
    """click.echo, echo_out, print_error, ... are handed what specc.report made, never a
    message written in the CLI: one place for specc's words, and for `printable`."""
    written = {}
    for name, tree in _cli_modules().items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in SHOWING:
                for arg in [*node.args, *(k.value for k in node.keywords if k.arg != "err")]:
                    written.setdefault(name, []).extend(_prose(arg))
    assert {name: found for name, found in written.items() if found} == {}


def test_the_prose_check_sees_an_f_string_and_a_literal() -> None:
    tree = ast.parse('click.echo(f"wrote {path}", err=True)\necho_out("done")\necho_out(x + "\\n")')
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert [_prose(c.args[0]) for c in calls] == [["f'wrote {path}'"], ["'done'"], []]


# Issue 10: "specc/cli/ under 1,300 lines", measured as `wc -l specc/cli/*.py` measures it.
CLI_LINE_LIMIT = 1300


def test_the_cli_stays_under_its_line_budget() -> None:
    """The newlines of specc/cli/*.py, counted as `wc -l` counts them. A command that grows
    past the budget is doing the library's work: the workflow belongs in specc.hubspot.workflow
    (or specc.draft, specc.diff, ...), its words in specc.report."""
    lines = {path.name: path.read_bytes().count(b"\n") for path in sorted(CLI.glob("*.py"))}
    assert "hubspot_commands.py" in lines  # the glob found the CLI
    assert sum(lines.values()) < CLI_LINE_LIMIT, lines
