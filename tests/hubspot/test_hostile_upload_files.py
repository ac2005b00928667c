"""Data files that change under specc between the spec's load and the upload, over real HTTP.

`specc import` loads the spec (its data paths confined to the working directory, the spec's
folder and each --data-root, and each a regular file), shows the plan, may wait for an answer,
and only then opens the files to send them. What a path leads to by then is checked again:
a FIFO put in the file's place would hang the upload, a link out of the roots would send a
file the spec may not name. Each is refused before a byte goes out (InputError, exit 2), and
the sandbox on loopback sees no import.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hubspot_support import Recorder, connect, fast_retry

from specc.diagnostics import Result
from specc.errors import InputError
from specc.hubspot.client import HubSpotClient
from specc.hubspot.runner import start_import
from specc.hubspot.upload import sha256_of
from specc.hubspot.workflow import Prepared, import_errors, prepare, run_import, spec_for_errors
from specc.run import Options
from specc.sandbox import SandboxServer
from specc.spec.loader import MAX_SPEC_BYTES

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")

SPEC = """\
specc: 1
name: Swapped leads
operations:
  contacts: create
files:
  - path: leads.csv
    object: contacts
    columns:
      First Name: firstname
      Email: {property: email, id: true}
"""
LEADS = "First Name,Email\nAda,ada@example.com\nGrace,grace@example.com\n"
# Long enough for any open() to return or fail; a call still running then is hanging.
HANG_SECONDS = 10


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "leads.yaml").write_text(SPEC)
    (folder / "leads.csv").write_text(LEADS)
    return folder


def prepared(project: Path) -> Prepared:
    found = prepare(project / "leads.yaml", Options(cwd=project, environ={}), strict=False)
    assert found.upload is not None and found.spec is not None, found.result.diagnostics
    return found


def client_of(server: SandboxServer) -> HubSpotClient:
    return HubSpotClient(connect(server.base_url), fast_retry(2), on_event=Recorder())


def without_hanging(call: Callable[[], Any], fifo: Path) -> BaseException | None:
    """What `call` raised (None if nothing), failing the test if it has not returned within
    HANG_SECONDS: a FIFO opened for reading blocks until a writer comes, which none will."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            call()
        except BaseException as exc:
            raised.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(HANG_SECONDS)
    if worker.is_alive():
        # Be the writer the worker waits for (and leave at once), so its thread can end.
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail(f"still running after {HANG_SECONDS} s: the FIFO was opened and waited on")
    return raised[0] if raised else None


def replace_with_fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def test_a_fifo_put_in_the_data_files_place_is_refused_before_anything_is_sent(
    project: Path, sandbox: SandboxServer
) -> None:
    found = prepared(project)
    upload, spec = found.upload, found.spec
    assert upload is not None and spec is not None
    replace_with_fifo(project / "leads.csv")
    with client_of(sandbox) as client:
        raised = without_hanging(
            lambda: run_import(client, upload, spec, Result()), project / "leads.csv"
        )
    assert isinstance(raised, InputError), raised
    assert raised.exit_code == 2
    assert raised.message == "cannot read leads.csv: is a FIFO (named pipe), not a regular file"
    assert sandbox.count("create") == 0 and not sandbox.imports


def test_a_link_out_of_the_roots_put_in_the_data_files_place_is_refused(
    project: Path, tmp_path: Path, sandbox: SandboxServer
) -> None:
    found = prepared(project)
    secret = tmp_path / "elsewhere" / "secret.csv"
    secret.parent.mkdir()
    secret.write_text("First Name,Email\nSECRET,secret@example.com\n")
    (project / "leads.csv").unlink()
    (project / "leads.csv").symlink_to(secret)
    assert found.upload is not None
    with client_of(sandbox) as client, pytest.raises(InputError) as refused:
        start_import(client, found.upload)
    assert refused.value.message.startswith(f"cannot read leads.csv: resolves to {secret}")
    assert "outside the working directory" in refused.value.message
    assert (
        refused.value.hint
        == f"run specc from a folder that contains it, or add --data-root {secret.parent}"
    )
    assert sandbox.count("create") == 0 and not sandbox.imports


def test_a_link_that_stays_inside_the_roots_is_sent(project: Path, sandbox: SandboxServer) -> None:
    """The check is on where the path leads, not on links as such: a file moved aside and
    linked back from inside the project is still the project's, and goes out."""
    found = prepared(project)
    moved = project / "kept" / "leads.csv"
    moved.parent.mkdir()
    (project / "leads.csv").rename(moved)
    (project / "leads.csv").symlink_to(moved)
    assert found.upload is not None
    with client_of(sandbox) as client:
        started = start_import(client, found.upload)
    assert sandbox.count("create") == 1
    (record,) = sandbox.imports.values()
    assert started.import_id == record.id
    (sent,) = record.files.values()
    assert sent.data == LEADS.encode()


def test_a_fifo_at_prepare_is_refused_with_the_spec_loaders_words(project: Path) -> None:
    """Swapped before the spec loads, the FIFO is the loader's to refuse (a diagnostic at the
    path, exit 1), and prepare makes no upload of it."""
    replace_with_fifo(project / "leads.csv")
    found = prepare(project / "leads.yaml", Options(cwd=project, environ={}), strict=False)
    assert found.upload is None
    assert any("FIFO" in d.message for d in found.result.diagnostics)


def test_sha256_of_a_fifo_is_refused_at_once_and_of_a_file_is_its_digest(tmp_path: Path) -> None:
    data = tmp_path / "leads.csv"
    data.write_text(LEADS)
    assert sha256_of(data) == hashlib.sha256(LEADS.encode()).hexdigest()
    replace_with_fifo(data)
    raised = without_hanging(lambda: sha256_of(data, shown="leads.csv"), data)
    assert isinstance(raised, InputError)
    assert raised.message == "cannot read leads.csv: is a FIFO (named pipe), not a regular file"


def test_sha256_of_a_path_out_of_its_roots_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.csv"
    outside.write_text(LEADS)
    inside = tmp_path / "project"
    inside.mkdir()
    with pytest.raises(InputError, match="outside the working directory"):
        sha256_of(outside, roots=(inside.resolve(),), shown="outside.csv")


# --- `specc errors --spec`: the spec's text for the report's lines ---------------------------


def errors_with_spec(project: Path, sandbox: SandboxServer, change: Callable[[Path], None]) -> Any:
    found = prepared(project)
    assert found.upload is not None
    with client_of(sandbox) as client:
        import_id = start_import(client, found.upload).import_id
        spec = spec_for_errors(project / "leads.yaml", Options(cwd=project, environ={}))
        change(project / "leads.yaml")
        outcome: list[Any] = []
        raised = without_hanging(
            lambda: outcome.append(import_errors(client, import_id, spec)), project / "leads.yaml"
        )
    assert raised is None, raised
    return outcome[0]


def test_errors_quote_the_spec_read_as_the_loader_reads_it(
    project: Path, sandbox: SandboxServer
) -> None:
    found = errors_with_spec(project, sandbox, lambda path: None)
    assert list(found.result.sources.values()) == [SPEC]


def test_errors_with_a_spec_turned_into_a_fifo_are_reported_without_its_lines(
    project: Path, sandbox: SandboxServer
) -> None:
    found = errors_with_spec(project, sandbox, replace_with_fifo)
    assert found.result.sources == {}
    assert found.result.files == 1
    assert found.record["state"] in {"STARTED", "PROCESSING", "DONE"}


def test_errors_with_a_spec_grown_past_the_loaders_bound_are_reported_without_its_lines(
    project: Path, sandbox: SandboxServer
) -> None:
    def grow(path: Path) -> None:
        with path.open("a") as handle:
            handle.write("#" * (MAX_SPEC_BYTES + 1))

    found = errors_with_spec(project, sandbox, grow)
    assert found.result.sources == {}
