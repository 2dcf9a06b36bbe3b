"""The deprecated upload deployments: ``POST /v1/deployment/upload`` (a whole directory in one
multipart request) and the chunked ``POST /v1/upload-deployment``, ``.../{deploymentId}/data``
and ``.../{deploymentId}/finish``.

An upload deployment is a deployment of the project named by ``project`` (an ``UPLOAD`` project,
created when missing) whose files are an upload into the bucket of the same name (upload
projects became buckets when the API moved to ``/v1/upload``). The deployment and its upload
share one id, so ``FakeSpheron.upload_files(deployment_id)`` returns the deployed files.
``organization`` may be left out (the token's organization) and every query key may be repeated
(the first value counts). Every part of the single-shot request is a file, whatever its name
(``files``, ``image``, the file's own name). The chunked flow is the protocol of
``/v1/upload/{uploadId}`` under the deployment's id: ``create_single_deployment_token=true``
hands out a single-use token that may send the data and finish (or cancel) that upload; the
deployment starts when the upload is finished with ``action=UPLOAD``.
"""

from __future__ import annotations

from ._http import Ctx, Routes, bad_request, conflict
from ._render import site_preview
from ._routes_deployments import _new_deployment
from ._routes_projects import PROTOCOLS
from ._routes_storage import (
    _commit,
    finish_upload,
    initiated,
    multipart_files,
    new_upload,
    organization_or_default,
    upload_data,
)
from ._state import JSON, Deployment, Project, Upload

routes = Routes()


def _first(ctx: Ctx, name: str) -> str | None:
    """The first value of a query key (callers send some keys twice); empty counts as absent."""
    values = ctx.request.query_params.getlist(name)
    return values[0] if values and values[0] else None


def _protocol(ctx: Ctx) -> str:
    protocol = _first(ctx, "protocol") or "ipfs"
    if protocol in PROTOCOLS:
        return protocol
    if protocol.startswith("ipfs-"):  # ipfs-pinata: an old IPFS pinning variant
        return "ipfs"
    raise bad_request(f"query parameter protocol must be one of {', '.join(PROTOCOLS)}")


def _organization_id(ctx: Ctx) -> str:
    return organization_or_default(ctx, _first(ctx, "organization")).id


def _project(ctx: Ctx, org_id: str, name: str, protocol: str) -> Project:
    for project in ctx.state.projects.values():
        if project.organization_id == org_id and project.name == name:
            if project.state == "ARCHIVED":
                raise conflict(f"Project {name} is archived")
            return project
    project = ctx.state.create_project(
        org_id, name, protocol=protocol, created_by=ctx.token.user_id
    )
    project.type, project.url = "UPLOAD", ""
    return project


def _open_upload(ctx: Ctx) -> tuple[Upload, str]:
    """A new upload into the project's bucket (project and bucket created when missing)."""
    name = _first(ctx, "project")
    if name is None:
        raise bad_request("query parameter project is required")
    protocol = _protocol(ctx)
    org_id = _organization_id(ctx)
    _project(ctx, org_id, name, protocol)
    return new_upload(ctx, org_id, name, protocol), org_id


def _deploy(ctx: Ctx, upload: Upload) -> tuple[JSON, Deployment]:
    """Start the deployment of a committed upload, under the upload's id; the answer's fields
    that both ways to deploy an upload share."""
    bucket = ctx.state.buckets[upload.bucket_id]
    project = _project(ctx, bucket.organization_id, bucket.name, upload.protocol)
    dep = _new_deployment(
        ctx,
        project,
        branch="main",
        protocol=upload.protocol,
        configuration=dict(project.configuration),
        env={},
        topic=None,
        dep_id=upload.id,
    )
    answer: JSON = {
        "success": True,
        "message": "Deployment started",
        "deploymentId": dep.id,
        "projectId": project.id,
        "sitePreview": site_preview(dep),
        "affectedDomains": _domains(ctx, project),
    }
    return answer, dep


def _domains(ctx: Ctx, project: Project) -> list[str]:
    return [d.name for d in ctx.state.domains.values() if d.project_id == project.id]


@routes.post("/v1/deployment/upload")
def upload_deployment(ctx: Ctx) -> JSON:
    files = multipart_files(ctx)
    upload, _ = _open_upload(ctx)
    upload.files = files
    _commit(ctx, upload)
    answer, dep = _deploy(ctx, upload)
    return {**answer, "topic": dep.topic}


@routes.post("/v1/upload-deployment")
def initiate_upload_deployment(ctx: Ctx) -> JSON:
    single_use = ctx.query_bool("create_single_deployment_token")
    ctx.optional_json()
    upload, org_id = _open_upload(ctx)
    token_key = "singleDeploymentToken" if single_use else None
    return initiated(ctx, upload, org_id, id_key="deploymentId", token_key=token_key)


def _as_upload(ctx: Ctx) -> Ctx:
    return ctx.derive(path_params={"uploadId": ctx.path("deploymentId")})


@routes.post("/v1/upload-deployment/{deploymentId}/data", auth="upload")
def upload_deployment_data(ctx: Ctx) -> JSON:
    return upload_data(_as_upload(ctx))  # type: ignore[no-any-return]


@routes.post("/v1/upload-deployment/{deploymentId}/finish", auth="upload")
def finish_upload_deployment(ctx: Ctx) -> JSON:
    answer = finish_upload(_as_upload(ctx))
    upload = ctx.state.uploads[answer["uploadId"]]
    if upload.status == "Canceled":
        bucket = ctx.state.buckets[upload.bucket_id]
        project = _project(ctx, bucket.organization_id, bucket.name, upload.protocol)
        return {
            "success": True,
            "message": "Upload deployment canceled",
            "deploymentId": upload.id,
            "projectId": project.id,
            "sitePreview": "",
            "affectedDomains": [],
            "cid": "",
        }
    answer, _ = _deploy(ctx, upload)
    return {**answer, "cid": upload.cid}
