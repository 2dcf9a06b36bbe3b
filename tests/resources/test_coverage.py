"""Every non-deprecated operation of the pinned document is reachable from a namespace method.

``COVERED`` maps each operationId to the method that calls it (with sample arguments);
``LEFT_TO_API`` lists the operations deliberately reachable only through ``client.api``, with
the reason. Deprecated operations (the ``cluster-*`` family and other superseded paths) are
never called by a namespace. The tables are checked against the document, then each method is
run against a fake server to prove it really sends a request the operation's route matches.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import io
import re
from collections.abc import AsyncIterable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
import yaml

from spheron_api_client.errors import SpheronError
from spheron_api_client.types import File

from ._fakes import FakeClient, make_client

DOCUMENT = Path(__file__).resolve().parents[2] / "openapi" / "spheron-api.yaml"
METHODS = ("get", "put", "post", "patch", "delete")


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    template: str
    deprecated: bool

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        parts = [re.escape(p) if "{" not in p else "[^/]+" for p in self.template.split("/")]
        return re.compile("^" + "/".join(parts) + "$")

    @property
    def literal_segments(self) -> int:
        return sum("{" not in p for p in self.template.split("/"))


def load_operations() -> dict[str, Operation]:
    document = yaml.safe_load(DOCUMENT.read_text())
    found = {}
    for template, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                op = item[method]
                found[op["operationId"]] = Operation(
                    op["operationId"], method.upper(), template, bool(op.get("deprecated"))
                )
    return found


OPERATIONS = load_operations()

LEFT_TO_API = {
    "openCliLogin": "a browser page that redirects to a local port during CLI sign-in, not an API "
    "call for a client that already holds a token",
    "verifyCliToken": "the CLI sign-in handshake that trades a one-time code for a token; it "
    "belongs to a login flow, not to a token-holding client",
    "queryGpt": "the CLI's code assistant; outside the sites/storage/compute surface",
    "checkGptWhitelisted": "the CLI's code assistant (answers by status whether it is enabled); "
    "outside the sites/storage/compute surface",
    "subscribeEventsUnversioned": "the 2023 unversioned event stream without a session, "
    "superseded by GET /v1/subscribe (deployments.events)",
    # Added from the evidence of callers outside the SDKs (openapi/evidence/).
    "initiateUploadViaGet": "the GET spelling of initiateUpload (one Go client sent it); "
    "storage.upload initiates with POST, as the official SDK does",
    "getProfileV2": "seen in one fork's credential check only, answer unrecorded; account.profile "
    "calls the documented GET /v1/profile/",
    "getApiStatus": "an unauthenticated health page whose answer is empty, not an API resource",
    "createWeb3Nonce": "the dashboard's wallet sign-in (before any token exists), like the CLI "
    "login; not a call for a client that already holds a token",
    "verifyWeb3Login": "the dashboard's wallet sign-in (before any token exists), like the CLI "
    "login; not a call for a client that already holds a token",
}

SERVICE = {
    "name": "web",
    "image": "nginx",
    "tag": "1",
    "serviceCount": 1,
    "buildImage": False,
    "ports": [],
    "env": [],
    "command": [],
    "args": [],
    "akashMachineImageName": "m",
}
BUILD = {
    "buildCommand": "b",
    "installCommand": "i",
    "workspace": "",
    "publishDir": "d",
    "framework": "static",
    "nodeVersion": "V_16",
}
DEPLOYMENT = {
    "git_url": "g",
    "repo_name": "r",
    "branch": "main",
    "protocol": "ipfs",
    "provider": "GITHUB",
    "configuration": BUILD,
}


def call(target: str, *args: Any, **kwargs: Any) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
    return target, args, kwargs


COVERED = {
    "getTokenScope": call("account.token_scope"),
    "getProfile": call("account.profile"),
    "createOrganization": call("organizations.create", name="n", username="u", app_type="app"),
    "getOrganization": call("organizations.get"),
    "updateOrganization": call("organizations.update", "o", name="n", username="u", image="i"),
    "getOrganizationUsage": call("organizations.usage"),
    "removeOrganizationMember": call("organizations.remove_member", "u"),
    "getOrganizationOverdue": call("organizations.overdue"),
    "listInvites": call("organizations.invites.list"),
    "createInvite": call("organizations.invites.create", "a@b.c"),
    "deleteInvite": call("organizations.invites.delete", "i"),
    "listCoupons": call("organizations.list_coupons"),
    "listOrganizationProjects": call("organizations.list_projects"),
    "countOrganizationProjects": call("organizations.count_projects"),
    "getProject": call("projects.get", "p"),
    "updateProjectConfiguration": call(
        "projects.update_configuration",
        "p",
        build_command="b",
        install_command="i",
        workspace="",
        publish_dir="d",
        framework="static",
        node_version="V_16",
    ),
    "listProjectDeployments": call("projects.list_deployments", "p"),
    "countProjectDeployments": call("projects.count_deployments", "p"),
    "updateProjectState": call("projects.set_state", "p", "ARCHIVED"),
    "listProjectDomains": call("projects.domains.list", "p"),
    "addProjectDomain": call("projects.domains.create", "p", name="x.com"),
    "getCdnRecords": call("projects.domains.cdn_records"),
    "getProjectDomain": call("projects.domains.get", "p", "d"),
    "updateProjectDomain": call("projects.domains.update", "p", "d", name="x.com"),
    "deleteProjectDomain": call("projects.domains.delete", "p", "d"),
    "verifyProjectDomain": call("projects.domains.verify", "p", "d"),
    "addEnvironmentVariables": call("projects.env_vars.create", "p", {"A": "1"}, environments=[]),
    "updateEnvironmentVariable": call(
        "projects.env_vars.update", "p", "e", name="A", value="1", environments=[]
    ),
    "deleteEnvironmentVariable": call("projects.env_vars.delete", "p", "e"),
    "listDeploymentEnvironments": call("projects.deployment_environments.list", "p"),
    "createDeploymentEnvironment": call(
        "projects.deployment_environments.create", "p", name="n", branches=[], protocol="ipfs"
    ),
    "updateDeploymentEnvironment": call(
        "projects.deployment_environments.update", "p", "e", name="n", branches=[], protocol="ipfs"
    ),
    "deleteDeploymentEnvironment": call("projects.deployment_environments.delete", "p", "e"),
    "activateDeploymentEnvironment": call("projects.deployment_environments.activate", "p", "e"),
    "deactivateDeploymentEnvironment": call(
        "projects.deployment_environments.deactivate", "p", "e"
    ),
    "startDeployment": call("deployments.create", **DEPLOYMENT),
    "suggestFramework": call(
        "deployments.framework_suggestion", owner="o", repo="r", branch="b", provider="GITHUB"
    ),
    "getDeployment": call("deployments.get", "d"),
    "authorizeDeployment": call("deployments.authorize", "d"),
    "cancelDeployment": call("deployments.cancel", "d"),
    "redeployDeployment": call("deployments.redeploy", "d"),
    "subscribeEvents": call("deployments.events", "topic"),
    "listIpnsNamesForUpload": call("storage.ipns.list_for_upload", "u"),
    "publishIpnsName": call("storage.ipns.publish", "u"),
    "updateIpnsName": call("storage.ipns.update", "u", "n"),
    "listIpnsNamesForOrganization": call("storage.ipns.list"),
    "getIpnsName": call("storage.ipns.get", "n"),
    "initiateUpload": call("storage.upload", "<file>", bucket="b"),
    "uploadChunk": call("storage.upload", "<file>", bucket="b"),
    "finishUpload": call("storage.upload", "<file>", bucket="b"),
    "getUpload": call("storage.uploads.get", "u"),
    "uploadFiles": call(
        "storage.uploads.upload_files",
        {"filekey": File(payload=io.BytesIO(b"x"), file_name="x.bin")},
        bucket="b",
    ),
    "pinUpload": call("storage.uploads.pin", "u"),
    "unpinUpload": call("storage.uploads.unpin", "u"),
    "pinCid": call("storage.pins.pin", "c", bucket="b"),
    "pinCids": call("storage.pins.pin_many", ["c"], bucket="b"),
    "getCidStatus": call("storage.pins.status", "c"),
    "getBucket": call("storage.buckets.get", "b"),
    "listBucketDomains": call("storage.buckets.domains.list", "b"),
    "addBucketDomain": call("storage.buckets.domains.create", "b", name="x.com"),
    "getBucketDomain": call("storage.buckets.domains.get", "b", "d"),
    "updateBucketDomain": call("storage.buckets.domains.update", "b", "d", name="x.com"),
    "deleteBucketDomain": call("storage.buckets.domains.delete", "b", "d"),
    "verifyBucketDomain": call("storage.buckets.domains.verify", "b", "d"),
    "listBucketIpnsRecords": call("storage.buckets.ipns_records.list", "b"),
    "addBucketIpnsRecord": call("storage.buckets.ipns_records.create", "b", upload_id="u"),
    "getBucketIpnsRecord": call("storage.buckets.ipns_records.get", "b", "r"),
    "updateBucketIpnsRecord": call("storage.buckets.ipns_records.update", "b", "r", upload_id="u"),
    "deleteBucketIpnsRecord": call("storage.buckets.ipns_records.delete", "b", "r"),
    "updateBucketState": call("storage.buckets.set_state", "b", "ARCHIVED"),
    "listBucketUploads": call("storage.buckets.list_uploads", "b"),
    "countBucketUploads": call("storage.buckets.count_uploads", "b"),
    "listOrganizationBuckets": call("storage.buckets.list"),
    "listOrganizationBucketsWithDomains": call("storage.buckets.list", with_domains=True),
    "countOrganizationBuckets": call("storage.buckets.count"),
    "migrateProjectsToStorage": call("storage.migrate_projects", webapp_organization_id="w"),
    "getComputeProject": call("compute.projects.get", "c"),
    "deleteComputeProject": call("compute.projects.delete", "c"),
    "getComputeProjectFundsUsage": call("compute.projects.funds_usage", "c"),
    "listComputeProjectInstances": call("compute.projects.list_instances", "c"),
    "countComputeProjectInstances": call("compute.projects.count_instances", "c"),
    "listComputeProjects": call("compute.projects.list"),
    "countComputeProjects": call("compute.projects.count"),
    "listComputeInstances": call("compute.instances.list"),
    "createComputeInstance": call(
        "compute.instances.create",
        services=[SERVICE],
        compute_project_name="c",
        region="any",
        scalable=False,
    ),
    "createComputeInstanceFromTemplate": call(
        "compute.instances.create_from_template",
        "t",
        akash_image_id="a",
        region="r",
        scalable=False,
    ),
    "getComputeDeployment": call("compute.instances.get_deployment", "cd"),
    "getComputeDeploymentLogs": call("compute.instances.logs", "cd"),
    "getComputeInstance": call("compute.instances.get", "i"),
    "deleteComputeInstance": call("compute.instances.delete", "i"),
    "closeComputeInstance": call("compute.instances.close", "i"),
    "listComputeInstanceDomains": call("compute.instances.domains.list", "i"),
    "addComputeInstanceDomain": call("compute.instances.domains.create", "i", name="n", link="l"),
    "updateComputeInstanceDomain": call(
        "compute.instances.domains.update", "i", "d", name="n", link="l"
    ),
    "deleteComputeInstanceDomain": call("compute.instances.domains.delete", "i", "d"),
    "verifyComputeInstanceDomain": call("compute.instances.domains.verify", "i", "d"),
    "execComputeInstanceCommand": call("compute.instances.exec_command", "i", "ls"),
    "getComputeInstanceMetrics": call("compute.instances.metrics", "i", service="web"),
    "triggerComputeInstanceHealthCheck": call("compute.instances.health_check", "i"),
    "triggerComputeInstanceLogFetch": call("compute.instances.fetch_logs", "i"),
    "updateComputeInstance": call("compute.instances.update", "i", services=[SERVICE]),
    "updateComputeInstanceHealthCheck": call(
        "compute.instances.update_health_check", "i", path="/", port=80
    ),
    "listMarketplaceApps": call("compute.marketplace.list"),
    "listMarketplaceCategories": call("compute.marketplace.list_categories"),
    "getMarketplaceApp": call("compute.marketplace.get", "a"),
    "listComputeMachines": call("compute.machine_images.list"),
    "listComputeRegions": call("compute.machine_images.list_regions"),
    "getLiveTokenPrice": call("compute.token_price", 1),
}


def test_every_current_operation_is_covered_or_explained() -> None:
    current = {op for op, spec in OPERATIONS.items() if not spec.deprecated}

    assert not set(COVERED) & set(LEFT_TO_API)
    assert set(COVERED) | set(LEFT_TO_API) == current
    assert all(reason.strip() for reason in LEFT_TO_API.values())


def test_no_namespace_calls_a_deprecated_operation() -> None:
    deprecated = {op for op, spec in OPERATIONS.items() if spec.deprecated}

    assert deprecated, "the document marks the cluster-* family deprecated"
    assert not deprecated & set(COVERED)


def root(client: FakeClient, mode: str) -> SimpleNamespace:
    spheron = client.of(mode)
    return SimpleNamespace(
        organizations=spheron.organizations,
        projects=spheron.projects,
        deployments=spheron.deployments,
        storage=spheron.storage,
        compute=spheron.compute,
        account=SimpleNamespace(token_scope=spheron.token_scope, profile=spheron.profile),
    )


def answer(request: httpx.Request) -> httpx.Response:
    """Enough for every call to go out: a usable upload session, ``{}`` for everything else."""
    if request.url.path == "/v1/upload/initiate":
        return httpx.Response(
            200, json={"uploadId": "u", "parallelUploadCount": 1, "payloadSize": 100}
        )
    return httpx.Response(200, json={})


async def drive(result: Any) -> None:
    """Run a call to completion: await it, take a pager's first page, drain a stream."""
    if hasattr(result, "first_page"):
        result = result.first_page()
    if inspect.isawaitable(result):
        result = await result
    if isinstance(result, AsyncIterable):
        async for _ in result:
            pass
    elif inspect.isgenerator(result):
        for _ in result:
            pass


def operations_sent(requests: Iterable[httpx.Request]) -> set[str]:
    """The operation each request was for (the most literal matching route wins)."""
    found = set()
    for request in requests:
        matches = [
            op
            for op in OPERATIONS.values()
            if op.method == request.method and op.pattern.match(request.url.path)
        ]
        assert matches, f"{request.method} {request.url.path} matches no operation"
        found.add(max(matches, key=lambda op: op.literal_segments).operation_id)
    return found


@pytest.mark.parametrize("operation_id", sorted(COVERED))
async def test_method_sends_the_operation(operation_id: str, mode: str, tmp_path: Path) -> None:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return answer(request)

    target, args, kwargs = COVERED[operation_id]
    file = tmp_path / "index.html"
    file.write_text("<p>hi</p>")
    args = tuple(file if arg == "<file>" else arg for arg in args)
    method: Any = functools.reduce(getattr, target.split("."), root(make_client(record), mode))

    # The bare {} answers do not decode for most operations; the request went out anyway.
    with contextlib.suppress(SpheronError):
        await drive(method(*args, **kwargs))

    assert operation_id in operations_sent(sent), f"{target} does not call {operation_id}"
    deprecated = {op for op in operations_sent(sent) if OPERATIONS[op].deprecated}
    assert not deprecated
