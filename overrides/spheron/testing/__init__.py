"""A stateful, in-memory Spheron API for tests (like ``moto`` for boto3).

Install the extra: ``pip install 'spheron-api-client[testing]'`` (starlette, uvicorn, hypercorn,
trustme). In-process use needs only starlette; ``serve()`` needs uvicorn, hypercorn and trustme.

    from spheron.testing import DEFAULT_TOKEN, DEFAULT_ORGANIZATION_ID, FakeSpheron

    fake = FakeSpheron()
    with httpx.Client(transport=fake.transport(), base_url="http://spheron.test",
                      headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"}) as http:
        http.get(f"/v1/organization/{DEFAULT_ORGANIZATION_ID}").json()

    fake.async_transport()          # httpx.AsyncClient(transport=...)
    with fake.serve() as url: ...   # uvicorn on 127.0.0.1, HTTP/1.1
    with fake.serve(http2=True) as url:  # hypercorn, HTTP/2 over TLS; verify=fake.ssl_context()
        ...
    python -m spheron.testing --port 8080 [--http2]

Behaviour
---------
- Auth as the real API: missing/non-Bearer ``Authorization`` -> 401; unknown, expired or
  out-of-scope token -> 403; unknown id -> 404; bad input -> 400; conflicts (taken username or
  domain, duplicate environment/variable, finishing a closed upload, cancelling a finished
  deployment, deleting an open instance...) -> 409. Errors are ``{"message": ...}``.
- ``DEFAULT_TOKEN`` is scoped to ``DEFAULT_ORGANIZATION_ID``, which holds ``DEFAULT_PROJECT_ID``
  (with a ``Production`` environment, ``DEFAULT_ENVIRONMENT_ID``), ``DEFAULT_BUCKET_ID`` and
  ``DEFAULT_COMPUTE_PROJECT_ID``. The fake does not separate site/storage/compute organizations.
- Lists take optional ``skip`` (default 0) and ``limit`` (default ``DEFAULT_LIMIT``; 0 = all).
  Deployments and uploads are newest first, everything else in creation order.
- Time is ``fake.clock`` (frozen unless ``Clock(speed=...)`` or ``Clock(step=...)``); deployments
  go Queued -> Pending -> Deployed/Failed after ``state.deploy_queue_seconds`` and
  ``state.deploy_build_seconds``; instances go Starting -> Active/Failed-start after
  ``state.instance_start_seconds``. Script outcomes with ``queue_deployment_outcome`` /
  ``queue_instance_outcome``.
- ``fake.faults.add(kind, method=..., path=prefix, status=..., retry_after=..., delay=...,
  times=..., phase=...)`` injects ``status`` / ``reset`` / ``delay`` / ``malformed`` faults.
- ``fake.requests`` records every request (method, path, route template, headers, body, status,
  fault); ``fake.count("POST", route="/v1/upload/{uploadId}/data")``.

Covered routes
--------------
API keys: ``GET /v1/api-keys/scope``

Organizations: ``POST /v1/organization``; ``GET|PUT /v1/organization/{organizationId}``;
``GET /v1/organization/{organizationId}/projects`` (+ ``/count``; ``skip``, ``limit``, ``state``);
``GET /v1/organization/{organizationId}/buckets`` (+ ``/count``; ``name``, ``state``);
``GET /v1/organization/{organizationId}/compute-projects`` (+ ``/count``);
``GET /v1/organization/{organizationId}/subscription-usage/specialization/{specialization}``
(counters derived from the organization's records, fixed plan limits)

Projects: ``GET /v1/project/{projectId}``; ``PUT .../configuration``; ``PATCH .../state``;
``GET .../deployments`` (bare array; ``skip``, ``limit``, ``status``); ``GET .../deployments/count``

Domains: ``GET|POST /v1/project/{projectId}/domains``; ``GET .../domains/cdn-records``;
``GET|PATCH|DELETE .../domains/{domainId}`` (id or name); ``PATCH .../domains/{domainId}/verify``

Environment variables: ``POST /v1/project/{projectId}/environment-variables``;
``PUT|DELETE .../environment-variables/{environmentVariableId}``

Deployment environments: ``GET|POST /v1/project/{projectId}/deployment-environments``;
``PUT|DELETE .../deployment-environments/{deploymentEnvironmentId}``; ``PATCH .../activate``,
``PATCH .../deactivate``

Deployments: ``POST /v1/deployment``; ``GET /v1/deployment/framework/suggestion``;
``GET /v1/deployment/{deploymentId}`` (``{deployment, liveLogs}``); ``POST .../authorize``,
``POST .../cancel``, ``POST .../redeploy``

Buckets: ``GET /v1/bucket/{bucketId}``; ``PATCH .../state``; ``GET|POST .../domains``;
``GET|PATCH|DELETE .../domains/{domainId}``; ``PATCH .../domains/{domainId}/verify``;
``GET|POST .../ipns-records``; ``GET|PATCH|DELETE .../ipns-records/{ipnsRecordId}``;
``GET .../uploads`` (bare array; ``skip``, ``limit``); ``GET .../uploads/count``

Uploads: ``POST /v1/upload/initiate`` (``protocol``, ``bucket``, ``organization``, ``maxSize``,
``create_single_use_token``); ``GET /v1/upload/{uploadId}``; ``POST .../data`` (multipart:
``files`` parts and ``chunk-{index}-{total}`` parts); ``POST .../finish?action=UPLOAD|CANCEL``;
``PATCH .../pin``, ``PATCH .../unpin``

Compute projects: ``GET|DELETE /v1/compute-project/{computeProjectId}``; ``GET .../funds-usage``;
``GET .../instances`` (``skip``, ``limit``, ``topupReport``); ``GET .../instances/count``

Compute instances: ``GET /v1/compute-instance`` (``organizationId``, ``state``,
``computeProjectId``); ``POST /v1/compute-instance/create`` (into ``computeProjectName``, created
when missing, or the existing ``computeProjectId``); ``POST /v1/compute-instance/template``;
``GET /v1/compute-instance/deployment/{computeDeploymentId}`` (+ ``/logs``);
``GET|DELETE /v1/compute-instance/{instanceId}``; ``POST .../close``; ``PATCH .../update``;
``PATCH .../update/health-check``; ``POST .../exec-command``; ``GET .../metrics``;
``POST .../trigger/container-health-check``; ``POST .../trigger/fetch-logs``;
``GET|POST .../domains``; ``PATCH|DELETE .../domains/{domainId}``;
``PATCH .../domains/{domainId}/verify``

Marketplace and machines: ``GET /v1/marketplace-app`` (``category``);
``GET /v1/marketplace-app/categories``; ``GET /v1/marketplace-app/{marketplaceAppId}``;
``GET /v1/compute-machine-image`` (``searchString``, ``region``, ...);
``GET /v1/compute-machine-image/regions``

Routes the evidence records call (``openapi/evidence/``; every record is answered, see
``tests/evidence/test_embedded_server.py``): ``GET /status`` (no token, empty answer);
``GET /v1/profile/`` and ``GET /v2/profile``; ``POST /v1/auth/web3/nonce`` and
``GET /v1/auth/web3/callback`` (no token; the signature is not checked); the deprecated
``POST /v1/cluster-instance/create``, ``POST /v1/cluster-instance/template``,
``PATCH /v1/cluster-instance/{instanceId}/update`` (partial) and ``POST .../close``, served by the
compute-instance handlers (a cluster is a compute project; answers carry ``clusterId``,
``clusterInstanceId``, ``clusterInstanceOrderId``); the deprecated ``POST /v1/deployment/upload``
(single-shot multipart; ``project`` is a name, created when missing; ``organization`` optional;
repeated query keys count with their first value) and ``POST /v1/upload-deployment``,
``.../{deploymentId}/data``, ``.../{deploymentId}/finish`` (``create_single_deployment_token``
hands out a single-use token for data and finish). An upload deployment's files are
``fake.upload_files(deployment_id)``.

Not covered (404 ``Cannot METHOD path``): CLI login, invites, coupons, member removal, overdue,
IPNS names, IPFS pins, migrations, GPT, price, event streams and the other deprecated
``cluster-*`` and ``upload-deployment`` routes.
"""

from __future__ import annotations

try:
    import starlette  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the installed extra
    raise ImportError(
        "spheron.testing needs the 'testing' extra: pip install 'spheron-api-client[testing]'"
    ) from exc

from ._clock import Clock
from ._errors import FakeServerError, UnknownIdError
from ._fake import FakeSpheron, NonLoopbackWarning
from ._faults import Fault, FaultKind, Faults
from ._log import RecordedRequest, RequestLog
from ._state import (
    DEFAULT_BUCKET_ID,
    DEFAULT_COMPUTE_PROJECT_ID,
    DEFAULT_ENVIRONMENT_ID,
    DEFAULT_LIMIT,
    DEFAULT_ORGANIZATION_ID,
    DEFAULT_PROJECT_ID,
    DEFAULT_TOKEN,
    DEFAULT_USER_ID,
    SpheronState,
)

__all__ = [
    "DEFAULT_BUCKET_ID",
    "DEFAULT_COMPUTE_PROJECT_ID",
    "DEFAULT_ENVIRONMENT_ID",
    "DEFAULT_LIMIT",
    "DEFAULT_ORGANIZATION_ID",
    "DEFAULT_PROJECT_ID",
    "DEFAULT_TOKEN",
    "DEFAULT_USER_ID",
    "Clock",
    "FakeServerError",
    "FakeSpheron",
    "Fault",
    "FaultKind",
    "Faults",
    "NonLoopbackWarning",
    "RecordedRequest",
    "RequestLog",
    "SpheronState",
    "UnknownIdError",
]
