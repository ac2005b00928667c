"""Reading an upload: the HTTP body (sized or chunked) and its multipart/form-data parts.

Parts are parsed by python-multipart's streaming parser; a part with a filename goes straight to
its own file on disk as it arrives (an upload may be HubSpot's 512 MB), text parts stay in
memory up to a cap. Nothing is decoded or normalised: a stored file holds exactly the bytes of
its part.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

CHUNK = 64 * 1024
MAX_TEXT_PART = 16 * 1024 * 1024  # an importRequest larger than this is not a request


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...
    def readline(self, size: int = -1, /) -> bytes: ...


class UploadError(Exception):
    """The body is not a readable multipart upload (the client gets a 400)."""


@dataclass
class Part:
    name: str
    filename: str | None  # None for a text field
    content_type: str | None
    size: int = 0
    path: Path | None = None  # file parts: where the bytes are
    text: bytes = b""  # text parts: the bytes
    headers: dict[str, str] = field(default_factory=dict)


def body_chunks(
    rfile: Readable, content_length: str | None, transfer_encoding: str | None
) -> Iterator[bytes]:
    """The request body in chunks, from a Content-Length or a chunked transfer encoding."""
    if transfer_encoding and "chunked" in transfer_encoding.lower():
        yield from _dechunk(rfile)
        return
    try:
        remaining = int(content_length or 0)
    except ValueError:
        raise UploadError(f"Content-Length {content_length!r} is not a number") from None
    while remaining > 0:
        chunk = rfile.read(min(CHUNK, remaining))
        if not chunk:
            raise UploadError("the body ended before its Content-Length")
        remaining -= len(chunk)
        yield chunk


def _dechunk(rfile: Readable) -> Iterator[bytes]:
    while True:
        line = rfile.readline(1024)
        size_text = line.split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise UploadError("malformed chunked body") from None
        if size == 0:
            while rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                pass  # trailers
            return
        remaining = size
        while remaining > 0:
            chunk = rfile.read(min(CHUNK, remaining))
            if not chunk:
                raise UploadError("the body ended inside a chunk")
            remaining -= len(chunk)
            yield chunk
        rfile.readline(16)  # the CRLF after each chunk


def drain(chunks: Iterator[bytes]) -> None:
    """Read a body to its end and drop it (keeps the connection usable)."""
    for _ in chunks:
        pass


def boundary_of(content_type: str | None) -> str:
    """The multipart boundary of a Content-Type; UploadError when it is not multipart/form-data."""
    kind, params = parse_options_header(content_type or "")
    if kind != b"multipart/form-data":
        shown = kind.decode("latin-1") or "none"
        raise UploadError(f"expected a multipart/form-data body, got Content-Type {shown}")
    boundary = params.get(b"boundary")
    if not boundary:
        raise UploadError("the multipart Content-Type has no boundary")
    return boundary.decode("latin-1")


def parse_parts(chunks: Iterator[bytes], boundary: str, folder: Path) -> list[Part]:
    """Every part of the body, file parts written under `folder` (one file each, in order)."""
    parts: list[Part] = []
    current: Part | None = None
    sink: BinaryIO | None = None
    header_name = bytearray()
    header_value = bytearray()
    headers: dict[str, str] = {}
    ended = False

    def on_part_begin() -> None:
        headers.clear()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header_name.extend(data[start:end])

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header_value.extend(data[start:end])

    def on_header_end() -> None:
        # Latin-1 keeps every byte; names are re-read as UTF-8 below, which clients send.
        headers[header_name.decode("latin-1").strip().lower()] = header_value.decode("latin-1")
        header_name.clear()
        header_value.clear()

    def on_headers_finished() -> None:
        nonlocal current, sink
        disposition, params = parse_options_header(headers.get("content-disposition"))
        if disposition != b"form-data" or b"name" not in params:
            raise UploadError("a part has no Content-Disposition: form-data; name=...")
        filename = params.get(b"filename")
        current = Part(
            name=_text(params[b"name"]),
            filename=None if filename is None else _text(filename),
            content_type=headers.get("content-type"),
            headers=dict(headers),
        )
        if current.filename is not None:
            current.path = folder / f"{len(parts)}-{_safe_name(current.filename)}"
            sink = current.path.open("wb")

    def on_part_data(data: bytes, start: int, end: int) -> None:
        assert current is not None
        current.size += end - start
        if sink is not None:
            sink.write(data[start:end])
        else:
            if current.size > MAX_TEXT_PART:
                raise UploadError(f"the text part {current.name!r} is larger than 16 MiB")
            current.text += data[start:end]

    def on_part_end() -> None:
        nonlocal current, sink
        if sink is not None:
            sink.close()
            sink = None
        if current is not None:
            parts.append(current)
        current = None

    def on_end() -> None:
        nonlocal ended
        ended = True

    callbacks: dict[str, Callable[..., None]] = {
        "on_part_begin": on_part_begin,
        "on_header_field": on_header_field,
        "on_header_value": on_header_value,
        "on_header_end": on_header_end,
        "on_headers_finished": on_headers_finished,
        "on_part_data": on_part_data,
        "on_part_end": on_part_end,
        "on_end": on_end,
    }
    parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
    try:
        for chunk in chunks:
            parser.write(chunk)
        parser.finalize()
    except FormParserError as exc:
        raise UploadError(f"malformed multipart body: {exc}") from None
    finally:
        if sink is not None:
            sink.close()
    if not ended:
        raise UploadError("the multipart body ends before its closing boundary")
    return parts


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _safe_name(name: str) -> str:
    """A file name that stays inside the folder and keeps the extension readers look at."""
    base = re.split(r"[\\/]", name)[-1]
    return re.sub(r"[^\w.\- ]", "_", base).lstrip(".") or "file"
