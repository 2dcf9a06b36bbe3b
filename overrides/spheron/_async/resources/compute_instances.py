"""``client.compute.instances``: create, inspect, change and stop compute instances."""

from __future__ import annotations

import builtins
import time
import uuid
from collections.abc import Mapping, Sequence
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
from .._wait import async_poll
from ._base import (
    AsyncResource,
    ClientLike,
    coerce_enum,
    coerce_model,
    optional_enum,
    unset_if_none,
)
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


class AsyncComputeInstances(AsyncResource):
    """Compute instances (``.domains`` inside). ``clock``/``sleep`` drive the waiting."""

    def __init__(
        self,
        client: ClientLike,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = _primitives.sleep,
    ) -> None:
        super().__init__(client)
        self.domains = AsyncComputeInstanceDomains(client)
        self._clock = clock
        self._sleep = sleep

    def list(
        self,
        organization_id: str | None = None,
        *,
        state: InstanceState | str | None = None,
        compute_project_id: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
    ) -> AsyncPager[ExtendedInstance]:
        """The organization's instances, fetched lazily page by page."""
        state_value = optional_enum(InstanceState, state)

        async def fetch(skip: int, size: int) -> list[ExtendedInstance]:
            page = await self._call(
                list_compute_instances.asyncio_detailed,
                organization_id=await self._org(organization_id),
                skip=skip,
                limit=size,
                state=state_value,
                compute_project_id=unset_if_none(compute_project_id),
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
    ) -> InstanceResponse:
        """Start an instance running ``services`` (in a new or existing compute project).

        ``unique_topic_id`` names the event-stream session; a UUID is made up if omitted.
        Follow the start with :meth:`wait_until_ready`.
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
        return await self._call(create_compute_instance.asyncio_detailed, body=body)

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
    ) -> MarketplaceInstanceResponse:
        """Start an instance from a marketplace app; variables are ``{label: value}``."""
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
        return await self._call(create_compute_instance_from_template.asyncio_detailed, body=body)

    async def get(self, instance_id: str) -> ComputeInstance:
        """An instance."""
        return (await self._call(get_compute_instance.asyncio_detailed, instance_id)).instance

    async def topup_report(self, instance_id: str) -> FundsUsage | None:
        """The instance's spend report (``None`` if the API gave none)."""
        found = await self._call(
            get_compute_instance.asyncio_detailed, instance_id, topup_report=_WANT_REPORT
        )
        return _report(found)

    async def update(
        self,
        instance_id: str,
        *,
        services: Sequence[ServiceArg],
        unique_topic_id: str | None = None,
        organization_id: str | None = None,
    ) -> InstanceResponse:
        """Redeploy the instance with new service settings."""
        body = _update_body(await self._org(organization_id), services, unique_topic_id)
        return await self._call(update_compute_instance.asyncio_detailed, instance_id, body=body)

    async def update_health_check(
        self, instance_id: str, *, path: str, port: int
    ) -> UpdateComputeInstanceHealthCheckResponse:
        """Probe ``path`` on ``port`` to decide whether the instance is healthy."""
        body = UpdateComputeInstanceHealthCheckBody(health_check_url=path, health_check_port=port)
        return await self._call(
            update_compute_instance_health_check.asyncio_detailed, instance_id, body=body
        )

    async def close(self, instance_id: str) -> CloseComputeInstanceResponse:
        """Stop the instance (its lease ends; the record stays)."""
        return await self._call(close_compute_instance.asyncio_detailed, instance_id)

    async def delete(self, instance_id: str) -> DeleteComputeInstanceResponse:
        """Delete a closed instance's record."""
        return await self._call(delete_compute_instance.asyncio_detailed, instance_id)

    async def deployment(self, compute_deployment_id: str) -> GetComputeDeploymentResponse:
        """One deployment (version) of an instance, with its live logs."""
        return await self._call(get_compute_deployment.asyncio_detailed, compute_deployment_id)

    async def logs(
        self,
        compute_deployment_id: str,
        *,
        log_type: InstanceLogType | str = InstanceLogType.LOGS,
        start: int = 0,
        end: int = 1000,
        search: str | None = None,
    ) -> ComputeDeploymentLogs:
        """Log lines ``start`` to ``end`` of a deployment (``logs_length`` gives the total)."""
        found = await self._call(
            get_compute_deployment_logs.asyncio_detailed,
            compute_deployment_id,
            from_=start,
            to=end,
            log_type=coerce_enum(InstanceLogType, log_type),
            search=unset_if_none(search),
        )
        return found.deployment

    async def metrics(self, instance_id: str, *, service: str) -> ComputeMetrics:
        """A CPU and memory sample of one service."""
        found = await self._call(
            get_compute_instance_metrics.asyncio_detailed, instance_id, service=service
        )
        return found.metrics

    async def exec_command(self, instance_id: str, command: str) -> builtins.list[str]:
        """Run a shell command in the instance and return its output lines."""
        body = ExecComputeInstanceCommandBody(command=command)
        ran = await self._call(
            exec_compute_instance_command.asyncio_detailed, instance_id, body=body
        )
        return ran.logs

    async def health_check(
        self, instance_id: str, *, topic_id: str | None = None
    ) -> TriggerComputeInstanceHealthCheckResponse:
        """Ask for a health check now; the result arrives on the event stream ``topic_id``."""
        return await self._call(
            trigger_compute_instance_health_check.asyncio_detailed,
            instance_id,
            topic_id=_topic(topic_id),
        )

    async def fetch_logs(
        self, instance_id: str, *, topic_id: str | None = None
    ) -> TriggerComputeInstanceLogFetchResponse:
        """Ask for fresh logs; they arrive on the event stream ``topic_id``."""
        return await self._call(
            trigger_compute_instance_log_fetch.asyncio_detailed,
            instance_id,
            topic_id=_topic(topic_id),
        )

    async def wait_until_ready(
        self,
        instance_id: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        on_update: StatusCallback | None = None,
    ) -> ComputeInstance:
        """Poll until the instance is ``Active`` and return it.

        Raises :class:`InstanceFailedError` on ``Failed-start`` or ``Closed`` and
        :class:`WaitTimeoutError` after ``timeout`` seconds; unknown states keep polling.
        """

        async def fetch(seconds: float) -> GetComputeInstanceResponse:
            return await self._call_within(
                seconds, get_compute_instance.asyncio_detailed, instance_id
            )

        found, verdict = await async_poll(
            fetch,
            _classify,
            resource_id=instance_id,
            kind="compute instance",
            timeout=timeout,
            poll_interval=poll_interval,
            on_update=on_update,
            clock=self._clock,
            sleep=self._sleep,
        )
        if verdict == "failed":
            raise _failure(instance_id, found.instance)
        return found.instance
