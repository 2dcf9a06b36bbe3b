"""The fake server's clock: frozen by default, moved by the test."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone

from .._exceptions import InvalidArgumentError

DEFAULT_START = datetime(2024, 6, 1, 12, 0, 0, tzinfo=timezone.utc)


def _epoch(value: datetime | float) -> float:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.timestamp()
    return float(value)


def isoformat(epoch: float) -> str:
    """Render ``epoch`` the way the API does (JavaScript ``toISOString``)."""
    moment = datetime.fromtimestamp(epoch, tz=timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Clock:
    """Time as the fake server sees it, in epoch seconds.

    - ``speed=0`` (the default) freezes time: only :meth:`advance` and :meth:`set` move it, so
      deployment and instance state changes happen exactly when a test says so.
    - ``speed=1`` follows the wall clock; ``speed=60`` runs a minute per real second.
    - ``step`` advances the clock by that many seconds on every request the server receives, which
      makes polling loops progress deterministically without real sleeps.
    """

    def __init__(
        self, start: datetime | float | None = None, *, speed: float = 0.0, step: float = 0.0
    ) -> None:
        """Start at ``start`` (an aware datetime or epoch seconds; default 2024-06-01 12:00 UTC),
        running ``speed`` fake seconds per real second and jumping ``step`` seconds per request."""
        if speed < 0 or step < 0:
            raise InvalidArgumentError("speed and step must be >= 0")
        self._lock = threading.Lock()
        self._base = _epoch(DEFAULT_START if start is None else start)
        self._anchor = time.monotonic()
        self._speed = float(speed)
        self.step = float(step)

    def now(self) -> float:
        """Current fake time in epoch seconds."""
        with self._lock:
            return self._now()

    def _now(self) -> float:
        return self._base + (time.monotonic() - self._anchor) * self._speed

    def as_datetime(self) -> datetime:
        """Current fake time as an aware UTC datetime."""
        return datetime.fromtimestamp(self.now(), tz=timezone.utc)

    def advance(self, seconds: float) -> float:
        """Move time forward by ``seconds`` and return the new time."""
        if seconds < 0:
            raise InvalidArgumentError("the clock only moves forward")
        with self._lock:
            self._base += seconds
            return self._now()

    def set(self, when: datetime | float) -> None:
        """Jump to ``when`` (an aware datetime or epoch seconds)."""
        with self._lock:
            self._base = _epoch(when)
            self._anchor = time.monotonic()

    @property
    def speed(self) -> float:
        return self._speed

    @speed.setter
    def speed(self, value: float) -> None:
        if value < 0:
            raise InvalidArgumentError("speed must be >= 0")
        with self._lock:
            self._base = self._now()
            self._anchor = time.monotonic()
            self._speed = float(value)

    def tick(self) -> None:
        """Called once per request: advance by :attr:`step`."""
        if self.step:
            self.advance(self.step)

    def __repr__(self) -> str:
        return f"Clock({isoformat(self.now())!r}, speed={self._speed}, step={self.step})"
