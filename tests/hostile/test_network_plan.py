"""Hostile answers to `specc plan`'s batch reads, and hostile batch reads sent to the sandbox.

`specc plan` runs as a process against a small server that answers the CRM objects' batch
read badly on purpose: bodies without end, a byte every 0.2 s, garbage, JSON too deep or too
many values, a `results` that is no list, 429s asking for a day's wait, records that match
nothing asked. Each run ends with exit 2, within 20 s, under 1 GiB, without a traceback,
naming what went wrong. The sandbox's own batch read meets oversized, endless and deep bodies.
"""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Callable
from pathlib import Path

import hostile_http as h
import httpx
import pytest
from hostile_kit import DEFAULT_MEMORY_MIB, run_specc

from specc.sandbox import serve

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "contacts-create"
TOKEN = "pat-na1-0a1b2c3d-plan-hostile-4e5f6a7b8c9d"
ANSWER_SECONDS = 1.0
ENV = {
    "HUBSPOT_ACCESS_TOKEN": TOKEN,
    "SPECC_ANSWER_TIMEOUT": str(ANSWER_SECONDS),
    "SPECC_RETRY_ATTEMPTS": "2",
    "SPECC_RETRY_BASE": "0.01",
    "SPECC_RETRY_CAP": "0.05",
}


def plan_against(server: h.Server, work: Path) -> tuple[int, str, str, float]:
    shutil.copytree(EXAMPLE, work / "example")
    code, out, err, seconds, peak, timed_out = run_specc(
        ["plan", "example/spec.yaml", "--base-url", server.base_url], work, env=ENV, seconds=20
    )
    assert not timed_out, f"specc plan still running after 20 s\n{err[-2000:]}"
    assert peak < DEFAULT_MEMORY_MIB, f"specc plan peaked at {peak:.0f} MiB"
    assert "Traceback" not in out + err, err[-3000:]
    assert TOKEN not in out + err
    assert server.requests and server.requests[0].path.endswith("/batch/read")
    return code, out, err, seconds


# 14 MB: under the 32 MiB a batch answer may take, over the values any answer may hold.
TOO_MANY_VALUES = b'{"results": [' + b",".join([b"0"] * 7_000_000) + b"]}"


def too_many_values(conn: socket.socket, request: h.Request, server: h.Server) -> None:
    h.answer(conn, "200 OK", TOO_MANY_VALUES)


def wait_a_day(conn: socket.socket, request: h.Request, server: h.Server) -> None:
    h.answer(conn, "429 Too Many Requests", b'{"category": "RATE_LIMITS"}', Retry_After="86400")


def strangers(conn: socket.socket, request: h.Request, server: h.Server) -> None:
    """Records the request never asked for, with properties of every wrong shape."""
    results = [
        {"id": "1", "properties": {"email": "someone.else@example.com"}},
        {"id": "", "properties": {"email": "ada@example.com"}},
        {"id": "2", "properties": "not an object"},
        {"id": "3"},
        "not a record",
        {"id": "4", "properties": {"email": ["a", "list"]}},
    ]
    h.answer(conn, "207 Multi-Status", json.dumps({"results": results, "errors": 7}).encode())


CASES: dict[str, tuple[Callable[..., None], int, str]] = {
    "chunked-forever": (h.endless_chunked, 2, "is larger than 32 MiB"),
    "2GB-content-length": (h.huge_length, 2, "larger than 32 MiB (it announces 2 GiB)"),
    "gzip-bomb": (h.gzip_bomb, 2, "is larger than 32 MiB"),
    "trickle": (h.trickle, 2, f"did not finish its answer within {ANSWER_SECONDS:g} s"),
    "html-page": (h.body_of(b"<html>hi</html>", content_type="text/html"), 2, "is not JSON"),
    "200000-brackets": (h.body_of(b"[" * 200_000), 2, "nests deeper than 64 levels"),
    "7-million-values": (too_many_values, 2, "more than 4,000,000 values"),
    "results-not-a-list": (h.body_of(b'{"results": "all of them"}'), 2, "not a batch read"),
    "429-for-a-day": (wait_a_day, 2, "HTTP 429"),
}


@pytest.mark.parametrize("kind", CASES)
def test_network_plan_hostile_batch_read_ends_cleanly(kind: str, tmp_path: Path) -> None:
    behaviour, exit_code, text = CASES[kind]
    with h.serving(behaviour) as server:
        code, _, err, seconds = plan_against(server, tmp_path)
    assert code == exit_code, err[-2000:]
    assert text in err, err[-2000:]
    assert seconds < 15


def test_network_plan_records_nobody_asked_for_match_nothing(tmp_path: Path) -> None:
    with h.serving(strangers) as server:
        code, out, err, _ = plan_against(server, tmp_path)
    # Nothing the answer says names a record of the file: every row creates.
    assert code == 0, err[-2000:]
    assert "5 rows: 5 create, 0 update, 0 fail" in out


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"[" * 500_000 + b"]" * 500_000, 400),  # under the body bound, too deep to parse
        (b'{"inputs": [' + b'{"id": "x"},' * 150_000 + b'{"id": "x"}]}', 400),  # over 1 MiB
    ],
    ids=["deep", "over-1-MiB"],
)
def test_sandbox_hostile_batch_read_bodies_are_400s(body: bytes, status: int) -> None:
    with serve() as sandbox:
        answer = httpx.post(
            sandbox.base_url + "/crm/v3/objects/contacts/batch/read",
            headers={"Authorization": "Bearer x"},
            content=body,
            timeout=10,
        )
        assert answer.status_code == status
        assert answer.json()["category"] == "VALIDATION_ERROR"
        assert sandbox.failures == []
