"""A file over HubSpot's per-file limits, imported in parts over real HTTP.

The sandbox (specc.sandbox on loopback) refuses, with HubSpot's 429, any file over its
limits, counting a CSV file's rows as they arrive; the limits are lowered on both sides so a
few hundred kilobytes prove what 512 MB would. Nothing of the client is replaced.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sandbox_process import interrupted_while_waiting

from specc.diagnostics import Result
from specc.hubspot.client import HubSpotClient
from specc.hubspot.connection import Connection, Secret
from specc.hubspot.errors import FileOverLimit
from specc.hubspot.retry import PollPolicy, RetryPolicy
from specc.hubspot.runner import start_import
from specc.hubspot.split import run_parts, split_upload
from specc.hubspot.workflow import prepare
from specc.run import Options
from specc.sandbox import FaultPlan, SandboxServer, Timing, serve
from specc.sandbox.upload import UploadLimits
from specc.tables.parts import FileLimits

LIMITS = FileLimits(rows=1000, bytes=40_000)
SPEC = """\
specc: 1
name: Big list
operations: {contacts: upsert}
files:
  - path: big.csv
    object: contacts
    columns:
      Email: {property: email, id: true}
      First Name: firstname
      Notes: message
"""
BAD_ROW = 1750  # the data row with an email HubSpot refuses


def big_csv(rows: int) -> str:
    lines = ["Email,First Name,Notes\n"]
    for i in range(1, rows + 1):
        email = "not-an-email" if i == BAD_ROW else f"p{i}@example.com"
        # Every 7th row has a line break inside a quoted cell: lines and rows part ways.
        notes = f'"first line\nsecond, of {i}"' if i % 7 == 0 else f"note {i}"
        lines.append(f"{email},Ann {i},{notes}\n")
    return "".join(lines)


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    limits = UploadLimits(file_rows=LIMITS.rows, file_bytes=LIMITS.bytes)
    with serve(limits=limits) as server:
        yield server


def client_of(server: SandboxServer, attempts: int = 5) -> HubSpotClient:
    connection = Connection(base_url=server.base_url, token=Secret("pat-test"))
    return HubSpotClient(connection, RetryPolicy(attempts=attempts, base=0.01, cap=0.05))


def project(tmp_path: Path, rows: int) -> Path:
    (tmp_path / "spec.yaml").write_text(SPEC)
    (tmp_path / "big.csv").write_text(big_csv(rows), newline="")
    return tmp_path / "spec.yaml"


def test_a_file_over_both_limits_goes_in_parts_whose_rows_are_the_files(
    tmp_path: Path, sandbox: SandboxServer
) -> None:
    spec_path = project(tmp_path, 2500)
    source = (tmp_path / "big.csv").read_bytes()
    assert len(source) > LIMITS.bytes  # over both limits
    prepared = prepare(spec_path, Options(cwd=tmp_path, environ={}), strict=False)
    assert prepared.upload is not None and prepared.spec is not None
    split = split_upload(prepared.upload, prepared.spec, LIMITS)
    assert split.problems == [] and split.plan is not None
    count = len(split.parts)
    assert count > 3  # 2,500 rows need 3 parts by rows, more by bytes
    result = Result()
    with client_of(sandbox) as client:
        run = run_parts(client, split, prepared.spec, result, poll=PollPolicy(0.02, 1.2, 0.1))
    assert run.refused is None and len(run.runs) == count

    # No upload was refused: each part was sent once and accepted.
    assert sandbox.count("create") == count
    assert all(e.status != 429 for e in sandbox.log)
    records = [sandbox.imports[r.import_id] for r in run.runs]
    assert [r.name for r in records] == [
        f"Big list (part {k} of {count})" for k in range(1, count + 1)
    ]
    # The parts are the header and consecutive runs of the file's bytes, in order, each under
    # both limits: told by the sandbox's digests of what it received.
    header = source[: split.plan.header_end]
    at = split.plan.header_end
    for record in records:
        (stored,) = record.files.values()
        assert stored.size <= LIMITS.bytes and stored.rows is not None
        assert stored.rows <= LIMITS.rows
        piece = source[at : at + stored.size - len(header)]
        assert stored.sha256 == hashlib.sha256(header + piece).hexdigest()
        at += len(piece)
    assert at == len(source)
    assert sum(r.files["big.csv"].rows or 0 for r in records) == 2500

    # Totals add the parts' counters; the row error is at the original file's line.
    totals = run.totals()
    assert totals["TOTAL_ROWS"] == 2500 and totals["ERRORS"] == 1
    (error,) = [d for d in result.diagnostics if d.code == "SPC520"]
    expected_line = 1 + BAD_ROW + (BAD_ROW - 1) // 7  # the header, the rows, the breaks
    assert error.data is not None and error.data.line == expected_line
    assert error.data.row == BAD_ROW and error.hubspot_error == "INVALID_EMAIL"
    # Once their imports ended, the sandbox keeps no uploaded file on disk.
    assert sorted(p.name for p in sandbox._folder.iterdir()) == []


def test_the_whole_file_is_refused_once_and_not_retried(
    tmp_path: Path, sandbox: SandboxServer
) -> None:
    spec_path = project(tmp_path, 1200)  # over the row limit only
    prepared = prepare(spec_path, Options(cwd=tmp_path, environ={}), strict=False)
    assert prepared.upload is not None
    with client_of(sandbox, attempts=6) as client, pytest.raises(FileOverLimit) as refused:
        start_import(client, prepared.upload)
    assert sandbox.count("create") == 1  # one 429, no second try
    assert "The upload is too large" in refused.value.message
    diagnostic = refused.value.diagnostic()
    assert diagnostic.code == "SPC473" and "in parts" in (diagnostic.hint or "")
    assert refused.value.exit_code == 1


def test_a_rate_limit_429_is_still_retried(tmp_path: Path) -> None:
    spec_path = project(tmp_path, 10)
    prepared = prepare(spec_path, Options(cwd=tmp_path, environ={}), strict=False)
    assert prepared.upload is not None
    with (
        serve(faults=FaultPlan().rate_limit("create", times=2)) as server,
        client_of(server) as client,
    ):
        started = start_import(client, prepared.upload)
        assert server.count("create") == 3 and started.import_id in server.imports


def test_several_files_over_the_limit_are_refused_before_anything_is_sent(
    tmp_path: Path,
) -> None:
    (tmp_path / "spec.yaml").write_text(
        SPEC + "  - path: more.csv\n    object: contacts\n    columns:\n"
        "      Email: {property: email, id: true}\n      First Name: firstname\n"
        "      Notes: message\n"
    )
    (tmp_path / "big.csv").write_text(big_csv(1200), newline="")
    (tmp_path / "more.csv").write_text(big_csv(3), newline="")
    prepared = prepare(tmp_path / "spec.yaml", Options(cwd=tmp_path, environ={}), strict=False)
    assert prepared.upload is not None and prepared.spec is not None
    split = split_upload(prepared.upload, prepared.spec, LIMITS)
    assert split.parts == ()
    (problem,) = split.problems
    assert problem.code == "SPC470" and "nothing was sent" in problem.message
    assert "1,200 data rows (HubSpot takes 1,000)" in problem.message


def test_the_file_planned_into_parts_must_still_lie_inside_the_specs_roots(
    tmp_path: Path,
) -> None:
    """A link to a file outside the spec's folders, put in the data file's place once the
    spec loaded, is refused by the pass that plans the parts, as by every read that sends."""
    from specc.inputs import InputRefused

    work = tmp_path / "work"
    work.mkdir()
    spec_path = project(work, 2500)
    prepared = prepare(spec_path, Options(cwd=work, environ={}), strict=False)
    assert prepared.upload is not None and prepared.spec is not None
    outside = tmp_path / "secret.csv"
    outside.write_text(big_csv(2500), newline="")
    (work / "big.csv").unlink()
    (work / "big.csv").symlink_to(outside)
    with pytest.raises(InputRefused, match="outside"):
        split_upload(prepared.upload, prepared.spec, LIMITS)


def test_a_run_stopped_at_a_part_is_finished_from_that_part(tmp_path: Path) -> None:
    """HubSpot stays unavailable for part 2: parts 1 stays imported, the run says how to send
    the rest, and `--from-part` sends exactly the rest, once it finds part 1 in the account.
    Every row of the file then is in exactly one import."""
    spec_path = project(tmp_path, 2500)
    attempts = 3
    limits = UploadLimits(file_rows=LIMITS.rows, file_bytes=LIMITS.bytes)
    faults = FaultPlan().server_error("create", times=attempts, skip=1)
    with serve(limits=limits, faults=faults) as sandbox:
        prepared = prepare(spec_path, Options(cwd=tmp_path, environ={}), strict=False)
        assert prepared.upload is not None and prepared.spec is not None
        split = split_upload(prepared.upload, prepared.spec, LIMITS)
        count = len(split.parts)
        poll = PollPolicy(0.02, 1.2, 0.1)

        stopped = Result()
        with client_of(sandbox, attempts=attempts) as client:
            first = run_parts(client, split, prepared.spec, stopped, poll=poll)
        assert first.refused is not None and [r.part.number for r in first.runs] == [1]
        (note,) = [d for d in stopped.diagnostics if d.code == "SPC532"]
        assert f"part 1 of {count} is imported; parts 2 to {count} not sent" in note.message
        assert note.hint is not None and note.hint.endswith("--from-part 2")

        # Part 2 is not in the account: starting from part 3 would leave its rows out.
        skipped = Result()
        creates = sandbox.count("create")
        with client_of(sandbox) as client:
            refused = run_parts(client, split.starting_at(3), prepared.spec, skipped, poll=poll)
        assert refused.runs == [] and sandbox.count("create") == creates
        (missing,) = [d for d in skipped.diagnostics if d.code == "SPC531"]
        assert f'part 2 of {count} ("Big list (part 2 of {count})") is not imported' in (
            missing.message
        )
        assert skipped.exit_code(strict=False) == 1

        resumed = Result()
        with client_of(sandbox) as client:
            rest = run_parts(client, split.starting_at(2), prepared.spec, resumed, poll=poll)
        assert rest.refused is None
        assert [r.part.number for r in rest.runs] == list(range(2, count + 1))
        names = sorted(r.name for r in sandbox.imports.values())
        assert names == sorted(f"Big list (part {k} of {count})" for k in range(1, count + 1))
        assert sum(r.files["big.csv"].rows or 0 for r in sandbox.imports.values()) == 2500
        assert rest.totals()["TOTAL_ROWS"] + first.totals()["TOTAL_ROWS"] == 2500


def test_ctrl_c_while_a_part_runs_says_how_to_send_the_rest(tmp_path: Path) -> None:
    """Ctrl-C while waiting for part 1: it keeps running at HubSpot, the later parts are not
    sent, and specc says how to send them once it has ended."""
    project(tmp_path, 2500)
    limits = UploadLimits(file_rows=LIMITS.rows, file_bytes=LIMITS.bytes)
    env = {
        **os.environ,
        "HUBSPOT_ACCESS_TOKEN": "pat-test",
        "SPECC_POLL_INTERVAL": "0.02",
        "SPECC_POLL_CAP": "0.05",
        "SPECC_MAX_FILE_ROWS": str(LIMITS.rows),
        "SPECC_MAX_FILE_BYTES": str(LIMITS.bytes),
    }
    with serve(limits=limits, timing=Timing(started=60, processing=60)) as sandbox:
        env["SPECC_BASE_URL"] = sandbox.base_url
        args = ["import", "spec.yaml", "--yes", "--wait", "--no-check"]
        code, _, err = interrupted_while_waiting(args, tmp_path, env, sandbox)
        (record,) = sandbox.imports.values()
    assert code == 130, err
    count = int(record.name.rsplit(" of ", 1)[1].rstrip(")"))
    assert f"parts 2 to {count} not sent; once import {record.id} has ended" in err
    assert "send them with: specc import spec.yaml --from-part 2" in err
    assert "Traceback" not in err
