"""Fuzz every operation with malformed answers: the outcome is a decoded value or a SpheronError.

Property 1 (``test_malformed_answers``): for every operation of the document, answers with 2xx,
3xx, 4xx and 5xx statuses and broken bodies (see ``_strategies``) make the generated ``sync`` (and,
for a share, ``asyncio``) function either return a decoded value of its annotated type or raise a
``spheron.SpheronError`` whose message is a string without the token. Any other exception fails.

Property 2 (``test_additions_decode``): valid bodies with keys and enum values this client does not
know must decode, keep the additions, and encode back to the same JSON: the API adds both without
a version bump.

The last test asserts and prints how many cases ran. CI runs are reproducible: a fixed seed per
operation, no example database. ``SPHERON_FUZZ_SCALE=10`` runs ten times as many examples.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from ._harness import STATS, Clients, clients, run_case, run_tolerant_case
from ._operations import Operation, operations
from ._strategies import responses, tolerant_values

SCALE = float(os.environ.get("SPHERON_FUZZ_SCALE", "1"))
EXAMPLES = max(1, round(70 * SCALE))
"""Examples per operation for property 1: 155 operations x 70 = 10,850 cases."""
TOLERANT_EXAMPLES = max(1, round(15 * SCALE))
MIN_CASES = 10_000
ASYNC_SHARE = st.sampled_from([False, False, False, True])
"""About one case in four uses ``asyncio()`` (Hypothesis favours the first element)."""

OPERATIONS = operations()
DECODING = [op for op in OPERATIONS if op.success_media_type == "application/json"]

FUZZ_SETTINGS = settings(
    database=None,
    deadline=None,
    derandomize=False,  # the seed is fixed per operation with @seed instead
    print_blob=True,
    suppress_health_check=list(HealthCheck),
)


def _seed(op: Operation, salt: str) -> int:
    return zlib.crc32(f"{salt}:{op.operation_id}".encode())


@pytest.fixture
def mock(request: pytest.FixtureRequest) -> Iterator[Clients]:
    with clients(request.param) as made:
        yield made


@pytest.mark.parametrize("mock", OPERATIONS, ids=str, indirect=True)
def test_malformed_answers(mock: Clients) -> None:
    op = mock.server.op

    @settings(FUZZ_SETTINGS, max_examples=EXAMPLES)
    @seed(_seed(op, "malformed"))
    @given(answer=responses(op), use_async=ASYNC_SHARE)
    def check(answer: Any, use_async: bool) -> None:
        run_case(mock, answer, use_async=use_async)

    check()


@pytest.mark.parametrize("mock", DECODING, ids=str, indirect=True)
def test_additions_decode(mock: Clients) -> None:
    op = mock.server.op

    @settings(FUZZ_SETTINGS, max_examples=TOLERANT_EXAMPLES)
    @seed(_seed(op, "tolerant"))
    @given(body=tolerant_values(op), use_async=ASYNC_SHARE)
    def check(body: Any, use_async: bool) -> None:
        run_tolerant_case(mock, body, use_async=use_async)

    check()


def test_zz_case_count(request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]) -> None:
    """Runs last in this module: the count of cases the properties above executed."""
    names = {item.name for item in request.session.items}
    wanted = {f"test_malformed_answers[{op}]" for op in OPERATIONS}
    if not wanted <= names or os.environ.get("PYTEST_XDIST_WORKER"):
        pytest.skip("the count needs every fuzz test in this process")
    summary = STATS.summary()
    with capsys.disabled():
        print(f"\n{summary}\n{STATS.details()}")
    assert STATS.unexpected == 0 and STATS.violations == 0, summary
    assert len(STATS.operations) == len(OPERATIONS) == 155, summary
    assert STATS.cases >= MIN_CASES * min(SCALE, 1), summary
