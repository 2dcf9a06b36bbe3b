"""Prism runs for the contract tests: one per mode, started once per session, always stopped.

``prism`` is a session fixture parametrized over ``MODES`` (static, then ``--dynamic --seed 1..3``);
pytest groups the tests by its parameter, so each Prism process is started once and stopped before
the next one starts. A missing Prism binary fails the tests (CI installs it with ``npm ci``).
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from spheron import Spheron

from ._exchange import sync_client
from ._prism import MISSING, MODES, PRISM, Mode, PrismError, PrismServer, installed_version
from ._report import Report

REPORT = pytest.StashKey[Report]()


def _report(config: pytest.Config) -> Report:
    if REPORT not in config.stash:
        config.stash[REPORT] = Report()
    return config.stash[REPORT]


@pytest.fixture(scope="session")
def contract_report(pytestconfig: pytest.Config) -> Report:
    return _report(pytestconfig)


@pytest.fixture(scope="session")
def prism_version(contract_report: Report) -> str:
    if not PRISM.exists():
        pytest.fail(MISSING, pytrace=False)
    contract_report.prism_version = installed_version()
    return contract_report.prism_version


@pytest.fixture(scope="session", params=MODES, ids=[mode.name for mode in MODES])
def prism(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    prism_version: str,
) -> Iterator[PrismServer]:
    mode: Mode = request.param
    log_path = tmp_path_factory.mktemp("prism") / f"prism-{mode.name}.log"
    server = PrismServer(mode, log_path)
    try:
        server.start()
    except (PrismError, FileNotFoundError) as exc:
        server.stop()
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def prism_client(prism: PrismServer) -> Iterator[tuple[Spheron, httpx.Client]]:
    """``Spheron`` on the running Prism (no retries), and its recording connection pool."""
    client, pool = sync_client(prism.base_url)
    try:
        yield client, pool
    finally:
        client.close()
        pool.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    report = terminalreporter.config.stash.get(REPORT, None)
    if report is None or not report.outcomes:
        return
    terminalreporter.section("Prism contract")
    for line in report.lines():
        terminalreporter.write_line(line)
