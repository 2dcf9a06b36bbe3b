"""Remove a token from anything a hostile server may echo it in.

A server can send the request's own credential back raw, JSON-escaped (``\\u0073ecret``, ``\\/``),
or percent-encoded (``%73ecret``), in any mix, in a body, a header such as ``x-request-id``, or a
``Location``; that text then reaches exception messages, ``exc.body``, ``exc.request_id`` and the
DEBUG logs of ``httpx``/``httpcore``. Every token, whatever its length, is matched in all of those
forms. Written here rather than taken from a library: no maintained package redacts a known
secret across JSON and URL escapes.
"""

from __future__ import annotations

import functools
import logging
import re
import weakref
from collections.abc import Iterable

__all__ = ["MASK", "credential_of", "redact_text", "register_secret", "watch_loggers"]

MASK = "***"

# Loggers whose records can quote response headers or bodies: httpcore logs response headers at
# DEBUG (an echoed token in ``x-request-id`` included). Filters on a logger do not apply to its
# children's records, so each module logger is named.
_WATCHED = (
    "spheron",
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)


class _Holder:
    """One live token (held weakly by the registry, strongly by the client that uses it)."""

    __slots__ = ("__weakref__", "value")

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"{type(self).__name__}('{MASK}')"


_LIVE: weakref.WeakSet[_Holder] = weakref.WeakSet()


def register_secret(value: str) -> object:
    """Redact ``value`` from the watched loggers while the returned handle is alive."""
    holder = _Holder(value)
    _LIVE.add(holder)
    return holder


def credential_of(headers: object) -> str:
    """The bearer credential in a request's ``Authorization`` header (``""`` without one)."""
    get = getattr(headers, "get", None)
    value = get("authorization", "") if get is not None else ""
    return str(value).partition(" ")[2].strip()


@functools.lru_cache(maxsize=64)
def _pattern(secret: str) -> re.Pattern[str]:
    parts = []
    for char in secret:
        code = ord(char)
        forms = [re.escape(char)]
        if code < 0x10000:
            # JSON escape; one or more backslashes: a repr() of the text (log records quote
            # header values as bytes reprs) doubles them.
            forms.append(rf"(?i:\\+u{code:04x})")
        if code < 0x80:
            forms.append(rf"(?i:%{code:02x})")  # percent-encoding
        if char == "/":
            forms.append(r"\\+/")
        parts.append("(?:" + "|".join(forms) + ")")
    return re.compile("".join(parts))


def redact_text(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every form of each of ``secrets`` replaced by ``***``."""
    for secret in secrets:
        if not secret:
            continue
        if secret in text or "\\" in text or "%" in text:
            text = _pattern(secret).sub(MASK, text)
    return text


def _live_secrets() -> list[str]:
    return [holder.value for holder in list(_LIVE)]


class _RedactRecord(logging.Filter):
    """Formats a record's message once and removes every live token from it."""

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = _live_secrets()
        if not secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to logging's own error handling
            return True
        cleaned = redact_text(message, secrets)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def watch_loggers() -> None:
    """Install the redaction filter on the loggers that may quote what a server sent."""
    for name in _WATCHED:
        target = logging.getLogger(name)
        if not any(isinstance(f, _RedactRecord) for f in target.filters):
            target.addFilter(_RedactRecord())
