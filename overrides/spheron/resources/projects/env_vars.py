"""``client.projects.env_vars``: the public import path of this namespace.

:class:`EnvironmentVariables` (sync) and :class:`AsyncEnvironmentVariables` (async); the code is in
``spheron._async.resources.environment_variables`` (the sync class is generated from it).
"""

from ..._async.resources.environment_variables import (
    AsyncEnvironmentVariables,
    AsyncEnvironmentVariablesWithRawResponse,
)
from ..._sync.resources.environment_variables import (
    EnvironmentVariables,
    EnvironmentVariablesWithRawResponse,
)

__all__ = [
    "AsyncEnvironmentVariables",
    "AsyncEnvironmentVariablesWithRawResponse",
    "EnvironmentVariables",
    "EnvironmentVariablesWithRawResponse",
]
