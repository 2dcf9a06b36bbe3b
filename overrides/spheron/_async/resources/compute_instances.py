"""``client.compute.instances``: create, inspect, change and stop compute instances."""

from __future__ import annotations

import builtins
import time
import uuid
from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any

from spheron_api_client.api.compute_instance import (
    close_compute_instance,
    create_compute_instance,
    create_compute_instance_from_template,
    delete_compute_instance,
    exec_compute_instance_command,
    get_compute_deployment,
    get_compute_deployment_logs,
    get_compute_instance,
    get_compute_instance_metrics,
    list_compute_instances,
    trigger_compute_instance_health_check,
    trigger_compute_instance_log_fetch,
    update_compute_instance,
    update_compute_instance_health_check,
)
from spheron_api_client.models.close_compute_instance_response import (
    CloseComputeInstanceResponse,
)
from spheron_api_client.models.compute_deployment_logs import ComputeDeploymentLogs
from spheron_api_client.models.compute_instance import ComputeInstance
from spheron_api_client.models.compute_metrics import ComputeMetrics
from spheron_api_client.models.compute_service_configuration_dto import (
    ComputeServiceConfigurationDTO as ServiceConfiguration,
)
from spheron_api_client.models.create_compute_instance_body import CreateComputeInstanceBody
from spheron_api_client.models.create_compute_instance_from_template_body import (
    CreateComputeInstanceFromTemplateBody,
)
from spheron_api_client.models.create_compute_instance_from_template_body_environment_variables_item import (  # noqa: E501
    CreateComputeInstanceFromTemplateBodyEnvironmentVariablesItem as TemplateVariable,
)
from spheron_api_client.models.custom_service_specs_input import CustomServiceSpecsInput
from spheron_api_client.models.delete_compute_instance_response import (
    DeleteComputeInstanceResponse,
)
from spheron_api_client.models.exec_compute_instance_command_body import (
    ExecComputeInstanceCommandBody,
)
from spheron_api_client.models.extended_instance import ExtendedInstance
from spheron_api_client.models.funds_usage import FundsUsage
from spheron_api_client.models.get_compute_deployment_response import (
    GetComputeDeploymentResponse,
)
from spheron_api_client.models.get_compute_instance_response import GetComputeInstanceResponse
from spheron_api_client.models.instance_log_type import InstanceLogType
from spheron_api_client.models.instance_response import InstanceResponse
from spheron_api_client.models.instance_state import InstanceState
from spheron_api_client.models.marketplace_instance_response import MarketplaceInstanceResponse
from spheron_api_client.models.trigger_compute_instance_health_check_response import (
    TriggerComputeInstanceHealthCheckResponse,
)
from spheron_api_client.models.trigger_compute_instance_log_fetch_response import (
    TriggerComputeInstanceLogFetchResponse,
)
from spheron_api_client.models.update_compute_instance_body import UpdateComputeInstanceBody
from spheron_api_client.models.update_compute_instance_health_check_body import (
    UpdateComputeInstanceHealthCheckBody,
)
from spheron_api_client.models.update_compute_instance_health_check_response import (
    UpdateComputeInstanceHealthCheckResponse,
)
from spheron_api_client.types import UNSET, Unset

from ..._pagination import DEFAULT_PAGE_SIZE
from ..._progress import StatusCallback
from ..._request_options import ExtraOptions, RequestOptions, Unpack
from ..._wait import (
    DEFAULT_POLL_INTERVAL,
    DEFAULT_TIMEOUT,
    Classification,
    Clock,
    InstanceFailedError,
)
from .. import _primitives
from .._pagination import AsyncPager
from .._primitives import Sleep
from .._raw import async_raw, async_raw_pager
from ._base import (
    ClientLike,
    as_call_options,
    coerce_enum,
    coerce_model,
    deprecated_alias,
    optional_enum,
    unset_if_none,
)
from ._polling import AsyncPollingResource
from .compute_instance_domains import AsyncComputeInstanceDomains

__all__ = ["AsyncComputeInstances"]

_WANT_REPORT = "y"
DEFAULT_COMPUTE_PROVIDER = "DOCKERHUB"
"""Where service images come from (the only value the official CLI sends)."""

ServiceArg = ServiceConfiguration | Mapping[str, Any]
"""A service: the generated model, or a mapping in the API's spelling."""


def _topic(topic_id: str | None) -> str:
    return topic_id or str(uuid.uuid4())


def _services(services: Sequence[ServiceArg]) -> list[ServiceConfiguration]:
    return [
        coerce_model(ServiceConfiguration.from_dict, service, name="service")
        for service in services
    ]


def _create_body(
    organization_id: str,
    services: Sequence[ServiceArg],
    *,
    compute_project_name: str,
    compute_project_description: str,
    region: str,
    scalable: bool,
    compute_provider: str,
    unique_topic_id: str | None,
) -> CreateComputeInstanceBody:
    return CreateComputeInstanceBody(
        organization_id=organization_id,
        unique_topic_id=_topic(unique_topic_id),
        services=_services(services),
        compute_provider=compute_provider,
        compute_project_name=compute_project_name,
        compute_project_description=compute_project_description,
        scalable=scalable,
        region=region,
    )


def _template_body(
    organization_id: str,
    template_id: str,
    *,
    environment_variables: Mapping[str, str],
    akash_image_id: str,
    region: str,
    scalable: bool,
    custom_instance_specs: CustomServiceSpecsInput | Mapping[str, Any] | None,
    instance_count: int | None,
    unique_topic_id: str | None,
) -> CreateComputeInstanceFromTemplateBody:
    specs: CustomServiceSpecsInput | Unset = UNSET
    if custom_instance_specs is not None:
        specs = coerce_model(
            CustomServiceSpecsInput.from_dict, custom_instance_specs, name="custom_instance_specs"
        )
    return CreateComputeInstanceFromTemplateBody(
        template_id=template_id,
        environment_variables=[
            TemplateVariable(label=label, value=value)
            for label, value in environment_variables.items()
        ],
        organization_id=organization_id,
        akash_image_id=akash_image_id,
        region=region,
        scalable=scalable,
        unique_topic_id=_topic(unique_topic_id),
        custom_instance_specs=specs,
        instance_count=unset_if_none(instance_count),
    )


def _update_body(
    organization_id: str, services: Sequence[ServiceArg], unique_topic_id: str | None
) -> UpdateComputeInstanceBody:
    return UpdateComputeInstanceBody(
        services=_services(services),
        organization_id=organization_id,
        unique_topic_id=_topic(unique_topic_id),
    )


def _classify(found: GetComputeInstanceResponse) -> Classification:
    state = found.instance.state
    if state == InstanceState.ACTIVE:
        return state.value, True, "succeeded"
    if state in (InstanceState.FAILED_START, InstanceState.CLOSED):
        return state.value, True, "failed"
    return state.value, state.is_known, "pending"


def _failure(instance_id: str, instance: ComputeInstance) -> InstanceFailedError:
    status = instance.state.value
    return InstanceFailedError(
        f"compute instance {instance_id} did not become Active: it is {status}",
        instance_id=instance_id,
        status=status,
        instance=instance,
    )


def _report(found: GetComputeInstanceResponse) -> FundsUsage | None:
    return found.topup_report


class AsyncComputeInstances(AsyncPollingResource):
    """Compute instances (``.domains`` inside). ``clock``/``sleep`` drive the waiting."""

    def __init__(
        self,
        client: ClientLike,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = _primitives.sleep,
    ) -> None:
        super().__init__(client, clock=clock, sleep=sleep)
        self.domains = AsyncComputeInstanceDomains(client)

    def list(
        self,
        organization_id: str | None = None,
        *,
        state: InstanceState | str | None = None,
        compute_project_id: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[ExtendedInstance]:
        """The organization's instances, fetched lazily page by page.

        Args:
            organization_id: the organization (default: the client's, else the token's only one).
            state: only instances in this state (``None``: all).
            compute_project_id: only instances of this compute project.
            page_size: items requested per page (default 20).
            limit: the most items yielded in all (``None``: every item).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            AsyncPager[ExtendedInstance]: a lazy pager of ``ExtendedInstance``: nothing is fetched
                until it is iterated.

        Raises:
            InvalidArgumentError: a bad option, at once.
            SpheronConfigError: no ``organization_id`` and the token reaches several or none.
            SpheronError: while iterating: APIError, ResponseValidationError, PaginationError.
        """
        state_value = optional_enum(InstanceState, state)

        call = as_call_options(options)

        async def fetch(skip: int, size: int) -> list[ExtendedInstance]:
            page = await self._call(
                list_compute_instances.asyncio_detailed,
                organization_id=await self._org(organization_id),
                skip=skip,
                limit=size,
                state=state_value,
                compute_project_id=unset_if_none(compute_project_id),
                options=call,
            )
            return page.instances

        return AsyncPager(fetch, page_size=page_size, limit=limit)

    async def create(
        self,
        *,
        services: Sequence[ServiceArg],
        compute_project_name: str,
        region: str,
        scalable: bool,
        compute_project_description: str = "",
        compute_provider: str = DEFAULT_COMPUTE_PROVIDER,
        unique_topic_id: str | None = None,
        organization_id: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> InstanceResponse:
        """Start an instance running ``services`` (in a new or existing compute project).

        ``unique_topic_id`` names the event-stream session; a UUID is made up if omitted.
        Follow the start with :meth:`wait`.

        Args:
            services: the services to run: generated models, or mappings in the API's spelling.
            compute_project_name: the compute project to create or reuse.
            region: the region to run in.
            scalable: whether the instance may scale.
            compute_project_description: its description, for a new compute project.
            compute_provider: where service images come from (``DOCKERHUB``).
            unique_topic_id: the event-stream session to report on (a UUID is made up if ``None``).
            organization_id: the organization (default: the client's, else the token's only one).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            InstanceResponse: the new instance's ids and topic.

        Raises:
            SpheronConfigError: no ``organization_id`` and the token reaches several or none.
            SpheronError: InvalidArgumentError, APIError, ResponseValidationError; README "Errors".
        """
        body = _create_body(
            await self._org(organization_id),
            services,
            compute_project_name=compute_project_name,
            compute_project_description=compute_project_description,
            region=region,
            scalable=scalable,
            compute_provider=compute_provider,
            unique_topic_id=unique_topic_id,
        )
        return await self._call(
            create_compute_instance.asyncio_detailed, body=body, options=options
        )

    async def create_from_template(
        self,
        template_id: str,
        *,
        akash_image_id: str,
        region: str,
        scalable: bool,
        environment_variables: Mapping[str, str] | None = None,
        custom_instance_specs: CustomServiceSpecsInput | Mapping[str, Any] | None = None,
        instance_count: int | None = None,
        unique_topic_id: str | None = None,
        organization_id: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> MarketplaceInstanceResponse:
        """Start an instance from a marketplace app; variables are ``{label: value}``.

        Args:
            template_id: the marketplace app (template) to start.
            akash_image_id: the machine plan to run on.
            region: the region to run in.
            scalable: whether the instance may scale.
            environment_variables: the app's variables, ``{label: value}``.
            custom_instance_specs: custom machine specs (a model or a mapping in the API's
                spelling).
            instance_count: how many instances to start (``None``: the server's default).
            unique_topic_id: the event-stream session to report on (a UUID is made up if ``None``).
            organization_id: the organization (default: the client's, else the token's only one).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            MarketplaceInstanceResponse: the new instance's ids and topic.

        Raises:
            SpheronConfigError: no ``organization_id`` and the token reaches several or none.
            SpheronError: InvalidArgumentError, APIError, ResponseValidationError; README "Errors".
        """
        body = _template_body(
            await self._org(organization_id),
            template_id,
            environment_variables=environment_variables or {},
            akash_image_id=akash_image_id,
            region=region,
            scalable=scalable,
            custom_instance_specs=custom_instance_specs,
            instance_count=instance_count,
            unique_topic_id=unique_topic_id,
        )
        return await self._call(
            create_compute_instance_from_template.asyncio_detailed, body=body, options=options
        )

    async def get(self, instance_id: str, **options: Unpack[RequestOptions]) -> ComputeInstance:
        """An instance.

        Args:
            instance_id: the compute instance's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            ComputeInstance: an instance.

        Raises:
            SpheronError: InvalidArgumentError, APIError, ResponseValidationError; README "Errors".
        """
        return (
            await self._call(get_compute_instance.asyncio_detailed, instance_id, options=options)
        ).instance

    async def topup_report(
        self, instance_id: str, **options: Unpack[RequestOptions]
    ) -> FundsUsage | None:
        """The instance's spend report (``None`` if the API gave none).

        Args:
            instance_id: the compute instance's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            FundsUsage | None: the instance's spend report (``None`` if the API gave none).

        Raises:
            SpheronError: InvalidArgumentError, APIError, ResponseValidationError; README "Errors".
        """
        found = await self._call(
            get_compute_instance.asyncio_detailed,
            instance_id,
            topup_report=_WANT_REPORT,
            options=options,
        )
        return _report(found)

    async def update(
        self,
        instance_id: str,
        *,
        services: Sequence[ServiceArg],
        unique_topic_id: str | None = None,
        organization_id: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> InstanceResponse:
        """Redeploy the instance with new service settings.

        Args:
            instance_id: the compute instance's id.
            services: the services to run: generated models, or mappings in the API's spelling.
            unique_topic_id: the event-stream session to report on (a UUID is made up if ``None``).
            organization_id: the organization (default: the client's, else the token's only one).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            InstanceResponse: the updated instance's ids and topic.

        Raises:
            SpheronConfigError: no ``organization_id`` and the token reaches several or none.
            SpheronError: InvalidArgumentError, APIError, ResponseValidationError; README "Errors".
        """
        body = _update_body(await self._org(organization_id), services, unique_topic_id)
        return await self._call(
            update_compute_instance.asyncio_detailed, instance_id, body=body, options=options
        )

    async def update_health_check(
        self, instance_id: str, *, path: str, port: int, **options: Unpack[RequestOptions]
    ) -> UpdateComputeInstanceHealthCheckResponse:
        """Probe ``path`` on ``port`` to decide whether the instance is healthy.

        Args:
            instance_id: the compute instance's id.
            path: the URL path probed.
            port: the port to probe.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            UpdateComputeInstanceHealthCheckResponse: the server's confirmation.

        Raises:
            SpheronError: InvalidArgumentError, APIError, ResponseValidationError; README "Errors".
        """
        body = UpdateComputeInstanceHealthCheckBody(health_check_url=path, health_check_port=port)
        return await self._call(
            update_compute_instance_health_check.asyncio_detailed,
            instance_id,
            body=body,
            options=options,
        )

    async def close(
        self, instance_id: str, **options: Unpack[RequestOptions]
    ) -> CloseComputeInstanceResponse:
        """Stop the instance (its lease ends; the record stays).

        Args:
            instance_id: the compute instance's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            CloseComputeInstanceResponse: the server's confirmation.

        Raises:
            SpheronError: InvalidArgumentError, APIError, ResponseValidationError; README "Errors".
        """
        return await self._call(
            close_compute_instance.asyncio_detailed, instance_id, options=options
        )

    async def delete(
        self, instance_id: str, **options: Unpack[RequestOptions]
    ) -> DeleteComputeInstanceResponse:
        """Delete a closed instance's record.

        Args:
            instance_id: the compute instance's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            DeleteComputeInstanceResponse: the server's confirmation.

        Raises:
            SpheronError: InvalidArgumentError, APIError, ResponseValidationError; README "Errors".
        """
        return await self._call(
            delete_compute_instance.asyncio_detailed, instance_id, options=options
        )

    async def get_deployment(
        self, compute_deployment_id: str, **options: Unpack[RequestOptions]
    ) -> GetComputeDeploymentResponse:
        """One deployment (version) of an instance, with its live logs.

        Args:
            compute_deployment_id: the id of one deployment (version) of a compute instance.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            GetComputeDeploymentResponse: one deployment (version) of an instance, with its live
                logs.

        Raises:
            SpheronError: InvalidArgumentError, APIError, ResponseValidationError; README "Errors".
        """
        return await self._call(
            get_compute_deployment.asyncio_detailed, compute_deployment_id, options=options
        )

    deployment = deprecated_alias(
        get_deployment,
        old="client.compute.instances.deployment",
        new="client.compute.instances.get_deployment",
    )

    async def logs(
        self,
        compute_deployment_id: str,
        *,
        log_type: InstanceLogType | str = InstanceLogType.LOGS,
        start: int = 0,
        end: int = 1000,
        search: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> ComputeDeploymentLogs:
        """Log lines ``start`` to ``end`` of a deployment (``logs_length`` gives the total).

        Args:
            compute_deployment_id: the id of one deployment (version) of a compute instance.
            log_type: which logs (``logs``, ``events``, ...).
            start: the first line.
            end: the line after the last.
            search: only lines containing this text.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            ComputeDeploymentLogs: log lines ``start`` to ``end`` of a deployment (``logs_length``
                gives the total).

        Raises:
            SpheronError: InvalidArgumentError, APIError, ResponseValidationError; README "Errors".
        """
        found = await self._call(
            get_compute_deployment_logs.asyncio_detailed,
            compute_deployment_id,
            from_=start,
            to=end,
            log_type=coerce_enum(InstanceLogType, log_type),
            search=unset_if_none(search),
            options=options,
        )
        return found.deployment

    async def metrics(
        self, instance_id: str, *, service: str, **options: Unpack[RequestOptions]
    ) -> ComputeMetrics:
        """A CPU and memory sample of one service.

        Args:
            instance_id: the compute instance's id.
            service: the service's name.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            ComputeMetrics: a CPU and memory sample of one service.

        Raises:
            SpheronError: InvalidArgumentError, APIError, ResponseValidationError; README "Errors".
        """
        found = await self._call(
            get_compute_instance_metrics.asyncio_detailed,
            instance_id,
            service=service,
            options=options,
        )
        return found.metrics

    async def exec_command(
        self, instance_id: str, command: str, **options: Unpack[RequestOptions]
    ) -> builtins.list[str]:
        """Run a shell command in the instance and return its output lines.

        Args:
            instance_id: the compute instance's id.
            command: the shell command.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            list[str]: the command's output lines.

        Raises:
            SpheronError: InvalidArgumentError, APIError, ResponseValidationError; README "Errors".
        """
        body = ExecComputeInstanceCommandBody(command=command)
        ran = await self._call(
            exec_compute_instance_command.asyncio_detailed, instance_id, body=body, options=options
        )
        return ran.logs

    async def health_check(
        self, instance_id: str, *, topic_id: str | None = None, **options: Unpack[RequestOptions]
    ) -> TriggerComputeInstanceHealthCheckResponse:
        """Ask for a health check now; the result arrives on the event stream ``topic_id``.

        Args:
            instance_id: the compute instance's id.
            topic_id: the event-stream session the result is sent to (a UUID is made up if
                ``None``).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            TriggerComputeInstanceHealthCheckResponse: the server's acknowledgement (the result
                comes as an event).

        Raises:
            SpheronError: InvalidArgumentError, APIError, ResponseValidationError; README "Errors".
        """
        return await self._call(
            trigger_compute_instance_health_check.asyncio_detailed,
            instance_id,
            topic_id=_topic(topic_id),
            options=options,
        )

    async def fetch_logs(
        self, instance_id: str, *, topic_id: str | None = None, **options: Unpack[RequestOptions]
    ) -> TriggerComputeInstanceLogFetchResponse:
        """Ask for fresh logs; they arrive on the event stream ``topic_id``.

        Args:
            instance_id: the compute instance's id.
            topic_id: the event-stream session the result is sent to (a UUID is made up if
                ``None``).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            TriggerComputeInstanceLogFetchResponse: the server's acknowledgement (the logs come as
                events).

        Raises:
            SpheronError: InvalidArgumentError, APIError, ResponseValidationError; README "Errors".
        """
        return await self._call(
            trigger_compute_instance_log_fetch.asyncio_detailed,
            instance_id,
            topic_id=_topic(topic_id),
            options=options,
        )

    async def wait(
        self,
        instance_id: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        on_update: StatusCallback | None = None,
        **options: Unpack[ExtraOptions],
    ) -> ComputeInstance:
        """Poll until the instance is ``Active`` and return it.

        Raises :class:`InstanceFailedError` on ``Failed-start`` or ``Closed`` and
        :class:`WaitTimeoutError` after ``timeout`` seconds; unknown states keep polling.

        Args:
            instance_id: the compute instance's id.
            timeout: seconds to wait in all.
            poll_interval: seconds between polls.
            on_update: called with a :class:`~spheron.StatusUpdate` on every status change.
            **options: extra headers and query (:class:`~spheron.ExtraOptions`).

        Returns:
            ComputeInstance: the instance, ``Active``.

        Raises:
            SpheronError: InvalidArgumentError, APIError, ResponseValidationError; README "Errors".
            InstanceFailedError: the instance ended ``Failed-start`` or ``Closed``.
            WaitTimeoutError: ``timeout`` passed first.
        """

        found, verdict = await self._poll(
            get_compute_instance.asyncio_detailed,
            instance_id,
            _classify,
            kind="compute instance",
            timeout=timeout,
            poll_interval=poll_interval,
            on_update=on_update,
            options=options,
        )
        if verdict == "failed":
            raise _failure(instance_id, found.instance)
        return found.instance

    wait_until_ready = deprecated_alias(
        wait, old="client.compute.instances.wait_until_ready", new="client.compute.instances.wait"
    )

    @cached_property
    def with_raw_response(self) -> AsyncComputeInstancesWithRawResponse:
        """These methods returning a :class:`~spheron.RawResponse` (status, headers,
        request id, ``.parse()``)."""
        return AsyncComputeInstancesWithRawResponse(self)


class AsyncComputeInstancesWithRawResponse:
    """``AsyncComputeInstances.with_raw_response``: each method returns a RawResponse."""

    def __init__(self, namespace: AsyncComputeInstances) -> None:
        self.list = async_raw_pager(namespace.list)
        self.create = async_raw(namespace.create)
        self.create_from_template = async_raw(namespace.create_from_template)
        self.get = async_raw(namespace.get)
        self.topup_report = async_raw(namespace.topup_report)
        self.update = async_raw(namespace.update)
        self.update_health_check = async_raw(namespace.update_health_check)
        self.close = async_raw(namespace.close)
        self.delete = async_raw(namespace.delete)
        self.get_deployment = async_raw(namespace.get_deployment)
        self.logs = async_raw(namespace.logs)
        self.metrics = async_raw(namespace.metrics)
        self.exec_command = async_raw(namespace.exec_command)
        self.health_check = async_raw(namespace.health_check)
        self.fetch_logs = async_raw(namespace.fetch_logs)
        self.wait = async_raw(namespace.wait)
