"""`specc diff SPEC --against-import ID` against a past import on the sandbox, over real HTTP:
the sandbox runs as `specc sandbox --port 0`, an example is imported with `specc import --yes`,
then the spec and a changed spec are compared with that import's importRequestJson."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sandbox_process import running_sandbox

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "sandbox-diff-token"
pytestmark = pytest.mark.xdist_group("diff-against-import")  # one sandbox and import for the module


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


@pytest.fixture(scope="module")
def imported(sandbox_url: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The contacts-create example, imported once: (its folder, the import id)."""
    folder = tmp_path_factory.mktemp("diff") / "contacts-create"
    shutil.copytree(ROOT / "examples" / "contacts-create", folder)
    done = specc(folder, sandbox_url, "import", "spec.yaml", "--yes", "--wait")
    assert done.returncode == 0, done.stderr
    found = re.search(r"^import (\d+) started", done.stdout, re.MULTILINE)
    assert found, done.stdout
    return folder, found.group(1)


CHANGED = """\
specc: 1
name: November Marketing Event Leads
date_format: DAY_MONTH_YEAR
operations:
  contacts: upsert
files:
  - path: Nov-event-leads.csv
    object: contacts
    columns:
      First Name: firstname
      Last Name: hs_lastname
      Email: {property: email, id: true}
      Phone: phone
"""


def test_the_spec_of_an_import_is_the_same_request(
    imported: tuple[Path, str], sandbox_url: str
) -> None:
    folder, import_id = imported
    result = specc(folder, sandbox_url, "diff", "spec.yaml", "--against-import", import_id)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"the same request as import {import_id}, as HubSpot reads it\n"


def test_a_changed_spec_names_each_change_against_the_import(
    imported: tuple[Path, str], sandbox_url: str
) -> None:
    folder, import_id = imported
    (folder / "changed.yaml").write_text(CHANGED, encoding="utf-8")
    result = specc(folder, sandbox_url, "diff", "changed.yaml", "--against-import", import_id)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "changed.yaml:5:3: ~ operation of contacts CREATE -> UPSERT",
        'changed.yaml:11:7: ~ Nov-event-leads.csv: column "Last Name": '
        "property lastname -> hs_lastname",
        'changed.yaml:13:7: + Nov-event-leads.csv: column "Phone": property phone of contacts',
        f"3 changes against import {import_id}",
    ]
    as_json = specc(
        folder,
        sandbox_url,
        "diff",
        "changed.yaml",
        "--against-import",
        import_id,
        "--format",
        "json",
    )
    assert as_json.returncode == 1
    document = json.loads(as_json.stdout)
    assert document["same"] is False and document["against"] == {"import": import_id}
    assert [(c["field"], c["before"], c["after"]) for c in document["changes"]] == [
        ("operation", "CREATE", "UPSERT"),
        ("property", "lastname", "hs_lastname"),
        ("column", None, {"object": "0-1", "property": "phone"}),
    ]


def test_an_import_that_does_not_exist_cannot_be_compared(
    imported: tuple[Path, str], sandbox_url: str
) -> None:
    folder, _ = imported
    result = specc(folder, sandbox_url, "diff", "spec.yaml", "--against-import", "99")
    # 2, not 1: a pipeline reads 1 as "the spec changed".
    assert result.returncode == 2
    assert result.stdout == ""
    assert "specc: error: cannot compare: HubSpot refused to get import 99 (HTTP 404" in (
        result.stderr
    )
