"""The CLI's own pieces: options, explain, schema, output helpers, command registration."""

from __future__ import annotations

import json
import os
import pty
import select
import stat
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from specc.atomic import write_atomic
from specc.cli import cli
from specc.cli.common import SpecArgs, spec_command
from specc.codes import all_codes, lookup
from specc.diagnostics import Diagnostic, Result, Severity
from specc.errors import InputError
from specc.report.explanation import normalize_code
from specc.report.options import default_format, use_color
from specc.report.progress import file_bars
from specc.schemas import SCHEMA_NAMES, schema_text

REPO = Path(__file__).resolve().parents[2]


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args))


# --- explain --------------------------------------------------------------------------------


def test_explain_shows_title_severity_hubspot_error_and_explanation() -> None:
    code = next(c for c in all_codes() if c.hubspot_error)
    result = run("explain", code.code)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"{code.code}: {code.title}"
    assert lines[1] == f"severity: {code.severity.value}"
    assert lines[2] == f"HubSpot error: {code.hubspot_error}"
    assert code.explanation.split()[0] in result.stdout


def test_explain_accepts_lower_case_and_bare_numbers() -> None:
    code = all_codes()[0].code
    assert run("explain", code.lower()).stdout == run("explain", code).stdout
    assert normalize_code(code[3:]) == code
    assert normalize_code(" spc401 ") == "SPC401"


def test_explain_unknown_code_exits_2_with_did_you_mean() -> None:
    known = all_codes()[0].code
    typo = known[:-1] + ("9" if known[-1] != "9" else "8")
    if lookup(typo) is not None:
        typo = known + "0"
    result = run("explain", typo)
    assert result.exit_code == 2
    assert f"unknown code {typo!r}" in result.stderr
    assert "did you mean" in result.stderr
    nothing_close = run("explain", "XYZ")
    assert nothing_close.exit_code == 2
    assert "specc explain --list" in nothing_close.stderr


def test_explain_list_and_misuse() -> None:
    listed = run("explain", "--list")
    assert listed.exit_code == 0
    assert len(listed.stdout.splitlines()) == len(all_codes())
    assert run("explain").exit_code == 2
    assert run("explain", "--list", "SPC001").exit_code == 2


def test_every_code_can_be_explained() -> None:
    for code in all_codes():
        result = run("explain", code.code)
        assert result.exit_code == 0, code.code
        assert code.title in result.stdout


# --- schema --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_prints_the_bundled_schema(name: str) -> None:
    result = run("schema", name)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads(schema_text(name))


def test_schema_defaults_to_spec_and_writes_a_file(tmp_path: Path) -> None:
    target = tmp_path / "diagnostics.json"
    result = run("schema", "diagnostics", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text(encoding="utf-8") == schema_text("diagnostics")
    assert run("schema").stdout == run("schema", "spec").stdout


def test_schema_unknown_name_exits_2() -> None:
    assert run("schema", "nope").exit_code == 2


def test_a_schema_missing_from_the_installation_exits_2_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.resources

    monkeypatch.setattr(importlib.resources, "files", lambda package: tmp_path)
    result = run("schema", "catalog")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        "specc: error: the bundled catalog schema is missing from this installation\n"
    )


# --- common options -------------------------------------------------------------------------


@spec_command("echo-options")
def echo_options(args: SpecArgs) -> int:
    paths = [[str(p) for p in args.data_roots], [str(p) for p in args.specs]]
    click.echo(json.dumps([args.format_name, args.strict, args.debug, args.variables, *paths]))
    return 0


def test_spec_options_parse(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        echo_options,
        ["a.yaml", "--format", "sarif", "--strict", "--var", "a=1", "--var", "b=x=y", "--var", "c=",
         "--data-root", str(tmp_path)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        "sarif", True, False, {"a": "1", "b": "x=y", "c": ""}, [str(tmp_path)], ["a.yaml"]
    ]  # fmt: skip


@pytest.mark.parametrize("bad", ["novalue", "=value", " =x"])
def test_bad_var_exits_2(bad: str) -> None:
    result = CliRunner().invoke(echo_options, ["a.yaml", "--var", bad])
    assert result.exit_code == 2
    assert "is not NAME=VALUE" in result.stderr


def test_default_format_is_github_only_under_github_actions() -> None:
    assert default_format({"GITHUB_ACTIONS": "true"}) == "github"
    assert default_format({"GITHUB_ACTIONS": "false"}) == "text"
    assert default_format({}) == "text"


def test_color_needs_a_terminal_and_no_NO_COLOR() -> None:
    class Stream:
        def __init__(self, tty: bool) -> None:
            self.tty = tty

        def isatty(self) -> bool:
            return self.tty

    assert use_color(Stream(True), {}) is True  # type: ignore[arg-type]
    assert use_color(Stream(True), {"NO_COLOR": "1"}) is False  # type: ignore[arg-type]
    assert use_color(Stream(False), {}) is False  # type: ignore[arg-type]


def test_strict_turns_warnings_into_errors() -> None:
    result = Result(
        diagnostics=[
            Diagnostic("SPC214", Severity.WARNING, "w"),
            Diagnostic("SPC107", Severity.INFO, "i"),
        ]
    )
    assert result.strict_view(False) is result
    strict = result.strict_view(True)
    assert (strict.errors, strict.warnings, strict.count(Severity.INFO)) == (1, 0, 1)
    assert strict.exit_code() == 1
    assert result.warnings == 1  # the original is left alone


# --- files ---------------------------------------------------------------------------------


def test_write_atomic_replaces_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    write_atomic(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_write_atomic_where_no_folder_can_be_made_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("in the way")
    with pytest.raises(InputError, match="cannot write"):
        write_atomic(tmp_path / "a-file" / "out.json", "x")


# --- progress -------------------------------------------------------------------------------


def test_file_bars_off_give_no_callback() -> None:
    with file_bars(False) as progress:
        assert progress is None


def _check_on_a_terminal(cwd: Path, *args: str) -> tuple[bytes, str, int]:
    """`specc check` with its stderr on a pseudo-terminal, as a user runs it: what the
    terminal received, what stdout received, and the exit code."""
    master, terminal = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in TERMINAL_OVERRIDES}
    env["PYTHONPATH"] = str(REPO)
    process = subprocess.Popen(
        [sys.executable, "-m", "specc", "check", *args],
        cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=terminal,
    )  # fmt: skip
    os.close(terminal)
    shown = bytearray()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if select.select([master], [], [], 0.1)[0]:
            try:
                data = os.read(master, 65536)
            except OSError:  # the terminal closed: the process is gone
                break
            if not data:
                break
            shown += data
        elif process.poll() is not None:
            break
    os.close(master)
    assert process.stdout is not None
    out = process.stdout.read().decode("utf-8")
    return bytes(shown), out, process.wait(timeout=60)


# Variables that would make rich (or specc) decide about the terminal instead of asking it.
TERMINAL_OVERRIDES = ("GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "SPECC_DEBUG")


def test_check_on_a_terminal_shows_a_progress_bar_and_then_clears_it(tmp_path: Path) -> None:
    (tmp_path / "leads.yaml").write_text(
        "specc: 1\nname: Leads\noperations: {contacts: create}\nfiles:\n  - path: leads.csv\n"
        "    object: contacts\n    columns:\n      Email: {property: email, id: true}\n",
        encoding="utf-8",
    )
    rows = "".join(f"ada{i}@example.com\n" for i in range(20_000))
    (tmp_path / "leads.csv").write_text("Email\n" + rows, encoding="utf-8")
    size = f"{(tmp_path / 'leads.csv').stat().st_size / 1000:.1f}"

    shown, out, code = _check_on_a_terminal(tmp_path, "leads.yaml")
    assert code == 0
    assert out == "no problems in 1 spec (1 data file, 20,000 rows checked)\n"
    text = shown.decode("utf-8")
    assert "leads.csv" in text and f"{size}/{size} kB" in text  # the file, read to its end
    assert "\x1b[2K" in text[text.rindex("kB") :]  # ... and the bar erased once done

    shown, out, code = _check_on_a_terminal(tmp_path, "leads.yaml", "--format", "json")
    assert code == 0 and json.loads(out)["ok"] is True
    assert shown == b""  # a machine reads the output: no bar


# --- registration and import cost ---------------------------------------------------------


HEAVY = ("httpx", "polars", "pyarrow", "rich", "jinja2", "jsonschema", "specc.pipeline")


def test_importing_the_cli_imports_nothing_heavy() -> None:
    code = (
        "import sys, specc.cli\n"
        "specc.cli.cli.main(['lint', '--help'], standalone_mode=False)\n"
        "print(' '.join(sorted(sys.modules)))"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.split())
    assert not {m for m in HEAVY if m in loaded}


def test_schema_output_makes_missing_folders_as_the_readme_says(tmp_path: Path) -> None:
    target = tmp_path / ".specc" / "spec.schema.json"
    result = run("schema", "spec", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text(encoding="utf-8"))["$schema"].endswith("2020-12/schema")


# --- --format's default --------------------------------------------------------------------

DEFAULT_FORMAT_HELP = "[default: github under GitHub Actions, else text]"


def test_errors_format_defaults_as_its_help_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`specc errors` shows github annotations under GitHub Actions and text elsewhere, as
    every command with --format does, and its --help says so. Over HTTP against the sandbox,
    which finds the bad email of an import sent unchecked."""
    from specc.sandbox import serve

    assert DEFAULT_FORMAT_HELP in " ".join(run("errors", "--help").stdout.split())
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    spec = (REPO / "examples" / "contacts-create" / "spec.yaml").read_text(encoding="utf-8")
    (tmp_path / "spec.yaml").write_text(spec, encoding="utf-8")
    csv_text = "First Name,Last Name,Email\nAda,Lovelace,not-an-email\n"
    (tmp_path / "Nov-event-leads.csv").write_text(csv_text, encoding="utf-8")
    env = {"HUBSPOT_ACCESS_TOKEN": "sandbox-token-1", "SPECC_POLL_INTERVAL": "0.02"}
    with serve() as sandbox:
        url = ["--base-url", sandbox.base_url]
        sent = ["import", "spec.yaml", "--yes", "--wait", "--no-check", *url]
        assert CliRunner().invoke(cli, sent, env=env).exit_code == 1  # the row failed
        (import_id,) = sandbox.imports

        def errors(*more: str, actions: str | None = None) -> str:
            shown = CliRunner().invoke(
                cli, ["errors", import_id, *url, *more], env={**env, "GITHUB_ACTIONS": actions}
            )
            assert shown.exit_code == 1, shown.output
            return shown.stdout

        under_actions = errors(actions="true")
        assert under_actions.startswith("::error ") and "INVALID_EMAIL" in under_actions
        assert under_actions == errors("--format", "github")
        assert errors() == errors("--format", "text") != under_actions


def test_every_format_option_states_the_default_the_commands_use() -> None:
    """One default for --format (specc.report.options.default_format), one way to say it."""
    for name, command in cli.commands.items():
        for param in command.params:
            if param.name == "format_name" and param.default is None:
                assert param.help is not None and DEFAULT_FORMAT_HELP in param.help, name
