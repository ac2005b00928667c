"""What an upload sends: the importRequest JSON text and one `files` part per data file.

One description serves the client (which streams it), `specc emit` (which writes it as a
command) and the plan `specc import` shows before asking, so all three send the same thing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from specc.errors import InputError
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

    def open(self) -> IO[bytes]:
        """The bytes to send, streamed from the source: the file, or the part of it."""
        source = self.path.open("rb")
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


def prepare_upload(spec: Spec, request: Mapping[str, Any]) -> Upload:
    """The upload of a compiled spec. Each file's size is read now; its bytes only when sent."""
    from specc.compiler import request_json

    files = []
    for data_file in spec.files:
        try:
            size = data_file.path.stat().st_size
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
            )
        )
    operations = dict(request.get("importOperations") or {})
    return Upload(
        name=str(request["name"]),
        request_json=request_json(dict(request)),
        files=tuple(files),
        operations=operations,
    )


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    """The file's digest, read in chunks so a 512 MB file never sits in memory."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()
