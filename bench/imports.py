"""4. Import time: ``import spheron`` and ``import spheron_api_client`` against ``import httpx``.

Each import runs in a fresh interpreter under ``-X importtime``; the figure is the cumulative
time of the module's own line (everything it pulled in), median of several runs, interleaved.
Bytecode is cached in a private ``PYTHONPYCACHEPREFIX`` warmed by one unmeasured run, so both
sides load ``.pyc`` files (the tree is often run with ``PYTHONDONTWRITEBYTECODE=1``, which would
make our package compile from source every time while httpx's installed bytecode is used).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time

from ._common import Figure, Settings, median

__all__ = ["import_time_us", "run"]

MODULES = ("httpx", "spheron", "spheron_api_client")
_LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)\s*$")


def import_time_us(module: str, env: dict[str, str]) -> tuple[float, float]:
    """Cumulative import time of ``module`` (microseconds) and the process's wall time (s)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    wall = time.perf_counter() - start
    for line in done.stderr.splitlines():
        match = _LINE.match(line)
        # the module's own line is the least indented one naming it (top level: one space)
        if match and match.group(4) == module and len(match.group(3)) <= 1:
            return float(match.group(2)), wall
    raise RuntimeError(f"no importtime line for {module!r}:\n{done.stderr[-2000:]}")


def run(settings: Settings) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="bench-pycache-") as cache:
        env = dict(os.environ, PYTHONPYCACHEPREFIX=cache)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for module in MODULES:  # warm the bytecode cache
            import_time_us(module, env)
        samples: dict[str, list[float]] = {m: [] for m in MODULES}
        walls: dict[str, list[float]] = {m: [] for m in MODULES}
        for index in range(settings.import_runs):
            order = MODULES if index % 2 == 0 else tuple(reversed(MODULES))
            for module in order:
                us, wall = import_time_us(module, env)
                samples[module].append(us)
                walls[module].append(wall)
    ms = {m: median(v) / 1000 for m, v in samples.items()}
    figures = []
    for module, target in (("spheron", 1.3), ("spheron_api_client", None)):
        figures.append(
            Figure(
                id=f"import.{module}",
                group="import",
                label=f"import {module} (fresh process)",
                unit="ms",
                ours=ms[module],
                raw=ms["httpx"],
                ratio=ms[module] / ms["httpx"],
                ratio_of="vs import httpx",
                target=target,
                target_op="<=" if target is not None else None,
                details={
                    "runs": settings.import_runs,
                    "import_ms_per_run": {
                        m: [v / 1000 for v in samples[m]] for m in (module, "httpx")
                    },
                    "process_wall_ms_median": {
                        m: median(walls[m]) * 1000 for m in (module, "httpx")
                    },
                },
            )
        )
    return figures
