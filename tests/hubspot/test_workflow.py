"""specc.hubspot.workflow over real HTTP: the client talks to the sandbox on loopback.

Nothing of the client or the workflow is replaced; the sandbox decides how an import ends
(its own row checks), or the test ends it on the server's side as HubSpot's workers would.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hubspot_support import FAST_POLL, TOKEN, Recorder, connect, fast_retry

from specc.diagnostics import Result, Severity
from specc.errors import SpeccError, UsageError
from specc.hubspot import events as ev
from specc.hubspot.client import HubSpotClient
from specc.hubspot.errors import HubSpotApiError
from specc.hubspot.settings import (
    Account,
    connection_from_environment,
    poll_policy_from,
    retry_policy_from,
)
from specc.hubspot.workflow import (
    Prepared,
    cancel,
    errors_of_import,
    import_errors,
    import_summary,
    prepare,
    run_import,
    spec_for_errors,
)
from specc.run import Options
from specc.sandbox import FaultPlan, RowError, SandboxServer, Timing, serve

SPEC = """\
specc: 1
name: November event leads
operations:
  contacts: create
files:
  - path: my leads.csv
    object: contacts
    columns:
      First Name: firstname
      Last Name: lastname
      Email: {property: email, id: true}
"""
LEADS = (
    "First Name,Last Name,Email\n"
    "Ada,Lovelace,ada@example.com\n"
    '"Bob\nJr",Smith,not-an-email\n'  # a quoted line break: line 3 is data row 2
    "Grace,Hopper,grace@example.com\n"
)
HELD = Timing(started=60, processing=60)  # imports wait until the test ends them


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "leads.yaml").write_text(SPEC)
    (tmp_path / "my leads.csv").write_text(LEADS)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def prepared(project: Path, spec: str = "leads.yaml", *, strict: bool = False) -> Prepared:
    options = Options(cwd=project, environ={})
    return prepare(project / spec, options, strict=strict, lint_first=True)


@pytest.fixture
def held() -> Iterator[SandboxServer]:
    with serve(timing=HELD) as server:
        yield server


def client_of(server: SandboxServer, recorder: Recorder, **connection: str) -> HubSpotClient:
    return HubSpotClient(connect(server.base_url, **connection), fast_retry(3), on_event=recorder)


def end_when_created(server: SandboxServer, state: str, errors: list[RowError]) -> None:
    """Play HubSpot's worker: once the import exists, end it in `state` with `errors`."""

    def work() -> None:
        deadline = time.monotonic() + 20
        while not server.imports and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.1)  # polled at least once while STARTED
        with server.lock:
            (record,) = server.imports.values()
            file_id = next(iter(record.files.values())).file_id
            record.errors = [RowError(**{**e.__dict__, "file_id": file_id}) for e in errors]
            record.touch(state)

    threading.Thread(target=work, daemon=True).start()


def email_error(line: int) -> RowError:
    return RowError(
        id=f"e{line}",
        created_at=1_700_000_000_000,
        error_type="INVALID_EMAIL",
        line=line,
        file_id=0,
        row_data=(),
        message="not an email",
        invalid_value="not-an-email",
        column_number=2,
    )


# --- prepare -------------------------------------------------------------------------------


def test_prepare_describes_the_upload_of_a_clean_spec(project: Path) -> None:
    found = prepared(project)
    assert found.upload is not None and found.spec is not None
    assert found.upload.name == "November event leads"
    (upload_file,) = found.upload.files
    assert upload_file.file_name == "my leads.csv"
    assert upload_file.size == len(LEADS.encode())
    assert found.upload.operations == {"0-1": "CREATE"}
    assert found.result.errors == 0


def test_prepare_stops_at_lint_errors(project: Path) -> None:
    (project / "my leads.csv").write_text("Given,Family,Mail\nA,B,c@d.com\n")
    found = prepared(project)
    assert found.upload is None
    assert found.result.errors and all(d.code.startswith("SPC3") for d in found.result.diagnostics)


def test_strict_stops_at_warnings_and_keeps_their_severity(project: Path) -> None:
    # An unknown property is a warning against the bundled catalog (the account may have it).
    (project / "leads.yaml").write_text(SPEC.replace("lastname", "favourite_colour"))
    lenient = prepared(project)
    assert lenient.upload is not None and lenient.result.warnings == 1
    strict = prepared(project, strict=True)
    assert strict.upload is None
    assert strict.result.warnings == 1  # shown as an error by the caller, counted as it is
    assert strict.result.exit_code(strict=True) == 1


# --- run_import ----------------------------------------------------------------------------


def test_without_waiting_the_import_is_started_once_and_named(
    project: Path, held: SandboxServer
) -> None:
    found = prepared(project)
    assert found.upload is not None and found.spec is not None
    started: list[str] = []
    with client_of(held, Recorder()) as client:
        run = run_import(
            client,
            found.upload,
            found.spec,
            found.result,
            on_started=lambda i, _: started.append(i),
        )
    (import_id,) = held.imports
    assert started == [import_id] == [run.import_id]
    assert run.record is not None and run.record["state"] == "STARTED"
    assert held.imports[import_id].files["my leads.csv"].data == LEADS.encode()
    assert run.result.diagnostics == [] and run.exit_code(strict=False) == 0


def test_waiting_maps_the_sandboxs_row_errors_to_line_row_column_and_spec(
    project: Path,
) -> None:
    found = prepared(project)
    assert found.upload is not None and found.spec is not None
    recorder = Recorder()
    with serve() as sandbox, client_of(sandbox, recorder) as client:
        run = run_import(client, found.upload, found.spec, found.result, poll=FAST_POLL)
    assert run.record is not None and run.record["state"] == "DONE"
    (error,) = run.result.diagnostics
    assert (error.code, error.hubspot_error) == ("SPC520", "INVALID_EMAIL")
    assert error.data is not None and error.spec is not None
    assert (error.data.file, error.data.line, error.data.row) == ("my leads.csv", 3, 2)
    assert (error.data.column, error.data.value) == ("Email", "not-an-email")
    assert (error.spec.file, error.spec.line) == (str(project / "leads.yaml"), 11)
    assert run.exit_code(strict=False) == 1
    assert recorder.of(ev.Polled)[-1].state == "DONE"


@pytest.mark.parametrize(
    ("state", "code", "exit_code"),
    [("FAILED", "SPC510", 1), ("CANCELED", "SPC511", 1), ("REVERTED", "SPC512", 0)],
)
def test_end_states_are_diagnostics(
    project: Path, held: SandboxServer, state: str, code: str, exit_code: int
) -> None:
    found = prepared(project)
    assert found.upload is not None and found.spec is not None
    end_when_created(held, state, [])
    with client_of(held, Recorder()) as client:
        run = run_import(client, found.upload, found.spec, found.result, poll=FAST_POLL)
    assert [d.code for d in run.result.diagnostics] == [code]
    assert run.exit_code(strict=False) == exit_code


def test_row_errors_of_a_done_import(project: Path, held: SandboxServer) -> None:
    found = prepared(project)
    assert found.upload is not None and found.spec is not None
    end_when_created(held, "DONE", [email_error(3), email_error(5)])
    with client_of(held, Recorder()) as client:
        run = run_import(client, found.upload, found.spec, found.result, poll=FAST_POLL)
    assert [(d.code, d.data.line if d.data else None) for d in run.result.diagnostics] == [
        ("SPC520", 3),
        ("SPC520", 5),
    ]


@pytest.mark.parametrize(
    ("tokens", "code", "exit_code"),
    [({"another token": {"crm.import"}}, "SPC501", 1), ({TOKEN: {"crm.lists.read"}}, "SPC502", 1)],
)
def test_a_refusal_is_a_diagnostic_and_no_import(
    project: Path, tokens: dict[str, set[str]], code: str, exit_code: int
) -> None:
    found = prepared(project)
    assert found.upload is not None and found.spec is not None
    started: list[str] = []
    with serve(tokens=tokens, timing=HELD) as sandbox, client_of(sandbox, Recorder()) as client:
        run = run_import(
            client,
            found.upload,
            found.spec,
            found.result,
            on_started=lambda i, _: started.append(i),
        )
        assert sandbox.imports == {}
    assert run.refused is not None and started == [] and run.import_id is None
    (refusal,) = run.result.diagnostics
    assert refusal.code == code
    assert refusal.spec is not None and refusal.spec.line == 2  # the spec's `name:`
    assert run.exit_code(strict=False) == exit_code


def test_hubspot_unavailable_exits_2(project: Path) -> None:
    found = prepared(project)
    assert found.upload is not None and found.spec is not None
    faults = FaultPlan().server_error("create", times=None)
    with serve(faults=faults, timing=HELD) as sandbox, client_of(sandbox, Recorder()) as client:
        run = run_import(client, found.upload, found.spec, found.result)
        assert sandbox.imports == {}
    assert [d.code for d in run.result.diagnostics] == ["SPC504"]
    assert run.exit_code(strict=False) == 2


def test_a_lost_answer_is_adopted_not_sent_again(project: Path) -> None:
    found = prepared(project)
    assert found.upload is not None and found.spec is not None
    recorder = Recorder()
    with serve(faults=FaultPlan().drop("create"), timing=HELD) as sandbox:
        with client_of(sandbox, recorder) as client:
            run = run_import(client, found.upload, found.spec, found.result)
        (import_id,) = sandbox.imports
        assert sandbox.count("create") == 1
    assert run.import_id == import_id
    (note,) = run.result.diagnostics
    assert note.code == "SPC530" and note.severity is Severity.INFO
    assert f"import {import_id}" in note.message
    assert [e.import_id for e in recorder.of(ev.Adopted)] == [import_id]
    assert run.exit_code(strict=False) == 0


def test_ctrl_c_while_waiting_leaves_the_import_running(project: Path, held: SandboxServer) -> None:
    found = prepared(project)
    assert found.upload is not None and found.spec is not None

    def interrupt_on_second_poll(event: ev.Event) -> None:
        if isinstance(event, ev.Polled) and held.count("get") >= 2:
            raise KeyboardInterrupt  # as a Ctrl-C arriving in the middle of the wait

    with HubSpotClient(
        connect(held.base_url), fast_retry(3), on_event=interrupt_on_second_poll
    ) as client:
        run = run_import(client, found.upload, found.spec, found.result, poll=FAST_POLL)
    (import_id,) = held.imports
    assert run.interrupted == "wait" and run.import_id == import_id
    assert held.imports[import_id].state == "STARTED"  # not canceled
    assert held.count("cancel") == 0


# --- a past import's errors ----------------------------------------------------------------


def test_import_errors_with_and_without_the_spec(project: Path, held: SandboxServer) -> None:
    found = prepared(project)
    assert found.upload is not None and found.spec is not None
    end_when_created(held, "DONE", [email_error(3)])
    with client_of(held, Recorder()) as client:
        run_import(client, found.upload, found.spec, Result(), poll=FAST_POLL)
        (import_id,) = held.imports
        bare = import_errors(client, import_id, None)
        spec = spec_for_errors(project / "leads.yaml", Options(cwd=project, environ={}))
        located = import_errors(client, import_id, spec)
    (error,) = bare.result.diagnostics
    assert error.data is not None and error.spec is None
    assert (error.data.file, error.data.line, error.data.column) == ("my leads.csv", 3, "Email")
    assert error.data.row is None  # no local file to count rows in
    assert bare.result.sources == {} and bare.result.files == 0
    (error,) = located.result.diagnostics
    assert error.spec is not None and error.spec.line == 11
    assert error.data is not None and error.data.row == 2  # read from the local file
    assert located.result.files == 1 and list(located.result.sources.values()) == [SPEC]
    summary = import_summary(located.record)
    assert summary["id"] == import_id and summary["state"] == "DONE"
    assert summary["name"] == "November event leads"


def test_spec_for_errors_refuses_a_spec_that_does_not_load(project: Path) -> None:
    (project / "broken.yaml").write_text("specc: 1\nname: [unclosed\n")
    with pytest.raises(SpeccError, match="does not load"):
        spec_for_errors(project / "broken.yaml", Options(cwd=project, environ={}))
    with pytest.raises(SpeccError, match="no such file"):
        spec_for_errors(project / "missing.yaml", Options(cwd=project, environ={}))


def test_errors_of_import_loads_the_spec_before_asking_hubspot(
    project: Path, held: SandboxServer
) -> None:
    """`specc errors --spec`: a spec that cannot be used stops it before any request."""
    found = prepared(project)
    assert found.upload is not None and found.spec is not None
    end_when_created(held, "DONE", [email_error(3)])
    with client_of(held, Recorder()) as client:
        run_import(client, found.upload, found.spec, Result(), poll=FAST_POLL)
    (import_id,) = held.imports
    account = Account({"HUBSPOT_ACCESS_TOKEN": TOKEN}, held.base_url)
    options = Options(cwd=project, environ={})
    asked = held.count("errors")
    (project / "broken.yaml").write_text("specc: 1\nname: [unclosed\n")
    with pytest.raises(SpeccError, match="does not load"):
        errors_of_import(account, Recorder(), import_id, project / "broken.yaml", options)
    assert held.count("errors") == asked
    located = errors_of_import(account, Recorder(), import_id, project / "leads.yaml", options)
    (error,) = located.result.diagnostics
    assert error.spec is not None and error.data is not None and error.data.row == 2
    assert located.exit_code == 1 and held.count("errors") == asked + 1


def test_cancel_once_and_again(project: Path, held: SandboxServer) -> None:
    found = prepared(project)
    assert found.upload is not None and found.spec is not None
    with client_of(held, Recorder()) as client:
        run = run_import(client, found.upload, found.spec, found.result)
        assert run.import_id is not None
        assert cancel(client, run.import_id) is not None  # HubSpot's status of the cancel
        assert held.imports[run.import_id].state == "CANCELED"
        assert cancel(client, run.import_id) is None  # canceled already: no error


def test_cancel_of_a_finished_import_is_refused(project: Path, held: SandboxServer) -> None:
    found = prepared(project)
    assert found.upload is not None and found.spec is not None
    end_when_created(held, "DONE", [])
    with client_of(held, Recorder()) as client:
        run = run_import(client, found.upload, found.spec, found.result, poll=FAST_POLL)
        assert run.import_id is not None
        with pytest.raises(HubSpotApiError):
            cancel(client, run.import_id)


# --- settings from the environment ---------------------------------------------------------


def test_settings_from_the_environment() -> None:
    env = {
        "SPECC_TIMEOUT": "7",
        "SPECC_ANSWER_TIMEOUT": "9.5",
        "SPECC_RETRY_ATTEMPTS": "2",
        "SPECC_RETRY_CAP": "0.5",
        "SPECC_POLL_INTERVAL": "3",
        "SPECC_POLL_CAP": "1",
        "HUBSPOT_ACCESS_TOKEN": TOKEN,
    }
    connection = connection_from_environment(env, "http://127.0.0.1:9", "2026-03")
    assert (connection.timeouts.read, connection.timeouts.write) == (7, 7)
    assert connection.timeouts.answer == 9.5 and connection.timeouts.connect == 10
    assert connection.imports_url == "http://127.0.0.1:9/crm/imports/2026-03"
    retry = retry_policy_from(env)
    assert (retry.attempts, retry.cap) == (2, 0.5)
    poll = poll_policy_from(env)
    assert (poll.first, poll.cap) == (3, 3)  # the cap is never below the first interval


@pytest.mark.parametrize(
    ("read", "name", "value", "says"),
    [
        (
            connection_from_environment,
            "SPECC_TIMEOUT",
            "soon",
            "SPECC_TIMEOUT must be a number of seconds, got 'soon'",
        ),
        (poll_policy_from, "SPECC_POLL_CAP", "-1", "SPECC_POLL_CAP cannot be negative"),
        (retry_policy_from, "SPECC_RETRY_ATTEMPTS", "1.5", "must be a whole number, got '1.5'"),
    ],
)
def test_a_bad_setting_names_its_variable(
    read: Callable[[dict[str, str]], object], name: str, value: str, says: str
) -> None:
    with pytest.raises(UsageError, match=says):
        read({name: value})
