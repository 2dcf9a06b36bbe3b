"""Request recording and fault injection (an ASGI middleware in front of the routes).

Fault kinds:

- ``"status"``: answer ``status`` (default 503) with ``{"message": ...}`` and, if given, a
  ``Retry-After`` header. ``phase="after"`` runs the handler first (the change is applied, the
  answer is lost), ``phase="before"`` (default) does not.
- ``"reset"``: drop the connection without an answer. Over a real socket the TCP connection is
  aborted (``SO_LINGER`` 0, so the peer gets a RST: ``httpx.ReadError`` ECONNRESET over plain
  HTTP; over TLS the TLS layer closes first and httpx reports ``RemoteProtocolError``); in
  process the transport raises ``httpx.ReadError``. ``phase`` as above.
- ``"delay"``: wait ``delay`` seconds. ``phase="before"`` waits before handling and skips the
  handler when the client has gone away meanwhile; ``phase="after"`` handles first and answers
  late. Pair it with a shorter client timeout to exercise timeouts (the in-process transports
  honour the read timeout too). A live server that stops answers pending delays with 503.
- ``"malformed"``: run the handler, then send its status with a truncated (invalid JSON) body.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import weakref
from collections.abc import Iterator
from dataclasses import KW_ONLY, dataclass
from typing import Any, Literal

import anyio
import httpx
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .._exceptions import InvalidArgumentError
from ._clock import Clock
from ._log import RecordedRequest, RequestLog

FaultKind = Literal["status", "reset", "delay", "malformed"]
Phase = Literal["before", "after"]
_KINDS = ("status", "reset", "delay", "malformed")


@dataclass
class Fault:
    """One injected fault; ``times=None`` keeps it forever. ``hits`` counts applications."""

    kind: FaultKind
    method: str | None = None
    path: str | None = None
    status: int = 503
    retry_after: float | str | None = None
    delay: float = 5.0
    times: int | None = 1
    phase: Phase = "before"
    message: str | None = None
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        """Whether this fault applies to a request with ``method`` and ``path``."""
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self.path is None or path.startswith(self.path)

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.hits >= self.times


class Faults:
    """The active faults; the first matching one applies to a request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(
        self,
        kind: FaultKind = "status",
        *,
        method: str | None = None,
        path: str | None = None,
        status: int = 503,
        retry_after: float | str | None = None,
        delay: float = 5.0,
        times: int | None = 1,
        phase: Phase = "before",
        message: str | None = None,
    ) -> Fault:
        """Inject a fault of ``kind`` (see the module docstring) and return it.

        It applies to requests whose path starts with ``path`` and, if given, whose method is
        ``method``; for ``times`` requests (``None``: forever). ``status`` (default 503) with
        its ``message`` and ``retry_after`` are for ``"status"`` faults, ``delay`` seconds for
        ``"delay"``; ``phase`` says whether the handler runs first (``"after"``) or not
        (``"before"``).
        """
        if kind not in _KINDS:
            raise InvalidArgumentError(f"kind must be one of {_KINDS}")
        if phase not in ("before", "after"):
            raise InvalidArgumentError("phase must be 'before' or 'after'")
        if times is not None and times < 1:
            raise InvalidArgumentError("times must be >= 1 or None (forever)")
        fault = Fault(kind, method, path, status, retry_after, delay, times, phase, message)
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        """The fault to apply to a request with ``method`` and ``path``, counting the hit."""
        with self._lock:
            for fault in self._faults:
                if not fault.exhausted and fault.matches(method, path):
                    fault.hits += 1
                    return fault
        return None

    def remove(self, fault: Fault) -> None:
        """Stop applying ``fault``."""
        with self._lock:
            self._faults = [f for f in self._faults if f is not fault]

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    @property
    def active(self) -> list[Fault]:
        with self._lock:
            return [f for f in self._faults if not f.exhausted]

    def __iter__(self) -> Iterator[Fault]:
        return iter(self.active)

    def __len__(self) -> int:
        return len(self.active)


class ConnectionRegistry:
    """Live-server bookkeeping shared with the middleware.

    Accepted sockets are kept by client address (so a fault can reset one), and servers that
    are shutting down by listening address (so delayed requests stop waiting).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: weakref.WeakValueDictionary[tuple[str, int], socket.socket] = (
            weakref.WeakValueDictionary()
        )
        self._stopping: set[tuple[str, int]] = set()

    @staticmethod
    def _key(address: Any) -> tuple[str, int] | None:
        if isinstance(address, (tuple, list)) and len(address) >= 2 and address[1] is not None:
            return (str(address[0]), int(address[1]))
        return None

    def add(self, address: Any, conn: socket.socket) -> None:
        key = self._key(address)
        if key is not None:
            with self._lock:
                self._sockets[key] = conn

    def get(self, client: Any) -> socket.socket | None:
        key = self._key(client)
        if key is None:
            return None
        with self._lock:
            return self._sockets.get(key)

    def set_stopping(self, server: tuple[str, int], stopping: bool) -> None:
        with self._lock:
            if stopping:
                self._stopping.add(server)
            else:
                self._stopping.discard(server)

    def stopping(self, server: Any) -> bool:
        key = self._key(server)
        with self._lock:
            return key is not None and key in self._stopping


def reset_socket(conn: socket.socket) -> None:
    """Abort a TCP connection: no further bytes, RST on close."""
    try:
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        # Shutting down only the read side sends nothing; the server's transport then sees EOF
        # and closes the socket, which (linger 0) sends the peer a RST: ECONNRESET.
        conn.shutdown(socket.SHUT_RD)
    except OSError:
        pass


_SHUTTING_DOWN = Fault("status", status=503, message="The fake server is shutting down")


async def _read_body(receive: Receive) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks), True
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks), False


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _send_error(send: Send, fault: Fault) -> None:
    message = fault.message or f"Injected fault: HTTP {fault.status}"
    body = json.dumps({"message": message}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if fault.retry_after is not None:
        value = fault.retry_after
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        headers.append((b"retry-after", str(value).encode()))
    await send({"type": "http.response.start", "status": fault.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


@dataclass(eq=False)
class FaultMiddleware:
    """Records each request, ticks the clock, then applies the first matching fault."""

    app: ASGIApp
    _: KW_ONLY
    faults: Faults
    log: RequestLog
    clock: Clock
    connections: ConnectionRegistry
    routes: list[Route]

    def _route_of(self, scope: Scope) -> str | None:
        for route in self.routes:
            match, _ = route.matches(scope)
            if match == Match.FULL:
                return route.path
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body, disconnected = await _read_body(receive)
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        record = RecordedRequest(
            method=scope["method"],
            path=scope["path"],
            query=scope.get("query_string", b"").decode("latin-1"),
            headers=headers,
            body=body,
            time=self.clock.now(),
            route=self._route_of(scope),
        )
        self.log.append(record)
        self.clock.tick()
        if disconnected:
            return
        inner_receive = _replay(body, receive)

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                record.status = message["status"]
            await send(message)

        fault = self.faults.take(scope["method"], scope["path"])
        if fault is None:
            await self.app(scope, inner_receive, recording_send)
            return
        record.fault = fault.kind
        await self._apply(fault, scope, receive, inner_receive, recording_send)

    async def _apply(
        self, fault: Fault, scope: Scope, receive: Receive, inner: Receive, send: Send
    ) -> None:
        buffered: list[Message] = []

        async def buffer(message: Message) -> None:
            buffered.append(message)

        if fault.kind == "delay" and fault.phase == "before":
            outcome = await self._wait(fault.delay, scope, receive)
            if outcome == "done":
                await self.app(scope, inner, send)
            elif outcome == "stopping":
                await _send_error(send, _SHUTTING_DOWN)
            return
        if fault.phase == "after" or fault.kind in ("malformed", "delay"):
            await self.app(scope, inner, buffer)
        if fault.kind == "status":
            await _send_error(send, fault)
        elif fault.kind == "reset":
            await self._reset(scope, receive)
        elif fault.kind == "delay":
            if await self._wait(fault.delay, scope, receive) != "gone":
                for message in buffered:
                    await send(message)
        else:
            await _send_truncated(send, buffered)

    async def _wait(self, seconds: float, scope: Scope, receive: Receive) -> str:
        """Sleep up to ``seconds``: ``"done"``, or ``"gone"`` / ``"stopping"`` when cut short."""
        outcome = "done"
        async with anyio.create_task_group() as group:

            async def watch() -> None:
                nonlocal outcome
                while (await receive())["type"] != "http.disconnect":
                    pass
                outcome = "gone"
                group.cancel_scope.cancel()

            group.start_soon(watch)
            deadline = anyio.current_time() + seconds
            while (left := deadline - anyio.current_time()) > 0:
                if self.connections.stopping(scope.get("server")):
                    outcome = "stopping"
                    break
                await anyio.sleep(min(left, 0.05))
            group.cancel_scope.cancel()
        return outcome

    async def _reset(self, scope: Scope, receive: Receive) -> None:
        conn = self.connections.get(scope.get("client"))
        if conn is None:
            raise httpx.ReadError("[Errno 104] Connection reset by peer (spheron.testing fault)")
        reset_socket(conn)
        with anyio.move_on_after(2):
            while (await receive())["type"] != "http.disconnect":
                pass


async def _send_truncated(send: Send, buffered: list[Message]) -> None:
    start = next((m for m in buffered if m["type"] == "http.response.start"), None)
    body = b"".join(m.get("body", b"") for m in buffered if m["type"] == "http.response.body")
    cut = body[: max(1, len(body) // 2)] if body else b"{"
    headers = [
        (k, v) for k, v in (start or {}).get("headers", []) if k.lower() != b"content-length"
    ]
    headers.append((b"content-length", str(len(cut)).encode()))
    status = start["status"] if start else 200
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": cut})
