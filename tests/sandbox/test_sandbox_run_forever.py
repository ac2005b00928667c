"""`specc sandbox` and the `run_forever` it calls: a real process, its first line, Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from specc.errors import InputError, UsageError
from specc.sandbox import run_forever


def start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "specc", "sandbox", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def stop(process: subprocess.Popen[str]) -> str:
    """Ctrl-C; what the sandbox wrote after its first line (it stops cleanly: exit 0)."""
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    return out


def test_the_base_url_comes_first_and_flushed_and_ctrl_c_stops_it() -> None:
    process = start(env={"SPECC_SANDBOX_FAULTS": "list:rate_limit:1:retry_after=2"})
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()  # would block if not flushed at once
        assert base_url.startswith("http://127.0.0.1:")
        headers = {"Authorization": "Bearer anything"}
        first = httpx.get(f"{base_url}/crm/v3/imports", headers=headers, timeout=5)
        assert first.status_code == 429 and first.headers["Retry-After"] == "2"
        assert httpx.get(f"{base_url}/crm/v3/imports", headers=headers, timeout=5).json() == {
            "results": []
        }
    finally:
        out = stop(process)
    assert out == ""  # the base URL is all the sandbox writes to stdout


def test_sigterm_stops_it_cleanly() -> None:
    process = start()
    assert process.stdout is not None
    assert process.stdout.readline().startswith("http://")
    process.terminate()
    out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert out == ""


def test_a_catalog_file_is_served(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.json"
    catalog.write_text(
        '{"catalog": 1, "objects": [{"objectTypeId": "0-1", "name": "contacts", "properties": '
        '[{"name": "favourite_colour", "type": "string", "fieldType": "text"}]}]}',
        encoding="utf-8",
    )
    process = start("--catalog", str(catalog))
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        response = httpx.get(
            f"{base_url}/crm/v3/properties/contacts",
            headers={"Authorization": "Bearer x"},
            timeout=5,
        )
        assert [p["name"] for p in response.json()["results"]] == ["favourite_colour"]
    finally:
        stop(process)


def test_a_bad_fault_plan_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="bad sandbox fault plan"):
        run_forever(0, faults="create:explode")
    with pytest.raises(UsageError, match="bad sandbox fault plan"):
        run_forever(0, environ={"SPECC_SANDBOX_FAULTS": "nowhere:drop"})


def test_a_missing_catalog_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot serve the catalog"):
        run_forever(0, tmp_path / "nope.json")


def test_a_busy_port_is_a_usage_error() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(UsageError, match=f"cannot listen on 127.0.0.1:{port}"):
            run_forever(port)


def test_debug_shows_the_sandbox_log_on_stderr_and_stdout_stays_the_url() -> None:
    process = start("--debug")
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:")
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert out == ""
    assert f"specc.sandbox: listening on {base_url}, serving the bundled catalog" in err


def test_without_debug_the_sandbox_logs_nothing() -> None:
    process = start()
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("http://")
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert out == "" and err == ""
