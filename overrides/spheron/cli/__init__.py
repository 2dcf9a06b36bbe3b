"""The ``spheron`` command line, built on :class:`spheron.Spheron`.

Install it with ``pip install 'spheron-api-client[cli]'`` (Click, Rich, python-dotenv). Nothing in
the core package imports this subpackage; only the console script and ``python -m spheron`` do.
"""

from __future__ import annotations

try:
    import click  # noqa: F401
    import rich  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the installed extra
    raise SystemExit(
        "the spheron command line needs the 'cli' extra: pip install 'spheron-api-client[cli]'"
    ) from exc

from ._app import main

__all__ = ["main"]
