"""One scrubber for everything specc prints or writes: the access token never shows.

A server may echo the `Authorization` header in an error answer, a proxy may quote the
request in its HTML page, a traceback may carry either: specc cannot vet every path a token
could take to the output, so every path ends here instead. `scrub` replaces

- the value of HUBSPOT_ACCESS_TOKEN, also written JSON-escaped (`\\/`, `\\u002f`), URL-encoded
  (`%2F`, any case), as HTML entities, with CSV's doubled quotes, or broken across lines;
- the value of any `Bearer ...` credential (one that holds a digit: prose such as "bearer
  token" stays as it is);
- anything shaped like a HubSpot private app token (`pat-na1-...`, `pat-eu1-...`),

with `[redacted]`. The CLI routes its stdout and stderr (reports, messages, --debug
tracebacks and logging) through a `ScrubbingStream` each (`scrubbing`), and `specc.atomic`
scrubs every file it writes, so no caller has to remember to.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    import logging

TOKEN_VARIABLE = "HUBSPOT_ACCESS_TOKEN"
PLACEHOLDER = "[redacted]"
# A shorter value cannot be a HubSpot token (theirs are 40 characters and more), and
# replacing every "abc" or "1" in the output would mangle it past reading.
MIN_SECRET_LENGTH = 8

# HubSpot's private app and service key tokens: `pat-<region><n>-<uuid>`.
# (Letter classes rather than re.IGNORECASE: a third of the time on long texts.)
_HUBSPOT_TOKEN = re.compile(r"[Pp][Aa][Tt]-[A-Za-z]{2,4}\d{1,2}-[0-9A-Za-z][0-9A-Za-z_-]{7,}")
# RFC 6750's b64token after the scheme (a space, or its URL-encoded forms). The value must
# hold a digit: real tokens do, and the words that follow "bearer" in prose do not.
_BEARER = re.compile(
    r"([Bb][Ee][Aa][Rr][Ee][Rr])(\s+|%20|\+)(?=[A-Za-z0-9\-._~+/]*\d)[A-Za-z0-9\-._~+/]{8,}=*"
)
_HTML_NAMES = {"&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos"}
# Between two characters of a token: a line break (raw, JSON-escaped, or as GitHub's
# annotations write it) and the indentation that follows, as a wrapped message puts there.
_BREAK = r"(?:(?:\\[rn]|[\r\n]|%0[AaDd])+[ \t]*)?"


def _char_forms(char: str) -> str:
    """A pattern for one character of a token in any of the forms an echo may give it."""
    code = ord(char)
    forms = [
        re.escape(char),
        f"u(?i:0*{code:02x})",  # JSON's \u002f (the backslashes come before, see below)
        f"%(?i:{code:02x})",  # URL-encoded
        f"&#0*{code};",
        f"&#(?i:x0*{code:x});",
    ]
    if char in _HTML_NAMES:
        forms.append(f"&{_HTML_NAMES[char]};")
    if char in "\"'":
        forms.insert(0, re.escape(char * 2))  # CSV (and SQL, YAML) double a quote inside quotes
    # Any run of backslashes may precede a character: JSON escapes `"`, `\` and `/` with one,
    # and text that was JSON-encoded twice doubles them.
    return r"\\*(?:" + "|".join(forms) + ")"


@functools.lru_cache(maxsize=8)
def _secret_pattern(secrets: tuple[str, ...]) -> re.Pattern[str] | None:
    alternatives = [
        _BREAK.join(_char_forms(c) for c in secret)
        for secret in sorted(set(secrets), key=len, reverse=True)
    ]
    return re.compile("|".join(alternatives)) if alternatives else None


class Scrubber:
    """Replaces the given secrets (and any bearer or HubSpot token) in text."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        self.secrets = tuple(s for s in secrets if len(s) >= MIN_SECRET_LENGTH)
        self._pattern = _secret_pattern(self.secrets)

    def __call__(self, text: str) -> str:
        if self._pattern is not None:
            text = self._pattern.sub(PLACEHOLDER, text)
        text = _HUBSPOT_TOKEN.sub(PLACEHOLDER, text)
        return _BEARER.sub(rf"\1\2{PLACEHOLDER}", text)


def secrets_from(environ: Mapping[str, str]) -> tuple[str, ...]:
    """The secret values in the environment: the access token, as given and stripped."""
    raw = environ.get(TOKEN_VARIABLE, "")
    return tuple(dict.fromkeys(v for v in (raw, raw.strip()) if v))


def scrubber_for(environ: Mapping[str, str] | None = None) -> Scrubber:
    return Scrubber(secrets_from(os.environ if environ is None else environ))


def scrub(text: str, environ: Mapping[str, str] | None = None) -> str:
    """`text` with the token of `environ` (by default this process's) and bearer values
    replaced by `[redacted]`."""
    return scrubber_for(environ)(text)


class ScrubbingStream:
    """A text stream that scrubs what it passes on to `inner`.

    Writes are held until `flush` (click.echo, logging and rich flush after each message),
    so a token split over several writes of one message is still found whole. Past
    `hold_limit` characters held, everything up to the last line break goes out at once.
    Bytes written to `.buffer` (specc compile writes its JSON as bytes) are scrubbed too.
    A lock keeps rich's refresh thread and the main thread from interleaving.
    """

    hold_limit = 1 << 20

    def __init__(self, inner: IO[str], scrubber: Callable[[str], str]) -> None:
        self.inner = inner
        self.scrubber = scrubber
        self.lock = threading.RLock()
        self._held: list[str] = []
        self._size = 0
        self._buffer: ScrubbingBuffer | None = None

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # click probes whether a stream is binary this way
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        with self.lock:
            if self._buffer is not None:
                self._buffer.flush_held()
            self._held.append(text)
            self._size += len(text)
            if self._size > self.hold_limit:
                self._release(partial=True)
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        with self.lock:
            self._release()
            if self._buffer is not None:
                self._buffer.flush_held()
        self.inner.flush()

    def _release(self, partial: bool = False) -> None:
        if not self._held:
            return
        text = "".join(self._held)
        keep = ""
        if partial:
            # Keep the unfinished last line (a token may go on in the next write); a text
            # without any line break goes out whole rather than grow without end.
            cut = text.rfind("\n") + 1
            if cut:
                text, keep = text[:cut], text[cut:]
        self._held = [keep] if keep else []
        self._size = len(keep)
        if text:
            self.inner.write(self.scrubber(text))

    @property
    def buffer(self) -> ScrubbingBuffer:
        raw = self.inner.buffer  # type: ignore[attr-defined]  # AttributeError when none
        if self._buffer is None or self._buffer.inner is not raw:
            self._buffer = ScrubbingBuffer(raw, self)
        return self._buffer

    @property
    def encoding(self) -> str:
        return getattr(self.inner, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:
        return getattr(self.inner, "errors", None)

    def isatty(self) -> bool:
        try:
            return self.inner.isatty()
        except (AttributeError, ValueError):
            return False

    def fileno(self) -> int:
        return self.inner.fileno()

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def seekable(self) -> bool:
        return False

    @property
    def closed(self) -> bool:
        return bool(getattr(self.inner, "closed", False))

    def __getattr__(self, name: str) -> Any:  # name, mode, line_buffering, ...
        return getattr(self.inner, name)


@contextmanager
def scrubbing(
    out: IO[str],
    err: IO[str],
    *,
    on_broken_pipe: Callable[[], None],
    environ: Mapping[str, str] | None = None,
) -> Iterator[tuple[ScrubbingStream, ScrubbingStream]]:
    """`out` and `err` behind ScrubbingStreams of one scrubber (of the token of `environ`, by
    default this process's) while the block runs, for the caller to print through.

    At the end each is flushed, so what it still holds goes out: a stream closed meanwhile is
    passed over (nothing more can be shown on it), and when the reader went away
    (BrokenPipeError) `on_broken_pipe` is called, once both are flushed; whatever the block
    raised passes on unchanged.
    """
    scrubber = scrubber_for(environ)
    streams = ScrubbingStream(out, scrubber), ScrubbingStream(err, scrubber)
    try:
        yield streams
    finally:
        broken = False
        for stream in streams:
            try:
                stream.flush()
            except BrokenPipeError:
                broken = True
            except (OSError, ValueError):  # a closed stream
                pass
        if broken:
            on_broken_pipe()


class ScrubbingBuffer:
    """The binary side of a ScrubbingStream: bytes are held, decoded, scrubbed, re-encoded."""

    def __init__(self, inner: IO[bytes], text: ScrubbingStream) -> None:
        self.inner = inner
        self.text = text
        self._held: list[bytes] = []

    def write(self, data: bytes | bytearray | memoryview) -> int:
        chunk = bytes(data)
        with self.text.lock:
            self.text._release()  # what was written as text before comes out before
            self._held.append(chunk)
        return len(chunk)

    def flush_held(self) -> None:
        with self.text.lock:
            if self._held:
                data = b"".join(self._held)
                self._held = []
                # surrogateescape: bytes that are not UTF-8 come out exactly as they went in.
                text = self.text.scrubber(data.decode("utf-8", "surrogateescape"))
                self.inner.write(text.encode("utf-8", "surrogateescape"))

    def flush(self) -> None:
        self.flush_held()
        self.inner.flush()

    def writable(self) -> bool:
        return True

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def logging_formatter(fmt: str, scrubber: Callable[[str], str]) -> logging.Formatter:
    """A logging formatter whose records (tracebacks included) come out scrubbed."""
    import logging

    class ScrubbingFormatter(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            return scrubber(super().format(record))

    return ScrubbingFormatter(fmt)
