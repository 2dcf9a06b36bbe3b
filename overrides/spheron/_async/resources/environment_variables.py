"""``client.projects.env_vars``: build-time environment variables of a site project."""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence

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

from ._base import AsyncResource

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

    async def list(self, project_id: str) -> list[EnvironmentVariable]:
        """The variables recorded on the project."""
        project = await self._call(get_project.asyncio_detailed, project_id)
        variables = project.environment_variables
        return [] if variables is None else variables

    async def add(
        self, project_id: str, variables: Mapping[str, str], *, environments: Sequence[str]
    ) -> builtins.list[EnvironmentVariable]:
        """Add ``{name: value}`` variables for the given deployment environments."""
        body = _add_body(variables, environments)
        added = await self._call(add_environment_variables.asyncio_detailed, project_id, body=body)
        return added.environment_variables

    async def update(
        self,
        project_id: str,
        environment_variable_id: str,
        *,
        name: str,
        value: str,
        environments: Sequence[str],
    ) -> EnvironmentVariable:
        """Replace a variable's name, value and environments."""
        body = UpdateEnvironmentVariableBody(
            name=name, value=value, environments=list(environments)
        )
        updated = await self._call(
            update_environment_variable.asyncio_detailed,
            project_id,
            environment_variable_id,
            body=body,
        )
        return updated.updated

    async def delete(
        self, project_id: str, environment_variable_id: str
    ) -> DeleteEnvironmentVariableResponse:
        """Remove a variable."""
        return await self._call(
            delete_environment_variable.asyncio_detailed, project_id, environment_variable_id
        )
