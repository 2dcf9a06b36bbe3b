"""Response bodies read within a size cap and a deadline.

httpx decodes ``Content-Encoding`` with no bound on the output: a 1.8 KB body declared
``gzip, gzip`` expands to 1 GiB and ends in ``MemoryError``. :class:`BodyLimiter` decodes the
layers itself (``zlib`` with ``max_length``, so no single step produces more than the cap allows),
counts decoded bytes as they stream, and raises :class:`ResponseTooLargeError` as soon as the cap
is passed; memory stays near the cap. It also checks the call's deadline at every chunk, so a
server that drips one byte per read timeout cannot hold a call past ``total_timeout``.

The streams that read a body through it (``spheron._async._body_stream``, and its generated sync
copy) hand httpx already-decoded bytes; the response they belong to must lose its
``Content-Encoding`` and ``Content-Length`` headers (:func:`decoded_headers`) so httpx does not
decode again. Written here because httpx exposes no bounded decoder; only ``zlib`` is used.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterable, Iterator
from typing import Any

import httpx

from ._errors import make_too_large_error, make_total_timeout_error

__all__ = [
    "BodyLimiter",
    "already_read",
    "capped_error_response",
    "decoded_headers",
    "limited_response",
]

_GZIP = 16 + zlib.MAX_WBITS
_STEP = 64 * 1024  # the most one decompression step may produce: memory stays near the cap
_DECODABLE = frozenset({"gzip", "x-gzip", "deflate"})


class _Layer:
    """One ``Content-Encoding`` layer, decoded with bounded output."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.produced = 0
        if name in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(_GZIP)
            self._fallback = False
        elif name == "deflate":
            # Servers send either zlib-wrapped or raw deflate; the first bytes tell which.
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS)
            self._fallback = True
        else:  # pragma: no cover - filtered by BodyLimiter
            raise httpx.DecodingError(f"unsupported Content-Encoding {name!r}")

    def decode(self, data: bytes, budget: int) -> Iterator[bytes]:
        """Decode ``data``, never more than ``budget`` bytes in one step."""
        try:
            out = self._zlib.decompress(data, budget)
        except zlib.error as exc:
            if not self._fallback:
                raise httpx.DecodingError(f"invalid {self.name} data: {exc}") from None
            self._fallback = False
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            yield from self.decode(data, budget)
            return
        self._fallback = False
        while True:
            self.produced += len(out)
            if out:
                yield out
            tail = self._zlib.unconsumed_tail
            if not tail:
                return
            try:
                out = self._zlib.decompress(tail, budget)
            except zlib.error as exc:
                raise httpx.DecodingError(f"invalid {self.name} data: {exc}") from None

    def flush(self) -> bytes:
        try:
            return self._zlib.flush()
        except zlib.error as exc:
            raise httpx.DecodingError(f"invalid {self.name} data: {exc}") from None


class BodyLimiter:
    """Decodes and counts one response body; raises past ``max_bytes`` or past ``deadline``.

    ``max_bytes`` counts decoded bytes (``None``: no cap); ``deadline`` is a
    ``time.monotonic()`` value (``None``: none); ``truncate=True`` stops quietly at the cap
    instead of raising (error bodies, which are only kept for the message).
    """

    def __init__(
        self,
        request: httpx.Request,
        headers: httpx.Headers,
        *,
        max_bytes: int | None,
        deadline: float | None,
        truncate: bool = False,
    ) -> None:
        self.request = request
        self.max_bytes = max_bytes
        self.deadline = deadline
        self.truncate = truncate
        self.received = 0
        self.full = False
        # Codings this client cannot decode are passed through as they are, as httpx does
        # (the body then fails to decode as JSON, a typed error).
        declared = headers.get("content-encoding")
        names = [part.strip().lower() for part in declared.split(",")] if declared else []
        # Listed in the order they were applied: undo them last to first.
        self._layers = [_Layer(name) for name in reversed(names) if name in _DECODABLE]

    def remaining_time(self) -> float | None:
        """Seconds left before the deadline (raises once it has passed)."""
        if self.deadline is None:
            return None
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise make_total_timeout_error(self.request)
        return left

    def feed(self, raw: bytes) -> Iterable[bytes]:
        """Decoded bytes for ``raw``, in steps of at most 64 KiB; raises past the cap."""
        self.remaining_time()
        if not self._layers:  # nothing to decode: count it and pass it on as it is
            return self._count(raw)
        return self._decode(raw)

    def _decode(self, raw: bytes) -> Iterator[bytes]:
        for chunk in self._through(raw, 0):
            yield from self._count(chunk)
            if self.full:
                return

    def finish(self) -> Iterator[bytes]:
        """Whatever the decoders still hold once the raw body has ended."""
        for depth, layer in enumerate(self._layers):
            for chunk in self._through(layer.flush(), depth + 1):
                yield from self._count(chunk)
                if self.full:
                    return

    def _through(self, data: bytes, depth: int) -> Iterator[bytes]:
        """``data`` decoded by the layers from ``depth`` on, one bounded step at a time."""
        if depth == len(self._layers):
            if data:
                yield data
            return
        layer = self._layers[depth]
        for out in layer.decode(data, _STEP):
            if self.max_bytes is not None and layer.produced > self.max_bytes:
                self._reach_cap(self.max_bytes)
                return
            yield from self._through(out, depth + 1)

    def _count(self, chunk: bytes) -> tuple[bytes, ...]:
        """``chunk`` counted: as it is, or (``truncate``) cut at the cap."""
        if self.max_bytes is None or self.received + len(chunk) <= self.max_bytes:
            self.received += len(chunk)
            return (chunk,)
        room = self.max_bytes - self.received
        self._reach_cap(self.max_bytes)
        self.received = self.max_bytes
        return (chunk[:room],) if room > 0 else ()

    def _reach_cap(self, max_bytes: int) -> None:
        """The body passed ``max_bytes``: raise, or (``truncate``) mark it full."""
        if not self.truncate:
            raise make_too_large_error(self.request, max_bytes)
        self.full = True


def already_read(
    response: httpx.Response,
) -> tuple[httpx.SyncByteStream | httpx.AsyncByteStream, httpx.Headers]:
    """The body to read and the headers describing it.

    Normally the raw stream and the response's headers. When a response hook of a caller's own
    ``http_client`` has read the body already, httpx holds it decoded: then that content, with
    headers that no longer claim an encoding.
    """
    if response.is_stream_consumed:
        return httpx.ByteStream(response.content), decoded_headers(response.headers)
    stream = response.stream
    assert isinstance(stream, (httpx.SyncByteStream, httpx.AsyncByteStream))
    return stream, response.headers


def limited_response(
    response: httpx.Response, stream: httpx.SyncByteStream | httpx.AsyncByteStream
) -> httpx.Response:
    """``response`` with its body read through ``stream`` (already decoded).

    The response is changed in place (this runs on every call, and a new ``httpx.Response`` costs
    more than the rest of this module): its stream is swapped, and a ``Content-Encoding`` is
    dropped with the ``Content-Length`` of the encoded body, so httpx does not decode again. A
    body a caller's response hook has read already gets a fresh response around ``stream``.
    """
    if response.is_stream_consumed:
        return _rebuilt(response, stream=stream)
    if "content-encoding" in response.headers:
        _drop_encoding(response.headers)
    response.stream = stream
    return response


def capped_error_response(response: httpx.Response, body: bytes) -> httpx.Response:
    """An error ``response`` whose (capped, decoded) ``body`` has been read."""
    return _rebuilt(response, content=body)


def _rebuilt(response: httpx.Response, **body: Any) -> httpx.Response:
    """A copy of ``response`` with another, already decoded body (``stream=`` or ``content=``)."""
    return httpx.Response(
        response.status_code,
        headers=decoded_headers(response.headers),
        request=response.request,
        extensions=response.extensions,
        **body,
    )


def decoded_headers(headers: httpx.Headers) -> httpx.Headers:
    """``headers`` for a body this module already decoded (no encoding, no stale length)."""
    fresh = httpx.Headers(headers)
    _drop_encoding(fresh)
    return fresh


def _drop_encoding(headers: httpx.Headers) -> None:
    for name in ("content-encoding", "content-length"):
        if name in headers:
            del headers[name]
