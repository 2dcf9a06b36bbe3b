"""Errors of the fake's own helpers (not the HTTP answers, which are status codes).

Each is a ``spheron.SpheronError`` and also the builtin a plain ``except`` clause would expect.
"""

from __future__ import annotations

from .._exceptions import SpheronError

__all__ = ["FakeServerError", "UnknownIdError"]


class UnknownIdError(SpheronError, KeyError):
    """A helper of :class:`~spheron.testing.FakeSpheron` was given an id the fake does not hold.

    Also a ``KeyError`` (what a dictionary lookup raised before).
    """

    def __str__(self) -> str:  # KeyError would show the message quoted
        return str(self.args[0]) if self.args else ""


class FakeServerError(SpheronError, RuntimeError):
    """The fake could not be served on a socket (the server thread failed to start)."""
