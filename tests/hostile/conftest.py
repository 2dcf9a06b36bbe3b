"""Fixtures for the hostile-server suite: a clean environment (the sync/async
switch ``mode`` is the suite-wide one in ``tests/conftest.py``)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Spheron settings or proxies from the machine: requests go straight to loopback."""
    for name in ("SPHERON_TOKEN", "SPHERON_BASE_URL", "SPHERON_LOG", "SPHERON_ORGANIZATION"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
