"""Defaults shared by the sync and async clients."""

from __future__ import annotations

import httpx

DEFAULT_BASE_URL = "https://api-v2.spheron.network"
TOKEN_ENV = "SPHERON_TOKEN"
BASE_URL_ENV = "SPHERON_BASE_URL"
LOG_ENV = "SPHERON_LOG"

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
DEFAULT_TOTAL_TIMEOUT = 120.0
"""Seconds one non-streaming call may take in all: connecting, retries, waits, the whole body."""
DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
"""The largest response body read, counted after decompression."""
ERROR_BODY_LIMIT = 64 * 1024
"""How much of an error answer's body is kept for the exception (the rest is not read)."""
DEFAULT_CONNECTION_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)

INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0

RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})

TOKEN_HELP = (
    "Create a token in the Spheron dashboard (Settings → Tokens) and pass it as "
    f"Spheron(token=...) or set the {TOKEN_ENV} environment variable."
)
