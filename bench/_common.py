"""Settings, the ``Figure`` record and small measuring helpers shared by every benchmark."""

from __future__ import annotations

import gc
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "AUTH",
    "DEFAULT_OUT",
    "TIMEOUT_SECONDS",
    "Figure",
    "Settings",
    "alternating",
    "median",
    "rss_bytes",
    "timed",
]

DEFAULT_OUT = Path(__file__).resolve().parent / "results"
TIMEOUT_SECONDS = 60.0
"""Raw httpx gets the same read/write/pool timeout as ``Spheron``'s default (60 s)."""


def _auth() -> dict[str, str]:
    from spheron.testing import DEFAULT_TOKEN

    return {"Authorization": f"Bearer {DEFAULT_TOKEN}"}


AUTH = _auth()


@dataclass(frozen=True)
class Settings:
    """How much work each benchmark does; ``quick`` is a smoke test, not a measurement."""

    quick: bool
    out_dir: Path
    overhead_calls: int
    overhead_rounds: int
    concurrency: int
    concurrency_rounds: int
    decode_projects: int
    decode_per_project: int
    decode_rounds: int
    import_runs: int
    memory_warm: int
    memory_total: int
    upload_part: int
    upload_big_files: int
    upload_big_file_size: int
    upload_small_files: int
    upload_small_file_size: int
    upload_rounds: int
    memory_part: int
    instruction_calls: tuple[int, int]
    """Calls in the two callgrind runs of each variant (``instructions``): few and many."""

    @classmethod
    def create(cls, *, quick: bool, out_dir: Path) -> Settings:
        mib = 1024 * 1024
        if quick:
            return cls(
                quick=True,
                out_dir=out_dir,
                overhead_calls=40,
                overhead_rounds=2,
                concurrency=50,
                concurrency_rounds=2,
                decode_projects=2,
                decode_per_project=100,
                decode_rounds=2,
                import_runs=2,
                memory_warm=100,
                memory_total=1_000,
                upload_part=mib,
                upload_big_files=2,
                upload_big_file_size=2 * mib,
                upload_small_files=40,
                upload_small_file_size=50 * 1024,
                upload_rounds=1,
                memory_part=256 * 1024,
                instruction_calls=(2, 6),
            )
        return cls(
            quick=False,
            out_dir=out_dir,
            overhead_calls=400,
            overhead_rounds=5,
            concurrency=500,
            concurrency_rounds=4,
            decode_projects=10,
            decode_per_project=1_000,
            decode_rounds=3,
            import_runs=9,
            memory_warm=1_000,
            memory_total=100_000,
            upload_part=5 * mib,
            upload_big_files=8,
            upload_big_file_size=20 * mib,
            upload_small_files=320,
            upload_small_file_size=128 * 1024,
            upload_rounds=2,
            memory_part=mib,
            instruction_calls=(20, 220),
        )

    @property
    def upload_total(self) -> int:
        return (
            self.upload_big_files * self.upload_big_file_size
            + self.upload_small_files * self.upload_small_file_size
        )


@dataclass
class Figure:
    """One measured figure: ours, raw httpx, their ratio and the target it is held to.

    ``ratio`` is ``ours / raw`` unless ``ratio_of`` says otherwise (the memory-flatness
    figures compare our client with itself). ``target_op`` is ``"<="`` or ``">="``.
    """

    id: str
    group: str
    label: str
    unit: str
    ours: float
    raw: float
    ratio: float
    ratio_of: str = "ours / raw httpx"
    target: float | None = None
    target_op: Literal["<=", ">="] | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        if self.target_op == ">=":
            return self.ratio >= self.target
        return self.ratio <= self.target

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["met"] = self.met
        return data

    def line(self) -> str:
        target = "no target"
        if self.target is not None:
            target = f"target {self.target_op} {self.target:g}: {'met' if self.met else 'MISSED'}"
        return (
            f"  {self.label:<52} ours {_num(self.ours):>9} {self.unit:<7} "
            f"raw {_num(self.raw):>9}  ratio {self.ratio:6.3f}  ({target})"
        )


def _num(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def alternating(names: Sequence[str], rounds: int) -> Iterator[tuple[int, str]]:
    """``(round, name)`` pairs; the order reverses every round so neither side always goes
    first (caches, connection state and background load then favour nobody)."""
    for index in range(rounds):
        order = names if index % 2 == 0 else list(reversed(names))
        for name in order:
            yield index, name


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Client CPU seconds and wall seconds for ``repeat`` calls of ``fn``."""
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(repeat):
        fn()
    return time.process_time() - cpu, time.perf_counter() - wall


def rss_bytes() -> int:
    """Resident set size of this process now (psutil, else /proc, else peak RSS)."""
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil is in the bench extra
        pass
    else:
        return int(psutil.Process().memory_info().rss)
    try:  # pragma: no cover - fallback
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # pragma: no cover - fallback
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return int(peak if sys.platform == "darwin" else peak * 1024)
