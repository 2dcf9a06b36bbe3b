"""The hand-written methods of ``resources/compute_instances.py`` (generated), which derives from
the classes here: create, inspect, change and stop compute instances."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

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
from spheron_api_client.models.get_compute_instance_response import GetComputeInstanceResponse
from spheron_api_client.models.instance_state import InstanceState
from spheron_api_client.models.update_compute_instance_body import UpdateComputeInstanceBody
from spheron_api_client.types import UNSET, Unset

from ...._wait import Classification, InstanceFailedError, classify_status
from .._base import coerce_model, unset_if_none

__all__ = [
    "DEFAULT_COMPUTE_PROVIDER",
    "ServiceArg",
    "classify",
    "create_body",
    "failure",
    "template_body",
    "topic_or_new",
    "update_body",
]

DEFAULT_COMPUTE_PROVIDER = "DOCKERHUB"
"""Where service images come from (the only value the official CLI sends)."""


ServiceArg = ServiceConfiguration | Mapping[str, Any]
"""A service: the generated model, or a mapping in the API's spelling."""


def topic_or_new(topic_id: str | None) -> str:
    """The event-stream session to report on: ``topic_id``, or a new UUID."""
    return topic_id or str(uuid.uuid4())


def _services(services: Sequence[ServiceArg]) -> list[ServiceConfiguration]:
    return [
        coerce_model(ServiceConfiguration.from_dict, service, name="service")
        for service in services
    ]


def create_body(
    *,
    organization_id: str,
    services: Sequence[ServiceArg],
    compute_project_name: str,
    compute_project_description: str,
    region: str,
    scalable: bool,
    compute_provider: str,
    unique_topic_id: str | None,
) -> CreateComputeInstanceBody:
    return CreateComputeInstanceBody(
        organization_id=organization_id,
        unique_topic_id=topic_or_new(unique_topic_id),
        services=_services(services),
        compute_provider=compute_provider,
        compute_project_name=compute_project_name,
        compute_project_description=compute_project_description,
        scalable=scalable,
        region=region,
    )


def template_body(
    *,
    organization_id: str,
    template_id: str,
    environment_variables: Mapping[str, str] | None,
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
            for label, value in (environment_variables or {}).items()
        ],
        organization_id=organization_id,
        akash_image_id=akash_image_id,
        region=region,
        scalable=scalable,
        unique_topic_id=topic_or_new(unique_topic_id),
        custom_instance_specs=specs,
        instance_count=unset_if_none(instance_count),
    )


def update_body(
    *, organization_id: str, services: Sequence[ServiceArg], unique_topic_id: str | None
) -> UpdateComputeInstanceBody:
    return UpdateComputeInstanceBody(
        services=_services(services),
        organization_id=organization_id,
        unique_topic_id=topic_or_new(unique_topic_id),
    )


def classify(found: GetComputeInstanceResponse) -> Classification:
    """Where a polled instance stands (``wait``)."""
    failed = {InstanceState.FAILED_START, InstanceState.CLOSED}
    return classify_status(found.instance.state, succeeded={InstanceState.ACTIVE}, failed=failed)


def failure(instance_id: str, found: GetComputeInstanceResponse) -> InstanceFailedError:
    """The error ``wait`` raises for an instance that failed to start."""
    instance = found.instance
    status = instance.state.value
    return InstanceFailedError(
        f"compute instance {instance_id} did not become Active: it is {status}",
        instance_id=instance_id,
        status=status,
        instance=instance,
    )
