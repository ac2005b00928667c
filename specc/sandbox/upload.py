"""Reading an upload: the HTTP body (sized or chunked) and its multipart/form-data parts.

Parts are parsed by python-multipart's streaming parser; a part with a filename goes straight to
its own file on disk as it arrives (an upload may be HubSpot's 512 MB), text parts stay in
memory up to a cap. Nothing is decoded or normalised: a stored file holds exactly the bytes of
its part.

Everything a client sends is bounded (`UploadLimits`): the body as a whole (refused from its
Content-Length before a byte is read, or counted as a chunked body streams), each file part
(its bytes, and a CSV file's rows, counted by `specc.tables.parts.RecordScan` as they arrive),
each text part, and the number of parts; python-multipart bounds each part's headers. Each
file part's SHA-256 is computed as it streams, so tests can tell what arrived after the file
itself is gone (the sandbox deletes an upload once its import has ended); small files are also
kept in memory (`Part.kept`).
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MAX_BOUNDARY_LENGTH, MultipartParser, parse_options_header

from specc.diagnostics import shorten
from specc.tables.parts import MAX_BYTES, MAX_ROWS, FileLimits, RecordScan

CHUNK = 64 * 1024
MAX_TEXT_PART = 16 * 1024 * 1024  # an importRequest larger than this is not a request
# A body that is not an upload (a GET's, a cancel's) has no reason to be large.
MAX_OTHER_BODY = 1024 * 1024
# Longest stored file name: the folder's "<n>-" prefix plus this stays far under NAME_MAX (255).
MAX_STORED_NAME = 120
ASCII_DIGITS = frozenset("0123456789")
# Files up to this size are also kept in memory once their import has ended (for tests).
KEEP_BYTES = 4 * 1024 * 1024
# Files read as spreadsheets (by their name, as the sandbox's checks read them): rows are
# counted only in CSV files.
SPREADSHEET_SUFFIXES = (".xlsx", ".xls", ".xlsm")

# python-multipart logs each malformed body as a warning, which Python's last-resort handler
# prints to stderr; the sandbox answers it with a 400 instead (--debug still shows the log).
logging.getLogger("python_multipart").addHandler(logging.NullHandler())


@dataclass(frozen=True)
class UploadLimits:
    """How much one upload may hold; over a bound, the sandbox refuses it as HubSpot does."""

    # HubSpot: "individual import files are limited to 1,048,576 rows or 512 MB".
    file_bytes: int = MAX_BYTES
    file_rows: int = MAX_ROWS  # data rows of a CSV file (its header row is no data row)
    text_bytes: int = MAX_TEXT_PART
    # HubSpot documents imports of one or two files; more parts than this is not an upload.
    parts: int = 100
    # Two files of the limit, the request, and room for the parts' headers.
    body_bytes: int = 2 * MAX_BYTES + MAX_TEXT_PART + 1024 * 1024

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> UploadLimits:
        """HubSpot's limits, lowered by SPECC_MAX_FILE_ROWS / SPECC_MAX_FILE_BYTES (tests)."""
        limits = FileLimits.from_environ(environ)
        if limits == FileLimits():
            return cls()
        return cls(
            file_bytes=limits.bytes,
            file_rows=limits.rows,
            body_bytes=2 * max(limits.bytes, MAX_BYTES) + MAX_TEXT_PART + 1024 * 1024,
        )


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...
    def readline(self, size: int = -1, /) -> bytes: ...


class UploadError(Exception):
    """The body is not a readable multipart upload (the client gets a 400)."""


class NotMultipart(UploadError):
    """The body is not multipart/form-data at all (HubSpot: 415 Unsupported Media Type)."""


class TooLarge(UploadError):
    """The body or one of its files passes a bound of UploadLimits.

    HubSpot answers a file over its size limit with a 429 ("If your request exceeds either the
    row or size limit, HubSpot will respond with a 429 HTTP error").
    """


@dataclass
class Part:
    name: str
    filename: str | None  # None for a text field
    content_type: str | None
    size: int = 0
    path: Path | None = None  # file parts: where the bytes are
    text: bytes = b""  # text parts: the bytes
    headers: dict[str, str] = field(default_factory=dict)
    sha256: str = ""  # file parts: the digest of their bytes
    rows: int | None = None  # CSV file parts: data rows (non-empty records after the header)
    kept: bytes | None = None  # file parts up to KEEP_BYTES: their bytes


def content_length(headers: list[str]) -> int | None:
    """The body's declared length (None: none declared); UploadError when it is not one number.

    Only ASCII digits count: `int()` would also take "٣" or " 3 ", and two different lengths
    are how requests get smuggled past a proxy.
    """
    values = {value.strip() for value in headers}
    if not values:
        return None
    if len(values) > 1:
        raise UploadError("the request has several different Content-Length headers")
    (text,) = values
    if not text or not set(text) <= ASCII_DIGITS or len(text) > 18:
        raise UploadError(f"Content-Length {shorten(text)!r} is not a number of bytes")
    return int(text)


class Body:
    """A request body, read as the handler asks for it: from a Content-Length or chunked.

    The framing is checked at once (UploadError; TooLarge for a declared length over
    `max_bytes`, before a byte is read); a chunked body is counted as it streams (TooLarge past
    the bound). `complete` tells whether the body was read to its end, i.e. whether the
    connection can serve another request.
    """

    def __init__(
        self,
        rfile: Readable,
        length: int | None,
        transfer_encoding: str | None,
        max_bytes: int,
    ) -> None:
        self._rfile = rfile
        self._max_bytes = max_bytes
        self._chunked = transfer_encoding is not None
        if self._chunked and str(transfer_encoding).strip().lower() != "chunked":
            raise UploadError(
                f"Transfer-Encoding {shorten(str(transfer_encoding))!r} is not supported; send "
                "the body with a Content-Length or chunked"
            )
        if not self._chunked and length is not None and length > max_bytes:
            raise TooLarge(
                f"the request body of {length:,} bytes is larger than {max_bytes:,} bytes"
            )
        self._length = length or 0
        self.complete = not self._chunked and self._length == 0
        self._chunks = self._dechunk() if self._chunked else self._sized()

    def __iter__(self) -> Iterator[bytes]:
        return self._chunks

    def drain(self, budget: int) -> bool:
        """Read and drop up to `budget` more bytes; True when the body ended within them."""
        try:
            for chunk in self._chunks:
                budget -= len(chunk)
                if budget < 0:
                    return False
        except UploadError:
            return False
        return self.complete

    def _sized(self) -> Iterator[bytes]:
        remaining = self._length
        while remaining > 0:
            chunk = self._rfile.read(min(CHUNK, remaining))
            if not chunk:
                raise UploadError("the body ended before its Content-Length")
            remaining -= len(chunk)
            if remaining == 0:
                self.complete = True
            yield chunk

    def _dechunk(self) -> Iterator[bytes]:
        total = 0
        while True:
            size = _chunk_size(self._rfile.readline(1024))
            if size == 0:
                for _ in range(100):  # trailers, bounded like the request's headers
                    if self._rfile.readline(1024) in (b"\r\n", b"\n", b""):
                        self.complete = True
                        return
                raise UploadError("malformed chunked body: too many trailers")
            total += size
            if total > self._max_bytes:
                raise TooLarge(f"the request body is larger than {self._max_bytes:,} bytes")
            remaining = size
            while remaining > 0:
                chunk = self._rfile.read(min(CHUNK, remaining))
                if not chunk:
                    raise UploadError("the body ended inside a chunk")
                remaining -= len(chunk)
                yield chunk
            if self._rfile.readline(16) not in (b"\r\n", b"\n"):
                raise UploadError("malformed chunked body: a chunk is longer than its size")


HEX_DIGITS = frozenset(b"0123456789abcdefABCDEF")


def _chunk_size(line: bytes) -> int:
    text = line.split(b";", 1)[0].strip()
    # 15 hex digits (2**60) is more than any body the bounds let through.
    if not text or len(text) > 15 or not set(text) <= HEX_DIGITS:
        raise UploadError("malformed chunked body")
    return int(text, 16)


def boundary_of(content_type: str | None) -> str:
    """The multipart boundary of a Content-Type; UploadError when it is not multipart/form-data."""
    kind, params = parse_options_header(content_type or "")
    if kind != b"multipart/form-data":
        named = shorten(kind.decode("latin-1")) or "none"
        raise NotMultipart(f"expected a multipart/form-data body, got Content-Type {named}")
    boundary = params.get(b"boundary")
    if not boundary:
        raise UploadError("the multipart Content-Type has no boundary")
    if len(boundary) > MAX_BOUNDARY_LENGTH:
        raise UploadError(f"the multipart boundary is longer than {MAX_BOUNDARY_LENGTH} bytes")
    return boundary.decode("latin-1")


def parse_parts(
    chunks: Iterable[bytes], boundary: str, folder: Path, limits: UploadLimits | None = None
) -> list[Part]:
    """Every part of the body, file parts written under `folder` (one file each, in order).

    UploadError for a body that is not multipart, TooLarge past one of `limits`.
    """
    limits = limits or UploadLimits()
    parts: list[Part] = []
    current: Part | None = None
    sink: BinaryIO | None = None
    header_name = bytearray()
    header_value = bytearray()
    headers: dict[str, str] = {}
    text_bytes = bytearray()  # the text part being read
    text_held = 0  # bytes of the text parts read before it
    ended = False
    digest = hashlib.sha256()
    rows: RecordScan | None = None  # the rows of a CSV file part, counted as they arrive
    kept = bytearray()

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
        nonlocal current, sink, digest, rows
        disposition, params = parse_options_header(headers.get("content-disposition"))
        if disposition != b"form-data" or b"name" not in params:
            raise UploadError("a part has no Content-Disposition: form-data; name=...")
        if len(parts) >= limits.parts:
            raise UploadError(f"the upload has more than {limits.parts} parts")
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
            digest = hashlib.sha256()
            kept.clear()
            csv_file = not current.filename.lower().endswith(SPREADSHEET_SUFFIXES)
            rows = RecordScan() if csv_file else None

    def on_part_data(data: bytes, start: int, end: int) -> None:
        assert current is not None
        current.size += end - start
        if sink is not None:
            if current.size > limits.file_bytes:
                raise TooLarge(
                    f"the file {shorten(current.filename or '')!r} is larger than HubSpot's limit "
                    f"of {limits.file_bytes:,} bytes per file"
                )
            piece = data[start:end]
            sink.write(piece)
            digest.update(piece)
            if current.size <= KEEP_BYTES:
                kept.extend(piece)
            if rows is not None:
                rows.feed(piece)
                _check_rows(rows, limits, current.filename)
        else:
            # All text parts together: a hundred parts of 16 MiB each would all be in memory.
            if len(text_bytes) + (end - start) > limits.text_bytes - text_held:
                raise UploadError(
                    f"the text part {shorten(current.name)!r} is too large: the upload's text "
                    f"parts may hold {limits.text_bytes:,} bytes"
                )
            text_bytes.extend(data[start:end])

    def on_part_end() -> None:
        nonlocal current, sink, text_held
        if sink is not None:
            sink.close()
            sink = None
            assert current is not None
            current.sha256 = digest.hexdigest()
            current.kept = bytes(kept) if current.size <= KEEP_BYTES else None
            kept.clear()
            if rows is not None:
                rows.finish()
                _check_rows(rows, limits, current.filename)
                current.rows = max(0, rows.rows - 1)
        if current is not None:
            if current.filename is None:
                current.text = bytes(text_bytes)
                text_held += len(text_bytes)
                text_bytes.clear()
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
    try:
        parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
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


def _check_rows(scan: RecordScan, limits: UploadLimits, filename: str | None) -> None:
    """TooLarge once a CSV file holds more data rows than the limit (its first record is
    the header); the upload stops there, as it would at the byte limit."""
    if scan.rows - 1 > limits.file_rows:
        raise TooLarge(
            f"the file {shorten(filename or '')!r} has more than HubSpot's limit of "
            f"{limits.file_rows:,} rows per file"
        )


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _safe_name(name: str) -> str:
    """A file name that stays inside the folder and keeps the extension readers look at."""
    base = re.split(r"[\\/]", name)[-1]
    safe = re.sub(r"[^\w.\- ]", "_", base).lstrip(".") or "file"
    # A long name must not fail the open() (NAME_MAX is 255 bytes): cut the stem, keep the
    # extension.
    stem, dot, extension = safe.rpartition(".")
    if not dot or len(extension) > 16:
        stem, dot, extension = safe, "", ""
    while len(f"{stem}{dot}{extension}".encode()) > MAX_STORED_NAME:
        stem = stem[: len(stem) // 2]
    return f"{stem}{dot}{extension}" or "file"
