"""The embedded server in a child process, so the benchmark process's CPU time is the client's.

The child runs ``FakeSpheron`` with two live servers (uvicorn HTTP/1.1 and hypercorn HTTP/2 over
TLS) and answers small commands over a pipe: seed deployments, change the upload part size,
forget recorded requests and finished uploads (the fake keeps both in memory).
"""

from __future__ import annotations

import multiprocessing
import socket
import ssl
from dataclasses import dataclass
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any

__all__ = ["ServerInfo", "ServerProcess"]


@dataclass(frozen=True)
class ServerInfo:
    http1: str
    http2: str
    ca_pem: bytes

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cadata=self.ca_pem.decode("ascii"))


def _tune() -> None:  # pragma: no cover - runs in the child process
    """Two settings of the fake's servers that would distort a benchmark, fixed in this process.

    Nagle's algorithm is turned off on the accepted connections: the fake's listening socket is
    created with ``proto=0``, so asyncio's ``_set_nodelay`` skips the sockets it accepts; uvicorn
    then writes a response's head and body separately and the body waits for the client's
    delayed ACK (~40 ms per keep-alive request on Linux). Reported to the owner of
    ``spheron.testing``; patched here, in the benchmark's server process only.
    """
    from spheron.testing import _server

    accept = _server._TrackingSocket.accept

    def accept_nodelay(self: Any) -> tuple[socket.socket, Any]:
        conn, address = accept(self)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn, address

    _server._TrackingSocket.accept = accept_nodelay  # type: ignore[method-assign]

    # hypercorn closes an HTTP/2 connection (GOAWAY) after 1,000 requests; raw httpx then fails
    # the next request with RemoteProtocolError while ours retries it. Keep connections open.
    from hypercorn.config import Config

    Config.keep_alive_max_requests = 10**9


def _child(conn: Connection) -> None:  # pragma: no cover - runs in the child process
    _tune()
    from spheron.testing import DEFAULT_PROJECT_ID, FakeSpheron

    with FakeSpheron() as fake, fake.serve() as url1, fake.serve(http2=True) as url2:
        conn.send(("ready", (url1, url2, fake.ca_pem)))
        while True:
            try:
                command, args = conn.recv()
            except EOFError:
                return
            result: Any = None
            if command == "stop":
                conn.send(("ok", None))
                return
            if command == "seed_deployments":
                projects, per_project = args
                result = []
                for index in range(projects):
                    project_id = (
                        DEFAULT_PROJECT_ID if index == 0 else fake.add_project(name=f"p{index}")
                    )
                    for _ in range(per_project):
                        fake.add_deployment(project_id)
                    result.append(project_id)
            elif command == "payload_size":
                with fake.state.lock:
                    fake.state.upload_payload_size = int(args)
            elif command == "forget":
                fake.requests.clear()
                with fake.state.lock:
                    for upload in fake.state.uploads.values():
                        upload.files.clear()
                        upload.chunks.clear()
            conn.send(("ok", result))


class ServerProcess:
    """``with ServerProcess() as server: server.info.http1 ...``; stopped on exit."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child_conn = context.Pipe()
        self._process = context.Process(
            target=_child, args=(child_conn,), name="bench-fake-spheron", daemon=True
        )
        self.info: ServerInfo

    def __enter__(self) -> ServerProcess:
        self._process.start()
        if not self._conn.poll(60):
            self._process.kill()
            raise RuntimeError("the benchmark server did not start within 60 s")
        kind, (url1, url2, ca_pem) = self._conn.recv()
        assert kind == "ready"
        self.info = ServerInfo(url1, url2, ca_pem)
        return self

    def call(self, command: str, args: Any = None, timeout: float = 120) -> Any:
        self._conn.send((command, args))
        if not self._conn.poll(timeout):
            raise RuntimeError(f"the benchmark server did not answer {command!r}")
        _, result = self._conn.recv()
        return result

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._process.is_alive():
                self.call("stop", timeout=10)
        except (OSError, EOFError, RuntimeError):
            pass
        self._process.join(10)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(5)
        self._conn.close()
