"""``client.deployments``: build and publish sites from git, and wait for the result."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Mapping
from typing import Any

from spheron_api_client.api.deployment import (
    authorize_deployment,
    cancel_deployment,
    get_deployment,
    redeploy_deployment,
    start_deployment,
    suggest_framework,
)
from spheron_api_client.models.cancel_deployment_response import CancelDeploymentResponse
from spheron_api_client.models.deployment import Deployment
from spheron_api_client.models.deployment_start_result import DeploymentStartResult
from spheron_api_client.models.deployment_status import DeploymentStatus
from spheron_api_client.models.framework import Framework
from spheron_api_client.models.get_deployment_response import GetDeploymentResponse
from spheron_api_client.models.protocol import Protocol
from spheron_api_client.models.provider import Provider
from spheron_api_client.models.start_deployment_configuration import StartDeploymentConfiguration
from spheron_api_client.models.start_deployment_configuration_configuration import (
    StartDeploymentConfigurationConfiguration as BuildConfiguration,
)
from spheron_api_client.models.start_deployment_configuration_env import (
    StartDeploymentConfigurationEnv,
)
from spheron_api_client.models.start_deployment_configuration_git_provider_preferences import (
    StartDeploymentConfigurationGitProviderPreferences as GitProviderPreferences,
)
from spheron_api_client.types import UNSET, Unset

from ..._events import (
    DEFAULT_IDLE_TIMEOUT,
    MAX_LINE_BYTES,
    ServerSentEvent,
    SseDecoder,
    check_stream,
    stream_extensions,
    stream_timeout,
)
from ..._progress import StatusCallback
from ..._wait import (
    DEFAULT_POLL_INTERVAL,
    DEFAULT_TIMEOUT,
    Classification,
    Clock,
    DeploymentFailedError,
)
from .. import _primitives
from .._primitives import Sleep
from .._wait import async_poll
from ._base import (
    AsyncResource,
    ClientLike,
    coerce_enum,
    coerce_model,
    unset_if_none,
)

__all__ = ["FAILED_STATUSES", "PENDING_STATUSES", "AsyncDeployments"]

PENDING_STATUSES = frozenset(
    {
        DeploymentStatus.PENDING,
        DeploymentStatus.PREQUEUE,
        DeploymentStatus.QUEUED,
        DeploymentStatus.KILLING,  # on its way to Canceled
    }
)
"""Statuses ``wait`` keeps polling through (unknown statuses are polled through too)."""
FAILED_STATUSES = frozenset(
    {
        DeploymentStatus.FAILED,
        DeploymentStatus.CANCELED,
        DeploymentStatus.TIMEDOUT,
        DeploymentStatus.AUTHORIZATIONNEEDED,  # stays put until someone calls authorize()
    }
)
"""Statuses that make ``wait`` raise :class:`DeploymentFailedError`."""

_SUBSCRIBE_PATH = "/v1/subscribe"


def _start_body(
    *,
    organization_id: str,
    git_url: str,
    repo_name: str,
    branch: str,
    protocol: Protocol | str,
    provider: Provider | str,
    configuration: BuildConfiguration | Mapping[str, Any],
    env: Mapping[str, str] | None,
    create_default_webhook: bool,
    git_provider_preferences: GitProviderPreferences | Mapping[str, Any] | None,
    unique_topic_id: str | None,
) -> StartDeploymentConfiguration:
    preferences: GitProviderPreferences | Unset = UNSET
    if git_provider_preferences is not None:
        preferences = coerce_model(
            GitProviderPreferences.from_dict,
            git_provider_preferences,
            name="git_provider_preferences",
        )
    return StartDeploymentConfiguration(
        organization_id=organization_id,
        git_url=git_url,
        repo_name=repo_name,
        branch=branch,
        protocol=coerce_enum(Protocol, protocol),
        provider=coerce_enum(Provider, provider),
        create_default_webhook=create_default_webhook,
        configuration=coerce_model(
            BuildConfiguration.from_dict, configuration, name="configuration"
        ),
        env=UNSET if env is None else StartDeploymentConfigurationEnv.from_dict(env),
        git_provider_preferences=preferences,
        unique_topic_id=unset_if_none(unique_topic_id),
    )


def _classify(found: GetDeploymentResponse) -> Classification:
    status = found.deployment.status
    if status == DeploymentStatus.DEPLOYED:
        return status.value, True, "succeeded"
    if status in FAILED_STATUSES:
        return status.value, True, "failed"
    return status.value, status.is_known, "pending"


def _log_lines(found: GetDeploymentResponse) -> list[str]:
    logs = found.deployment.logs
    lines = [] if logs is None else [i.log for i in logs if isinstance(i.log, str)]
    if not lines and isinstance(found.live_logs, list):
        lines = [str(line) for line in found.live_logs]
    return lines


def _failure(deployment_id: str, found: GetDeploymentResponse) -> DeploymentFailedError:
    deployment = found.deployment
    status = deployment.status.value
    message = f"deployment {deployment_id} ended with status {status}"
    if isinstance(deployment.failed_message, str) and deployment.failed_message:
        message += f": {deployment.failed_message}"
    if deployment.status == DeploymentStatus.AUTHORIZATIONNEEDED:
        message += "; approve it with deployments.authorize(deployment_id)"
    return DeploymentFailedError(
        message,
        deployment_id=deployment_id,
        status=status,
        logs=_log_lines(found),
        deployment=deployment,
    )


class AsyncDeployments(AsyncResource):
    """Site deployments. ``clock``/``sleep`` drive :meth:`wait` (tests inject fakes)."""

    def __init__(
        self,
        client: ClientLike,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = _primitives.sleep,
    ) -> None:
        super().__init__(client)
        self._clock = clock
        self._sleep = sleep

    async def create(
        self,
        *,
        git_url: str,
        repo_name: str,
        branch: str,
        protocol: Protocol | str,
        provider: Provider | str,
        configuration: BuildConfiguration | Mapping[str, Any],
        env: Mapping[str, str] | None = None,
        create_default_webhook: bool = True,
        git_provider_preferences: GitProviderPreferences | Mapping[str, Any] | None = None,
        unique_topic_id: str | None = None,
        organization_id: str | None = None,
    ) -> DeploymentStartResult:
        """Build ``branch`` of a repository and publish it.

        ``configuration`` is the build settings (a model, or a mapping in the API's
        spelling: ``buildCommand``, ``installCommand``, ``workspace``, ``publishDir``,
        ``framework``, ``nodeVersion``). Follow the build with :meth:`wait`.
        ``create_default_webhook`` is ``True`` by default, as ``@spheron/core`` sends it: the
        server then installs the repository webhook that redeploys on push.
        """
        body = _start_body(
            organization_id=await self._org(organization_id),
            git_url=git_url,
            repo_name=repo_name,
            branch=branch,
            protocol=protocol,
            provider=provider,
            configuration=configuration,
            env=env,
            create_default_webhook=create_default_webhook,
            git_provider_preferences=git_provider_preferences,
            unique_topic_id=unique_topic_id,
        )
        return await self._call(start_deployment.asyncio_detailed, body=body)

    async def get(self, deployment_id: str) -> Deployment:
        """A deployment (status, logs, configuration)."""
        return (await self._call(get_deployment.asyncio_detailed, deployment_id)).deployment

    async def authorize(self, deployment_id: str) -> DeploymentStartResult:
        """Approve a deployment waiting in ``AuthorizationNeeded``."""
        return await self._call(authorize_deployment.asyncio_detailed, deployment_id)

    async def cancel(self, deployment_id: str) -> CancelDeploymentResponse:
        """Stop a running deployment."""
        return await self._call(cancel_deployment.asyncio_detailed, deployment_id)

    async def redeploy(self, deployment_id: str) -> DeploymentStartResult:
        """Run a deployment again with the same settings."""
        return await self._call(redeploy_deployment.asyncio_detailed, deployment_id)

    async def framework_suggestion(
        self,
        *,
        owner: str,
        repo: str,
        branch: str,
        provider: Provider | str,
        root: str | None = None,
    ) -> Framework:
        """The framework the API detects in a repository (unknown names decode too)."""
        suggestion = await self._call(
            suggest_framework.asyncio_detailed,
            owner=owner,
            branch=branch,
            repo=repo,
            provider=coerce_enum(Provider, provider),
            root=unset_if_none(root),
        )
        return suggestion.suggested_framework

    async def wait(
        self,
        deployment_id: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        on_update: StatusCallback | None = None,
    ) -> Deployment:
        """Poll until the deployment is ``Deployed`` and return it.

        Raises :class:`DeploymentFailedError` (with the logs) on ``Failed``, ``Canceled``,
        ``TimedOut`` or ``AuthorizationNeeded``, and :class:`WaitTimeoutError` after
        ``timeout`` seconds. ``on_update`` gets a :class:`StatusUpdate` on every change.
        """

        async def fetch(seconds: float) -> GetDeploymentResponse:
            return await self._call_within(seconds, get_deployment.asyncio_detailed, deployment_id)

        found, verdict = await async_poll(
            fetch,
            _classify,
            resource_id=deployment_id,
            kind="deployment",
            timeout=timeout,
            poll_interval=poll_interval,
            on_update=on_update,
            clock=self._clock,
            sleep=self._sleep,
        )
        if verdict == "failed":
            raise _failure(deployment_id, found)
        return found.deployment

    async def events(
        self,
        topic: str,
        *,
        timeout: float | None = None,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        max_line_bytes: int = MAX_LINE_BYTES,
    ) -> AsyncIterator[ServerSentEvent]:
        """Follow the event stream of ``topic`` (a ``topic`` returned by create/redeploy).

        Yields events until the server closes the stream; close the iterator to stop early.
        ``timeout`` bounds the whole stream (``None``: no bound), ``idle_timeout`` how long it
        may stay silent, and ``max_line_bytes`` one line or event; past any of them the
        stream ends with :class:`APITimeoutError` or :class:`ResponseTooLargeError`.
        """
        http = self._client.api.get_async_httpx_client()
        async with http.stream(
            "GET",
            _SUBSCRIBE_PATH,
            params={"sessionId": topic},
            headers={"Accept": "text/event-stream"},
            timeout=stream_timeout(http.timeout, idle_timeout),
            extensions=stream_extensions(timeout),
        ) as response:
            check_stream(response)
            decoder = SseDecoder(response.request, max_line_bytes=max_line_bytes)
            async for event in decoder.adecode(response.aiter_text()):
                yield event
