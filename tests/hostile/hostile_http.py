"""Small hostile HTTP servers on 127.0.0.1, one thread per connection, for the network and
secrets classes of the hostile-input suite.

A server is a raw socket: it reads the request (line, headers, and the body when a
Content-Length announces one), records it, and hands the connection to a behaviour function
that writes whatever it likes, as slowly or as endlessly as it likes, until specc hangs up
or the server is stopped. Nothing of specc is imported or mocked: specc runs as a process
and talks HTTP to these.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field


@dataclass
class Request:
    method: str
    target: str
    headers: dict[str, str]  # names lowercased
    body: bytes = b""

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]


Behaviour = Callable[[socket.socket, Request, "Server"], None]


@dataclass
class Server:
    behaviour: Behaviour
    host: str = "127.0.0.1"
    requests: list[Request] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((self.host, 0))
        self._listener.listen(64)
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def __enter__(self) -> Server:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        # Shutting the listener down wakes the accept() it blocks in (Linux), so the test ends
        # now rather than when the accept timeout runs out (up to 0.2 s, every test).
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._thread.join(5)
        self._listener.close()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            conn.settimeout(30)
            while not self.stopping.is_set():
                request = read_request(conn)
                if request is None:
                    return
                self.requests.append(request)
                self.behaviour(conn, request, self)
                if request.headers.get("connection", "").lower() == "close":
                    return

    def sleep(self, seconds: float) -> None:
        """Wait, but give up at once when the server stops (raises OSError to end the handler)."""
        if self.stopping.wait(seconds):
            raise ConnectionAbortedError("server stopping")


def read_request(conn: socket.socket) -> Request | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    while len(rest) < length:
        chunk = conn.recv(min(1 << 20, length - len(rest)))
        if not chunk:
            return None
        rest += chunk
    return Request(method, target, headers, rest[:length])


@contextlib.contextmanager
def serving(behaviour: Behaviour, host: str = "127.0.0.1") -> Iterator[Server]:
    with Server(behaviour, host) as server:
        yield server


def head(status: str, headers: dict[str, str] | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status}"]
    lines.extend(f"{k}: {v}" for k, v in (headers or {}).items())
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def answer(conn: socket.socket, status: str, body: bytes, **headers: str) -> None:
    """A whole, well-formed answer."""
    fields = {"Content-Type": "application/json", "Content-Length": str(len(body)), **headers}
    conn.sendall(head(status, {k.replace("_", "-"): v for k, v in fields.items()}) + body)


# --- hostile behaviours -----------------------------------------------------------------------

CHUNK = b" " * 65536  # JSON whitespace: a parser would wait for more forever


def endless_chunked(conn: socket.socket, request: Request, server: Server) -> None:
    """200, chunked, and chunks that never end, as fast as the client takes them."""
    conn.sendall(
        head("200 OK", {"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
    )
    frame = b"%x\r\n%s\r\n" % (len(CHUNK), CHUNK)
    conn.sendall(b"%x\r\n[\r\n" % 1)
    while not server.stopping.is_set():
        conn.sendall(frame)


def huge_length(conn: socket.socket, request: Request, server: Server) -> None:
    """200 announcing 2 GB, sent lazily (only as fast as the client reads)."""
    conn.sendall(
        head("200 OK", {"Content-Type": "application/json", "Content-Length": str(2 << 30)})
    )
    sent = 0
    while sent < (2 << 30) and not server.stopping.is_set():
        conn.sendall(CHUNK)
        sent += len(CHUNK)


def huge_error(conn: socket.socket, request: Request, server: Server) -> None:
    """400 with a 2 GB body: the error is shown from its beginning, the rest never read."""
    conn.sendall(
        head("400 Bad Request", {"Content-Type": "text/plain", "Content-Length": str(2 << 30)})
    )
    conn.sendall(b"no such thing " * 100)
    while not server.stopping.is_set():
        conn.sendall(CHUNK)


def gzip_bomb(conn: socket.socket, request: Request, server: Server) -> None:
    """A gzip body that inflates without end (a few KiB on the wire per GiB in memory)."""
    conn.sendall(
        head(
            "200 OK",
            {
                "Content-Type": "application/json",
                "Content-Encoding": "gzip",
                "Transfer-Encoding": "chunked",
            },
        )
    )
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = b" " * (1 << 20)
    data = packer.compress(b"[")
    while not server.stopping.is_set():
        data += packer.compress(zeros) + packer.flush(zlib.Z_SYNC_FLUSH)
        if data:
            conn.sendall(b"%x\r\n%s\r\n" % (len(data), data))
            data = b""


def trickle(conn: socket.socket, request: Request, server: Server) -> None:
    """200 and a body of one byte every 0.2 s: each read is quick, the answer never ends."""
    conn.sendall(head("200 OK", {"Content-Type": "application/json", "Content-Length": "1000000"}))
    while True:
        conn.sendall(b" ")
        server.sleep(0.2)


def trickle_headers(conn: socket.socket, request: Request, server: Server) -> None:
    """A status line, then header bytes one every 0.2 s: the headers never end."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
    while True:
        conn.sendall(b"a")
        server.sleep(0.2)


def endless_continue(conn: socket.socket, request: Request, server: Server) -> None:
    """`100 Continue` after `100 Continue`, never a final answer."""
    while True:
        conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        server.sleep(0.05)


def close_mid_body(conn: socket.socket, request: Request, server: Server) -> None:
    """200 announcing 1000 bytes, 10 sent, then the connection closes."""
    conn.sendall(head("200 OK", {"Content-Type": "application/json", "Content-Length": "1000"}))
    conn.sendall(b'{"id": "12')
    conn.shutdown(socket.SHUT_RDWR)
    raise ConnectionAbortedError("closed mid-body")


def not_http(conn: socket.socket, request: Request, server: Server) -> None:
    conn.sendall(b"\x00\xffSSH-2.0-OpenSSH_9.0 garbage\r\n\r\n" * 10)
    conn.shutdown(socket.SHUT_RDWR)
    raise ConnectionAbortedError("not http")


def body_of(
    body: bytes, status: str = "200 OK", content_type: str = "application/json"
) -> Behaviour:
    def behave(conn: socket.socket, request: Request, server: Server) -> None:
        answer(conn, status, body, Content_Type=content_type)

    return behave


def header_of(name: str, value: str) -> Behaviour:
    def behave(conn: socket.socket, request: Request, server: Server) -> None:
        conn.sendall(
            head("200 OK", {"Content-Type": "application/json", name: value, "Content-Length": "2"})
            + b"{}"
        )

    return behave


def redirect_to(
    location: Callable[[Request, Server], str], status: str = "301 Moved Permanently"
) -> Behaviour:
    def behave(conn: socket.socket, request: Request, server: Server) -> None:
        answer(conn, status, b"", Location=location(request, server))

    return behave


def wait_for(predicate: Callable[[], bool], seconds: float = 2.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()
