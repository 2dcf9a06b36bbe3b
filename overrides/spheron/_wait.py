"""Waiting for a terminal status, in both modes: the errors, the tracker and the defaults.

The polling loop is ``spheron._async._wait.async_poll`` (sync copy: ``spheron._sync._wait.poll``).

The engine knows nothing about deployments or instances: a ``classify`` function maps each
fetched resource to ``(status, is_known, verdict)``. Unknown statuses are reported to
``on_update`` and polled on until the timeout. ``clock`` and ``sleep`` are injectable for tests.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Literal, Protocol, TypeVar

from spheron_api_client.models.compute_instance import ComputeInstance
from spheron_api_client.models.deployment import Deployment

from ._errors import APIConnectionError, InternalServerError, RateLimitError
from ._exceptions import InvalidArgumentError, SpheronError
from ._logs import logger
from ._progress import StatusCallback, StatusUpdate

__all__ = [
    "DEFAULT_POLL_INTERVAL",
    "DEFAULT_TIMEOUT",
    "TRANSIENT_ERRORS",
    "Classification",
    "Clock",
    "DeploymentFailedError",
    "InstanceFailedError",
    "Tracker",
    "Verdict",
    "WaitTimeoutError",
    "classify_status",
]

T = TypeVar("T")

DEFAULT_TIMEOUT = 900.0
"""Seconds ``deployments.wait``/``compute.instances.wait`` allow by default."""
DEFAULT_POLL_INTERVAL = 5.0
"""Seconds between two polls by default."""
_MIN_POLL_BUDGET = 1.0
"""The least time one poll is given, even at the very end of a wait."""

TRANSIENT_ERRORS: tuple[type[Exception], ...] = (
    APIConnectionError,
    InternalServerError,
    RateLimitError,
)
"""Failures a wait polls through: the resource's state is still unknown, not bad."""

Verdict = Literal["pending", "succeeded", "failed"]
Classification = tuple[str | None, bool, Verdict]
"""``(status, is_known, verdict)`` for one fetched resource."""
Clock = Callable[[], float]


class _Status(Protocol):
    """A tolerant generated enum member: its raw ``value``, and whether the document knows it."""

    @property
    def value(self) -> str: ...

    @property
    def is_known(self) -> bool: ...


S = TypeVar("S", bound=_Status)


def classify_status(
    status: S, *, succeeded: Collection[S], failed: Collection[S]
) -> Classification:
    """Where a polled resource stands: settled when ``status`` is in ``succeeded`` or ``failed``,
    pending otherwise (an unknown status too, marked as such)."""
    if status in succeeded:
        return status.value, True, "succeeded"
    if status in failed:
        return status.value, True, "failed"
    return status.value, status.is_known, "pending"


class WaitTimeoutError(SpheronError):
    """The resource did not reach a terminal status within ``timeout`` seconds."""

    def __init__(
        self, message: str, *, resource_id: str, last_status: str | None, timeout: float
    ) -> None:
        super().__init__(message)
        self.resource_id = resource_id
        self.last_status = last_status
        self.timeout = timeout


class DeploymentFailedError(SpheronError):
    """A deployment ended without being deployed; ``logs`` holds its build log lines."""

    def __init__(
        self,
        message: str,
        *,
        deployment_id: str,
        status: str | None,
        logs: Sequence[str],
        deployment: Deployment,
    ) -> None:
        super().__init__(message)
        self.deployment_id = deployment_id
        self.status = status
        self.logs = list(logs)
        self.deployment = deployment


class InstanceFailedError(SpheronError):
    """A compute instance failed to start or was closed while waiting for it."""

    def __init__(
        self, message: str, *, instance_id: str, status: str | None, instance: ComputeInstance
    ) -> None:
        super().__init__(message)
        self.instance_id = instance_id
        self.status = status
        self.instance = instance


def _check(timeout: float, poll_interval: float) -> None:
    if timeout < 0:
        raise InvalidArgumentError(f"timeout must not be negative, got {timeout}")
    if poll_interval <= 0:
        raise InvalidArgumentError(f"poll_interval must be positive, got {poll_interval}")


class Tracker:
    """Reports status changes and decides how long to sleep; shared by both pollers."""

    def __init__(
        self,
        resource_id: str,
        kind: str,
        *,
        timeout: float,
        poll_interval: float,
        on_update: StatusCallback | None,
        clock: Clock,
    ) -> None:
        _check(timeout, poll_interval)
        self.resource_id = resource_id
        self.kind = kind
        self.timeout = timeout
        self.poll_interval = poll_interval
        self.on_update = on_update
        self.clock = clock
        self.started = clock()
        self.status: str | None = None
        self.seen = False

    def observe(self, status: str | None, is_known: bool) -> None:
        if self.seen and status == self.status:
            return
        update = StatusUpdate(
            resource_id=self.resource_id,
            status=status,
            previous=self.status,
            is_known=is_known,
            elapsed=self.clock() - self.started,
        )
        self.seen, self.status = True, status
        if self.on_update is not None:
            self.on_update(update)

    def time_left(self) -> float:
        """Seconds the wait has left (at least a small slice for one more poll)."""
        return max(self.timeout - (self.clock() - self.started), _MIN_POLL_BUDGET)

    def transient(self, exc: BaseException) -> None:
        """A poll failed in a way worth retrying: say so, keep polling."""
        logger.info(
            "%s %s: poll failed (%s: %s); polling on",
            self.kind,
            self.resource_id,
            type(exc).__name__,
            str(exc).splitlines()[0] if str(exc) else "",
        )

    def next_delay(self, cause: BaseException | None = None) -> float:
        """Seconds to sleep before the next poll; raises once the timeout has passed."""
        remaining = self.timeout - (self.clock() - self.started)
        if remaining <= 0:
            last = f"; the last poll failed: {type(cause).__name__}" if cause else ""
            raise WaitTimeoutError(
                f"{self.kind} {self.resource_id} was still {self.status!r} after "
                f"{self.timeout:g}s{last}",
                resource_id=self.resource_id,
                last_status=self.status,
                timeout=self.timeout,
            ) from cause
        return min(self.poll_interval, remaining)
