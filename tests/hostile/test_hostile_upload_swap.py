"""`specc import` whose data file is swapped while it uploads: the real CLI, a server on
127.0.0.1 that plays along.

The server answers the first upload with 429 (HubSpot's rate limit: nothing was created, so
sending again is safe) and, before answering, puts a FIFO or a link to a file outside the
project where the data file was. specc's second attempt opens the file again, as it must, and
finds what a hostile neighbour left: it refuses it (exit 2, "cannot read ...") at once,
without hanging on the FIFO and without sending the file the link leads to.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Callable
from pathlib import Path

import hostile_http as h
import pytest
from hostile_kit import DEFAULT_MEMORY_MIB, run_specc

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TOKEN = "pat-na1-5e1f0a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
ENV = {
    "HUBSPOT_ACCESS_TOKEN": TOKEN,
    "SPECC_RETRY_ATTEMPTS": "3",
    "SPECC_RETRY_BASE": "0.01",
    "SPECC_RETRY_CAP": "0.05",
}
DATA = "Nov-event-leads.csv"
SECRET = b"SECRET-ROW-never-to-be-sent"

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


def to_fifo(data: Path, outside: Path) -> None:
    data.unlink()
    os.mkfifo(data)


def to_link_outside(data: Path, outside: Path) -> None:
    secret = outside / "secret.csv"
    secret.write_bytes(b"First Name,Last Name,Email\n" + SECRET + b",x,secret@example.com\n")
    data.unlink()
    data.symlink_to(secret)


SWAPS: dict[str, tuple[Callable[[Path, Path], None], str]] = {
    "fifo": (to_fifo, f"cannot read {DATA}: is a FIFO (named pipe), not a regular file"),
    "link-outside": (to_link_outside, f"cannot read {DATA}: resolves to "),
}


def swapping_on_first_upload(swap: Callable[[], None]) -> h.Behaviour:
    def behave(conn: socket.socket, request: h.Request, server: h.Server) -> None:
        if request.method == "POST" and len(server.requests) == 1:
            swap()
            h.answer(
                conn,
                "429 Too Many Requests",
                b'{"status": "error", "message": "You have reached your secondly limit.", '
                b'"category": "RATE_LIMITS"}',
                Retry_After="0",
            )
            return
        # A second upload must never come; anything else asked is answered as nothing.
        h.answer(conn, "200 OK", b'{"results": []}')

    return behave


@pytest.mark.parametrize("kind", SWAPS)
def test_import_refuses_a_data_file_swapped_between_two_attempts(kind: str, tmp_path: Path) -> None:
    swap, message = SWAPS[kind]
    work = tmp_path / "project"
    shutil.copytree(EXAMPLES / "contacts-create", work)
    outside = tmp_path / "outside"
    outside.mkdir()
    with h.serving(swapping_on_first_upload(lambda: swap(work / DATA, outside))) as server:
        code, out, err, _, peak, timed_out = run_specc(
            ["import", "spec.yaml", "--yes", "--base-url", server.base_url],
            work,
            env=ENV,
            seconds=20,
        )
    assert not timed_out, f"specc import still running after 20 s (the FIFO?)\n{err[-2000:]}"
    assert code == 2, f"exit {code}\n{out[-1000:]}\n{err[-2000:]}"
    assert message in err, err[-2000:]
    assert "Traceback" not in out + err and TOKEN not in out + err
    assert peak < DEFAULT_MEMORY_MIB
    # The first attempt went out (and was refused by the rate limit); no second one did.
    posts = [r for r in server.requests if r.method == "POST"]
    assert len(posts) == 1
    assert all(SECRET not in r.body for r in server.requests)
