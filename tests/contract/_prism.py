"""Start and stop Stoplight Prism (``node_modules/.bin/prism``, pinned in package.json)."""

from __future__ import annotations

import json
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from ._operations import DOCUMENT, ROOT, Variant

PRISM_PACKAGE = "@stoplight/prism-cli"
PRISM = ROOT / "node_modules" / ".bin" / "prism"
STARTUP_TIMEOUT = 60.0
MISSING = (
    f"Prism is not installed at {PRISM.relative_to(ROOT)}: the contract tests need it. Run "
    f"`npm ci` (or `make install`) in {ROOT}; package.json pins {PRISM_PACKAGE}."
)


@dataclass(frozen=True)
class Mode:
    """One Prism run: static examples, or ``--dynamic`` random ones from a fixed seed.

    Each run also gets its own request arguments: the static run sends minimal requests (required
    fields only) from ``sync_detailed`` and complete ones from ``asyncio_detailed``; a dynamic run
    the other way round, each seed choosing other enum values and ``anyOf`` alternatives.
    """

    name: str
    seed: int | None = None

    @property
    def args(self) -> tuple[str, ...]:
        return () if self.seed is None else ("--dynamic", "--seed", str(self.seed))

    @property
    def sync_variant(self) -> Variant:
        return Variant() if self.seed is None else Variant(full=True, index=self.seed)

    @property
    def async_variant(self) -> Variant:
        return Variant(full=True, index=0) if self.seed is None else Variant()


MODES = (Mode("static"), *(Mode(f"dynamic-seed{seed}", seed) for seed in (1, 2, 3)))


def pinned_version() -> str:
    """The exact Prism version package.json pins (a range would make runs irreproducible)."""
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    return str(package.get("devDependencies", {}).get(PRISM_PACKAGE, ""))


def installed_version() -> str:
    if not PRISM.exists():
        raise FileNotFoundError(MISSING)
    done = subprocess.run(
        [str(PRISM), "--version"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout.strip()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class PrismError(RuntimeError):
    """Prism could not be started."""


@dataclass
class PrismServer:
    """A running ``prism mock`` on a free loopback port."""

    mode: Mode
    log_path: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _log: IO[bytes] | None = field(default=None, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def command(self) -> list[str]:
        document = str(DOCUMENT.relative_to(ROOT))
        prism = str(PRISM.relative_to(ROOT))
        return [prism, "mock", document, "-h", "127.0.0.1", "-p", str(self.port), *self.mode.args]

    def start(self, attempts: int = 3) -> PrismServer:
        if not PRISM.exists():
            raise FileNotFoundError(MISSING)
        for _ in range(attempts):  # another process may take the free port first
            self.port = _free_port()
            if self._start_once():
                return self
        raise PrismError(f"Prism did not start ({' '.join(self.command)}):\n{self.log_tail()}")

    def _start_once(self) -> bool:
        self._log = self.log_path.open("ab")
        self._log.write(f"$ {' '.join(self.command)}\n".encode())
        self._log.flush()
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._close_log()
                return False
            if _listening(self.port):
                return True
            time.sleep(0.1)
        self.stop()
        raise PrismError(f"Prism did not listen within {STARTUP_TIMEOUT:.0f}s:\n{self.log_tail()}")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        self._close_log()

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no Prism log)"
        return "\n".join(text.splitlines()[-lines:])
