"""Opening input files: the one bounded, confined way specc opens a file it reads.

    input_roots(cwd, data_roots, spec_dir)    the real folders a spec's paths may lead into
    real_path(path), within(real, roots)      where a path really leads; whether that is allowed
    file_problem(path)                        why a path cannot be read as a regular file, or None
    near_match(path)                          "did you mean 'contacts.csv'?" for a missing file
    check_regular_file(path)                  raises InputRefused unless it is a regular file
    open_input(path, roots=...)               a binary file object, opened without blocking
    read_input(path, max_bytes=..., ...)      a whole file, at most `max_bytes`

Every input is opened with O_NONBLOCK, so that a FIFO cannot hang specc waiting for a writer,
and judged by fstat() on the open descriptor rather than by a check before opening: the file
read is the file checked. Only regular files are read; a FIFO, a device (`/dev/zero` never
ends), a socket or a folder is refused at once. With `roots`, the path's real location (links
followed) must lie inside one of them, and it must still be the file that was opened.

Refusals are `InputRefused` (an `InputError`: exit 2 when nothing catches it), whose `kind`
lets a caller turn it into its own diagnostic.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO, Literal

from specc.errors import InputError

Kind = Literal["missing", "not_regular", "outside", "too_large", "unreadable"]

# Opening never waits (FIFOs) and never makes a terminal specc's controlling one.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_OPEN_FLAGS |= getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


class InputRefused(InputError):
    """An input file specc will not read.

    `reason` completes a sentence whose subject is the file ("is a FIFO, not a regular file",
    "does not exist"); `kind` says which refusal it is, for callers that report each their way.
    """

    def __init__(self, shown: str, kind: Kind, reason: str, hint: str | None = None) -> None:
        super().__init__(f"{shown}: {reason}", hint)
        self.shown = shown
        self.kind: Kind = kind
        self.reason = reason


# --- where inputs may live -------------------------------------------------------------------


def input_roots(
    cwd: Path, data_roots: Iterable[Path | str] = (), spec_dir: Path | None = None
) -> tuple[Path, ...]:
    """The folders a spec's files may live in, links followed: the working directory, each
    `--data-root` (relative ones from the working directory) and, given a spec, the spec's own
    folder (spec-format.md: data beside the spec is the spec's own; `specc lint
    ../elsewhere/spec.yaml` reads it). Everything else stays out of reach."""
    base = Path(os.path.normpath(cwd))
    folders = [base, *data_roots, *([spec_dir] if spec_dir is not None else [])]
    roots: list[Path] = []
    for folder in folders:
        real = real_path(base / folder)
        if real not in roots:
            roots.append(real)
    return tuple(roots)


def real_path(path: Path) -> Path:
    """The absolute path with every link followed; a path in a link loop is judged as written."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.normpath(path.absolute()))


def within(real: Path, roots: Sequence[Path]) -> bool:
    """Whether a real path lies inside one of the (real) roots."""
    return any(real.is_relative_to(root) for root in roots)


ROOTS_WORDS = "outside the working directory, the spec's folder and every --data-root"


def roots_hint(real: Path) -> str:
    return f"run specc from a folder that contains it, or add --data-root {real.parent}"


# --- what a path is --------------------------------------------------------------------------


def describe_mode(mode: int) -> str | None:
    """What keeps a file of this mode from being read whole, as a predicate; None: regular."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a regular file"
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe), not a regular file"
    if stat.S_ISCHR(mode):
        return "is a character device, not a regular file"
    if stat.S_ISBLK(mode):
        return "is a block device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    return "is not a regular file"


def file_problem(path: Path) -> str | None:
    """Why `path` (links followed) is not a regular file; None when it is one, and when it
    cannot be looked at (missing, no permission): whoever reads it reports that its own way.

    Looks without opening: opening some devices has effects of its own.
    """
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    return describe_mode(mode)


def check_regular_file(path: Path, shown: str | None = None) -> None:
    """Raise InputRefused unless `path` is an existing regular file."""
    shown = str(path) if shown is None else shown
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise _missing(path, shown) from None
    except (OSError, ValueError) as exc:
        raise InputRefused(shown, "unreadable", _os_reason(exc)) from None
    problem = describe_mode(mode)
    if problem is not None:
        raise InputRefused(shown, "not_regular", problem, hint=_NOT_REGULAR_HINT)


_NOT_REGULAR_HINT = "name the file itself: specc reads regular files only"

# A folder is listed only this far for a near match: a missing file in a folder of a million
# files gets no hint rather than a slow one.
NEAR_MATCH_ENTRIES = 2000


def near_match(path: Path) -> str | None:
    """For a file that does not exist: the name in its folder it was likely meant to be
    ("did you mean 'contacts.csv'?"), or None. Only the folder's entry names are read.

    Names must be close (a letter or two apart, or another letter case): any file of the same
    extension is not a near match.
    """
    import difflib

    folder = path.parent
    names: list[str] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if len(names) >= NEAR_MATCH_ENTRIES:
                    return None
                if not entry.name.startswith("."):
                    names.append(entry.name)
    except (OSError, ValueError):
        return None
    by_folded = {name.casefold(): name for name in names}
    close = difflib.get_close_matches(path.name.casefold(), list(by_folded), n=1, cutoff=0.8)
    return f"did you mean {by_folded[close[0]]!r}?" if close else None


def _missing(path: Path, shown: str) -> InputRefused:
    return InputRefused(shown, "missing", "does not exist", hint=near_match(path))


# --- opening ---------------------------------------------------------------------------------


def open_input(
    path: Path, *, roots: Sequence[Path] | None = None, shown: str | None = None
) -> BinaryIO:
    """The regular file at `path`, opened for reading in binary; InputRefused otherwise.

    With `roots` (see `input_roots`), the file must lie inside one of them, links followed.
    The caller closes the file (use it in a `with` block).
    """
    shown = str(path) if shown is None else shown
    real = None
    if roots is not None:
        real = real_path(path)
        if not within(real, roots):
            raise InputRefused(
                shown, "outside", f"resolves to {real}, {ROOTS_WORDS}", hint=roots_hint(real)
            )
    # Refuse what is plainly no regular file before opening it (opening a device may do
    # something); fstat() below is the check that counts.
    check_regular_file(path, shown)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise _missing(path, shown) from None
    except (OSError, ValueError) as exc:
        raise InputRefused(shown, "unreadable", _os_reason(exc)) from None
    try:
        opened = os.fstat(fd)
        problem = describe_mode(opened.st_mode)
        if problem is not None:
            raise InputRefused(shown, "not_regular", problem, hint=_NOT_REGULAR_HINT)
        if real is not None and not _same_file(real, opened):
            # A link was changed between resolving the path and opening it.
            raise InputRefused(shown, "outside", "changed while it was being opened")
        # O_NONBLOCK means nothing for a regular file; cleared so readers see a plain file.
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_input(
    path: Path,
    *,
    max_bytes: int,
    roots: Sequence[Path] | None = None,
    shown: str | None = None,
    size_hint: str | None = None,
) -> bytes:
    """The whole regular file at `path`, refused (InputRefused, kind `too_large`) when longer
    than `max_bytes`: no more than max_bytes + 1 bytes are ever read, even from a file that
    grows while it is read."""
    shown = str(path) if shown is None else shown
    with open_input(path, roots=roots, shown=shown) as handle:
        if os.fstat(handle.fileno()).st_size > max_bytes:
            raise _too_large(shown, max_bytes, size_hint)
        try:
            data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise InputRefused(shown, "unreadable", _os_reason(exc)) from None
    if len(data) > max_bytes:
        raise _too_large(shown, max_bytes, size_hint)
    return data


def _too_large(shown: str, max_bytes: int, hint: str | None) -> InputRefused:
    return InputRefused(shown, "too_large", f"is larger than {format_size(max_bytes)}", hint)


def format_size(size: int) -> str:
    """A byte count as people say it: 64 MiB, 512 KiB, 100 bytes."""
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor:
            return f"{size / factor:.{0 if size % factor == 0 else 1}f} {unit}"
    return f"{size} bytes"


def _same_file(real: Path, opened: os.stat_result) -> bool:
    try:
        now = os.stat(real)
    except OSError:
        return False
    return (now.st_dev, now.st_ino) == (opened.st_dev, opened.st_ino)


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, PermissionError):
        return "cannot be read (permission denied)"
    if isinstance(exc, ValueError):  # a NUL in the path
        return "is not a usable path"
    if isinstance(exc, OSError) and exc.strerror:
        return f"cannot be read ({exc.strerror.lower()})"
    return f"cannot be read ({exc})"
