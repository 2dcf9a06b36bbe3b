"""Pause the cyclic garbage collector while one large response body is decoded.

Why: decoding a page is one burst of allocations (the JSON values, then a model, a list and a
datetime per field) that all stay alive until the page is returned. CPython's cyclic collector
counts those allocations and, every few hundred, examines the young objects; as they pile up it
also runs full collections, each over every tracked object in the process. None of them can find
garbage in a page being decoded (its objects are referenced from the page), yet on a 10,000-item
page they took 60-70% of the decode (``bench/decoding.py``; README "Benchmarks"). Pausing the
collector for the decode of one body skips that work: if the caller keeps the page, the collector
examines its objects later as it does any other objects; if not, reference counting frees them
and the collector never sees them.

Rules kept here, in one place (the generated ``_parse_response`` of every operation calls
:func:`gc_paused_for` through ``spheron_api_client.errors``):

- only a body of at least :data:`PAUSE_MIN_BYTES` pauses the collector: a small body allocates too
  little for the collector to cost anything, and a pause is process-wide;
- a collector the application had disabled stays disabled (it is never enabled here);
- the previous state is restored in ``__exit__`` (a ``with`` block: on errors too);
- overlapping pauses (threads decoding at the same time, or a nested decode) share one pause: the
  first records whether the collector was enabled and disables it, the last restores it. A call
  to ``gc.disable()`` made by another thread *during* a pause cannot be told apart from the
  pause itself and is undone when the pause ends.

No library offers this (the standard library has ``gc.disable``/``gc.enable`` only, with no
reference count for overlapping users), hence this small module.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from contextlib import AbstractContextManager
from types import TracebackType

__all__ = ["PAUSE_MIN_BYTES", "gc_paused_for"]

PAUSE_MIN_BYTES = 256 * 1024
"""Bodies this large or larger are decoded with the collector paused (~100 deployments)."""

_lock = threading.Lock()
_depth = 0
_resume = False
"""Whether the collector was enabled when the outermost pause began."""


class _Pause:
    __slots__ = ()

    def __enter__(self) -> None:
        global _depth, _resume
        with _lock:
            if _depth == 0:
                _resume = gc.isenabled()
                if _resume:
                    gc.disable()
            _depth += 1

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        global _depth, _resume
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                _resume = False
                gc.enable()


_PAUSE = _Pause()
_NO_PAUSE = contextlib.nullcontext()  # reusable, does nothing


def gc_paused_for(body: bytes) -> AbstractContextManager[None]:
    """A context manager that pauses the cyclic collector while ``body`` is decoded, if large.

    Args:
        body: the response body about to be decoded.

    Returns:
        AbstractContextManager[None]: use it in a ``with`` block around the decoding only.
    """
    return _PAUSE if len(body) >= PAUSE_MIN_BYTES else _NO_PAUSE
