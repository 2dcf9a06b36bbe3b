"""Friendly Python client for the Spheron API.

``Spheron``/``AsyncSpheron`` configure the generated ``spheron_api_client`` functions with
authentication, timeouts, retries, logging and typed errors::

    from spheron import Spheron
    from spheron_api_client.api.profile import get_profile

    with Spheron() as client:  # token from SPHERON_TOKEN
        profile = get_profile.sync(client=client.api)
"""

import importlib
from typing import TYPE_CHECKING, Any

# The API document this release was generated from (see README, "Versioning and regeneration").
from spheron_api_client._document import API_DOCUMENT_SHA256 as __api_document_sha256__
from spheron_api_client._document import API_VERSION as __api_version__

from ._errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    InvalidArgumentError,
    JSONValue,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    ResponseValidationError,
    SpheronConfigError,
    SpheronError,
    UnprocessableEntityError,
)
from ._pagination import Page, PaginationError
from ._progress import StatusUpdate, UploadProgress
from ._version import __version__

if TYPE_CHECKING:
    from ._async._client import AsyncSpheron
    from ._async._pagination import AsyncPager
    from ._async._raw import AsyncStreamedResponse
    from ._config import OptionChanges
    from ._events import ServerSentEvent
    from ._raw_response import RawResponse
    from ._request_options import ExtraOptions, MultipartRequestOptions, RequestOptions
    from ._sync._client import Spheron
    from ._sync._pagination import SyncPager
    from ._sync._raw import StreamedResponse
    from ._upload import UploadResult
    from ._upload_errors import (
        EntryProblem,
        UploadEntryError,
        UploadFailedError,
        UploadFileChangedError,
        UploadPathNotFoundError,
    )
    from ._wait import DeploymentFailedError, InstanceFailedError, WaitTimeoutError

# Imported on first access: the clients of each mode (a sync program never loads asyncio and
# anyio through us, an async one never loads the thread pool), and modules that load a few
# generated models.
_LAZY = {
    "Spheron": "._sync._client",
    "SyncPager": "._sync._pagination",
    "AsyncSpheron": "._async._client",
    "AsyncPager": "._async._pagination",
    "DeploymentFailedError": "._wait",
    "InstanceFailedError": "._wait",
    "WaitTimeoutError": "._wait",
    "UploadFailedError": "._upload_errors",
    "UploadEntryError": "._upload_errors",
    "UploadFileChangedError": "._upload_errors",
    "UploadPathNotFoundError": "._upload_errors",
    "EntryProblem": "._upload_errors",
    "UploadResult": "._upload",
    "ServerSentEvent": "._events",
    "RawResponse": "._raw_response",
    "StreamedResponse": "._sync._raw",
    "AsyncStreamedResponse": "._async._raw",
    "RequestOptions": "._request_options",
    "ExtraOptions": "._request_options",
    "MultipartRequestOptions": "._request_options",
    "OptionChanges": "._config",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncPager",
    "AsyncSpheron",
    "AsyncStreamedResponse",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "DeploymentFailedError",
    "EntryProblem",
    "ExtraOptions",
    "InstanceFailedError",
    "InternalServerError",
    "InvalidArgumentError",
    "JSONValue",
    "MultipartRequestOptions",
    "NotFoundError",
    "OptionChanges",
    "Page",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "RawResponse",
    "RequestOptions",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "ServerSentEvent",
    "Spheron",
    "SpheronConfigError",
    "SpheronError",
    "StatusUpdate",
    "StreamedResponse",
    "SyncPager",
    "UnprocessableEntityError",
    "UploadEntryError",
    "UploadFailedError",
    "UploadFileChangedError",
    "UploadPathNotFoundError",
    "UploadProgress",
    "UploadResult",
    "WaitTimeoutError",
    "__api_document_sha256__",
    "__api_version__",
    "__version__",
]
