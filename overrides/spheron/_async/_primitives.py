"""What genuinely differs between the modes, async side.

The rest of ``spheron/_async/`` is turned into ``spheron/_sync/`` by ``scripts/unasync_sync.py``;
this module is the exception: its sync counterpart, ``spheron/_sync/_primitives.py``, is written
by hand with the same names. Code in ``_async/`` imports these names and never ``asyncio``,
``anyio``, ``threading`` or ``time.sleep`` directly.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable
from typing import TypeVar

import anyio

__all__ = ["Await", "Sleep", "run_blocking", "run_workers", "sleep", "within"]

T = TypeVar("T")

Await = Awaitable
"""``Await[T]``: what a function of this mode returns for a ``T`` (an awaitable here)."""

Sleep = Callable[[float], Awaitable[None]]
"""A function that pauses for some seconds."""


async def sleep(seconds: float) -> None:
    """Pause without blocking the event loop."""
    await anyio.sleep(seconds)


async def within(
    chunks: AsyncIterable[bytes], seconds_left: Callable[[], float | None]
) -> AsyncIterator[bytes]:
    """The chunks of ``chunks``, each read within ``seconds_left()`` (``None``: no limit);
    ``TimeoutError`` when one did not come in time."""
    source = chunks.__aiter__()
    while True:
        seconds = seconds_left()
        got = False
        with anyio.move_on_after(math.inf if seconds is None else seconds):
            try:
                chunk = await source.__anext__()
            except StopAsyncIteration:
                return
            got = True
        if not got:
            raise TimeoutError
        yield chunk  # outside the cancel scope: a scope must not span a yield


async def run_blocking(fn: Callable[..., T], *args: object) -> T:
    """Run blocking ``fn`` (file reads) in a worker thread."""
    return await asyncio.to_thread(fn, *args)


async def run_workers(worker: Callable[[], Awaitable[None]], count: int) -> None:
    """Run ``count`` copies of ``worker`` concurrently as tasks; the first failure is raised
    once the others have been cancelled."""
    tasks = [asyncio.ensure_future(worker()) for _ in range(count)]
    try:
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
