"""Measurements that need a fresh process: ``python -m bench._child requests|upload ...``.

Prints one JSON object on stdout.

``requests``: ``--total`` GETs of one organization through one client (ours or raw httpx),
answered in process by ``httpx.MockTransport`` (100,000 requests over the loopback server
would take minutes); RSS after ``--warm`` requests and at checkpoints up to ``--total``.

``upload``: one upload of ``--file`` to the server at ``--url``; the tracemalloc peak
(Python allocations made during the upload) and the RSS high-water mark above the RSS before.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx

from ._common import AUTH, TIMEOUT_SECONDS, rss_bytes

ORGANIZATION = (
    b'{"_id":"65a000000000000000000002","profile":{"name":"Test Organization","image":"",'
    b'"username":"test-org"},"users":["65a000000000000000000001"],"registries":[],'
    b'"overdue":false,"appType":"app","invitedMembers":[],'
    b'"createdAt":"2024-06-01T12:00:00.000Z","updatedAt":"2024-06-01T12:00:00.000Z"}'
)


def _answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=ORGANIZATION, headers={"content-type": "application/json"})


def _requests(variant: str, warm: int, total: int) -> dict[str, Any]:
    from spheron import Spheron
    from spheron.testing import DEFAULT_ORGANIZATION_ID, DEFAULT_TOKEN

    base = "http://127.0.0.1:9"
    path = f"/v1/organization/{DEFAULT_ORGANIZATION_ID}"
    call: Callable[[], object]
    if variant == "ours":
        client = Spheron(DEFAULT_TOKEN, base_url=base, transport=httpx.MockTransport(_answer))

        def call() -> object:
            return client.organizations.get(DEFAULT_ORGANIZATION_ID)

    else:
        mock = httpx.MockTransport(_answer)
        raw = httpx.Client(base_url=base, headers=AUTH, timeout=TIMEOUT_SECONDS, transport=mock)

        def call() -> object:
            response = raw.get(path)
            response.raise_for_status()
            return json.loads(response.content)

    checkpoints = sorted({warm, *(total * i // 10 for i in range(1, 11))})
    points = []
    done = 0
    start = time.perf_counter()
    for checkpoint in checkpoints:
        while done < checkpoint:
            call()
            done += 1
        gc.collect()
        points.append({"requests": done, "rss": rss_bytes(), "objects": len(gc.get_objects())})
    return {"variant": variant, "seconds": time.perf_counter() - start, "points": points}


def _reset_peak_rss() -> bool:
    """Reset the kernel's RSS high-water mark (Linux ``clear_refs``); False if unsupported."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return False
    return True


def _peak_rss() -> int:
    """RSS high-water mark of this process (``VmHWM``, else ``ru_maxrss``).

    ``ru_maxrss`` is not used on Linux: after fork and exec it still carries the parent's peak.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def _upload(variant: str, url: str, file: Path) -> dict[str, Any]:
    from spheron import Spheron
    from spheron.testing import DEFAULT_TOKEN

    from .upload import ours_upload, raw_upload

    upload: Callable[[Path], str]
    if variant == "ours":
        client = Spheron(DEFAULT_TOKEN, base_url=url)

        def upload(path: Path) -> str:
            return ours_upload(client, path, "bench-memory")

    else:
        http = httpx.Client(base_url=url, headers=AUTH, timeout=TIMEOUT_SECONDS)

        def upload(path: Path) -> str:
            return raw_upload(http, path, "bench-memory")

    # warm-up: connect, import lazily loaded modules, start the worker machinery
    warm = file.with_name(f"{file.name}.warm")
    warm.write_bytes(b"warm-up")
    try:
        upload(warm)
    finally:
        warm.unlink()
    gc.collect()
    rss_before = rss_bytes()
    hwm_reset = _reset_peak_rss()
    tracemalloc.start()
    start = time.perf_counter()
    cid = upload(file)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "variant": variant,
        "file_size": file.stat().st_size,
        "cid": cid,
        "seconds": seconds,
        "traced_peak": peak,
        "rss_before": rss_before,
        "rss_peak_above_before": max(0, _peak_rss() - rss_before) if hwm_reset else None,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench._child")
    sub = parser.add_subparsers(dest="what", required=True)
    req = sub.add_parser("requests")
    req.add_argument("--variant", choices=("ours", "raw"), required=True)
    req.add_argument("--warm", type=int, required=True)
    req.add_argument("--total", type=int, required=True)
    up = sub.add_parser("upload")
    up.add_argument("--variant", choices=("ours", "raw"), required=True)
    up.add_argument("--url", required=True)
    up.add_argument("--file", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.what == "requests":
        result = _requests(args.variant, args.warm, args.total)
    else:
        result = _upload(args.variant, args.url, args.file)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
