"""Friendly Python client for the Spheron API.

``Spheron``/``AsyncSpheron`` configure the generated ``spheron_api_client`` functions with
authentication, timeouts, retries, logging and typed errors::

    from spheron import Spheron
    from spheron_api_client.api.profile import get_profile

    with Spheron() as client:  # token from SPHERON_TOKEN
        profile = get_profile.sync(client=client.api)
"""

# The API document this release was generated from (see README, "Versioning and regeneration").
from spheron_api_client._document import API_DOCUMENT_SHA256 as __api_document_sha256__
from spheron_api_client._document import API_VERSION as __api_version__

from ._client import AsyncSpheron, Spheron
from ._errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    SpheronConfigError,
    SpheronError,
    UnprocessableEntityError,
)
from ._version import __version__

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncSpheron",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseValidationError",
    "Spheron",
    "SpheronConfigError",
    "SpheronError",
    "UnprocessableEntityError",
    "__api_document_sha256__",
    "__api_version__",
    "__version__",
]
