"""2. Concurrency: a burst of concurrent ``AsyncSpheron`` GETs against raw ``httpx.AsyncClient``.

Both sides use the same connection limits (100 connections, 20 kept alive) and timeouts.
Throughput is requests per second of wall time for the whole burst; client CPU per request is
kept in the details. Every measured burst directly follows an unmeasured one on the same client,
so both sides are measured with a warm pool: a cold burst (connections to open, kept-alive ones
dropped by the server while the other side ran) is several times slower and much noisier,
mostly in httpcore's pool, whose request queue is rescanned against every connection on each
state change (quadratic in the burst size; the same for both sides).
"""

from __future__ import annotations

import asyncio
import gc
import json
import time
from collections.abc import Awaitable, Callable

from spheron.testing import DEFAULT_ORGANIZATION_ID

from ._common import Figure, Settings, alternating, median
from ._server import ServerInfo
from .overhead import PATH, PROTOCOLS, _async_clients

__all__ = ["run"]


async def _burst(fn: Callable[[], Awaitable[object]], size: int) -> tuple[float, float]:
    """Requests per second and client CPU microseconds per request for one burst."""
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(fn() for _ in range(size)))
    wall = time.perf_counter() - wall
    return size / wall, (time.process_time() - cpu) / size * 1e6


async def _run(info: ServerInfo, protocol: str, settings: Settings) -> Figure:
    raw, ours = _async_clients(info, protocol)
    async with raw, ours:

        async def raw_call() -> None:
            response = await raw.get(PATH)
            response.raise_for_status()
            json.loads(response.content)

        async def ours_call() -> None:
            await ours.organizations.get(DEFAULT_ORGANIZATION_ID)

        calls = {"raw": raw_call, "ours": ours_call}
        samples: dict[str, list[tuple[float, float]]] = {"raw": [], "ours": []}
        for _, name in alternating(list(calls), settings.concurrency_rounds):
            await _burst(calls[name], settings.concurrency)
            samples[name].append(await _burst(calls[name], settings.concurrency))
    rate = {k: median([r for r, _ in v]) for k, v in samples.items()}
    cpu = {k: median([c for _, c in v]) for k, v in samples.items()}
    return Figure(
        id=f"concurrency.{protocol}.throughput",
        group="concurrency",
        label=f"{settings.concurrency} concurrent async GETs, {PROTOCOLS[protocol]}",
        unit="req/s",
        ours=rate["ours"],
        raw=rate["raw"],
        ratio=rate["ours"] / rate["raw"],
        target=0.9,
        target_op=">=",
        details={
            "concurrent_requests": settings.concurrency,
            "rounds": settings.concurrency_rounds,
            "req_per_s_per_round": {k: [r for r, _ in v] for k, v in samples.items()},
            "client_cpu_us_per_request": cpu,
            "client_cpu_ratio": cpu["ours"] / cpu["raw"],
        },
    )


def run(info: ServerInfo, settings: Settings) -> list[Figure]:
    return [asyncio.run(_run(info, protocol, settings)) for protocol in PROTOCOLS]
