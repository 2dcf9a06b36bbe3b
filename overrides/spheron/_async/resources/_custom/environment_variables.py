"""The hand-written methods of ``resources/environment_variables.py`` (generated), which
derives from the classes here: build-time environment variables of a site project."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from spheron_api_client.api.project import get_project
from spheron_api_client.models.add_environment_variables_body import AddEnvironmentVariablesBody
from spheron_api_client.models.add_environment_variables_body_environment_variables_item import (
    AddEnvironmentVariablesBodyEnvironmentVariablesItem as _Item,
)
from spheron_api_client.models.environment_variable import EnvironmentVariable

from ...._request_options import RequestOptions, Unpack
from .._base import AsyncResource

__all__ = ["AsyncEnvironmentVariablesCustom", "add_body"]


def add_body(
    *, variables: Mapping[str, str], environments: Sequence[str]
) -> AddEnvironmentVariablesBody:
    items = [
        _Item(name=name, value=value, environments=list(environments))
        for name, value in variables.items()
    ]
    return AddEnvironmentVariablesBody(environment_variables=items)


class AsyncEnvironmentVariablesCustom(AsyncResource):
    """The hand-written methods of :class:`AsyncEnvironmentVariables`."""

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
