"""The hand-written methods of ``resources/compute_projects.py`` (generated), which derives from
the classes here: compute projects (groups of instances) and their spend."""

from __future__ import annotations

from spheron_api_client.api.compute_project import get_compute_project
from spheron_api_client.models.compute_project import ComputeProject
from spheron_api_client.models.compute_project_envelope import ComputeProjectEnvelope

from ...._request_options import RequestOptions, Unpack
from .._base import AsyncResource

__all__ = ["AsyncComputeProjectsCustom"]


def _unwrap(found: ComputeProject | ComputeProjectEnvelope) -> ComputeProject:
    """The project, whether it came bare or wrapped as ``{cluster: {...}}``."""
    return found.cluster if isinstance(found, ComputeProjectEnvelope) else found


class AsyncComputeProjectsCustom(AsyncResource):
    """The hand-written methods of :class:`AsyncComputeProjects`."""

    async def get(
        self, compute_project_id: str, **options: Unpack[RequestOptions]
    ) -> ComputeProject:
        """A compute project.

        Args:
            compute_project_id: the compute project's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            ComputeProject: a compute project.

        Raises:
            SpheronError: InvalidArgumentError, APIError, ResponseValidationError; README "Errors".
        """
        return _unwrap(
            await self._call(
                get_compute_project.asyncio_detailed, compute_project_id, options=options
            )
        )
