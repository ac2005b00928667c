"""Writing a file so that readers see the old one or the new one, never half of one.

    replacing(path, mode=None)          a temporary path beside `path` to write into; renamed
                                        over `path` when the block ends well, removed if not
    create_beside(path), settle(...)    the same in two steps, for writes that outlive a block
    write_text_atomic(path, text, ...)  UTF-8 text, scrubbed of secrets, written so
    write_atomic(path, text)            the same, folders made, a failure an InputError

The one place specc replaces a file: reports (`-o`), catalog snapshots, drafted specs, fixed
copies of data files and of specs (through `replacing`, whatever their format) all go through
here, so each gets the same care: a temporary file in the target's own folder (a rename is
atomic only within one file system), its data synced before the rename, the permission bits a
plain open() would give, the folder synced after it, and no temporary file left by a failure.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from specc.errors import InputError


@contextlib.contextmanager
def replacing(path: Path, mode: int | None = None) -> Iterator[Path]:
    """A temporary path beside `path` to write the new file into (by any means: text, a
    CSV writer, a zip); when the block ends without an error it is synced and renamed over
    `path`, else removed.

    `mode` is the new file's permission bits; by default those a plain open() would give
    (0666 less the umask). Raises OSError; the temporary file never outlives a failure.
    """
    temp = create_beside(path)
    try:
        yield temp
        settle(temp, path, mode)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def create_beside(path: Path) -> Path:
    """A new, empty temporary file in `path`'s folder (a rename is atomic only within one
    file system), for writes that span more than one block (`specc check --rejects`).

    Created with mode 0666 so that the kernel applies the umask, as for a plain open():
    mkstemp would make it private (0600), and reading the umask means setting it, a
    process-wide change another thread could see half-done."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        temp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            os.close(os.open(temp, flags | getattr(os, "O_CLOEXEC", 0), 0o666))
        except FileExistsError:
            continue
        return temp
    raise FileExistsError(f"no free temporary name beside {path}")


def settle(temp: Path, path: Path, mode: int | None = None) -> None:
    """Sync the written `temp`, give it `mode` (if any) and rename it over `path`, then
    sync the folder. Raises OSError, and leaves `temp` to the caller, on failure."""
    # fsync on any descriptor of the file flushes its data: the rename below must not
    # become durable before the bytes it points at (an empty file after a power cut).
    with open(temp, "rb") as written:
        os.fsync(written.fileno())
    if mode is not None:
        os.chmod(temp, mode)
    os.replace(temp, path)
    _sync_folder(path.parent)


def _sync_folder(directory: Path) -> None:
    """Make the rename itself durable. Best effort: some systems cannot open a folder, or
    sync one, and the new file is in place whatever happens here."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    with contextlib.suppress(OSError):
        fd = os.open(directory, flags)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_text_atomic(path: Path, text: str, mode: int | None = None) -> None:
    """Write UTF-8 `text`, scrubbed of secrets, over `path` (see `replacing`; `mode` as
    there). Raises OSError; the temporary file never outlives a failure."""
    from specc.secrets import scrub

    # Every file specc writes passes the scrubber: an error answer that echoed the token
    # must not carry it into `specc errors -o` or a catalog snapshot.
    text = scrub(text)
    with replacing(path, mode) as temp, open(temp, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` atomically (write_text_atomic); a failure is an InputError.

    Missing parent folders are made, as for `specc schema spec -o .specc/spec.schema.json`.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, text)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from exc
