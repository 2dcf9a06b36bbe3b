"""Options that more than one command takes: waiting (``--timeout``, ``--poll-interval``) and
uploading (``--protocol``, ``--progress``), and the non-negative number option they build on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from spheron_api_client.models.protocol import Protocol

from .._wait import DEFAULT_POLL_INTERVAL, DEFAULT_TIMEOUT

F = TypeVar("F", bound=Callable[..., Any])

# The API's own values (`filecoin` alone is not one: the server knows `ipfs-filecoin`).
PROTOCOLS = click.Choice([p.value for p in Protocol], case_sensitive=False)


def number_option(name: str, *, minimum: float, default: float, help: str) -> Callable[[F], F]:
    """``name``: a number of at least ``minimum``, ``default`` when left out (shown in --help)."""
    return click.option(
        name, type=click.FloatRange(min=minimum), default=default, show_default=True, help=help
    )


timeout_option = number_option(
    "--timeout",
    minimum=0,
    default=DEFAULT_TIMEOUT,
    help="Seconds to wait before giving up (exit 5).",
)
interval_option = number_option(
    "--poll-interval",
    minimum=0.01,
    default=DEFAULT_POLL_INTERVAL,
    help="Seconds between two polls.",
)
protocol_option = click.option("--protocol", type=PROTOCOLS, default="ipfs", show_default=True)
progress_option = click.option(
    "--progress/--no-progress", default=None, help="Force the progress bar on or off."
)
