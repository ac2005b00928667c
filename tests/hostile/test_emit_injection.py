"""Class "emit": the scripts `specc emit` writes run nothing that came from the spec or the disk.

A spec in a pull request is untrusted, and CI runs what `specc emit` wrote as it is. Each test
puts hostile text where a spec or the file system can put it (the import's name, the spec's
file name, the folder specc runs in, a data file's name), emits the upload with the real CLI,
and runs the result: the shell forms with `sh` and a PATH whose `curl` and `http` are stubs that
record their arguments, the Python script against the sandbox. Nothing may create `PWNED`, and
the client must receive exactly what the spec holds. Hypothesis then tries arbitrary names.
"""

from __future__ import annotations

import ast
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hostile_kit import run_specc
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from specc.compiler import request_json
from specc.errors import UsageError
from specc.hubspot.connection import Connection
from specc.hubspot.emit import emit
from specc.hubspot.upload import Upload, UploadFile
from specc.sandbox import serve

TOKEN = "pat-na1-emit-injection-token"
CSV = "First Name,Last Name,Email\nAda,Lovelace,ada@example.com\n"
# Nothing listens here: the shell forms only reach the stubs, and a Python script that would
# run anyway gets a refused connection, never a real server.
CLOSED_URL = "http://127.0.0.1:9"
SHELL_FORMS = ("curl", "httpie")
# What a multipart filename cannot carry as it is: every client writes these as %22, %0D, %0A.
NOT_CARRIED_IN_A_FILENAME = frozenset('"\r\n')


@dataclass(frozen=True)
class Case:
    name: str = "leads"  # the import's name
    spec_file: str = "spec.yaml"
    folder: str = "work"  # the working directory's own name
    data_name: str = "leads.csv"


CASES = {
    "name-newline-command": Case(name="x\ntouch PWNED\n#"),
    "name-carriage-return": Case(name="x\rtouch PWNED\r# "),
    "name-other-line-breaks": Case(name="x\u2028touch PWNED\u2029\x85\x0b\x0c\x1c\x1d\x1e#"),
    "name-docstring-break": Case(name='x"""\nimport os; os.system("touch PWNED")\n"""'),
    "name-shell-syntax": Case(
        name="$(touch PWNED) `touch PWNED` ${X:-$(touch PWNED)}; touch PWNED"
    ),
    "name-quotes": Case(name="'; touch PWNED; ' \"; touch PWNED; \" \\ \\' \\\""),
    "name-nul-bidi-format": Case(name="a\x00b \u202etouch PWNED\u202c\u200b %s %n %(x)s 100%"),
    "spec-file-newline": Case(spec_file="s\ntouch PWNED\n#.yaml"),
    "spec-file-docstring": Case(spec_file='s"""\nimport os; os.system("touch PWNED")\n#.yaml'),
    "spec-file-shell": Case(spec_file="s'$(touch PWNED)`touch PWNED`\".yaml"),
    "folder-newline": Case(folder="w\ntouch PWNED\n#"),
    "folder-docstring": Case(folder='w"""\nimport os; os.system("touch PWNED")\n#'),
    "folder-not-utf8": Case(folder=os.fsdecode(b"w\xff\xfe$(touch PWNED)")),
    "data-newline": Case(data_name="a\ntouch PWNED\n#.csv"),
    "data-curl-syntax": Case(data_name='q"; touch PWNED; ",x=y;t=z.csv'),
    "data-shell-syntax": Case(data_name="$(touch PWNED) `touch PWNED` it's.csv"),
    "data-dash": Case(data_name="-x.csv"),
    "data-at": Case(data_name="@x.csv"),
    "data-tilde": Case(data_name="~x.csv"),
    "data-httpie-separators": Case(data_name="a:b=c@d;e==f:=g.csv"),
    "everything-at-once": Case(
        name="n\ntouch PWNED\n'\"",
        spec_file="s\ntouch PWNED\n.yaml",
        folder="w\ntouch PWNED\n",
        data_name="d\ntouch PWNED\n\"';,=.csv",
    ),
}


def yaml_string(value: str) -> str:
    """A YAML double-quoted scalar holding exactly `value` (every non-ASCII character escaped)."""
    out = []
    for c in value:
        if c in '"\\' or not (" " <= c <= "~"):
            out.append(f"\\U{ord(c):08x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def make_project(tmp_path: Path, case: Case) -> Path:
    work = tmp_path / case.folder
    work.mkdir(parents=True)
    (work / case.data_name).write_text(CSV, encoding="utf-8")
    (work / case.spec_file).write_text(
        "specc: 1\n"
        f"name: {yaml_string(case.name)}\n"
        "operations: {contacts: create}\n"
        "files:\n"
        f"  - path: {yaml_string(case.data_name)}\n"
        "    object: contacts\n"
        "    columns:\n"
        "      First Name: firstname\n"
        "      Last Name: lastname\n"
        "      Email: {property: email, id: true}\n",
        encoding="utf-8",
    )
    return work


def emit_to_file(work: Path, case: Case, form: str, base_url: str = CLOSED_URL) -> Path:
    script = work / ("upload.py" if form == "python" else "upload.sh")
    code, out, err, *_ = run_specc(
        ["emit", case.spec_file, "--as", form, "--base-url", base_url, "-o", script.name], work
    )
    assert code == 0, out + err
    assert "Traceback" not in out + err
    return script


def stub_bin(tmp_path: Path) -> Path:
    """`curl` and `http` that record their arguments (NUL-separated, exact) and curl's stdin."""
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    for name, reads_stdin in (("curl", True), ("http", False)):
        stub = folder / name
        stub.write_text(
            "#!/bin/sh\n"
            f'printf \'%s\\0\' "$@" > "$STUB_LOG/{name}.argv"\n'
            + (f'cat > "$STUB_LOG/{name}.stdin"\n' if reads_stdin else "")
            + 'printf \'{"id": "1"}\\n\'\n'
        )
        stub.chmod(0o755)
    return folder


@dataclass
class StubCall:
    argv: list[str]
    stdin: str


def run_shell(script: Path, work: Path, tmp_path: Path, program: str) -> StubCall:
    log = tmp_path / "log"
    shutil.rmtree(log, ignore_errors=True)  # a call recorded earlier must not count
    log.mkdir()
    # touch stays reachable: were any spec text run, it would make PWNED.
    path = os.pathsep.join([str(stub_bin(tmp_path)), "/usr/bin", "/bin"])
    done = subprocess.run(
        ["sh", str(script)],
        cwd=work,
        env={
            "PATH": path,
            "HUBSPOT_ACCESS_TOKEN": TOKEN,
            "STUB_LOG": str(log),
            "HOME": str(tmp_path),
        },
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    argv_file = log / f"{program}.argv"
    assert argv_file.exists(), f"{program} was never called"
    argv = [os.fsdecode(a) for a in argv_file.read_bytes().split(b"\0")[:-1]]
    stdin_file = log / f"{program}.stdin"
    stdin = stdin_file.read_text("utf-8") if stdin_file.exists() else ""
    return StubCall(argv, stdin)


def assert_nothing_ran(tmp_path: Path) -> None:
    assert not list(tmp_path.rglob("PWNED")), "text from the spec ran as a command"


# --- curl's and httpie's own readings of the arguments ------------------------------------------


def curl_word(text: str) -> tuple[str, str]:
    """One value of curl's -F syntax and the rest: in double quotes only \\\\ and \\" escape."""
    if text.startswith('"'):
        out, i = [], 1
        while i < len(text):
            c = text[i]
            if c == "\\" and text[i + 1 : i + 2] in ("\\", '"'):
                out.append(text[i + 1])
                i += 2
            elif c == '"':
                return "".join(out), text[i + 1 :]
            else:
                out.append(c)
                i += 1
        raise AssertionError(f"unclosed quote in {text!r}")
    match = re.match(r"[^;,]*", text)
    assert match is not None
    return match.group(), text[match.end() :]


def curl_file_form(arg: str) -> tuple[str, str, dict[str, str]]:
    """(part name, file path, parameters) of a `--form NAME=@FILE;k=v...` argument."""
    part, _, rest = arg.partition("=")
    assert rest.startswith("@"), arg
    path, rest = curl_word(rest[1:])
    params = {}
    while rest:
        assert rest[0] == ";", f"curl would read {rest!r} as more files or syntax"
        key, _, rest = rest[1:].partition("=")
        params[key], rest = curl_word(rest)
    return part, path, params


def httpie_item(arg: str) -> Any:
    from httpie.cli.argtypes import KeyValueArgType
    from httpie.cli.constants import SEPARATOR_GROUP_ALL_ITEMS

    return KeyValueArgType(*SEPARATOR_GROUP_ALL_ITEMS)(arg)


def opened_by(client_path: str, work: Path, *, expands_user: bool) -> Path:
    """The file a client opens for the path it was given, run from `work`."""
    assert client_path != "-", "curl would read standard input instead of the file"
    named = os.path.expanduser(client_path) if expands_user else client_path
    return (work / named).resolve()


def assert_curl_call(call: StubCall, work: Path, case: Case) -> None:
    argv = call.argv
    assert argv[:7] == [
        "--fail-with-body",
        "--silent",
        "--show-error",
        "--request",
        "POST",
        "--url",
        CLOSED_URL + "/crm/v3/imports",
    ]
    assert argv[7:9] == ["--header", f"Authorization: Bearer {TOKEN}"]
    assert argv[9:11] == ["--form", "importRequest=<-;type=application/json"]
    assert argv[11] == "--form" and len(argv) == 13
    part, path, params = curl_file_form(argv[12])
    assert part == "files"
    assert opened_by(path, work, expands_user=False) == (work / case.data_name).resolve()
    assert params == {"filename": case.data_name, "type": "text/csv"}
    request = json.loads(call.stdin)
    assert request["name"] == case.name
    assert request["files"][0]["fileName"] == case.data_name


def assert_httpie_call(call: StubCall, work: Path, case: Case) -> None:
    argv = call.argv
    assert argv[:5] == [
        "--check-status",
        "--ignore-stdin",
        "--multipart",
        "POST",
        CLOSED_URL + "/crm/v3/imports",
    ]
    assert argv[5] == f"Authorization:Bearer {TOKEN}" and len(argv) == 8
    request_item = httpie_item(argv[6])
    assert (request_item.key, request_item.sep) == ("importRequest", "=")
    request = json.loads(request_item.value)
    assert request["name"] == case.name
    file_item = httpie_item(argv[7])
    assert (file_item.key, file_item.sep) == ("files", "@")
    # httpie 3: process_file_upload_arg splits at ";type=" and sends the path's basename.
    path, *content_type = file_item.value.split(";type=")
    assert content_type == ["text/csv"]
    assert opened_by(path, work, expands_user=True) == (work / case.data_name).resolve()
    assert os.path.basename(path) == case.data_name == request["files"][0]["fileName"]


# --- the tests -------------------------------------------------------------------------------


@pytest.mark.parametrize("form", SHELL_FORMS)
@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_shell_script_runs_nothing_and_passes_the_exact_values(
    tmp_path: Path, case: Case, form: str
) -> None:
    work = make_project(tmp_path, case)
    script = emit_to_file(work, case, form)
    text = script.read_text("utf-8")
    assert TOKEN not in text
    check = subprocess.run(["sh", "-n", str(script)], capture_output=True, timeout=10)
    assert check.returncode == 0, check.stderr
    call = run_shell(script, work, tmp_path, "curl" if form == "curl" else "http")
    assert_nothing_ran(tmp_path)
    (assert_curl_call if form == "curl" else assert_httpie_call)(call, work, case)


def python_constants(text: str) -> dict[str, Any]:
    tree = ast.parse(text)
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            try:
                found[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                continue
    docstring = ast.get_docstring(tree)
    found["__doc__"] = docstring
    return found


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_python_script_runs_nothing_and_sends_the_exact_values(tmp_path: Path, case: Case) -> None:
    work = make_project(tmp_path, case)
    with serve() as sandbox:
        script = emit_to_file(work, case, "python", base_url=sandbox.base_url)
        text = script.read_text("utf-8")
        constants = python_constants(text)
        assert constants["NAME"] == case.name
        assert constants["SPEC"] == case.spec_file
        assert constants["DIRECTORY"] == str(work.resolve())
        assert constants["FILES"][0][1] == case.data_name
        assert (
            opened_by(constants["FILES"][0][0], work, expands_user=False)
            == (work / case.data_name).resolve()
        )
        assert json.loads(constants["IMPORT_REQUEST"])["name"] == case.name
        assert "PWNED" not in (constants["__doc__"] or "")
        done = subprocess.run(
            [sys.executable, str(script)],
            cwd=work,
            env={**os.environ, "HUBSPOT_ACCESS_TOKEN": TOKEN},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert_nothing_ran(tmp_path)
        assert "Traceback" not in done.stderr
        if NOT_CARRIED_IN_A_FILENAME & set(case.data_name):
            # The script ran and reported HubSpot's (the sandbox's) refusal of the odd filename.
            assert done.returncode == 1 and "answered 400" in done.stderr
            return
        assert done.returncode == 0, done.stderr
        (record,) = sandbox.imports.values()
        assert json.loads(record.request_text)["name"] == case.name
        assert record.files[case.data_name].data == CSV.encode()


@pytest.mark.parametrize(
    "form",
    [
        "curl",
        pytest.param(
            "httpie",
            marks=pytest.mark.skipif(
                shutil.which("http", path=str(Path(sys.executable).parent)) is None,
                reason="httpie (`http`) is not installed",
            ),
        ),
    ],
)
def test_real_clients_read_the_quoting_as_meant(tmp_path: Path, form: str) -> None:
    """curl and httpie themselves, against the sandbox: `-`, `~`, `@`, `;,=:` in a file name."""
    if form == "curl" and shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    case = Case(
        name="x\ntouch PWNED\n#\u2028'\"$(touch PWNED)",
        folder="w $(touch PWNED)\n#",
        data_name="-~@ a;b,c=d:e '$(touch PWNED)`.csv",
    )
    for other in ("-", "~x.csv"):  # what a wrong reading of the path would open instead
        (tmp_path / other).write_text("wrong file\n")
    work = make_project(tmp_path, case)
    with serve() as sandbox:
        script = emit_to_file(work, case, form, base_url=sandbox.base_url)
        path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
        done = subprocess.run(
            ["sh", str(script)],
            cwd=work,
            env={**os.environ, "PATH": path, "HUBSPOT_ACCESS_TOKEN": TOKEN},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert_nothing_ran(tmp_path)
        (record,) = sandbox.imports.values()
        assert json.loads(record.request_text)["name"] == case.name
        assert record.files[case.data_name].data == CSV.encode()


def test_non_utf8_data_path_is_refused_by_the_shell_forms_and_named_by_python(
    tmp_path: Path,
) -> None:
    case = Case(data_name="leads.csv")
    work = make_project(tmp_path, case)
    odd = work / os.fsdecode(b"d\xfe\n$(touch PWNED)")
    odd.mkdir()
    (work / case.data_name).rename(odd / case.data_name)
    (work / "link").symlink_to(odd.name)  # the spec names the link; specc resolves it
    spec = (work / case.spec_file).read_text().replace('"leads.csv"', '"link/leads.csv"')
    (work / case.spec_file).write_text(spec)
    for form in SHELL_FORMS:
        code, out, err, *_ = run_specc(["emit", case.spec_file, "--as", form], work)
        assert code == 2 and out == ""
        assert "is not UTF-8 text, so a shell script cannot spell it" in err
        assert "--as python" in err and "Traceback" not in err
    with serve() as sandbox:
        script = emit_to_file(work, case, "python", base_url=sandbox.base_url)
        done = subprocess.run(
            [sys.executable, str(script)],
            cwd=work,
            capture_output=True,
            text=True,
            env={**os.environ, "HUBSPOT_ACCESS_TOKEN": TOKEN},
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        (record,) = sandbox.imports.values()
        assert record.files["leads.csv"].data == CSV.encode()
    assert_nothing_ran(tmp_path)


def test_a_name_longer_than_one_argument_is_refused_by_httpie_and_sent_by_curl(
    tmp_path: Path,
) -> None:
    case = Case(name="n\ntouch PWNED\n" * 12_000)  # about 150 KB of JSON
    work = make_project(tmp_path, case)
    code, _, err, *_ = run_specc(["emit", case.spec_file, "--as", "httpie"], work)
    assert code == 2 and "more than one command-line argument may hold" in err
    assert "--as curl" in err
    script = emit_to_file(work, case, "curl")
    call = run_shell(script, work, tmp_path, "curl")
    assert_nothing_ran(tmp_path)
    assert_curl_call(call, work, case)


def test_httpie_refuses_a_path_its_item_syntax_cannot_hold(tmp_path: Path) -> None:
    case = Case()
    work = make_project(tmp_path, case)
    for path in ("e\\;f/x.csv", "g;type=h/x.csv", "i\\@j/x.csv", "k\\:l=m/x.csv", "a;type=b.csv"):
        (work / path).parent.mkdir(exist_ok=True)
        (work / path).write_text(CSV)
        spec = (work / case.spec_file).read_text()
        (work / "other.yaml").write_text(
            spec.replace('path: "leads.csv"', f"path: {yaml_string(path)}")
        )
        code, out, err, *_ = run_specc(["emit", "other.yaml", "--as", "httpie"], work)
        assert code == 2 and out == "", (path, err)
        assert "httpie cannot name the data file" in err and "Traceback" not in err
        script = emit_to_file(work, Case(spec_file="other.yaml"), "curl")
        call = run_shell(script, work, tmp_path, "curl")
        _, sent, _ = curl_file_form(call.argv[12])
        assert sent == path


def test_request_summary_quotes_what_came_from_the_spec(tmp_path: Path) -> None:
    case = CASES["everything-at-once"]
    work = make_project(tmp_path, case)
    code, out, err, *_ = run_specc(["emit", case.spec_file, "--as", "request"], work)
    assert code == 0, err
    plain = make_project(tmp_path / "plain", Case())
    _, baseline, _, *_ = run_specc(["emit", "spec.yaml", "--as", "request"], plain)
    # The hostile values add no line: each is one JSON string on the line meant for it.
    assert len(out.split("\n")) == len(baseline.split("\n"))
    assert json.loads(out.split("import named ", 1)[1].split("\n", 1)[0]) == case.name
    assert json.loads(out.split("(from the spec ", 1)[1].split(").\n", 1)[0]) == case.spec_file
    assert json.loads(out.split("\nSource: ", 1)[1].split("\n", 1)[0]) == case.data_name
    assert all(c.isprintable() or c == "\n" for c in out)


# --- Hypothesis: any name, any file name ---------------------------------------------------


@pytest.fixture(scope="module")
def data_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("emit-property")


def upload_of(name: str, data: Path) -> Upload:
    request = {
        "name": name,
        "dateFormat": "MONTH_DAY_YEAR",
        "files": [
            {
                "fileName": data.name,
                "fileFormat": "CSV",
                "fileImportPage": {
                    "hasHeader": True,
                    "columnMappings": [
                        {
                            "columnObjectTypeId": "0-1",
                            "columnName": "Email",
                            "propertyName": "email",
                        }
                    ],
                },
            }
        ],
    }
    item = UploadFile(
        path=data,
        shown_path=data.name,
        file_name=data.name,
        content_type="text/csv",
        size=data.stat().st_size,
    )
    return Upload(name=name, request_json=request_json(request), files=(item,), operations={})


def emitted(form: str, name: str, data: Path) -> str:
    return emit(
        upload_of(name, data),
        Connection(base_url=CLOSED_URL),
        form,
        spec_shown="spec.yaml",
        cwd=data.parent,
    )


# Every character but surrogates (no spec can hold one: YAML and TOML refuse them), with the
# line breaks and controls drawn often.
NAMES = st.text(
    st.one_of(
        st.sampled_from("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\x00\t\"'`$\\#%;"),
        st.characters(blacklist_categories=("Cs",)),
    ),
    min_size=1,
)
FILE_NAMES = st.text(
    st.one_of(
        st.sampled_from("\n\r\"'`$\\#%;,=:@-~ "),
        st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"),
    ),
    min_size=1,
    max_size=40,
).map(lambda stem: stem + ".csv")


# Each example runs both shell forms under sh (four processes with the stubs they call), so
# 100 examples, the hostile characters drawn often, is where a slower run stops finding more.
@settings(max_examples=100, deadline=None)
@given(name=NAMES)
def test_any_name_stays_data_in_every_form(name: str, data_folder: Path) -> None:
    data = data_folder / "leads.csv"
    data.write_text(CSV)
    constants = python_constants(emitted("python", name, data))
    assert constants["NAME"] == name
    assert json.loads(constants["IMPORT_REQUEST"])["name"] == name
    ran: dict[str, StubCall] = {}
    for form, program in zip(SHELL_FORMS, ("curl", "http"), strict=True):
        text = emitted(form, name, data)
        lines = text.split("\n")
        # The name adds no line, and every comment line is where the template put one.
        assert all(c.isprintable() or c == "\n" for c in text)
        shape = emitted(form, "x", data).split("\n")
        assert len(lines) == len(shape)
        assert [i for i, line in enumerate(lines) if line.startswith("#")] == [
            i for i, line in enumerate(shape) if line.startswith("#")
        ]
        assert json.loads(lines[2].removeprefix("# Import name: ")) == name
        # sh reads the whole script as it runs it (one command after `set -eu`), and
        # run_shell asserts exit 0: a name that broke the quoting fails here, as `sh -n` would.
        ran[form] = run_shell_text(text, data_folder, program)
    assert json.loads(ran["curl"].stdin)["name"] == name
    assert json.loads(httpie_item(ran["httpie"].argv[6]).value)["name"] == name
    assert_nothing_ran(data_folder)


def run_shell_text(text: str, work: Path, program: str) -> StubCall:
    script = work / "upload.sh"
    script.write_text(text, encoding="utf-8")
    return run_shell(script, work, work, program)


@settings(max_examples=100, deadline=None)
@given(file_name=FILE_NAMES)
def test_any_file_name_reaches_the_client_intact(file_name: str, data_folder: Path) -> None:
    work = data_folder / "files"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        data = work / file_name
        data.write_text(CSV)
    except OSError:  # longer than the file system allows once encoded
        assume(False)
    case = Case(name="n", data_name=file_name)
    constants = python_constants(emitted("python", "n", data))
    assert constants["FILES"][0][1] == file_name
    assert opened_by(constants["FILES"][0][0], work, expands_user=False) == data.resolve()
    curl_call = run_shell_text(emitted("curl", "n", data), work, "curl")
    assert_curl_call(curl_call, work, case)
    try:
        text = emitted("httpie", "n", data)
    except UsageError as refused:
        # Only a backslash httpie would eat may stop it (no spec can name such a file: the
        # request schema refuses a backslash in fileName).
        assert "\\" in file_name and "httpie cannot name" in refused.message
    else:
        assert_httpie_call(run_shell_text(text, work, "http"), work, case)
    assert_nothing_ran(data_folder)


@settings(max_examples=50, deadline=None)
@given(name=NAMES, file_name=FILE_NAMES)
def test_a_file_in_parts_keeps_any_name_as_data_in_the_python_script(
    name: str, file_name: str, data_folder: Path
) -> None:
    """The Python script of a file over the limits: each part's import name and the file's
    name stay the values they were, whatever they hold; the ranges cover every row once."""
    from specc.hubspot.split import PartUpload, Split, part_upload
    from specc.tables.parts import FileLimits, plan_parts

    work = data_folder / "parts"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        data = work / file_name
        data.write_text(CSV + "".join(f"A{i},B{i},a{i}@example.com\n" for i in range(5)))
    except OSError:  # longer than the file system allows once encoded
        assume(False)
    upload = upload_of(name, data)
    plan = plan_parts(data, True, FileLimits(rows=2, bytes=1 << 20), shown=data.name)
    count = len(plan.parts)
    split = Split(
        plan=plan,
        parts=tuple(
            PartUpload(p.number, count, p, part_upload(upload, upload.files[0], plan, p))
            for p in plan.parts
        ),
    )
    text = emit(
        upload,
        Connection(base_url=CLOSED_URL),
        "python",
        spec_shown="spec.yaml",
        cwd=data.parent,
        split=split,
    )
    constants = python_constants(text)
    assert constants["FILES"][0][1] == file_name
    names = [json.loads(request)["name"] for request, _, _ in constants["PARTS"]]
    assert names == [f"{name} (part {k} of {count})" for k in range(1, count + 1)]
    ranges = [(start, end) for _, start, end in constants["PARTS"]]
    body = data.read_bytes()
    assert ranges[0][0] == constants["HEADER_END"] and ranges[-1][1] == len(body)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))
    assert constants["SOURCE_SIZE"] == len(body)
    assert_nothing_ran(data_folder)
