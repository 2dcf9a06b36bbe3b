"""In-process httpx transports: async (``httpx.ASGITransport``) and sync (through a portal).

Both honour the request's read timeout (``httpx.ReadTimeout``), so ``delay`` faults behave as
they would over a socket, and surface ``reset`` faults as ``httpx.ReadError``.
"""

from __future__ import annotations

import threading

import anyio
import httpx
from anyio.from_thread import BlockingPortal
from starlette.types import ASGIApp

CLIENT_ADDRESS = ("127.0.0.1", 123)


class InProcessASGITransport(httpx.ASGITransport):
    """``httpx.ASGITransport`` that enforces the read timeout of each request."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app=app, client=CLIENT_ADDRESS)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeouts = request.extensions.get("timeout") or {}
        read = timeouts.get("read")
        if read is None:
            return await super().handle_async_request(request)
        try:
            with anyio.fail_after(read):
                return await super().handle_async_request(request)
        except TimeoutError:
            raise httpx.ReadTimeout(f"no response within {read}s", request=request) from None


class SyncASGITransport(httpx.BaseTransport):
    """A synchronous httpx transport that runs the ASGI app on a private event loop thread.

    The loop thread is a daemon started on first use and stopped by :meth:`close` (which
    ``httpx.Client.close`` calls), so a forgotten client never blocks interpreter exit.
    """

    def __init__(self, app: ASGIApp) -> None:
        self._inner = InProcessASGITransport(app)
        self._lock = threading.Lock()
        self._portal: BlockingPortal | None = None
        self._thread: threading.Thread | None = None

    def _get_portal(self) -> BlockingPortal:
        with self._lock:
            if self._portal is None:
                ready = threading.Event()
                holder: list[BlockingPortal] = []

                async def run_portal() -> None:
                    async with BlockingPortal() as portal:
                        holder.append(portal)
                        ready.set()
                        await portal.sleep_until_stopped()

                self._thread = threading.Thread(
                    target=anyio.run,
                    args=(run_portal,),
                    name="spheron-testing-transport",
                    daemon=True,
                )
                self._thread.start()
                ready.wait()
                self._portal = holder[0]
            return self._portal

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        return self._get_portal().call(self._handle, request)

    async def _handle(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        content = await response.aread()
        return httpx.Response(
            status_code=response.status_code,
            headers=response.headers,
            content=content,
            extensions=response.extensions,
        )

    def close(self) -> None:
        with self._lock:
            portal, thread = self._portal, self._thread
            self._portal = self._thread = None
        if portal is not None:
            portal.call(portal.stop, True)
        if thread is not None:
            thread.join(timeout=5)
