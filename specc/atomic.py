"""Writing a file so that readers see the old one or the new one, never half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from specc.errors import InputError


def write_text_atomic(path: Path, text: str, mode: int | None = None) -> None:
    """Write UTF-8 `text`, scrubbed of secrets, to a temporary file beside `path`, then rename
    it over `path`.

    `mode` is the new file's permission bits; by default those a plain open() would give
    (0666 less the umask), since mkstemp makes every file private (0600). Raises OSError;
    the temporary file never outlives a failure.
    """
    from specc.secrets import scrub

    # Every file specc writes passes the scrubber: an error answer that echoed the token
    # must not carry it into `specc errors -o` or a catalog snapshot.
    text = scrub(text)
    directory = path.parent if str(path.parent) else Path(".")
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` atomically (write_text_atomic); a failure is an InputError.

    Missing parent folders are made, as for `specc schema spec -o .specc/spec.schema.json`.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, text)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from exc
