"""`specc plan`, `specc import`, `specc plan` again, over real HTTP against `specc sandbox`.

The sandbox runs as `specc sandbox --port 0`; every command runs as a process. The first plan
of a file says every row creates; the import then creates exactly that many records; the
second plan says every row updates (and with `operations: create` that every row fails with
CREATE_ONLY_IMPORT at its line), and the import after it reports exactly that. HubSpot's own
Python client (hubspot-api-client) reads the records back from the sandbox's batch read.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sandbox_process import running_sandbox

TOKEN = "sandbox-plan-token"
pytestmark = pytest.mark.xdist_group("plan-over-http")  # one sandbox process for the module


@pytest.fixture(scope="module")
def sandbox_url() -> Iterator[str]:
    with running_sandbox() as url:
        yield url


def specc(cwd: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HUBSPOT_ACCESS_TOKEN": TOKEN,
        "SPECC_BASE_URL": url,
        "SPECC_POLL_INTERVAL": "0.02",
        "SPECC_POLL_CAP": "0.1",
    }
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [sys.executable, "-m", "specc", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def write(folder: Path, prefix: str, operation: str | None, rows: list[tuple[str, str]]) -> None:
    """A contacts spec and file; `prefix` keeps each test's contacts apart in the sandbox."""
    folder.mkdir(parents=True, exist_ok=True)
    text = "".join(f"{name},{prefix}.{email}\n" for name, email in rows)
    (folder / "leads.csv").write_text("First Name,Email\n" + text, encoding="utf-8")
    operations = f"operations:\n  contacts: {operation}\n" if operation else ""
    (folder / "spec.yaml").write_text(
        f"specc: 1\nname: Leads {prefix}\n{operations}files:\n  - path: leads.csv\n"
        "    object: contacts\n    columns:\n      First Name: firstname\n"
        "      Email: {property: email, id: true}\n",
        encoding="utf-8",
    )


def plan(folder: Path, url: str) -> tuple[int, dict[str, Any]]:
    done = specc(folder, url, "plan", "spec.yaml", "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    return done.returncode, json.loads(done.stdout)


def imported(folder: Path, url: str) -> tuple[int, dict[str, Any]]:
    done = specc(folder, url, "import", "spec.yaml", "--yes", "--wait", "--format", "json")
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout)


def counted(document: dict[str, Any]) -> tuple[int, int, int]:
    (entry,) = document["plan"]["files"]
    assert entry["file"] == "leads.csv"
    return entry["create"], entry["update"], entry["fail"]


def row_errors(document: dict[str, Any]) -> list[tuple[int, str]]:
    return sorted(
        (d["data"]["line"], d["hubspot_error"])
        for d in document["diagnostics"]
        if d["data"] is not None and d["data"]["line"]
    )


ROWS = [("Ada", "ada@example.com"), ("Grace", "grace@example.com"), ("Alan", "alan@example.com")]


def test_import_then_plan_shows_updates_where_the_first_plan_showed_creates(
    sandbox_url: str, tmp_path: Path
) -> None:
    write(tmp_path, "upsert", None, ROWS)
    code, first = plan(tmp_path, sandbox_url)
    assert code == 0 and counted(first) == (3, 0, 0)

    code, done = imported(tmp_path, sandbox_url)
    assert code == 0, done
    counters = done["import"]["counters"]
    assert (counters["CREATED_OBJECTS"], counters["UPDATED_OBJECTS"]) == (3, 0)

    code, second = plan(tmp_path, sandbox_url)
    assert code == 0 and counted(second) == (0, 3, 0)
    code, again = imported(tmp_path, sandbox_url)
    assert code == 0
    counters = again["import"]["counters"]
    assert (counters["CREATED_OBJECTS"], counters["UPDATED_OBJECTS"]) == (0, 3)


def test_create_only_rows_are_predicted_at_their_lines_and_the_import_agrees(
    sandbox_url: str, tmp_path: Path
) -> None:
    write(tmp_path, "create", None, ROWS)
    assert imported(tmp_path, sandbox_url)[0] == 0
    # The same contacts and one new one, now with `operations: create`.
    write(tmp_path, "create", "create", [*ROWS[:2], ("Katherine", "kj@example.com"), ROWS[2]])
    code, predicted = plan(tmp_path, sandbox_url)
    assert code == 1
    assert counted(predicted) == (1, 0, 3)
    assert row_errors(predicted) == [
        (2, "CREATE_ONLY_IMPORT"),
        (3, "CREATE_ONLY_IMPORT"),
        (5, "CREATE_ONLY_IMPORT"),
    ]
    text = specc(tmp_path, sandbox_url, "plan", "spec.yaml")
    assert text.returncode == 1
    assert "leads.csv:2: error[SPC600] CREATE_ONLY_IMPORT: " in text.stdout
    assert "leads.csv: 4 rows: 1 create, 0 update, 3 fail (CREATE_ONLY_IMPORT 3)" in text.stdout

    code, done = imported(tmp_path, sandbox_url)
    assert code == 1  # HubSpot reported row errors
    counters = done["import"]["counters"]
    assert (counters["CREATED_OBJECTS"], counters["UPDATED_OBJECTS"], counters["ERRORS"]) == (
        1,
        0,
        3,
    )
    assert row_errors(done) == row_errors(predicted)


def test_update_only_rows_are_predicted_and_the_import_agrees(
    sandbox_url: str, tmp_path: Path
) -> None:
    write(tmp_path, "update", None, ROWS[:2])
    assert imported(tmp_path, sandbox_url)[0] == 0
    write(tmp_path, "update", "update", [ROWS[1], ("Nobody", "nobody@example.com"), ROWS[0]])
    code, predicted = plan(tmp_path, sandbox_url)
    assert code == 1 and counted(predicted) == (0, 2, 1)
    assert row_errors(predicted) == [(3, "UPDATE_ONLY_IMPORT")]
    code, done = imported(tmp_path, sandbox_url)
    counters = done["import"]["counters"]
    assert (counters["UPDATED_OBJECTS"], counters["ERRORS"]) == (2, 1)
    assert row_errors(done) == [(3, "UPDATE_ONLY_IMPORT")]


def test_hubspots_python_client_reads_the_imported_records_back(
    sandbox_url: str, tmp_path: Path
) -> None:
    import hubspot
    from hubspot.crm.objects import BatchReadInputSimplePublicObjectId, SimplePublicObjectId

    write(tmp_path, "client", None, ROWS[:2])
    assert imported(tmp_path, sandbox_url)[0] == 0
    api = hubspot.HubSpot(access_token=TOKEN, host=sandbox_url)
    wanted = ["client.ada@example.com", "CLIENT.Grace@example.com", "client.nobody@example.com"]
    by_email = api.crm.objects.batch_api.read(
        "contacts",
        BatchReadInputSimplePublicObjectId(
            inputs=[SimplePublicObjectId(id=e) for e in wanted],
            id_property="email",
            properties=["email", "firstname"],
            properties_with_history=[],
        ),
    )
    # A 207: two found, the third named in one OBJECT_NOT_FOUND error, as HubSpot answers.
    found = {r.properties["email"]: r.properties["firstname"] for r in by_email.results}
    assert found == {"client.ada@example.com": "Ada", "client.grace@example.com": "Grace"}
    (error,) = by_email.errors
    assert error.category == "OBJECT_NOT_FOUND"
    assert error.context == {"ids": ["client.nobody@example.com"]}

    ids = [r.id for r in by_email.results]
    by_id = api.crm.objects.batch_api.read(
        "0-1",
        BatchReadInputSimplePublicObjectId(
            inputs=[SimplePublicObjectId(id=i) for i in ids],
            properties=["email"],
            properties_with_history=[],
        ),
    )
    assert sorted(r.id for r in by_id.results) == sorted(ids)
    assert by_id.status == "COMPLETE" and by_id.results[0].created_at is not None
