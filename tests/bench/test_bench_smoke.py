"""``python -m bench`` in quick mode: every figure lands in the JSON, the PNG and the table."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[2]
FIGURES = {
    "overhead.sync.http1.cpu",
    "overhead.sync.http1.wall",
    "overhead.async.http1.cpu",
    "overhead.async.http1.wall",
    "overhead.sync.http2.cpu",
    "overhead.sync.http2.wall",
    "overhead.async.http2.cpu",
    "overhead.async.http2.wall",
    "concurrency.http1.throughput",
    "concurrency.http2.throughput",
    "decoding.models",
    "decoding.pydantic",
    "import.spheron",
    "import.spheron_api_client",
    "memory.requests.rss_growth",
    "memory.upload.peak",
    "memory.upload.peak_vs_size",
    "upload.throughput",
}
TARGETED = {
    "concurrency.http1.throughput",
    "concurrency.http2.throughput",
    "decoding.models",
    "import.spheron",
    "memory.requests.rss_growth",
    "memory.upload.peak_vs_size",
}
# The CPU budget is held as callgrind instructions (bench/instructions.py): CPU time moves ±10%
# on a shared VM. valgrind is on our machines; where it is not, the group says so and is absent.
if shutil.which("valgrind"):
    FIGURES.add("instructions.sync.http1")
    TARGETED.add("instructions.sync.http1")


def test_quick_run_writes_every_figure_the_chart_and_the_table(tmp_path: Path) -> None:
    committed = ROOT / "bench" / "results" / "latest.json"
    before = committed.stat().st_mtime_ns if committed.exists() else None
    env = {**os.environ, "BENCH_QUICK": "1", "BENCH_OUT": str(tmp_path)}

    done = subprocess.run(
        [sys.executable, "-m", "bench"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=420,
        check=False,
    )

    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    data = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))
    assert data["meta"]["quick"] is True
    figures = {f["id"]: f for f in data["figures"]}
    assert set(figures) == FIGURES
    for figure in figures.values():
        for key in ("ours", "raw", "ratio"):
            assert isinstance(figure[key], (int, float)) and math.isfinite(figure[key]), figure
        assert figure["ratio"] > 0, figure
        assert figure["met"] in (True, False, None)
        assert f"| {figure['label']} |" in done.stdout
    assert {i for i, f in figures.items() if f["target"] is not None} == TARGETED
    assert all(figures[i]["met"] is not None for i in TARGETED)
    png = (tmp_path / "ratios.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5_000
    assert "| figure | ours | raw httpx | ratio | target | met? |" in done.stdout
    after = committed.stat().st_mtime_ns if committed.exists() else None
    assert after == before, "the quick run must not overwrite the committed results"
