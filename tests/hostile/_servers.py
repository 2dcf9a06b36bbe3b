"""Deliberately hostile HTTP/1.1 servers on loopback, written at the byte level.

``hostile_server(script)`` serves each connection on a thread and hands every parsed request to
``script(request, send)``; ``send(bytes)`` writes raw bytes, so a script can drip, lie about
lengths, echo secrets or go silent. The server counts requests and stops by itself when the
``with`` block ends.
"""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class SeenRequest:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes


Send = Callable[[bytes], None]
Script = Callable[[SeenRequest, Send], None]


@dataclass
class HostileServer:
    url: str
    requests: list[SeenRequest] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)


def http_response(status: int, body: bytes = b"", **headers: str) -> bytes:
    """A complete HTTP/1.1 response with ``Content-Length``."""
    head = [f"HTTP/1.1 {status} X"]
    names = {k.lower().replace("_", "-") for k in headers}
    for name, value in headers.items():
        head.append(f"{name.replace('_', '-')}: {value}")
    if "content-length" not in names:
        head.append(f"content-length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


def _read_request(stream: socket.SocketIO | object, rfile: object) -> SeenRequest | None:
    readline = rfile.readline  # type: ignore[attr-defined]
    line = readline(65537)
    if not line:
        return None
    method, target, _ = line.decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    while True:
        raw = readline(65537)
        if raw in (b"\r\n", b"\n", b""):
            break
        name, _, value = raw.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    body = rfile.read(length) if length else b""  # type: ignore[attr-defined]
    return SeenRequest(method, target, headers, body)


@contextmanager
def hostile_server(script: Script) -> Iterator[HostileServer]:
    state = HostileServer(url="")

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            self.connection.settimeout(30)
            while not state.stop.is_set():
                try:
                    request = _read_request(self.connection, self.rfile)
                except (OSError, ValueError):
                    return
                if request is None:
                    return
                state.requests.append(request)

                def send(data: bytes) -> None:
                    self.wfile.write(data)
                    self.wfile.flush()

                try:
                    script(request, send)
                except OSError:
                    return
                if request.headers.get("connection", "").lower() == "close":
                    return

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    with Server(("127.0.0.1", 0), Handler) as server:
        host, port = server.server_address[:2]
        state.url = f"http://{host!s}:{port}"
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
        thread.daemon = True
        thread.start()
        try:
            yield state
        finally:
            state.stop.set()
            server.shutdown()
