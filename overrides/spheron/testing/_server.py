"""Serving the fake over a real loopback socket: uvicorn (HTTP/1.1) or hypercorn (HTTP/2 + TLS).

Servers run in a daemon thread with their own event loop. The listening socket records every
accepted connection so that ``reset`` faults can abort the right TCP connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import ssl
import tempfile
import threading
import time
from typing import Any

from starlette.types import ASGIApp

from .._exceptions import InvalidArgumentError
from ._errors import FakeServerError
from ._faults import ConnectionRegistry

_log = logging.getLogger("spheron.testing")


class _TrackingSocket(socket.socket):
    """A listening socket that remembers the connections it accepts."""

    registry: ConnectionRegistry

    def accept(self) -> tuple[socket.socket, Any]:
        conn, address = super().accept()
        self.registry.add(address, conn)
        return conn, address


def _listen(host: str, port: int, registry: ConnectionRegistry) -> _TrackingSocket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = _TrackingSocket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # TCP_NODELAY
    sock.registry = registry
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


class TLSMaterial:
    """A throwaway certificate authority and a server certificate for 127.0.0.1/localhost."""

    def __init__(self) -> None:
        try:
            import trustme
        except ImportError as exc:  # pragma: no cover - depends on the installed extra
            raise ImportError(
                "TLS needs trustme: pip install 'spheron-api-client[testing]'"
            ) from exc
        self._dir = tempfile.TemporaryDirectory(prefix="spheron-testing-")
        self.ca = trustme.CA()
        cert = self.ca.issue_cert("127.0.0.1", "localhost", "::1")
        self.ca_path = os.path.join(self._dir.name, "ca.pem")
        self.server_pem_path = os.path.join(self._dir.name, "server.pem")
        self.ca.cert_pem.write_to_path(self.ca_path)
        cert.private_key_and_cert_chain_pem.write_to_path(self.server_pem_path)

    @property
    def ca_pem(self) -> bytes:
        return self.ca.cert_pem.bytes()

    def client_context(self) -> ssl.SSLContext:
        """An ``ssl.SSLContext`` that trusts the throwaway CA (pass it as httpx ``verify=``)."""
        return ssl.create_default_context(cafile=self.ca_path)

    def cleanup(self) -> None:
        self._dir.cleanup()


class LiveServer:
    """One running server. Use :meth:`start` / :meth:`stop` (``FakeSpheron.serve`` does)."""

    def __init__(
        self,
        app: ASGIApp,
        registry: ConnectionRegistry,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        http2: bool = False,
        tls: TLSMaterial | None = None,
    ) -> None:
        if http2 and tls is None:
            raise InvalidArgumentError("HTTP/2 is served over TLS only")
        self.app = app
        self._registry = registry
        self.http2 = http2
        self.tls = tls
        self._sock = _listen(host, port, registry)
        bound_host, bound_port = self._sock.getsockname()[:2]
        scheme = "https" if tls else "http"
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        self.host = bound_host
        self.port = bound_port
        self.url = f"{scheme}://{shown}:{bound_port}"
        self._thread: threading.Thread | None = None
        self._stop: Any = None
        self._error: BaseException | None = None
        self._started = threading.Event()

    def start(self, timeout: float = 10.0) -> None:
        target = self._run_hypercorn if self.http2 else self._run_uvicorn
        self._thread = threading.Thread(target=target, name=f"spheron-fake {self.url}", daemon=True)
        self._thread.start()
        if not self._started.wait(timeout) or self._error is not None:
            self.stop()
            raise FakeServerError(f"the fake server did not start: {self._error!r}")

    def stop(self, timeout: float = 5.0) -> None:
        self._registry.set_stopping((self.host, self.port), True)
        if self._stop is not None:
            self._stop()
        if self._thread is not None:
            self._thread.join(timeout)
        with contextlib.suppress(OSError):
            self._sock.close()
        self._registry.set_stopping((self.host, self.port), False)

    # uvicorn -------------------------------------------------------------------------------

    def _run_uvicorn(self) -> None:
        try:
            import uvicorn

            config = uvicorn.Config(
                self.app,
                lifespan="off",
                loop="asyncio",
                http="h11",
                ws="none",
                log_config=None,
                log_level=None,
                access_log=False,
                timeout_graceful_shutdown=1,
                ssl_certfile=self.tls.server_pem_path if self.tls else None,
                ssl_keyfile=self.tls.server_pem_path if self.tls else None,
            )
            server = uvicorn.Server(config)

            def stop() -> None:
                server.should_exit = True

            self._stop = stop
            watcher = threading.Thread(target=self._watch_uvicorn, args=(server,), daemon=True)
            watcher.start()
            server.run(sockets=[self._sock])
        except BaseException as exc:  # pragma: no cover - reported by start()
            self._error = exc
            self._started.set()

    def _watch_uvicorn(self, server: Any) -> None:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline and self._error is None:
            time.sleep(0.01)
        self._started.set()

    # hypercorn -----------------------------------------------------------------------------

    def _run_hypercorn(self) -> None:
        try:
            asyncio.run(self._hypercorn_main())
        except BaseException as exc:  # pragma: no cover - reported by start()
            self._error = exc
            self._started.set()

    async def _hypercorn_main(self) -> None:
        from hypercorn.asyncio.run import worker_serve
        from hypercorn.config import Config, Sockets
        from hypercorn.utils import wrap_app

        assert self.tls is not None
        config = Config()
        config.certfile = self.tls.server_pem_path
        config.keyfile = self.tls.server_pem_path
        config.alpn_protocols = ["h2", "http/1.1"]
        config.graceful_timeout = 1.0
        # hypercorn closes an HTTP/2 connection after 1,000 requests by default; a client test
        # or benchmark that keeps one connection for longer should not see that.
        config.keep_alive_max_requests = 1_000_000
        config.accesslog = None
        config.errorlog = _log
        loop = asyncio.get_running_loop()
        stopped = asyncio.Event()

        def stop() -> None:
            loop.call_soon_threadsafe(stopped.set)

        self._stop = stop
        loop.call_soon(self._started.set)
        app: Any = self.app  # starlette's and hypercorn's ASGI type aliases differ
        await worker_serve(
            wrap_app(app, config.wsgi_max_body_size, "asgi"),
            config,
            sockets=Sockets([self._sock], [], []),
            shutdown_trigger=stopped.wait,
        )
