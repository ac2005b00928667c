"""`specc emit`: the emitted curl, httpie and Python commands, run for real against the sandbox.

Each form is rendered, written to a file, and run as a subprocess from the data folder with the
token in the environment; the sandbox must then hold exactly one import whose request and file
bytes are the upload's. The token's value must appear nowhere in the emitted text.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hubspot_support import CONTACTS_CSV, TOKEN, connect, make_upload

from specc.errors import UsageError
from specc.hubspot.emit import emit, path_for_command, template_environment
from specc.hubspot.upload import Upload
from specc.sandbox import SandboxServer

HTTPIE = shutil.which("http") or (
    str(Path(sys.executable).with_name("http"))
    if Path(sys.executable).with_name("http").exists()
    else None
)

ODD_FILES = {
    "my leads.csv": CONTACTS_CSV.encode(),
    # Quote-worthy for the shell and for curl's -F syntax: apostrophe, comma, semicolon, $.
    "Q4 it's; $HOME, done.csv": "First Name,Last Name,Email\nZoë,Ørsted,zoe@example.com\n".encode(),
}


def run_emitted(form: str, upload: Upload, sandbox: SandboxServer, cwd: Path) -> str:
    text = emit(upload, connect(sandbox.base_url), form, spec_shown="leads.yaml", cwd=cwd)
    assert TOKEN not in text
    script = cwd / ("upload.py" if form == "python" else "upload.sh")
    script.write_text(text, encoding="utf-8")
    command = [sys.executable, str(script)] if form == "python" else ["sh", str(script)]
    env = {**os.environ, "HUBSPOT_ACCESS_TOKEN": TOKEN}
    if form == "httpie":
        env["PATH"] = str(Path(HTTPIE or "").parent) + os.pathsep + env.get("PATH", "")
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr + done.stdout
    assert TOKEN not in done.stdout + done.stderr
    return text


def assert_one_import_of(sandbox: SandboxServer, upload: Upload) -> None:
    assert len(sandbox.imports) == 1
    (record,) = sandbox.imports.values()
    assert record.request_text == upload.request_json
    assert list(record.files) == [f.file_name for f in upload.files]
    for item in upload.files:
        assert record.files[item.file_name].data == item.path.read_bytes()
        assert record.files[item.file_name].content_type == "text/csv"


@pytest.mark.parametrize(
    "form",
    [
        "curl",
        "python",
        pytest.param(
            "httpie",
            marks=pytest.mark.skipif(HTTPIE is None, reason="httpie (`http`) is not installed"),
        ),
    ],
)
def test_emitted_command_imports_into_the_sandbox(
    tmp_path: Path, sandbox: SandboxServer, form: str
) -> None:
    upload = make_upload(tmp_path, name="Leads 'Q4' \"quoted\" $USER `x`", files=ODD_FILES)
    text = run_emitted(form, upload, sandbox, tmp_path)
    assert_one_import_of(sandbox, upload)
    # Paths inside the working directory are relative, so the script runs in any checkout: the
    # directory is named once, as where to run it from.
    naming = [line for line in text.splitlines() if str(tmp_path) in line]
    assert len(naming) == 1 and "directory" in naming[0].lower()


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_command_reads_the_token_at_run_time(tmp_path: Path, sandbox: SandboxServer) -> None:
    upload = make_upload(tmp_path)
    text = emit(upload, connect(sandbox.base_url), "curl", spec_shown="s.yaml", cwd=tmp_path)
    assert '"Authorization: Bearer ${HUBSPOT_ACCESS_TOKEN:?' in text
    script = tmp_path / "upload.sh"
    script.write_text(text)
    env = {k: v for k, v in os.environ.items() if k != "HUBSPOT_ACCESS_TOKEN"}
    done = subprocess.run(
        ["sh", str(script)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    assert "HUBSPOT_ACCESS_TOKEN" in done.stderr
    assert sandbox.count("create") == 0


def test_python_script_needs_only_the_standard_library(tmp_path: Path) -> None:
    upload = make_upload(tmp_path)
    text = emit(
        upload, connect("https://api.hubapi.com"), "python", spec_shown="s.yaml", cwd=tmp_path
    )
    imports = {line.split()[1] for line in text.splitlines() if line.startswith("import ")}
    assert imports <= set(sys.stdlib_module_names) | {"urllib.error", "urllib.request"}
    assert "TOKEN_VARIABLE = 'HUBSPOT_ACCESS_TOKEN'" in text
    assert "os.environ.get(TOKEN_VARIABLE" in text
    compile(text, "upload.py", "exec")


def test_request_form_summarises_parts_and_redacts_the_token(tmp_path: Path) -> None:
    import hashlib

    upload = make_upload(tmp_path, files=ODD_FILES)
    text = emit(
        upload,
        connect("https://api.hubapi.com", api_version="2026-03"),
        "request",
        spec_shown="s.yaml",
        cwd=tmp_path,
    )
    assert "POST https://api.hubapi.com/crm/imports/2026-03" in text
    assert "Authorization: Bearer $HUBSPOT_ACCESS_TOKEN  [redacted" in text
    assert TOKEN not in text
    assert upload.request_json in text
    for item in upload.files:
        content = item.path.read_bytes()
        assert f"Size: {len(content)} bytes" in text
        assert f"SHA-256: {hashlib.sha256(content).hexdigest()}" in text
    assert 'filename="my leads.csv"' in text


def test_files_outside_the_working_directory_are_named_absolutely(tmp_path: Path) -> None:
    inside = tmp_path / "work"
    inside.mkdir()
    assert path_for_command(inside / "a b.csv", inside) == "a b.csv"
    assert path_for_command(tmp_path / "elsewhere.csv", inside) == str(tmp_path / "elsewhere.csv")
    # curl reads `@-` as standard input and httpie expands `~`: such names start with ./
    assert path_for_command(inside / "-x.csv", inside) == "./-x.csv"
    assert path_for_command(inside / "~x.csv", inside) == "./~x.csv"


def test_a_template_that_forgets_to_quote_fails_whatever_the_value() -> None:
    env = template_environment()
    with pytest.raises(TypeError, match="without quoting"):
        env.from_string("# {{ name }}\n").render(name="plain")
    with pytest.raises(TypeError, match="without quoting"):
        env.from_string("{{ name | curl_quote }}").render(name="plain")  # only half quoted
    rendered = env.from_string("# {{ name | json_line }}\n{{ name | sh }}\n").render(name="a\nb")
    assert rendered == "# \"a\\nb\"\n'a\nb'\n"


def test_httpie_refuses_a_file_it_would_send_under_another_name(tmp_path: Path) -> None:
    upload = make_upload(tmp_path)
    item = upload.files[0]
    renamed = Upload(
        name=upload.name,
        request_json=upload.request_json,
        files=(item.__class__(**{**item.__dict__, "file_name": "other.csv"}),),
        operations={},
    )
    with pytest.raises(UsageError, match="httpie sends a file under its own name"):
        emit(renamed, connect("https://api.hubapi.com"), "httpie", spec_shown="s", cwd=tmp_path)


SPEC = """\
specc: 1
name: Leads
operations:
  contacts: create
files:
  - path: leads.csv
    object: contacts
    columns:
      First Name: firstname
      Last Name: lastname
      Email: {property: email, id: true}
"""


@pytest.mark.parametrize(
    ("form", "executable"), [("curl", True), ("python", True), ("request", False)]
)
def test_emit_spec_makes_scripts_executable_and_names_the_spec_from_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, form: str, executable: bool
) -> None:
    """`specc emit -o FILE`: a command or script is written executable, the request summary
    is not; the spec is named relative to the working directory."""
    from click.testing import CliRunner

    from specc.cli import cli
    from specc.hubspot.emit import emit_spec
    from specc.run import Options

    (tmp_path / "imports").mkdir()
    (tmp_path / "imports" / "leads.csv").write_text(CONTACTS_CSV, encoding="utf-8")
    (tmp_path / "imports" / "leads.yaml").write_text(SPEC, encoding="utf-8")
    options = Options(cwd=tmp_path, environ={})
    spec = tmp_path / "imports" / "leads.yaml"
    emitted = emit_spec(spec, options, connect("https://api.hubapi.com"), form, strict=False)
    assert emitted.executable is executable and not emitted.result.diagnostics
    assert emitted.text is not None and "imports/leads.yaml" in emitted.text
    out = tmp_path / "upload.out"
    args = ["emit", str(spec), "--as", form, "-o", str(out)]
    monkeypatch.chdir(tmp_path)
    done = CliRunner().invoke(cli, args, env={"GITHUB_ACTIONS": None})
    assert done.exit_code == 0, done.output
    assert bool(out.stat().st_mode & 0o100) is executable


def test_emit_spec_emits_nothing_for_a_spec_with_errors(tmp_path: Path) -> None:
    from specc.hubspot.emit import emit_spec
    from specc.run import Options

    (tmp_path / "leads.csv").write_text(CONTACTS_CSV, encoding="utf-8")
    (tmp_path / "leads.yaml").write_text(SPEC.replace("operations:", "operashuns:"), "utf-8")
    options = Options(cwd=tmp_path, environ={})
    connection = connect("https://api.hubapi.com")
    emitted = emit_spec(tmp_path / "leads.yaml", options, connection, "curl", strict=False)
    assert emitted.text is None and emitted.result.errors >= 1


def test_the_cli_offers_every_form_emit_renders_and_no_other() -> None:
    """The CLI names the forms itself (importing the emitter would slow every command's
    start): the two lists must stay one."""
    from specc.cli.hubspot_commands import EMIT_FORMS
    from specc.hubspot.emit import FORMS

    assert tuple(FORMS) == EMIT_FORMS
