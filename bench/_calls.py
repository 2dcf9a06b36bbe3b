"""``python -m bench._calls VARIANT MODE PROTOCOL N``: ``overhead``'s call, N times, in a fresh
process and nothing else (run under callgrind by ``instructions``).

VARIANT is ``ours`` (``client.organizations.get(id)``) or ``raw`` (an httpx GET and
``json.loads``); MODE ``sync`` or ``async``; PROTOCOL ``http1`` or ``http2``. The server's URLs
and CA come from the environment (``BENCH_HTTP1``, ``BENCH_HTTP2``, ``BENCH_CA_FILE``).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from spheron.testing import DEFAULT_ORGANIZATION_ID

from ._server import ServerInfo
from .overhead import PATH, _async_clients, _sync_clients


def _info() -> ServerInfo:
    ca = Path(os.environ["BENCH_CA_FILE"]).read_bytes()
    return ServerInfo(os.environ["BENCH_HTTP1"], os.environ["BENCH_HTTP2"], ca)


def _sync(variant: str, protocol: str, calls: int) -> None:
    raw, ours = _sync_clients(_info(), protocol)
    with raw, ours:
        for _ in range(calls):
            if variant == "ours":
                ours.organizations.get(DEFAULT_ORGANIZATION_ID)
            else:
                json.loads(raw.get(PATH).content)


async def _async(variant: str, protocol: str, calls: int) -> None:
    raw, ours = _async_clients(_info(), protocol)
    async with raw, ours:
        for _ in range(calls):
            if variant == "ours":
                await ours.organizations.get(DEFAULT_ORGANIZATION_ID)
            else:
                json.loads((await raw.get(PATH)).content)


def main(argv: list[str]) -> int:
    variant, mode, protocol, calls = argv[0], argv[1], argv[2], int(argv[3])
    if mode == "sync":
        _sync(variant, protocol, calls)
    else:
        asyncio.run(_async(variant, protocol, calls))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
