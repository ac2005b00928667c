"""The library logs what is worth telling through `logging`; `--debug` shows it on stderr."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from specc.hubspot.retry import RetryPolicy
from specc.pipeline import check
from specc.run import Options

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "contacts-create" / "spec.yaml"


def specc(*args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    """`specc ARGS` in a child process (with `code`: that program, given ARGS, instead)."""
    env = {k: v for k, v in os.environ.items() if k != "SPECC_DEBUG"}
    program = ["-m", "specc"] if code is None else ["-c", code]
    return subprocess.run(
        [sys.executable, *program, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_shows_which_catalog_a_spec_is_checked_against() -> None:
    shown = specc("lint", "--debug", str(EXAMPLE))
    assert shown.returncode == 0, shown.stderr
    assert "specc.catalog.load: " in shown.stderr
    assert "checked against the bundled catalog (no `catalog:`)" in shown.stderr
    quiet = specc("lint", str(EXAMPLE))
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_a_snapshot_that_cannot_be_used_is_logged_with_the_fallback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "c.csv").write_text("Email\na@x.com\n", encoding="utf-8")
    (tmp_path / "spec.yaml").write_text(
        "specc: 1\nname: t\ncatalog: gone.json\nfiles:\n  - path: c.csv\n    object: contacts\n"
        "    columns:\n      Email: {property: email, id: true}\n",
        encoding="utf-8",
    )
    with caplog.at_level(logging.INFO, logger="specc"):
        result = check([Path("spec.yaml")], Options(cwd=tmp_path, environ={}))
    assert "SPC350" in {d.code for d in result.diagnostics}
    assert [r.getMessage() for r in caplog.records if r.name == "specc.catalog.load"] == [
        f"{tmp_path / 'spec.yaml'}: the snapshot {tmp_path / 'gone.json'} cannot be used; "
        "checked against the bundled catalog"
    ]


def test_each_retry_wait_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    policy = RetryPolicy(attempts=4, base=1.0, jitter=lambda: 0.5)
    with caplog.at_level(logging.DEBUG, logger="specc.hubspot.retry"):
        assert policy.delay(2, None) == 1.5
        assert policy.delay(3, 7.0) == 7.0
    assert [r.getMessage() for r in caplog.records] == [
        "2 failed tries of 4: backing off 1.50 s",
        "3 failed tries of 4: waiting 7.00 s, as Retry-After asks",
    ]


# A command during which a finalizer fails: Python cannot raise there, and by default prints
# "Exception ignored in ..." with a traceback (a template's deadline can ring in one).
FINALIZER_FAILS = """
import sys
import specc.pipeline as pipeline
lint_loaded = pipeline.lint_loaded
class Finalized:
    def __del__(self):
        raise RuntimeError("a finalizer failed")
def failing_finalizer(spec):
    Finalized()  # collected at once
    return lint_loaded(spec)
pipeline.lint_loaded = failing_finalizer
from specc.cli import main
main(sys.argv[1:])
"""


def test_an_exception_in_a_finalizer_is_logged_not_printed_with_its_traceback() -> None:
    quiet = specc("lint", str(EXAMPLE), code=FINALIZER_FAILS)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""
    shown = specc("lint", "--debug", str(EXAMPLE), code=FINALIZER_FAILS)
    assert shown.returncode == 0, shown.stderr
    assert "specc: specc.cli: ignored in" in shown.stderr
    assert "RuntimeError: a finalizer failed" in shown.stderr
