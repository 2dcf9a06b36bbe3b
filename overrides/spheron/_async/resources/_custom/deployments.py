"""The hand-written methods of ``resources/deployments.py`` (generated), which derives from
the classes here: build and publish sites from git, and wait for the result."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from functools import cached_property
from typing import Any

import httpx

from spheron_api_client.models.deployment_status import DeploymentStatus
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

from ...._events import (
    DEFAULT_IDLE_TIMEOUT,
    MAX_LINE_BYTES,
    ServerSentEvent,
    SseDecoder,
    check_stream,
    stream_extensions,
    stream_timeout,
)
from ...._request_options import CallOptions, ExtraOptions, Unpack
from ...._wait import Classification, DeploymentFailedError, classify_status
from ..._raw import AsyncStreamedResponse
from .._base import coerce_enum, coerce_model, extra_options, unset_if_none
from .._polling import AsyncPollingResource

__all__ = [
    "FAILED_STATUSES",
    "PENDING_STATUSES",
    "AsyncDeploymentsCustom",
    "AsyncDeploymentsWithStreamingResponse",
    "BuildConfiguration",
    "GitProviderPreferences",
    "classify",
    "failure",
    "start_body",
]

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


def start_body(
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


def classify(found: GetDeploymentResponse) -> Classification:
    """Where a polled deployment stands (``wait``)."""
    done = {DeploymentStatus.DEPLOYED}
    return classify_status(found.deployment.status, succeeded=done, failed=FAILED_STATUSES)


def _log_lines(found: GetDeploymentResponse) -> list[str]:
    logs = found.deployment.logs
    lines = [] if logs is None else [i.log for i in logs if isinstance(i.log, str)]
    if not lines and isinstance(found.live_logs, list):
        lines = [str(line) for line in found.live_logs]
    return lines


def failure(deployment_id: str, found: GetDeploymentResponse) -> DeploymentFailedError:
    """The error ``wait`` raises for a deployment that failed (with its logs)."""
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


class AsyncDeploymentsCustom(AsyncPollingResource):
    """The hand-written methods of :class:`AsyncDeployments`."""

    async def events(
        self,
        topic: str,
        *,
        timeout: float | None = None,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        max_line_bytes: int = MAX_LINE_BYTES,
        **options: Unpack[ExtraOptions],
    ) -> AsyncIterator[ServerSentEvent]:
        """Follow the event stream of ``topic`` (a ``topic`` returned by create/redeploy).

        Yields events until the server closes the stream; close the iterator to stop early.
        ``timeout`` bounds the whole stream (``None``: no bound), ``idle_timeout`` how long it
        may stay silent, and ``max_line_bytes`` one line or event; past any of them the
        stream ends with :class:`APITimeoutError` or :class:`ResponseTooLargeError`.

        Args:
            topic: the ``topic`` returned by ``create``/``redeploy``.
            timeout: seconds the whole stream may last (``None``: no bound).
            idle_timeout: seconds the stream may stay silent.
            max_line_bytes: the longest line or event accepted.
            **options: extra headers and query (:class:`~spheron.ExtraOptions`).

        Returns:
            AsyncIterator[ServerSentEvent]: an iterator of :class:`~spheron.ServerSentEvent`, in the
                order received.

        Raises:
            SpheronError: InvalidArgumentError, APIError, ResponseValidationError; README "Errors".
            APITimeoutError: ``timeout`` or ``idle_timeout`` passed.
            ResponseTooLargeError: a line or event longer than ``max_line_bytes``.
        """
        call = extra_options(options)
        async with self._event_stream(topic, timeout, idle_timeout, call) as response:
            async for event in _decode_events(response, max_line_bytes):
                yield event

    @asynccontextmanager
    async def _event_stream(
        self,
        topic: str,
        timeout: float | None,
        idle_timeout: float,
        call: CallOptions | None,
    ) -> AsyncIterator[httpx.Response]:
        """The open ``/v1/subscribe`` response of ``topic``, body not read yet."""
        http = self._client.api.get_async_httpx_client()
        request = http.build_request(
            "GET",
            _SUBSCRIBE_PATH,
            params={"sessionId": topic},
            headers={"Accept": "text/event-stream"},
            timeout=stream_timeout(http.timeout, idle_timeout),
            extensions=stream_extensions(timeout),
        )
        response = await http.send(call.apply(request) if call else request, stream=True)
        try:
            check_stream(response)
            yield response
        finally:
            await response.aclose()

    @cached_property
    def with_streaming_response(self) -> AsyncDeploymentsWithStreamingResponse:
        """``events`` returning the response as soon as its headers arrive (body unread)."""
        return AsyncDeploymentsWithStreamingResponse(self)


def _decode_events(response: httpx.Response, max_line_bytes: int) -> AsyncIterator[ServerSentEvent]:
    return SseDecoder(response.request, max_line_bytes=max_line_bytes).adecode(
        response.aiter_text()
    )


class AsyncDeploymentsWithStreamingResponse:
    """``client.deployments.with_streaming_response``: the stream's response before its body."""

    def __init__(self, deployments: AsyncDeploymentsCustom) -> None:
        self._deployments = deployments

    @asynccontextmanager
    async def events(
        self,
        topic: str,
        *,
        timeout: float | None = None,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        max_line_bytes: int = MAX_LINE_BYTES,
        **options: Unpack[ExtraOptions],
    ) -> AsyncIterator[AsyncStreamedResponse[ServerSentEvent]]:
        """Open the event stream of ``topic`` and return its response once the headers arrive.

        ``async with client.deployments.with_streaming_response.events(topic) as response:``
        gives status, headers and request id before any event; ``response.parse()`` then
        yields the events. Leaving the block closes the stream.

        Args:
            topic: the ``topic`` returned by ``create``/``redeploy``.
            timeout: seconds the whole stream may last (``None``: no bound).
            idle_timeout: seconds the stream may stay silent.
            max_line_bytes: the longest line or event accepted.
            **options: ``extra_headers`` and ``extra_query`` (see :class:`~spheron.ExtraOptions`).

        Returns:
            A context manager giving an :class:`~spheron.AsyncStreamedResponse` of
            :class:`~spheron.ServerSentEvent`.

        Raises:
            APIStatusError: the server answered with a non-2xx status.
            APIConnectionError: the stream could not be opened.
            ResponseValidationError: the answer is not an event stream.
        """
        call = extra_options(options)
        stream = self._deployments._event_stream(topic, timeout, idle_timeout, call)
        async with stream as response:
            yield AsyncStreamedResponse(response, lambda: _decode_events(response, max_line_bytes))
