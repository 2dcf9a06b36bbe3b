"""5. Memory: RSS over many requests through one client, and peak memory while uploading.

Each measurement runs in a fresh interpreter (``bench._child``) so earlier benchmarks leave
nothing behind in the numbers.

- Requests: RSS after ``warm`` requests against RSS after ``total`` (100,000) through one
  client, answered in process by ``httpx.MockTransport``: the cheap local route keeps 100,000
  requests within the time budget; our whole stack (namespaces, generated code, retry
  transport, both httpx client layers) runs, only sockets and httpcore do not.
- Upload: the tracemalloc peak (Python allocations, the part buffers included) while uploading
  a file ten times the server's part size, and twenty times, after a warm-up upload. Parts are
  read from disk as they are sent, so the peak should depend on part size and parallelism, not
  on file size. Raw httpx doing the same posts is shown for context (its peak does grow: httpx
  keeps each request, body included, in a reference cycle with its response until the cyclic
  garbage collector runs; ``spheron`` releases each part's bytes as soon as it is sent).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from ._common import Figure, Settings
from ._server import ServerProcess
from .upload import make_file

__all__ = ["run_requests", "run_upload"]

MIB = 1024 * 1024


def _child(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bench._child", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench._child {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run_requests(settings: Settings) -> list[Figure]:
    runs = {
        variant: _child(
            "requests",
            "--variant",
            variant,
            "--warm",
            str(settings.memory_warm),
            "--total",
            str(settings.memory_total),
        )
        for variant in ("ours", "raw")
    }

    def at(variant: str, requests: int) -> dict[str, Any]:
        return next(p for p in runs[variant]["points"] if p["requests"] == requests)

    warm, total = settings.memory_warm, settings.memory_total
    growth = {v: (at(v, total)["rss"] - at(v, warm)["rss"]) / MIB for v in runs}
    ours_ratio = at("ours", total)["rss"] / at("ours", warm)["rss"]
    return [
        Figure(
            id="memory.requests.rss_growth",
            group="memory",
            label=f"RSS growth, {warm:,} -> {total:,} requests",
            unit="MiB",
            ours=growth["ours"],
            raw=growth["raw"],
            ratio=ours_ratio,
            ratio_of=f"ours: RSS at {total:,} / at {warm:,}",
            target=1.05,
            target_op="<=",
            details={
                "route": "httpx.MockTransport in process (see bench/memory.py)",
                "rss_mib": {
                    v: {p["requests"]: p["rss"] / MIB for p in runs[v]["points"]} for v in runs
                },
                "gc_objects": {
                    v: {p["requests"]: p["objects"] for p in runs[v]["points"]} for v in runs
                },
                "seconds": {v: runs[v]["seconds"] for v in runs},
            },
        )
    ]


def _mib(value: float | None) -> float | None:
    return None if value is None else value / MIB


def run_upload(server: ServerProcess, settings: Settings) -> list[Figure]:
    part = settings.memory_part
    server.call("payload_size", part)
    results: dict[tuple[str, int], dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        for multiple in (10, 20):
            file = Path(tmp, f"file-{multiple}x.bin")
            make_file(file, multiple * part)
            for variant in ("ours", "raw"):
                results[variant, multiple] = _child(
                    "upload",
                    "--variant",
                    variant,
                    "--url",
                    server.info.http1,
                    "--file",
                    str(file),
                )
                server.call("forget")
            file.unlink()
    server.call("payload_size", settings.upload_part)
    peak = {key: value["traced_peak"] / MIB for key, value in results.items()}
    rss = {key: _mib(value["rss_peak_above_before"]) for key, value in results.items()}
    details = {
        "part_size": part,
        "file_sizes": {m: m * part for m in (10, 20)},
        "traced_peak_mib": {f"{v} {m}x": peak[v, m] for v, m in results},
        "rss_peak_above_start_mib": {f"{v} {m}x": rss[v, m] for v, m in results},
        "peak_in_parts": {f"{v} {m}x": peak[v, m] * MIB / part for v, m in results},
    }
    return [
        Figure(
            id="memory.upload.peak",
            group="memory",
            label="upload peak memory, file of 10 parts",
            unit="MiB",
            ours=peak["ours", 10],
            raw=peak["raw", 10],
            ratio=peak["ours", 10] / peak["raw", 10],
            details=details,
        ),
        Figure(
            id="memory.upload.peak_vs_size",
            group="memory",
            label="upload peak memory, file of 20 parts",
            unit="MiB",
            ours=peak["ours", 20],
            raw=peak["raw", 20],
            ratio=peak["ours", 20] / peak["ours", 10],
            ratio_of="ours: 20 parts / 10 parts",
            target=1.10,
            target_op="<=",
            details={"raw_20_vs_10": peak["raw", 20] / peak["raw", 10]},
        ),
    ]
