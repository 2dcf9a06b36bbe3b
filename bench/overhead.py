"""1. Per-call overhead: ``client.organizations.get(id)`` against ``httpx`` GET + ``json.loads``.

Same URL, same server, same protocol. The server runs in another process, so the CPU time of
this process is the client's alone; wall time is reported for context. A third variant,
``stack``, sends the same GET through ``client.api``'s httpx client (our auth, retry and error
transports) and decodes with ``json.loads`` only: it splits our extra cost into the transport
stack and the model decoding (generated ``from_dict``) plus the namespace call.
"""

from __future__ import annotations

import asyncio
import gc
import json
import time
from collections.abc import Awaitable, Callable

import httpx

from spheron import AsyncSpheron, Spheron
from spheron.testing import DEFAULT_ORGANIZATION_ID, DEFAULT_TOKEN

from ._common import AUTH, TIMEOUT_SECONDS, Figure, Settings, alternating, median, timed
from ._server import ServerInfo

__all__ = ["run"]

PATH = f"/v1/organization/{DEFAULT_ORGANIZATION_ID}"
PROTOCOLS = {"http1": "HTTP/1.1", "http2": "HTTP/2"}
WARMUP = 20


def _sync_clients(info: ServerInfo, protocol: str) -> tuple[httpx.Client, Spheron]:
    if protocol == "http1":
        raw = httpx.Client(base_url=info.http1, headers=AUTH, timeout=TIMEOUT_SECONDS)
        return raw, Spheron(DEFAULT_TOKEN, base_url=info.http1)
    ctx = info.ssl_context()
    raw = httpx.Client(
        base_url=info.http2, headers=AUTH, timeout=TIMEOUT_SECONDS, http2=True, verify=ctx
    )
    pool = httpx.HTTPTransport(http2=True, verify=ctx)
    return raw, Spheron(DEFAULT_TOKEN, base_url=info.http2, transport=pool)


def _async_clients(info: ServerInfo, protocol: str) -> tuple[httpx.AsyncClient, AsyncSpheron]:
    if protocol == "http1":
        raw = httpx.AsyncClient(base_url=info.http1, headers=AUTH, timeout=TIMEOUT_SECONDS)
        return raw, AsyncSpheron(DEFAULT_TOKEN, base_url=info.http1)
    ctx = info.ssl_context()
    raw = httpx.AsyncClient(
        base_url=info.http2, headers=AUTH, timeout=TIMEOUT_SECONDS, http2=True, verify=ctx
    )
    pool = httpx.AsyncHTTPTransport(http2=True, verify=ctx)
    return raw, AsyncSpheron(DEFAULT_TOKEN, base_url=info.http2, transport=pool)


def _check_version(response: httpx.Response, protocol: str) -> None:
    if response.http_version != PROTOCOLS[protocol]:
        raise RuntimeError(f"expected {PROTOCOLS[protocol]}, got {response.http_version}")


def _figures(
    mode: str, protocol: str, samples: dict[str, list[tuple[float, float]]], calls: int
) -> list[Figure]:
    """Per-call medians; details keep every round and where our extra CPU goes."""
    per_call = {
        name: (
            median([cpu for cpu, _ in rounds]) / calls * 1e6,
            median([wall for _, wall in rounds]) / calls * 1e6,
        )
        for name, rounds in samples.items()
    }
    label = f"{mode} {PROTOCOLS[protocol]}"
    details = {
        "calls_per_round": calls,
        "rounds": len(samples["ours"]),
        "cpu_us_per_round": {k: [c / calls * 1e6 for c, _ in v] for k, v in samples.items()},
        "wall_us_per_round": {k: [w / calls * 1e6 for _, w in v] for k, v in samples.items()},
    }
    ours_cpu, ours_wall = per_call["ours"]
    raw_cpu, raw_wall = per_call["raw"]
    stack_cpu = per_call["stack"][0]
    details["extra_cpu_us"] = {
        "total": ours_cpu - raw_cpu,
        "transport_stack": stack_cpu - raw_cpu,
        "decoding_and_namespace": ours_cpu - stack_cpu,
    }
    details["stack_cpu_ratio"] = stack_cpu / raw_cpu
    return [
        Figure(
            id=f"overhead.{mode}.{protocol}.cpu",
            group="overhead",
            label=f"per-call client CPU, {label}",
            unit="us/call",
            ours=ours_cpu,
            raw=raw_cpu,
            ratio=ours_cpu / raw_cpu,
            details=details,  # held to 1.10 as instructions (``instructions``): this moves ±10%
        ),
        Figure(
            id=f"overhead.{mode}.{protocol}.wall",
            group="overhead",
            label=f"per-call wall time, {label}",
            unit="us/call",
            ours=ours_wall,
            raw=raw_wall,
            ratio=ours_wall / raw_wall,
            details={"calls_per_round": calls},
        ),
    ]


def _run_sync(info: ServerInfo, protocol: str, settings: Settings) -> list[Figure]:
    raw, ours = _sync_clients(info, protocol)
    with raw, ours:

        def raw_call() -> None:
            response = raw.get(PATH)
            response.raise_for_status()
            json.loads(response.content)

        def ours_call() -> None:
            ours.organizations.get(DEFAULT_ORGANIZATION_ID)

        stack = ours.api.get_httpx_client()

        def stack_call() -> None:
            json.loads(stack.get(PATH).content)

        _check_version(raw.get(PATH), protocol)
        _check_version(stack.get(PATH), protocol)
        calls = {"raw": raw_call, "ours": ours_call, "stack": stack_call}
        for fn in calls.values():
            timed(fn, WARMUP)
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in calls}
        for _, name in alternating(list(calls), settings.overhead_rounds):
            samples[name].append(timed(calls[name], settings.overhead_calls))
    return _figures("sync", protocol, samples, settings.overhead_calls)


async def _atimed(fn: Callable[[], Awaitable[object]], repeat: int) -> tuple[float, float]:
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(repeat):
        await fn()
    return time.process_time() - cpu, time.perf_counter() - wall


async def _run_async(info: ServerInfo, protocol: str, settings: Settings) -> list[Figure]:
    raw, ours = _async_clients(info, protocol)
    async with raw, ours:

        async def raw_call() -> None:
            response = await raw.get(PATH)
            response.raise_for_status()
            json.loads(response.content)

        async def ours_call() -> None:
            await ours.organizations.get(DEFAULT_ORGANIZATION_ID)

        stack = ours.api.get_async_httpx_client()

        async def stack_call() -> None:
            json.loads((await stack.get(PATH)).content)

        _check_version(await raw.get(PATH), protocol)
        _check_version(await stack.get(PATH), protocol)
        calls = {"raw": raw_call, "ours": ours_call, "stack": stack_call}
        for fn in calls.values():
            await _atimed(fn, WARMUP)
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in calls}
        for _, name in alternating(list(calls), settings.overhead_rounds):
            samples[name].append(await _atimed(calls[name], settings.overhead_calls))
    return _figures("async", protocol, samples, settings.overhead_calls)


def run(info: ServerInfo, settings: Settings) -> list[Figure]:
    figures: list[Figure] = []
    for protocol in PROTOCOLS:
        figures += _run_sync(info, protocol, settings)
        figures += asyncio.run(_run_async(info, protocol, settings))
    return figures
