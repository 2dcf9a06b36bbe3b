"""The secret guard (tests/_secrets.py) catches what it claims to, and changes nothing else."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

import pytest

from spheron import Spheron
from spheron.testing import DEFAULT_TOKEN
from tests import _secrets
from tests._secrets import GUARD, SecretGuard

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "guard-test-token-4e8a1c"

# -- the pieces ------------------------------------------------------------------------------


def test_every_token_a_client_is_given_is_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    Spheron("registered-by-argument-0001", base_url="https://api.test").close()
    monkeypatch.setenv("SPHERON_TOKEN", "registered-by-env-0002")
    Spheron(base_url="https://api.test").close()
    assert {"registered-by-argument-0001", "registered-by-env-0002", DEFAULT_TOKEN} <= GUARD.tokens


def test_find_redacts_and_respects_allowed_values() -> None:
    guard = SecretGuard()
    guard.register(TOKEN)
    guard.register("short")  # too short to tell apart from ordinary text
    guard.register(None)
    assert guard.tokens == {TOKEN}
    text = f"GET /v1/x Authorization: Bearer {TOKEN}\nnext line"
    [finding] = guard.find("captured stdout call", text)
    assert finding.where == "captured stdout call"
    assert finding.excerpt == "GET /v1/x Authorization: Bearer *** next line"
    assert guard.find("captured stdout call", text, allowed={TOKEN}) == []
    assert guard.find("captured stdout call", "short and harmless") == []


def test_a_leaking_report_fails_with_the_token_redacted() -> None:
    guard = SecretGuard()
    guard.register(TOKEN)
    sections = [("Captured stdout call", f"token={TOKEN}\n"), ("Captured stderr setup", "ok\n")]
    report = pytest.TestReport("t.py::t", ("t.py", 1, "t"), {}, "passed", None, "call", sections)

    class Item:
        def get_closest_marker(self, name: str) -> None:
            return None

    findings = guard.check(Item(), report)  # type: ignore[arg-type]
    assert [f.where for f in findings] == ["captured stdout call"]
    assert report.failed
    assert TOKEN not in report.longreprtext and TOKEN not in str(report.sections)
    assert "secret guard" in report.longreprtext and "token=***" in report.longreprtext


def test_loggers_below_their_level_reach_the_guard_but_not_caplog(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Every record is seen; handlers (caplog here) still only get what their level allows."""
    logger = logging.getLogger("tests.secrets.quiet")
    marker = "debug-record-below-the-configured-level"
    logger.debug(marker)
    logger.warning("a warning")
    assert any(marker in text for _, text in GUARD._logs)
    assert [r.getMessage() for r in caplog.records] == ["a warning"]
    record = caplog.records[0]
    # The guard's wrapper is not mistaken for the caller.
    assert record.filename == "test_guard.py"
    assert record.funcName == "test_loggers_below_their_level_reach_the_guard_but_not_caplog"


# -- end to end, in a separate pytest run ----------------------------------------------------

INNER = """
import logging
import sys

import pytest

from spheron import Spheron
from spheron.testing import DEFAULT_TOKEN

TOKEN = "{token}"


@pytest.fixture
def client():
    with Spheron(TOKEN, base_url="https://api.test") as client:
        yield client


@pytest.fixture
def logs_at_teardown(client):
    yield
    logging.getLogger("app").error("closing with %s", TOKEN)


def test_clean(client):
    print("hello")
    logging.getLogger("spheron").debug("GET /v1/x: sending (attempt 1)")


def test_debug_record(client):
    logging.getLogger("some.library").debug("headers: Bearer %s", TOKEN)


def test_exception_in_a_record(client):
    try:
        raise ValueError(TOKEN)
    except ValueError:
        logging.getLogger("app").debug("failed", exc_info=True)


def test_stdout(client):
    print(TOKEN)


def test_stderr(client):
    sys.stderr.write(f"token={{TOKEN}}\\n")


def test_read_with_capsys(client, capsys):
    print(TOKEN)
    assert TOKEN in capsys.readouterr().out


def test_with_caplog(client, caplog):
    caplog.set_level(logging.INFO)
    logging.getLogger("app").info("using %s", TOKEN)
    assert caplog.records


def test_failure_text(client):
    assert client.max_retries == 99, f"token {{TOKEN}}"


def test_teardown(logs_at_teardown):
    pass


def test_default_token():
    print(DEFAULT_TOKEN)


@pytest.mark.prints_token
def test_default_token_printed_on_purpose():
    print(DEFAULT_TOKEN)


@pytest.mark.prints_token
def test_marker_does_not_cover_logs():
    logging.getLogger("cli").warning("token %s", DEFAULT_TOKEN)


@pytest.mark.prints_token
def test_marker_does_not_cover_other_tokens(client):
    print(TOKEN)


def test_hpack_records_redacted_by_the_client(client):
    header = f"Bearer {{TOKEN}}".encode()
    logging.getLogger("hpack.hpack").debug("Adding %s=%s", b"authorization", header)
"""

FAILED = {
    "test_debug_record",
    "test_exception_in_a_record",
    "test_stdout",
    "test_stderr",
    "test_read_with_capsys",
    "test_with_caplog",
    "test_failure_text",
    "test_default_token",
    "test_marker_does_not_cover_logs",
    "test_marker_does_not_cover_other_tokens",
}
PASSED = {
    "test_clean",
    "test_default_token_printed_on_purpose",
    "test_hpack_records_redacted_by_the_client",
}


def test_the_guard_fails_leaking_tests_and_only_those(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(test_inner=INNER.format(token=TOKEN))
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    monkeypatch.setenv("PYTHONPATH", path)
    for name in ("SPHERON_TOKEN", "SPHERON_BASE_URL", "SPHERON_LOG"):
        monkeypatch.delenv(name, raising=False)
    result = pytester.runpytest_subprocess(
        *("-p", _secrets.__name__, "-p", "no:cacheprovider", "-v"),
        *("-o", "asyncio_mode=strict", "-o", "asyncio_default_fixture_loop_scope=function"),
    )
    output = result.stdout.str() + result.stderr.str()
    seen: dict[str, set[str]] = {}
    for name, outcome in re.findall(r"^test_inner\.py::(\w+) (PASSED|FAILED|ERROR)", output, re.M):
        seen.setdefault(name, set()).add(outcome)
    assert {name for name, outcomes in seen.items() if outcomes == {"FAILED"}} == FAILED, output
    assert {name for name, outcomes in seen.items() if outcomes == {"PASSED"}} == PASSED
    assert seen["test_teardown"] == {"PASSED", "ERROR"}  # the call passed, the teardown leaked
    result.assert_outcomes(passed=len(PASSED) + 1, failed=len(FAILED), errors=1)
    # Each leak is reported where it happened...
    for where in (
        "log record 'some.library' (DEBUG)",
        "log record 'app' (DEBUG): ",
        "captured stdout call",
        "captured stderr call",
        "output read with readouterr()",
        "log record 'app' (INFO)",
        "captured log call",
        "failure text",
        "log record 'app' (ERROR)",
        "captured log teardown",
        "log record 'cli' (WARNING)",
    ):
        assert where in output, where
    assert "a token given to the client appeared in the teardown phase" in output
    assert "ValueError: ***" in output  # the logged traceback, redacted
    # ...and the report never shows a token (the passing prints_token test's output is not shown).
    assert TOKEN not in output
    assert DEFAULT_TOKEN not in output


def test_the_marker_is_registered(pytestconfig: pytest.Config) -> None:
    markers = pytestconfig.getini("markers")
    assert any(line.startswith(f"{_secrets.MARKER}:") for line in markers)
