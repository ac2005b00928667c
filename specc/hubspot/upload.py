"""What an upload sends: the importRequest JSON text and one `files` part per data file.

One description serves the client (which streams it), `specc emit` (which writes it as a
command) and the plan `specc import` shows before asking, so all three send the same thing.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

from specc.errors import InputError
from specc.inputs import InputRefused, open_input
from specc.spec.model import Spec
from specc.tables.parts import FilePart, PartStream

CONTENT_TYPES = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel",
}
REQUEST_PART = "importRequest"
FILE_PART = "files"  # one part per file, all with this name (hubspot-domain.md §1.3)
REQUEST_CONTENT_TYPE = "application/json"


@dataclass(frozen=True)
class UploadFile:
    path: Path  # absolute
    shown_path: str  # as messages show it
    file_name: str  # the part's filename: must equal the request's fileName
    content_type: str
    size: int
    object_type_id: str | None = None
    columns: int = 0
    # One part of a file over HubSpot's limits (specc.hubspot.split): the header's bytes
    # [0, header_end), then the part's byte range of `path`. `size` is then the part's.
    part: FilePart | None = None
    header_end: int = 0
    # The folders the spec's files may lie in (specc.inputs.input_roots): the file is read
    # minutes after the spec was loaded (after the plan, the question), and what its path
    # leads to then must still be a regular file inside them. None: not checked (tests).
    roots: tuple[Path, ...] | None = None

    def open(self) -> IO[bytes]:
        """The bytes to send, streamed from the source: the file, or the part of it.

        Through `open_data_file`: a FIFO put in the file's place is refused at once
        (InputError) instead of hanging the upload, and so is a link out of the roots."""
        source = open_data_file(self.path, self.roots, self.shown_path)
        if self.part is None:
            return source
        stream = PartStream(source, self.header_end, self.part.start, self.part.end)
        return cast("IO[bytes]", stream)


@dataclass(frozen=True)
class Upload:
    name: str  # the importRequest's name, used to recognise the import after a lost answer
    request_json: str
    files: tuple[UploadFile, ...]
    operations: Mapping[str, str]  # object type id -> CREATE / UPDATE / UPSERT


def content_type_for(path: Path, file_format: str) -> str:
    found = CONTENT_TYPES.get(path.suffix.lower())
    if found:
        return found
    return "text/csv" if file_format == "CSV" else "application/octet-stream"


def prepare_upload(
    spec: Spec, request: Mapping[str, Any], roots: Sequence[Path] | None = None
) -> Upload:
    """The upload of a compiled spec. Each file's size is read now, from the file opened as
    it will be sent (`open_data_file`); its bytes only when sent."""
    from specc.compiler import request_json

    kept_roots = tuple(roots) if roots is not None else None
    files = []
    for data_file in spec.files:
        try:
            with open_data_file(data_file.path, kept_roots, data_file.shown_path) as fh:
                size = os.fstat(fh.fileno()).st_size
        except OSError as exc:
            raise InputError(f"cannot read {data_file.shown_path}: {exc.strerror}") from exc
        files.append(
            UploadFile(
                path=data_file.path,
                shown_path=data_file.shown_path,
                file_name=data_file.file_name,
                content_type=content_type_for(data_file.path, data_file.format),
                size=size,
                object_type_id=data_file.object_type_id,
                columns=len(data_file.columns),
                roots=kept_roots,
            )
        )
    operations = dict(request.get("importOperations") or {})
    return Upload(
        name=str(request["name"]),
        request_json=request_json(dict(request)),
        files=tuple(files),
        operations=operations,
    )


def open_data_file(path: Path, roots: Sequence[Path] | None, shown: str) -> BinaryIO:
    """A data file opened to be sent, through specc.inputs.open_input: a regular file (a FIFO
    would hang the upload, a device never end it), inside `roots` when given. InputError
    (exit 2: nothing is sent) when it is not one, in the words of every unreadable file."""
    try:
        return open_input(path, roots=roots, shown=shown)
    except InputRefused as refused:
        raise InputError(f"cannot read {shown}: {refused.reason}", hint=refused.hint) from None


def sha256_of(
    path: Path,
    chunk: int = 1 << 20,
    *,
    roots: Sequence[Path] | None = None,
    shown: str | None = None,
) -> str:
    """The file's digest, read in chunks so a 512 MB file never sits in memory. Opened as
    it is sent (`open_data_file`): a FIFO, which would never end, is refused."""
    digest = hashlib.sha256()
    with open_data_file(path, roots, str(path) if shown is None else shown) as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()
