"""The ``spheron`` logger and its ``SPHERON_LOG`` switch."""

from __future__ import annotations

import logging
import os
import re

from ._constants import LOG_ENV
from ._redact import watch_loggers

__all__ = ["logger", "setup_logging"]

logger = logging.getLogger("spheron")
logger.addHandler(logging.NullHandler())

_FORMAT = "[%(asctime)s %(name)s %(levelname)s] %(message)s"
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_HPACK_LOGGERS = ("hpack.hpack", "hpack.table")
_SECRET_HEADER = re.compile(r"(proxy-)?authorization|cookie", re.IGNORECASE)


class _EnvHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The stderr handler installed by ``SPHERON_LOG``; marked so it is added once."""


# hpack also logs whole header blocks; their Huffman coding is reversible, and "authorization"
# appears there as a table index, not as text, so these records are always blanked.
_HEADER_BLOCKS = frozenset({"Encoded header block to %s", "Decoding %s"})


class _RedactSecretHeaders(logging.Filter):
    """Drop the values from hpack's DEBUG records about authorization and cookie headers.

    hpack (used for HTTP/2) logs every header it encodes or decodes at DEBUG, token included,
    which would leak the token to anyone who turns on DEBUG for the root logger.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg in _HEADER_BLOCKS:
            record.msg = "hpack: header block redacted by spheron (it may carry the token)"
            record.args = ()
        elif _SECRET_HEADER.search(str(record.msg)) or any(
            _SECRET_HEADER.search(repr(arg)) for arg in _args(record)
        ):
            record.msg = "hpack: header record redacted by spheron (it named a secret header)"
            record.args = ()
        return True


def _args(record: logging.LogRecord) -> tuple[object, ...]:
    args = record.args
    if isinstance(args, tuple):
        return args
    return () if args is None else (args,)


def setup_logging() -> None:
    """Apply ``SPHERON_LOG=info|debug`` (a stderr handler) and guard hpack's debug output."""
    watch_loggers()
    for name in _HPACK_LOGGERS:
        hpack_logger = logging.getLogger(name)
        if not any(isinstance(f, _RedactSecretHeaders) for f in hpack_logger.filters):
            hpack_logger.addFilter(_RedactSecretHeaders())
    level = _LEVELS.get(os.environ.get(LOG_ENV, "").strip().lower())
    if level is None:
        return
    logger.setLevel(level)
    if not any(isinstance(h, _EnvHandler) for h in logger.handlers):
        handler = _EnvHandler()
        handler.setFormatter(logging.Formatter(_FORMAT))
        logger.addHandler(handler)
