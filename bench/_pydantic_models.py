"""Pydantic v2 models equivalent to the generated attrs ``Deployment`` (for perspective only).

Same fields, aliases and types as the generated models; enums are kept as plain strings (ours
accept unknown values too) and unknown keys are kept, as ``additional_properties`` does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

__all__ = ["deployments_adapter"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class LogItem(_Model):
    time: str | None = None
    log: str | None = None


class Configuration(_Model):
    field_id: str | None = Field(None, alias="_id")
    build_command: str | None = Field(None, alias="buildCommand")
    install_command: str | None = Field(None, alias="installCommand")
    workspace: str | None = None
    publish_dir: str | None = Field(None, alias="publishDir")
    framework: str | None = None
    node_version: str | None = Field(None, alias="nodeVersion")


class PasswordProtection(_Model):
    enabled: bool | None = None
    credentials: list[str] | None = None


class DeploymentEnvironment(_Model):
    field_id: str = Field(alias="_id")
    name: str | None = None
    branches: list[str] | None = None
    status: str | None = None
    protocol: str | None = None
    is_free: bool | None = Field(None, alias="isFree")
    created_at: datetime | None = Field(None, alias="createdAt")
    updated_at: datetime | None = Field(None, alias="updatedAt")


class Project(_Model):
    field_id: str = Field(alias="_id")
    name: str | None = None
    type_: str | None = Field(None, alias="type")
    url: str | None = None
    environment_variables: list[dict[str, Any]] | None = Field(None, alias="environmentVariables")
    deployment_environments: list[DeploymentEnvironment] | None = Field(
        None, alias="deploymentEnvironments"
    )
    organization: str | None = None
    state: str | None = None
    hook_id: str | None = Field(None, alias="hookId")
    provider: str | None = None
    pr_comment_ids: list[dict[str, Any]] | None = Field(None, alias="prCommentIds")
    configuration: Configuration | None = None
    password_protection: PasswordProtection | None = Field(None, alias="passwordProtection")
    domains: list[dict[str, Any]] | None = None
    created_by: str | None = Field(None, alias="createdBy")
    created_at: datetime | None = Field(None, alias="createdAt")
    updated_at: datetime | None = Field(None, alias="updatedAt")


class Deployment(_Model):
    field_id: str = Field(alias="_id")
    site_preview: str | None = Field(None, alias="sitePreview")
    commit_id: str | None = Field(None, alias="commitId")
    commit_message: str | None = Field(None, alias="commitMessage")
    logs: list[LogItem] | None = None
    build_directory: list[str] | None = Field(None, alias="buildDirectory")
    content_hash: str | None = Field(None, alias="contentHash")
    topic: str | None = None
    status: str | None = None
    payment_id: str | None = Field(None, alias="paymentId")
    build_time: float | None = Field(None, alias="buildTime")
    memory_used: float | None = Field(None, alias="memoryUsed")
    env: dict[str, Any] | None = None
    project: Project | str | None = None
    branch: str | None = None
    external_repository_name: str | None = Field(None, alias="externalRepositoryName")
    protocol: str | None = None
    deployment_environment_name: str | None = Field(None, alias="deploymentEnvironmentName")
    failed_message: str | None = Field(None, alias="failedMessage")
    is_from_request: bool | None = Field(None, alias="isFromRequest")
    configuration: Configuration | None = None
    picked_up_by_deployer_at: float | None = Field(None, alias="pickedUpByDeployerAt")
    encrypted: bool | None = None
    screenshot: dict[str, Any] | None = None
    deployment_initiator: str | None = Field(None, alias="deploymentInitiator")
    created_at: datetime | None = Field(None, alias="createdAt")
    updated_at: datetime | None = Field(None, alias="updatedAt")


def deployments_adapter() -> TypeAdapter[list[Deployment]]:
    return TypeAdapter(list[Deployment])
