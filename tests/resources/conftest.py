"""Fixtures: a scripted fake API, a client double wired to it, and the sync/async switch."""

from __future__ import annotations

import pytest

from ._fakes import FakeApi, FakeClient, make_client


@pytest.fixture
def fake() -> FakeApi:
    return FakeApi()


@pytest.fixture
def client(fake: FakeApi) -> FakeClient:
    return make_client(fake)
