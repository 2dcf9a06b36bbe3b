"""The secret guard: fail any test in which a token's value shows up (issue 5.6).

Loaded for the whole suite by ``tests/conftest.py`` (``pytest_plugins``); a separate run can load
it with ``-p tests._secrets``.

Which values: every value a ``spheron._config.Secret`` is built from during the run (so every
token any client is given: argument, ``SPHERON_TOKEN``, ``with_options`` copies), registered for
the rest of the run, plus ``spheron.testing.DEFAULT_TOKEN`` (public, but the client must not leak
it any more than a real one) and a ``SPHERON_TOKEN`` found in the environment at start. Values
shorter than ``MIN_TOKEN_LENGTH`` are not looked for: a token like ``"t"`` cannot be told apart
from ordinary text, and no real token is that short.

Where, per test phase (setup, call, teardown):

- every log record of every logger at every level, DEBUG included, whatever levels and handlers
  are configured. Loggers hand every record to the guard (after the logger's own filters, so the
  client's hpack redaction counts); handlers still get only what their configured levels let
  through, so ``caplog`` and the "Captured log" sections are exactly as without the guard;
- the captured stdout, stderr and log sections, and what a test read through
  ``capsys``/``capfd`` (``readouterr``);
- the failure text (``longrepr``).

A finding fails the phase's report (a failed report gets a note added), and the token is replaced
by ``***`` in the report, so the failure does not print it. ``@pytest.mark.prints_token`` marks a
test that prints ``DEFAULT_TOKEN`` on purpose (like the fake server's command line): only that
value, and only in its stdout/stderr, is then allowed.
"""

from __future__ import annotations

import contextvars
import logging
import os
import threading
from collections.abc import Callable, Collection, Generator
from dataclasses import dataclass
from typing import Any

import pytest

MIN_TOKEN_LENGTH = 8
MARKER = "prints_token"
REDACTED = "***"
_CONTEXT = 60

# True while a record is being logged only for the guard (below the logger's effective level).
_guard_only: contextvars.ContextVar[bool] = contextvars.ContextVar("guard_only", default=False)
_formatter = logging.Formatter()


@dataclass(frozen=True)
class Finding:
    """Where a token was found, with the surrounding text (token replaced by ``***``)."""

    where: str
    excerpt: str


class SecretGuard:
    """The registered token values, and the log records and reads seen since the last check."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: set[str] = set()
        self._logs: list[tuple[str, str]] = []
        self._reads: list[str] = []
        self._undo: list[Callable[[], None]] = []
        self._users = 0

    # -- tokens ---------------------------------------------------------------------------

    @property
    def tokens(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self._tokens)

    def register(self, value: object) -> None:
        """Look for ``value`` from now on (ignored when not a string or too short)."""
        if isinstance(value, str) and len(value.strip()) >= MIN_TOKEN_LENGTH:
            with self._lock:
                self._tokens.add(value.strip())

    def redact(self, text: str) -> str:
        for token in sorted(self.tokens, key=len, reverse=True):
            text = text.replace(token, REDACTED)
        return text

    def find(self, where: str, text: str, *, allowed: Collection[str] = ()) -> list[Finding]:
        """One finding per registered token (other than ``allowed``) that occurs in ``text``."""
        found = []
        for token in sorted(self.tokens - set(allowed)):
            at = text.find(token)
            if at >= 0:
                excerpt = text[max(0, at - _CONTEXT) : at + len(token) + _CONTEXT]
                found.append(Finding(where, " ".join(self.redact(excerpt).split())))
        return found

    # -- what tests log and read ----------------------------------------------------------

    def note_record(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # a bad format string: its handler would report it
            text = f"{record.msg!r} {record.args!r}"
        if record.exc_info and not record.exc_text:
            text += "\n" + _formatter.formatException(record.exc_info)
        elif record.exc_text:
            text += "\n" + record.exc_text
        if record.stack_info:
            text += "\n" + record.stack_info
        where = f"log record {record.name!r} ({record.levelname})"
        with self._lock:
            self._logs.append((where, text))

    def note_read(self, text: str) -> None:
        with self._lock:
            self._reads.append(text)

    def take(self) -> tuple[list[tuple[str, str]], list[str]]:
        """The log records and reads since the last call."""
        with self._lock:
            logs, self._logs = self._logs, []
            reads, self._reads = self._reads, []
        return logs, reads

    # -- hooks into spheron, logging and pytest's capture ---------------------------------

    def install(self) -> None:
        """Patch ``Secret``, ``logging.Logger`` and ``CaptureFixture`` (reference counted)."""
        self._users += 1
        if self._users > 1:
            return
        self.register(os.environ.get("SPHERON_TOKEN"))
        try:
            from spheron.testing import DEFAULT_TOKEN
        except ImportError:  # pragma: no cover - the suite installs the testing extra
            pass
        else:
            self.register(DEFAULT_TOKEN)
        self._patch_secret()
        self._patch_logging()
        self._patch_capture()

    def uninstall(self) -> None:
        self._users -= 1
        if self._users == 0:
            while self._undo:
                self._undo.pop()()

    def _patch(self, owner: Any, name: str, replacement: Any) -> Any:
        original = owner.__dict__[name]
        setattr(owner, name, replacement)
        self._undo.append(lambda: setattr(owner, name, original))
        return original

    def _patch_secret(self) -> None:
        from spheron._config import Secret

        guard = self

        def __init__(secret: Secret, value: str) -> None:
            guard.register(value)
            init(secret, value)

        init = self._patch(Secret, "__init__", __init__)

    def _patch_logging(self) -> None:
        guard = self
        logger_class = logging.Logger
        enabled_for = logger_class.isEnabledFor

        def isEnabledFor(logger: logging.Logger, level: int) -> bool:
            return True  # every record is made; _log decides who else sees it

        def _log(logger: logging.Logger, level: int, *args: Any, **kwargs: Any) -> None:
            # One more stack level: the record's caller is the code that logged, not this frame.
            # (_log's positional parameters: msg, args, exc_info, extra, stack_info, stacklevel)
            if len(args) >= 6:
                args = (*args[:5], args[5] + 1, *args[6:])
            else:
                kwargs["stacklevel"] = kwargs.get("stacklevel", 1) + 1
            reset = _guard_only.set(not enabled_for(logger, level))
            try:
                log(logger, level, *args, **kwargs)
            finally:
                _guard_only.reset(reset)

        def callHandlers(logger: logging.Logger, record: logging.LogRecord) -> None:
            guard.note_record(record)
            if not _guard_only.get():
                call_handlers(logger, record)

        self._patch(logger_class, "isEnabledFor", isEnabledFor)
        log = self._patch(logger_class, "_log", _log)
        call_handlers = self._patch(logger_class, "callHandlers", callHandlers)

    def _patch_capture(self) -> None:
        guard = self

        def readouterr(fixture: pytest.CaptureFixture[Any]) -> Any:
            result = read(fixture)
            guard.note_read("\n".join(_text(part) for part in result))
            return result

        read = self._patch(pytest.CaptureFixture, "readouterr", readouterr)

    # -- checking a report ----------------------------------------------------------------

    def check(self, item: pytest.Item, report: pytest.TestReport) -> list[Finding]:
        """Findings for this phase; fails ``report`` and redacts it when there are any."""
        public = self._public_output(item)
        findings: list[Finding] = []
        for title, content in report.sections:
            if title.endswith(f" {report.when}"):
                output = "stdout" in title or "stderr" in title
                findings += self.find(title.lower(), content, allowed=public if output else ())
        logs, reads = self.take()
        for where, text in logs:
            findings += self.find(where, text)
        for text in reads:
            findings += self.find("output read with readouterr()", text, allowed=public)
        if report.longrepr is not None:
            findings += self.find("failure text", report.longreprtext)
        if findings:
            self._fail(report, findings)
        return findings

    @staticmethod
    def _public_output(item: pytest.Item) -> frozenset[str]:
        if item.get_closest_marker(MARKER) is None:
            return frozenset()
        from spheron.testing import DEFAULT_TOKEN

        return frozenset({DEFAULT_TOKEN})

    def _fail(self, report: pytest.TestReport, findings: list[Finding]) -> None:
        lines = [f"  {f.where}: {f.excerpt}" for f in findings]
        note = (
            f"secret guard: a token given to the client appeared in the {report.when} phase "
            "(shown here as ***):\n" + "\n".join(lines)
        )
        report.sections = [(title, self.redact(content)) for title, content in report.sections]
        if report.failed:
            report.longrepr = f"{self.redact(report.longreprtext)}\n\n{note}"
        else:
            report.outcome = "failed"
            report.longrepr = note
            if hasattr(report, "wasxfail"):
                del report.wasxfail


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


GUARD = SecretGuard()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}: the test prints spheron.testing.DEFAULT_TOKEN on purpose; the secret guard "
        "allows that value in its stdout/stderr (never in logs or failure text)",
    )
    GUARD.install()


def pytest_unconfigure(config: pytest.Config) -> None:
    GUARD.uninstall()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    GUARD.check(item, report)
    return report
