"""`specc import` of a file over HubSpot's per-file limits, end to end: the real CLI against
`specc sandbox` in a child process, over HTTP. Both sides read the lowered limits from
SPECC_MAX_FILE_ROWS and SPECC_MAX_FILE_BYTES (1,000 rows, 40,000 bytes here)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from sandbox_process import running_sandbox

LIMITS = {"SPECC_MAX_FILE_ROWS": "1000", "SPECC_MAX_FILE_BYTES": "40000"}
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


def big_csv(rows: int, prefix: str = "p") -> str:
    lines = ["Email,First Name,Notes\n"]
    for i in range(1, rows + 1):
        notes = f'"first line\nsecond, of {i}"' if i % 7 == 0 else f"note {i}"
        lines.append(f"{prefix}{i}@example.com,Ann {i},{notes}\n")
    return "".join(lines)


@pytest.fixture(scope="module")
def sandbox_url() -> Iterator[str]:
    saved = {name: os.environ.get(name) for name in LIMITS}
    os.environ.update(LIMITS)  # the child sandbox inherits them
    try:
        with running_sandbox() as url:
            yield url
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def specc(cwd: Path, url: str, *args: str, limits: bool = True) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HUBSPOT_ACCESS_TOKEN": "split-token",
        "SPECC_BASE_URL": url,
        "SPECC_POLL_INTERVAL": "0.02",
        "SPECC_POLL_CAP": "0.1",
    }
    for name in LIMITS:
        env.pop(name, None)
    if limits:
        env.update(LIMITS)
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [sys.executable, "-m", "specc", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def project(folder: Path, rows: int, prefix: str = "p") -> Path:
    (folder / "spec.yaml").write_text(SPEC)
    (folder / "big.csv").write_text(big_csv(rows, prefix), newline="")
    return folder


def test_import_wait_sends_parts_and_adds_them_up(tmp_path: Path, sandbox_url: str) -> None:
    folder = project(tmp_path, 2500)
    done = specc(folder, sandbox_url, "import", "spec.yaml", "--yes", "--wait", "--format", "json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    imports = document["imports"]
    count = len(imports)
    assert count >= 3
    assert [i["name"] for i in imports] == [
        f"Big list (part {k} of {count})" for k in range(1, count + 1)
    ]
    assert all(i["state"] == "DONE" for i in imports)
    assert document["totals"]["TOTAL_ROWS"] == 2500
    assert sum(i["counters"]["TOTAL_ROWS"] for i in imports) == 2500
    assert all(i["counters"]["TOTAL_ROWS"] <= 1000 for i in imports)
    assert f"sent as {count} imports, one after another" in done.stderr
    # The check said so first, as a note.
    checked = specc(folder, sandbox_url, "check", "spec.yaml")
    assert checked.returncode == 0
    assert "info[SPC472]" in checked.stdout and f"in {count} parts" in checked.stdout


def test_without_splitting_the_refusal_is_sent_once_and_explained(
    tmp_path: Path, sandbox_url: str
) -> None:
    """specc told nothing of the sandbox's lower limits: it sends the whole file, the sandbox
    answers 429, and specc says so without sending it again."""
    folder = project(tmp_path, 1200, prefix="q")
    before = json.loads(specc(folder, sandbox_url, "imports", "--format", "json").stdout)
    done = specc(folder, sandbox_url, "import", "spec.yaml", "--yes", limits=False)
    assert done.returncode == 1
    assert "SPC473" in done.stdout + done.stderr
    assert "trying again" not in done.stderr  # no retry of the same file
    after = json.loads(specc(folder, sandbox_url, "imports", "--format", "json").stdout)
    assert len(after) == len(before)


def test_a_spec_of_two_files_over_the_limit_sends_nothing(tmp_path: Path, sandbox_url: str) -> None:
    folder = project(tmp_path, 1200, prefix="r")
    (folder / "small.csv").write_text(big_csv(3, prefix="s"))
    (folder / "spec.yaml").write_text(
        SPEC + "  - path: small.csv\n    object: contacts\n    columns:\n"
        "      Email: {property: email, id: true}\n      First Name: firstname\n"
        "      Notes: message\n"
    )
    before = json.loads(specc(folder, sandbox_url, "imports", "--format", "json").stdout)
    done = specc(folder, sandbox_url, "import", "spec.yaml", "--yes", "--no-check")
    assert done.returncode == 1
    assert "SPC470" in done.stdout + done.stderr and "nothing was sent" in done.stdout + done.stderr
    after = json.loads(specc(folder, sandbox_url, "imports", "--format", "json").stdout)
    assert len(after) == len(before)


def test_emit_of_a_file_over_the_limit_sends_its_parts_from_python_and_nothing_else(
    tmp_path: Path, sandbox_url: str
) -> None:
    """An emitted command sends the file whole, which HubSpot (the sandbox here) refuses
    over the limits: curl, httpie and the request summary write nothing and say so; the
    Python script sends the parts, one import each, as `specc import` does."""
    folder = project(tmp_path, 2500, prefix="e")
    curl = folder / "upload.sh"
    refused = specc(folder, sandbox_url, "emit", "spec.yaml", "--as", "curl", "-o", str(curl))
    assert refused.returncode == 1
    assert "error[SPC474]" in refused.stderr
    assert "2,500 data rows (HubSpot takes 1,000 per file)" in refused.stderr
    found = re.search(r"`specc import` sends it in (\d+) parts", refused.stderr)
    assert found is not None
    count = int(found.group(1))
    assert not curl.exists()

    script = folder / "upload.py"

    def imports() -> list[dict[str, Any]]:
        listed = specc(folder, sandbox_url, "imports", "--format", "json")
        return cast("list[dict[str, Any]]", json.loads(listed.stdout))

    def emit_python(limits: bool) -> None:
        done = specc(
            folder, sandbox_url, "emit", "spec.yaml", "--as", "python",
            "--base-url", sandbox_url, "-o", str(script), limits=limits,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr

    def run_script() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(script)],
            cwd=folder,
            env={**os.environ, "HUBSPOT_ACCESS_TOKEN": "split-token"},
            capture_output=True,
            text=True,
            timeout=60,
        )

    before = imports()
    emit_python(limits=True)
    sent = run_script()
    assert sent.returncode == 0, sent.stderr
    assert f"part {count} of {count}: import" in sent.stderr
    after = imports()
    known = {b["id"] for b in before}
    new = [i["importName"] for i in after if i["id"] not in known]
    assert sorted(new) == sorted(f"Big list (part {k} of {count})" for k in range(1, count + 1))
    # Every row of the file was sent once: the parts' imports count 2,500 rows in all.
    deadline = time.monotonic() + 60
    while True:
        parts = [i for i in imports() if i["id"] not in known]
        if all(i["state"] == "DONE" for i in parts) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert all(i["state"] == "DONE" for i in parts)
    assert sum(i["metadata"]["counters"]["TOTAL_ROWS"] for i in parts) == 2500

    # The byte ranges belong to the file as it was: changed, nothing is sent.
    with (folder / "big.csv").open("a") as data:
        data.write("late@example.com,Late,note\n")
    stale = run_script()
    assert stale.returncode != 0
    assert "changed since this script was written" in stale.stderr
    assert len(imports()) == len(after)

    # What a specc unaware of the limits emits sends the file whole: the server that has
    # them refuses it, and nothing is imported.
    emit_python(limits=False)
    refused_whole = run_script()
    assert refused_whole.returncode != 0
    assert "429" in refused_whole.stdout + refused_whole.stderr
    assert len(imports()) == len(after)
    # Under the limits every form writes its script as before.
    (tmp_path / "small").mkdir()
    small = project(tmp_path / "small", 200, prefix="m")
    fine = specc(small, sandbox_url, "emit", "spec.yaml", "--as", "curl")
    assert fine.returncode == 0, fine.stderr
    assert fine.stdout.startswith("#!/bin/sh")


def test_from_part_sends_the_rest_once_the_earlier_parts_are_imported(
    tmp_path: Path, sandbox_url: str
) -> None:
    folder = project(tmp_path, 2500, prefix="r")
    # A spec name of its own, so that this sandbox's other imports are not taken for its parts.
    spec = folder / "spec.yaml"
    spec.write_text(SPEC.replace("name: Big list", "name: Resumed list"))
    # Part 1 was never imported: nothing is sent.
    refused = specc(folder, sandbox_url, "import", "spec.yaml", "--yes", "--from-part", "2")
    assert refused.returncode == 1, refused.stderr
    found = re.search(r"sent as (\d+) imports", refused.stderr)
    assert found is not None, refused.stderr
    count = int(found.group(1))
    assert "error[SPC531]" in refused.stdout
    assert f'part 1 of {count} ("Resumed list (part 1 of {count})") is not imported' in (
        refused.stdout
    )
    assert f"parts 2 to {count} now (part 1 must be imported already" in refused.stderr
    assert "Resumed list (part" not in specc(folder, sandbox_url, "imports").stdout
    # Once it is (the whole file, here), the parts from 2 on go again, and only they.
    assert specc(folder, sandbox_url, "import", "spec.yaml", "--yes", "--wait").returncode == 0
    done = specc(folder, sandbox_url, "import", "spec.yaml", "--yes", "--wait", "--from-part", "2")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"parts 2 to {count} of {count}:" in done.stdout
    sent = re.findall(rf'^import \d+: "Resumed list \(part (\d) of {count}\)"', done.stdout, re.M)
    assert sent == [str(k) for k in range(2, count + 1)], done.stdout


@pytest.mark.parametrize(
    ("rows", "part", "says"),
    [
        (10, "2", "this spec's upload goes whole"),
        (2500, "9", "--from-part 9: the file goes in"),
        (2500, "0", "0 is not in the range x>=1"),
    ],
)
def test_from_part_out_of_range_is_a_usage_error(
    tmp_path: Path, sandbox_url: str, rows: int, part: str, says: str
) -> None:
    folder = project(tmp_path, rows, prefix="s")
    done = specc(folder, sandbox_url, "import", "spec.yaml", "--yes", "--from-part", part)
    assert done.returncode == 2
    assert says in done.stderr
    assert "Traceback" not in done.stderr


def test_the_python_script_sends_the_rest_from_a_part_once_the_earlier_are_imported(
    tmp_path: Path, sandbox_url: str
) -> None:
    folder = project(tmp_path, 2500, prefix="t")
    (folder / "spec.yaml").write_text(SPEC.replace("name: Big list", "name: Script list"))
    script = folder / "upload.py"
    emitted = specc(
        folder, sandbox_url, "emit", "spec.yaml", "--as", "python", "--base-url", sandbox_url,
        "-o", str(script),
    )  # fmt: skip
    assert emitted.returncode == 0, emitted.stderr

    def run_script(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(script), *args],
            cwd=folder,
            env={**os.environ, "HUBSPOT_ACCESS_TOKEN": "split-token"},
            capture_output=True,
            text=True,
            timeout=60,
        )

    def names() -> list[str]:
        listed = json.loads(specc(folder, sandbox_url, "imports", "--format", "json").stdout)
        return sorted(i["importName"] for i in listed if i["importName"].startswith("Script"))

    assert run_script("--from-part", "x").returncode != 0
    refused = run_script("--from-part", "2")
    assert refused.returncode != 0
    assert "part 1 of" in refused.stderr and "start from it: --from-part 1" in refused.stderr
    assert names() == []
    assert run_script().returncode == 0
    whole = names()
    count = len(whole)
    assert count >= 3
    rest = run_script("--from-part", "2")
    assert rest.returncode == 0, rest.stderr
    after = names()
    again = {n for n in after if after.count(n) > whole.count(n)}
    assert again == {f"Script list (part {k} of {count})" for k in range(2, count + 1)}
