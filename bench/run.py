"""The runner: settings, order of the benchmarks, output files."""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ._common import DEFAULT_OUT, Figure, Settings

__all__ = ["GROUPS", "main"]

GROUPS = ("overhead", "instructions", "concurrency", "decoding", "import", "memory", "upload")
_NEEDS = {"matplotlib": "matplotlib", "psutil": "psutil", "pydantic": "pydantic"}
_TESTING = ("starlette", "uvicorn", "hypercorn", "trustme")


def _missing() -> list[str]:
    names = [*_NEEDS, *_TESTING]
    return [name for name in names if importlib.util.find_spec(name) is None]


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="Benchmarks of spheron against raw httpx."
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        default=os.environ.get("BENCH_QUICK", "").strip().lower() in ("1", "true", "yes"),
        help="small counts: a smoke test, not a measurement (also BENCH_QUICK=1)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(os.environ["BENCH_OUT"]) if os.environ.get("BENCH_OUT") else DEFAULT_OUT,
        help="directory for latest.json and ratios.png (also BENCH_OUT; default bench/results)",
    )
    parser.add_argument(
        "--replot",
        action="store_true",
        help="redraw the chart and reprint the table from the existing latest.json; run nothing",
    )
    parser.add_argument(
        "--only",
        default="",
        help=f"comma-separated groups to run (default all: {','.join(GROUPS)})",
    )
    return parser.parse_args(argv)


def _meta(settings: Settings, groups: Sequence[str]) -> dict[str, Any]:
    import httpx

    import spheron

    return {
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "quick": settings.quick,
        "groups": list(groups),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "load_average_at_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "httpx": httpx.__version__,
        "spheron": spheron.__version__,
        "server": "spheron.testing FakeSpheron in a child process: uvicorn (HTTP/1.1, plain) "
        "and hypercorn (HTTP/2 over TLS) on 127.0.0.1",
        "settings": {k: v for k, v in vars(settings).items() if k != "out_dir"},
    }


def _step(name: str, fn: Callable[[], list[Figure]], figures: list[Figure]) -> None:
    print(f"[{name}] running ...", flush=True)
    start = time.perf_counter()
    produced = fn()
    for figure in produced:
        print(figure.line(), flush=True)
    print(f"[{name}] done in {time.perf_counter() - start:.1f} s", flush=True)
    figures.extend(produced)


def _replot(out: Path) -> int:
    from .report import chart, markdown_table, read_json, title_of

    figures, meta = read_json(out / "latest.json")
    chart(out / "ratios.png", figures, title_of(meta))
    print(markdown_table(figures))
    print(f"bench: redrew {out / 'ratios.png'} from {out / 'latest.json'}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    if args.replot:
        return _replot(args.out)
    missing = _missing()
    if missing:
        print(
            f"bench: missing packages: {', '.join(missing)}. Install the extras: "
            "pip install -e '.[bench,testing]'",
            file=sys.stderr,
        )
        return 2
    groups = [g.strip() for g in args.only.split(",") if g.strip()] or list(GROUPS)
    unknown = sorted(set(groups) - set(GROUPS))
    if unknown:
        print(f"bench: unknown groups {unknown}; choose from {GROUPS}", file=sys.stderr)
        return 2
    settings = Settings.create(quick=args.quick, out_dir=args.out)
    settings.out_dir.mkdir(parents=True, exist_ok=True)
    meta = _meta(settings, groups)
    started = time.perf_counter()
    mode = "QUICK (smoke test, not a measurement)" if settings.quick else "full"
    print(f"bench: {mode} run, Python {meta['python']}, {meta['cpu_count']} CPUs", flush=True)

    from . import concurrency, decoding, imports, instructions, memory, overhead, upload
    from ._server import ServerProcess

    figures: list[Figure] = []
    if "instructions" in groups and not instructions.available():
        print("[instructions] skipped: valgrind is not installed (apt-get install valgrind)")
        groups.remove("instructions")
    if {"overhead", "instructions", "concurrency", "decoding", "upload", "memory"} & set(groups):
        with ServerProcess() as server:
            info = server.info
            if "overhead" in groups:
                _step("overhead", lambda: overhead.run(info, settings), figures)
            if "instructions" in groups:
                _step("instructions", lambda: instructions.run(info, settings), figures)
            if "concurrency" in groups:
                _step("concurrency", lambda: concurrency.run(info, settings), figures)
            if "decoding" in groups:
                _step("decoding", lambda: decoding.run(server, settings), figures)
            if "upload" in groups:
                _step("upload", lambda: upload.run(server, settings), figures)
            if "memory" in groups:
                _step("memory (upload)", lambda: memory.run_upload(server, settings), figures)
    if "memory" in groups:
        _step("memory (requests)", lambda: memory.run_requests(settings), figures)
    if "import" in groups:
        _step("import", lambda: imports.run(settings), figures)

    figures.sort(key=lambda f: GROUPS.index(f.group))
    meta["duration_s"] = round(time.perf_counter() - started, 1)
    meta["load_average_at_end"] = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    json_path = settings.out_dir / "latest.json"
    png_path = settings.out_dir / "ratios.png"
    from .report import chart, markdown_table, title_of, write_json

    write_json(json_path, figures, meta)
    chart(png_path, figures, title_of(meta))
    missed = [f for f in figures if f.met is False]
    print()
    print(markdown_table(figures))
    print()
    print(f"bench: wrote {json_path} and {png_path} in {meta['duration_s']} s")
    if missed:
        print(f"bench: {len(missed)} target(s) missed: {', '.join(f.id for f in missed)}")
    return 0
