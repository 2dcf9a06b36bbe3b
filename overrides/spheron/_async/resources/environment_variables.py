"""``client.projects.env_vars``: build-time environment variables of a site project."""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from functools import cached_property

from spheron_api_client.api.environment_variables import (
    add_environment_variables,
    delete_environment_variable,
    update_environment_variable,
)
from spheron_api_client.api.project import get_project
from spheron_api_client.models.add_environment_variables_body import AddEnvironmentVariablesBody
from spheron_api_client.models.add_environment_variables_body_environment_variables_item import (
    AddEnvironmentVariablesBodyEnvironmentVariablesItem as _Item,
)
from spheron_api_client.models.delete_environment_variable_response import (
    DeleteEnvironmentVariableResponse,
)
from spheron_api_client.models.environment_variable import EnvironmentVariable
from spheron_api_client.models.update_environment_variable_body import (
    UpdateEnvironmentVariableBody,
)

from ..._request_options import RequestOptions, Unpack
from .._raw import async_raw
from ._base import AsyncResource, deprecated_alias

__all__ = ["AsyncEnvironmentVariables"]


def _add_body(
    variables: Mapping[str, str], environments: Sequence[str]
) -> AddEnvironmentVariablesBody:
    items = [
        _Item(name=name, value=value, environments=list(environments))
        for name, value in variables.items()
    ]
    return AddEnvironmentVariablesBody(environment_variables=items)


class AsyncEnvironmentVariables(AsyncResource):
    """Environment variables of a site project (there is no list endpoint: see :meth:`list`)."""

    async def list(
        self, project_id: str, **options: Unpack[RequestOptions]
    ) -> list[EnvironmentVariable]:
        """The variables recorded on the project.

        Args:
            project_id: the site project's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            list[EnvironmentVariable]: the variables recorded on the project.

        Raises:
            SpheronError: InvalidArgumentError, APIError, ResponseValidationError; README "Errors".
        """
        project = await self._call(get_project.asyncio_detailed, project_id, options=options)
        variables = project.environment_variables
        return [] if variables is None else variables

    async def create(
        self,
        project_id: str,
        variables: Mapping[str, str],
        *,
        environments: Sequence[str],
        **options: Unpack[RequestOptions],
    ) -> builtins.list[EnvironmentVariable]:
        """Add ``{name: value}`` variables for the given deployment environments.

        Args:
            project_id: the site project's id.
            variables: the variables to add, ``{name: value}``.
            environments: the ids of the deployment environments they apply to.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            list[EnvironmentVariable]: the variables as recorded.

        Raises:
            SpheronError: InvalidArgumentError, APIError, ResponseValidationError; README "Errors".
        """
        body = _add_body(variables, environments)
        added = await self._call(
            add_environment_variables.asyncio_detailed, project_id, body=body, options=options
        )
        return added.environment_variables

    add = deprecated_alias(
        create, old="client.projects.env_vars.add", new="client.projects.env_vars.create"
    )

    async def update(
        self,
        project_id: str,
        environment_variable_id: str,
        *,
        name: str,
        value: str,
        environments: Sequence[str],
        **options: Unpack[RequestOptions],
    ) -> EnvironmentVariable:
        """Replace a variable's name, value and environments.

        Args:
            project_id: the site project's id.
            environment_variable_id: the variable's id.
            name: the variable's name.
            value: the variable's value.
            environments: the ids of the deployment environments they apply to.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            EnvironmentVariable: the updated EnvironmentVariable.

        Raises:
            SpheronError: InvalidArgumentError, APIError, ResponseValidationError; README "Errors".
        """
        body = UpdateEnvironmentVariableBody(
            name=name, value=value, environments=list(environments)
        )
        updated = await self._call(
            update_environment_variable.asyncio_detailed,
            project_id,
            environment_variable_id,
            body=body,
            options=options,
        )
        return updated.updated

    async def delete(
        self, project_id: str, environment_variable_id: str, **options: Unpack[RequestOptions]
    ) -> DeleteEnvironmentVariableResponse:
        """Remove a variable.

        Args:
            project_id: the site project's id.
            environment_variable_id: the variable's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            DeleteEnvironmentVariableResponse: the server's confirmation.

        Raises:
            SpheronError: InvalidArgumentError, APIError, ResponseValidationError; README "Errors".
        """
        return await self._call(
            delete_environment_variable.asyncio_detailed,
            project_id,
            environment_variable_id,
            options=options,
        )

    @cached_property
    def with_raw_response(self) -> AsyncEnvironmentVariablesWithRawResponse:
        """These methods returning a :class:`~spheron.RawResponse` (status, headers,
        request id, ``.parse()``)."""
        return AsyncEnvironmentVariablesWithRawResponse(self)


class AsyncEnvironmentVariablesWithRawResponse:
    """``AsyncEnvironmentVariables.with_raw_response``: each method returns a RawResponse."""

    def __init__(self, namespace: AsyncEnvironmentVariables) -> None:
        self.list = async_raw(namespace.list)
        self.create = async_raw(namespace.create)
        self.update = async_raw(namespace.update)
        self.delete = async_raw(namespace.delete)
