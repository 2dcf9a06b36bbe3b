"""The record of every request the fake received."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RecordedRequest:
    """A request as the server received it (before any fault)."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    time: float
    route: str | None = None
    status: int | None = None
    fault: str | None = None

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class RequestLog:
    """Every request the server received, in arrival order."""

    _entries: list[RecordedRequest] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def append(self, entry: RecordedRequest) -> None:
        """Record ``entry``."""
        with self._lock:
            self._entries.append(entry)

    def all(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._entries)

    def filter(
        self, method: str | None = None, path: str | None = None, *, route: str | None = None
    ) -> list[RecordedRequest]:
        """Requests by ``method``, exact ``path`` and/or ``route`` template
        (``/v1/upload/{uploadId}``)."""
        return [
            r
            for r in self.all()
            if (method is None or r.method == method.upper())
            and (path is None or r.path == path)
            and (route is None or r.route == route)
        ]

    def count(
        self, method: str | None = None, path: str | None = None, *, route: str | None = None
    ) -> int:
        """How many requests match ``method``, ``path`` and ``route`` (see :meth:`filter`)."""
        return len(self.filter(method, path, route=route))

    def last(self) -> RecordedRequest | None:
        with self._lock:
            return self._entries[-1] if self._entries else None

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def __iter__(self) -> Iterator[RecordedRequest]:
        return iter(self.all())
