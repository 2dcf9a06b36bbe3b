"""Small event objects passed to ``on_progress`` and ``on_update`` callbacks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["ProgressCallback", "StatusCallback", "StatusUpdate", "UploadProgress"]


@dataclass(frozen=True)
class UploadProgress:
    """How far an upload has got; sent after each part the server accepted.

    ``bytes_sent`` counts file bytes (not multipart framing); ``parts_done`` of ``parts_total``
    requests have completed.
    """

    upload_id: str
    bytes_sent: int
    total_bytes: int
    parts_done: int
    parts_total: int

    @property
    def fraction(self) -> float:
        """Completion between 0.0 and 1.0 (1.0 for an upload of empty files)."""
        return 1.0 if self.total_bytes == 0 else self.bytes_sent / self.total_bytes


@dataclass(frozen=True)
class StatusUpdate:
    """A polled resource changed status (the first poll counts as a change).

    ``status`` is ``None`` when the answer carried no status. ``is_known`` is False for a
    status this client was not generated with; waiting continues until the timeout.
    """

    resource_id: str
    status: str | None
    previous: str | None
    is_known: bool
    elapsed: float


ProgressCallback = Callable[[UploadProgress], object]
StatusCallback = Callable[[StatusUpdate], object]
