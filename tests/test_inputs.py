"""specc.inputs: only regular files are opened, never waiting, inside the roots, bounded."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from specc.errors import InputError
from specc.inputs import (
    InputRefused,
    check_regular_file,
    file_problem,
    input_roots,
    open_input,
    read_input,
)

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
needs_dev_zero = pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")


def finishes(action: Callable[[], Any], seconds: float = 5.0) -> BaseException | None:
    """Run `action` in a thread; what it raised (None if nothing). Fails if it does not end.

    The thread is a daemon: a FIFO that blocks it must not also block pytest's exit.
    """
    outcome: dict[str, BaseException | None] = {}

    def run() -> None:
        try:
            action()
            outcome["raised"] = None
        except BaseException as exc:  # handed to the test
            outcome["raised"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still blocked after {seconds} s"
    return outcome["raised"]


def refusal(action: Callable[[], Any]) -> InputRefused:
    raised = finishes(action)
    assert isinstance(raised, InputRefused), raised
    return raised


@needs_fifo
def test_a_fifo_is_refused_at_once_without_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "catalog.json"
    os.mkfifo(fifo)
    for action in (
        lambda: open_input(fifo),
        lambda: read_input(fifo, max_bytes=100),
        lambda: check_regular_file(fifo),
    ):
        refused = refusal(action)
        assert refused.kind == "not_regular"
        assert refused.message == f"{fifo}: is a FIFO (named pipe), not a regular file"
    assert file_problem(fifo) == "is a FIFO (named pipe), not a regular file"


@needs_dev_zero
def test_dev_zero_is_refused_unread() -> None:
    refused = refusal(lambda: read_input(Path("/dev/zero"), max_bytes=1 << 30))
    assert refused.kind == "not_regular"
    assert "character device" in refused.reason
    assert isinstance(refused, InputError)  # uncaught, it is exit 2


def test_a_folder_is_refused(tmp_path: Path) -> None:
    refused = refusal(lambda: open_input(tmp_path, shown="data"))
    assert (refused.kind, refused.message) == (
        "not_regular",
        "data: is a folder, not a regular file",
    )
    assert refused.hint and "regular files" in refused.hint


def test_a_socket_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a socket's path must be short
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.bind("leads.csv")
        assert refusal(lambda: open_input(Path("leads.csv"))).reason.startswith("is a socket")


def test_a_missing_file(tmp_path: Path) -> None:
    refused = refusal(lambda: read_input(tmp_path / "nope.json", max_bytes=10, shown="nope.json"))
    assert (refused.kind, refused.message) == ("missing", "nope.json: does not exist")
    assert file_problem(tmp_path / "nope.json") is None  # the reader reports it its own way


def test_a_link_out_of_the_roots_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.json").write_text("CANARY", "utf-8")
    work = tmp_path / "work"
    work.mkdir()
    (work / "catalog.json").symlink_to(outside / "secret.json")
    roots = input_roots(work)
    refused = refusal(lambda: read_input(work / "catalog.json", max_bytes=100, roots=roots))
    assert refused.kind == "outside"
    assert str(outside / "secret.json") in refused.message
    assert "CANARY" not in refused.message
    assert refused.hint == f"run specc from a folder that contains it, or add --data-root {outside}"
    # The same path climbing out with ../ is refused too.
    climbing = work / ".." / "outside" / "secret.json"
    assert refusal(lambda: open_input(climbing, roots=roots)).kind == "outside"


def test_a_link_inside_the_roots_is_read(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "real.json").write_bytes(b"{}")
    (tmp_path / "link.json").symlink_to(tmp_path / "data" / "real.json")
    assert read_input(tmp_path / "link.json", max_bytes=2, roots=input_roots(tmp_path)) == b"{}"


def test_a_data_root_allows_its_folder(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "c.json").write_bytes(b"[]")
    work = tmp_path / "work"
    work.mkdir()
    path = tmp_path / "shared" / "c.json"
    assert refusal(lambda: open_input(path, roots=input_roots(work))).kind == "outside"
    # --data-root is relative to the working directory.
    roots = input_roots(work, [Path("../shared")])
    assert roots == (work.resolve(), (tmp_path / "shared").resolve())
    assert read_input(path, max_bytes=2, roots=roots) == b"[]"


def test_exactly_at_the_cap_is_read_one_byte_more_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_bytes(b"x" * 1024)
    assert read_input(path, max_bytes=1024) == b"x" * 1024
    refused = refusal(lambda: read_input(path, max_bytes=1023, size_hint="pull less"))
    assert refused.kind == "too_large"
    assert refused.message == f"{path}: is larger than 1023 bytes"
    assert refused.hint == "pull less"
    with path.open("wb") as sparse:
        sparse.truncate(64 * 1024 * 1024 + 1)
    assert refusal(lambda: read_input(path, max_bytes=64 << 20)).reason == "is larger than 64 MiB"


@pytest.mark.skipif(not Path("/proc/self/maps").is_file(), reason="no /proc")
def test_a_file_longer_than_its_size_says_is_read_only_to_the_cap() -> None:
    # /proc files claim a size of 0 and hold more: the read itself must stop at the cap.
    path = Path("/proc/self/maps")
    assert os.stat(path).st_size == 0
    assert refusal(lambda: read_input(path, max_bytes=16)).kind == "too_large"


def test_an_unreadable_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = tmp_path / "c.json"
    path.write_bytes(b"{}")
    path.chmod(0)
    refused = refusal(lambda: read_input(path, max_bytes=10))
    assert (refused.kind, refused.reason) == ("unreadable", "cannot be read (permission denied)")


def test_what_is_opened_is_a_plain_blocking_file(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_bytes(b"Email\na@b.co\n")
    with open_input(path) as handle:
        assert os.get_blocking(handle.fileno())
        assert handle.readline() == b"Email\n"
        assert handle.read() == b"a@b.co\n"


def test_a_link_changed_between_resolving_and_opening_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As if the link was pointed elsewhere after its target was found inside the roots.
    (tmp_path / "checked.json").write_bytes(b"{}")
    (tmp_path / "opened.json").write_bytes(b"[]")
    monkeypatch.setattr("specc.inputs.real_path", lambda _: tmp_path / "checked.json")
    refused = refusal(lambda: open_input(tmp_path / "opened.json", roots=(tmp_path,)))
    assert (refused.kind, refused.reason) == ("outside", "changed while it was being opened")
