"""1b. Per-call client instructions: ``overhead``'s pair counted by callgrind.

Client CPU time per call moves by ±10% from run to run on a shared 2-core VM (other jobs, CPU
frequency, caches): more than the 10% budget it is held to, so a CPU-time ratio cannot show that
the budget holds. ``valgrind --tool=callgrind`` counts the instructions the client's process
executes instead, the same count for the same work whatever else the machine does. Each variant
(ours or raw httpx; sync or async; HTTP/1.1 or HTTP/2, against the same server as ``overhead``)
runs in a fresh process under callgrind twice, with few and with many calls; the difference of
the two counts over the difference of the calls is the count per call, without start-up and
imports. Needs ``valgrind`` (Debian: ``apt-get install valgrind``); without it the group reports
that and measures nothing. Quick mode counts sync HTTP/1.1 only.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ._common import Figure, Settings
from ._server import ServerInfo
from .overhead import PROTOCOLS

__all__ = ["available", "run"]

_COLLECTED = re.compile(rb"Collected : (\d+)")


def available() -> bool:
    return shutil.which("valgrind") is not None


def _count(variant: str, mode: str, protocol: str, calls: int, env: dict[str, str]) -> int:
    """Instructions of one fresh process making ``calls`` calls, as callgrind counts them."""
    done = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            "-m",
            "bench._calls",
            variant,
            mode,
            protocol,
            str(calls),
        ],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        timeout=900,
        check=False,
    )
    found = _COLLECTED.search(done.stderr)
    if done.returncode != 0 or found is None:
        tail = done.stderr[-2000:].decode(errors="replace")
        raise RuntimeError(f"callgrind run failed ({variant} {mode} {protocol}): {tail}")
    return int(found.group(1))


def run(info: ServerInfo, settings: Settings) -> list[Figure]:
    few, many = settings.instruction_calls
    variants = (
        [("sync", "http1")]
        if settings.quick
        else [(mode, protocol) for mode in ("sync", "async") for protocol in PROTOCOLS]
    )
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        ca = Path(tmp) / "ca.pem"
        ca.write_bytes(info.ca_pem)
        env = {
            **os.environ,
            "BENCH_HTTP1": info.http1,
            "BENCH_HTTP2": info.http2,
            "BENCH_CA_FILE": str(ca),
            "PYTHONHASHSEED": "0",  # the same dict and set layouts in every run
        }
        jobs = [
            (variant, mode, protocol, calls)
            for mode, protocol in variants
            for variant in ("ours", "raw")
            for calls in (few, many)
        ]
        # Counts do not depend on what else runs: two at a time, one per core.
        with ThreadPoolExecutor(max_workers=2) as pool:
            counted = dict(
                zip(
                    jobs,
                    pool.map(lambda job: _count(job[0], job[1], job[2], job[3], env), jobs),
                    strict=True,
                )
            )
        for mode, protocol in variants:
            per_call = {
                variant: (
                    counted[variant, mode, protocol, many] - counted[variant, mode, protocol, few]
                )
                / (many - few)
                for variant in ("ours", "raw")
            }
            counts = {
                variant: {str(n): counted[variant, mode, protocol, n] for n in (few, many)}
                for variant in ("ours", "raw")
            }
            figures.append(
                Figure(
                    id=f"instructions.{mode}.{protocol}",
                    group="instructions",
                    label=f"per-call client instructions, {mode} {PROTOCOLS[protocol]}",
                    unit="instr/call",
                    ours=per_call["ours"],
                    raw=per_call["raw"],
                    ratio=per_call["ours"] / per_call["raw"],
                    target=1.10,
                    target_op="<=",
                    details={"calls": [few, many], "instructions": counts},
                )
            )
    return figures
