"""One test body for both modes.

The ``mode`` fixture (``tests/conftest.py``) runs a test once with ``Spheron`` and once with
``AsyncSpheron``; these helpers let a single async body drive either: :func:`open_client` opens
the client of the mode (:func:`open_http_client` an httpx client of the mode), :func:`resolve`
awaits what the async client returns (and passes the sync client's values through),
:func:`collect` drains a sync or async iterator, :func:`raised` returns what a call raised.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import httpx

from spheron import AsyncSpheron, Spheron

T = TypeVar("T")

__all__ = ["client_class", "collect", "open_client", "open_http_client", "raised", "resolve"]


def client_class(mode: str) -> type[Spheron] | type[AsyncSpheron]:
    return Spheron if mode == "sync" else AsyncSpheron


@asynccontextmanager
async def open_client(mode: str, *args: Any, **options: Any) -> AsyncIterator[Any]:
    """``Spheron(*args, **options)`` or ``AsyncSpheron(...)``, closed on exit."""
    if mode == "sync":
        with Spheron(*args, **options) as client:
            yield client
    else:
        async with AsyncSpheron(*args, **options) as client:
            yield client


@asynccontextmanager
async def open_http_client(mode: str, **options: Any) -> AsyncIterator[Any]:
    """``httpx.Client(**options)`` or ``httpx.AsyncClient(...)`` (a caller's own pool)."""
    if mode == "sync":
        with httpx.Client(**options) as http:
            yield http
    else:
        async with httpx.AsyncClient(**options) as http:
            yield http


async def resolve(value: Any) -> Any:
    """Await ``value`` if the async client returned an awaitable."""
    return await value if inspect.isawaitable(value) else value


async def collect(items: Iterable[T] | AsyncIterable[T], into: list[T] | None = None) -> list[T]:
    """Every item of a sync or async iterator, appended to ``into`` as it comes (so what was
    seen before an error is kept there)."""
    seen: list[T] = [] if into is None else into
    if isinstance(items, AsyncIterable):
        async for item in items:
            seen.append(item)
    else:
        for item in items:
            seen.append(item)
    return seen


async def raised(call: Callable[[], Any]) -> BaseException:
    """What ``call()`` (awaited when async) raised; fails the test when it raised nothing."""
    try:
        await resolve(call())
    except Exception as exc:
        return exc
    raise AssertionError("the call did not raise")
