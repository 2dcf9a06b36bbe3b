"""Shared by the whole suite.

- ``tests._secrets``: the secret guard. Any test whose logs (every logger, every level), output or
  failure text show a token the client was given (or ``spheron.testing.DEFAULT_TOKEN``) fails;
  ``@pytest.mark.prints_token`` allows a test to print ``DEFAULT_TOKEN`` on purpose.
- ``pytester``: for the tests that prove the guard works (``tests/secrets``).
"""

pytest_plugins = ["pytester", "tests._secrets"]

from collections.abc import Awaitable, Callable  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    """The one sync/async switch of the suite: a test runs once with ``Spheron`` (and the sync
    namespaces) and once with ``AsyncSpheron``."""
    return str(request.param)


def patch_retry_sleep(
    monkeypatch: pytest.MonkeyPatch,
    sync_sleep: Callable[[float], None],
    async_sleep: Callable[[float], Awaitable[None]],
    jitter: Callable[[], float],
) -> None:
    """Replace how the retry transports (both modes) sleep, and their jitter factor."""
    from spheron import _transport
    from spheron._async import _primitives as async_primitives
    from spheron._sync import _primitives as sync_primitives

    monkeypatch.setattr(sync_primitives, "sleep", sync_sleep)
    monkeypatch.setattr(async_primitives, "sleep", async_sleep)
    monkeypatch.setattr(_transport, "jitter", jitter)
