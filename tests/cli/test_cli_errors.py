"""The CLI's error path: exit codes 1/2/3/130, messages, and no traceback without --debug."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from specc import pipeline
from specc.cli import cli
from specc.cli.common import debug_option, handle_errors
from specc.errors import HubSpotRefused, InputError, UsageError
from specc.report.messages import BUG_REPORT_URL, EXIT_BROKEN_PIPE, EXIT_BUG, EXIT_INTERRUPTED

REPO = Path(__file__).resolve().parents[2]


def _command_raising(exc: BaseException) -> click.Command:
    @click.command()
    @debug_option
    @handle_errors
    def boom(debug: bool) -> int:
        raise exc

    return boom


def _runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize(
    ("exc", "code", "expected"),
    [
        (
            InputError("cannot read x.csv", hint="check the path"),
            2,
            "specc: error: cannot read x.csv\n  hint: check the path\n",
        ),
        (UsageError("bad combination"), 2, "specc: error: bad combination\n"),
        (HubSpotRefused("HubSpot said no"), 1, "specc: error: HubSpot said no\n"),
        (
            FileNotFoundError(2, "No such file or directory", "gone.csv"),
            2,
            "specc: error: gone.csv: No such file or directory\n",
        ),
        (KeyboardInterrupt(), EXIT_INTERRUPTED, "specc: interrupted\n"),
        (BrokenPipeError(32, "Broken pipe"), EXIT_BROKEN_PIPE, ""),  # `specc ... | head`
    ],
)
def test_expected_failures_map_to_their_exit_codes(
    exc: BaseException, code: int, expected: str
) -> None:
    result = _runner().invoke(_command_raising(exc), [])
    assert result.exit_code == code
    assert result.stderr == expected
    assert result.stdout == ""


def test_a_bug_exits_3_asks_for_a_report_and_shows_no_traceback() -> None:
    result = _runner().invoke(_command_raising(ZeroDivisionError("division by zero")), [])
    assert result.exit_code == EXIT_BUG
    assert "internal error: ZeroDivisionError: division by zero" in result.stderr
    assert f"this is a bug in specc; please report it on {BUG_REPORT_URL}" in result.stderr
    assert "with the output of --debug" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback() -> None:
    result = _runner().invoke(_command_raising(ZeroDivisionError("nope")), ["--debug"])
    assert result.exit_code == EXIT_BUG
    assert "Traceback (most recent call last)" in result.stderr
    assert "ZeroDivisionError: nope" in result.stderr


def test_click_usage_errors_keep_exit_2() -> None:
    result = _runner().invoke(_command_raising(click.UsageError("wrong")), [])
    assert result.exit_code == 2
    assert "wrong" in result.stderr


def test_a_successful_command_returns_its_code() -> None:
    @click.command()
    @handle_errors
    def one() -> int:
        return 1

    @click.command()
    @handle_errors
    def zero() -> None:
        return None

    assert _runner().invoke(one, []).exit_code == 1
    assert _runner().invoke(zero, []).exit_code == 0


def test_an_internal_error_in_a_real_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`specc lint` itself goes through the handler (the library is made to fail on purpose)."""

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("stage exploded")

    monkeypatch.setattr(pipeline, "lint", broken)
    spec = tmp_path / "s.yaml"
    spec.write_text("specc: 1\n", encoding="utf-8")
    result = _runner().invoke(cli, ["lint", str(spec)])
    assert result.exit_code == EXIT_BUG
    assert "RuntimeError: stage exploded" in result.stderr
    assert "Traceback" not in result.stderr
    debug = _runner().invoke(cli, ["lint", "--debug", str(spec)])
    assert debug.exit_code == EXIT_BUG
    assert "Traceback" in debug.stderr


# --- the real process ---------------------------------------------------------------------


def _specc(*args: str, cwd: Path, code: str | None = None) -> subprocess.CompletedProcess[str]:
    command = (
        [sys.executable, "-m", "specc", *args]
        if code is None
        else [sys.executable, "-c", code, *args]
    )
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "SPECC_DEBUG")}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def test_process_missing_spec_exits_2_with_a_clear_message(tmp_path: Path) -> None:
    for command in ("lint", "check", "compile"):
        done = _specc(command, "nope.yaml", cwd=tmp_path)
        assert done.returncode == 2, done.stderr
        assert done.stderr == "specc: error: nope.yaml: no such file\n"
        assert done.stdout == ""


def test_process_directory_as_spec_exits_2(tmp_path: Path) -> None:
    done = _specc("lint", ".", cwd=tmp_path)
    assert done.returncode == 2
    assert "not a file" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["lint"],
        ["lint", "--format", "xml", "a.yaml"],
        ["lint", "--var", "novalue", "a.yaml"],
        ["lint", "--data-root", "no/such/dir", "a.yaml"],
        ["check", "--rows", "-1", "a.yaml"],
        ["no-such-command"],
    ],
)
def test_process_bad_command_lines_exit_2(tmp_path: Path, args: list[str]) -> None:
    done = _specc(*args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_process_internal_error_traceback_only_with_debug(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text("specc: 1\n", encoding="utf-8")
    script = (
        "import sys, specc.pipeline as p\n"
        "def broken(*a, **k): raise LookupError('provoked')\n"
        "p.lint = broken\n"
        "from specc.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    plain = _specc("lint", "s.yaml", cwd=tmp_path, code=script)
    assert plain.returncode == 3
    assert "LookupError: provoked" in plain.stderr
    assert "this is a bug in specc" in plain.stderr
    assert "Traceback" not in plain.stderr
    debug = _specc("lint", "--debug", "s.yaml", cwd=tmp_path, code=script)
    assert debug.returncode == 3
    assert "Traceback (most recent call last)" in debug.stderr


def test_process_version_and_help(tmp_path: Path) -> None:
    from specc import __version__

    done = _specc("--version", cwd=tmp_path)
    assert done.returncode == 0
    assert __version__ in done.stdout
    helped = _specc("--help", cwd=tmp_path)
    assert helped.returncode == 0
    for command in ("compile", "lint", "check", "schema", "explain"):
        assert command in helped.stdout


def test_a_server_message_with_terminal_escapes_is_shown_made_visible() -> None:
    """HubSpot's error messages quote what they refuse; one that carries ESC[2J must not clear
    the user's terminal. Over HTTP against the sandbox, with click told it writes to a colour
    terminal (so it strips nothing itself)."""
    from specc.sandbox import serve

    clear = "\x1b[2J"
    example = REPO / "examples" / "contacts-create" / "spec.yaml"
    env = {"HUBSPOT_ACCESS_TOKEN": "sandbox-token-1", "SPECC_POLL_INTERVAL": "0.02"}
    with serve() as sandbox:
        url = ["--base-url", sandbox.base_url]
        started = _runner().invoke(cli, ["import", "--yes", "--wait", str(example), *url], env=env)
        assert started.exit_code == 0, started.output
        (import_id,) = sandbox.imports
        # The state is the server's word, quoted in its refusal to cancel a finished import.
        sandbox.imports[import_id].state = f"DONE{clear}"
        refused = _runner().invoke(cli, ["cancel", import_id, *url], env=env, color=True)
    assert refused.exit_code == 1
    assert f"Import {import_id} is DONE\u241b[2J: only STARTED" in refused.stderr
    assert "\x1b" not in refused.stderr
