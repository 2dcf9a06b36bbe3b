"""Every namespace method sends exactly the documented request and unwraps the answer.

Each case runs twice, through the sync and the async class.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

import httpx
import pytest

from spheron import APIStatusError
from spheron_api_client.errors import ResponseValidationError
from spheron_api_client.models.compute_project import ComputeProject
from spheron_api_client.models.framework import Framework

from ._fakes import TOKEN, FakeApi, FakeClient, namespace, resolve

ID = attrgetter("id")


def same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Case:
    target: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    method: str
    path: str
    answer: Any
    query: dict[str, str] = field(default_factory=dict)
    body: Any = None
    pick: Callable[[Any], Any] = same
    expected: Any = None

    def __str__(self) -> str:
        return f"{self.target}({', '.join(map(str, self.args))})"


def case(
    target: str,
    *args: Any,
    http: tuple[str, str],
    answer: Any,
    query: dict[str, str] | None = None,
    body: Any = None,
    pick: Callable[[Any], Any] = same,
    expected: Any = None,
    **kwargs: Any,
) -> Case:
    method, path = http
    return Case(target, args, kwargs, method, path, answer, query or {}, body, pick, expected)


SERVICE = {
    "name": "web",
    "image": "nginx",
    "tag": "latest",
    "serviceCount": 1,
    "buildImage": False,
    "ports": [{"containerPort": 80, "exposedPort": 80}],
    "env": [],
    "command": [],
    "args": [],
    "akashMachineImageName": "Ventus Nano 1",
}
BUILD = {
    "buildCommand": "npm run build",
    "installCommand": "npm ci",
    "workspace": "",
    "publishDir": "build",
    "framework": "react",
    "nodeVersion": "V_16",
}
ORG = "/v1/organization/org-1"

CASES = [
    # organizations
    case(
        "organizations.get", http=("GET", ORG), answer={"_id": "org-1"}, pick=ID, expected="org-1"
    ),
    case(
        "organizations.get",
        "org-2",
        http=("GET", "/v1/organization/org-2"),
        answer={"_id": "org-2"},
        pick=ID,
        expected="org-2",
    ),
    case(
        "organizations.create",
        name="Acme",
        username="acme",
        app_type="storage",
        http=("POST", "/v1/organization"),
        body={"username": "acme", "name": "Acme", "appType": "storage"},
        answer={"success": True, "organization": {"_id": "org-9"}},
        pick=ID,
        expected="org-9",
    ),
    case(
        "organizations.update",
        "org-1",
        name="Acme",
        username="acme",
        image="https://img",
        http=("PUT", ORG),
        body={"name": "Acme", "username": "acme", "image": "https://img"},
        answer={"_id": "org-1"},
        pick=ID,
        expected="org-1",
    ),
    case(
        "organizations.usage",
        http=("GET", f"{ORG}/subscription-usage/specialization/wa-global"),
        answer={"usage": {"usedBandwidth": 5}},
        pick=attrgetter("used_bandwidth"),
        expected=5,
    ),
    case(
        "organizations.usage",
        specialization="storage",
        http=("GET", f"{ORG}/subscription-usage/specialization/storage"),
        answer={"usage": {}},
    ),
    case(
        "organizations.overdue",
        http=("GET", f"{ORG}/overdue"),
        answer={"overdue": False},
        pick=attrgetter("overdue"),
        expected=False,
    ),
    case(
        "organizations.remove_member",
        "user-1",
        http=("DELETE", f"{ORG}/member"),
        body={"userId": "user-1"},
        answer={"message": "removed"},
        pick=attrgetter("message"),
        expected="removed",
    ),
    case(
        "organizations.list_coupons",
        http=("GET", f"{ORG}/coupons"),
        answer={"coupons": [{"id": "c1", "daysRemaning": 3}]},
        pick=lambda r: [c.days_remaning for c in r],
        expected=[3],
    ),
    case(
        "organizations.count_projects",
        state="ARCHIVED",
        include_upload_type=True,
        http=("GET", f"{ORG}/projects/count"),
        query={"state": "ARCHIVED", "include_upload_type": "true"},
        answer={"count": 3},
        expected=3,
    ),
    case(
        "organizations.count_buckets",
        name="site",
        state="MAINTAINED",
        http=("GET", f"{ORG}/buckets/count"),
        query={"name": "site", "state": "MAINTAINED"},
        answer={"count": 2},
        expected=2,
    ),
    case(
        "organizations.count_compute_projects",
        http=("GET", f"{ORG}/compute-projects/count"),
        answer={"count": 1},
        expected=1,
    ),
    case(
        "organizations.invites.list",
        http=("GET", f"{ORG}/invites"),
        answer={"invites": [{"_id": "inv-1"}]},
        pick=lambda r: [i.id for i in r],
        expected=["inv-1"],
    ),
    case(
        "organizations.invites.create",
        "ada@example.com",
        http=("POST", f"{ORG}/invites"),
        body={"userEmail": "ada@example.com"},
        answer={"message": "sent", "invite": {"_id": "inv-1"}},
        pick=lambda r: r.invite.id,
        expected="inv-1",
    ),
    case(
        "organizations.invites.delete",
        "inv-1",
        http=("DELETE", f"{ORG}/invites/inv-1"),
        answer={"_id": "inv-1"},
        pick=ID,
        expected="inv-1",
    ),
    # projects
    case(
        "projects.get",
        "p1",
        http=("GET", "/v1/project/p1"),
        answer={"_id": "p1"},
        pick=ID,
        expected="p1",
    ),
    case(
        "projects.count_deployments",
        "p1",
        http=("GET", "/v1/project/p1/deployments/count"),
        answer={"total": 4, "successful": 2, "failed": 1, "pending": 1},
        pick=attrgetter("total"),
        expected=4,
    ),
    case(
        "projects.set_state",
        "p1",
        "ARCHIVED",
        http=("PATCH", "/v1/project/p1/state"),
        body={"state": "ARCHIVED"},
        answer={"message": "archived"},
        pick=attrgetter("message"),
        expected="archived",
    ),
    case(
        "projects.update_configuration",
        "p1",
        build_command="npm run build",
        install_command="npm ci",
        workspace="",
        publish_dir="build",
        framework="react",
        node_version="V_16",
        http=("PUT", "/v1/project/p1/configuration"),
        body=BUILD,
        answer={"configuration": {"buildCommand": "npm run build"}},
        pick=attrgetter("build_command"),
        expected="npm run build",
    ),
    case(
        "projects.domains.list",
        "p1",
        http=("GET", "/v1/project/p1/domains"),
        answer={"domains": [{"_id": "dom-1"}]},
        pick=lambda r: [d.id for d in r],
        expected=["dom-1"],
    ),
    case(
        "projects.domains.get",
        "p1",
        "dom-1",
        http=("GET", "/v1/project/p1/domains/dom-1"),
        answer={"domain": {"_id": "dom-1"}},
        pick=ID,
        expected="dom-1",
    ),
    case(
        "projects.domains.create",
        "p1",
        name="example.com",
        link="dep-1",
        deployment_environments=["env-1"],
        is_latest=True,
        http=("POST", "/v1/project/p1/domains"),
        body={
            "type": "domain",
            "name": "example.com",
            "link": "dep-1",
            "deploymentEnvironments": ["env-1"],
            "isLatest": True,
        },
        answer={"domain": {"_id": "dom-1"}},
        pick=ID,
        expected="dom-1",
    ),
    case(
        "projects.domains.create",
        "p1",
        name="x.eth",
        type="ens-domain",
        http=("POST", "/v1/project/p1/domains"),
        body={"type": "ens-domain", "name": "x.eth"},
        answer={"domain": {"_id": "dom-2"}},
    ),
    case(
        "projects.domains.update",
        "p1",
        "dom-1",
        name="example.org",
        http=("PATCH", "/v1/project/p1/domains/dom-1"),
        body={"name": "example.org"},
        answer={"domain": {"_id": "dom-1", "name": "example.org"}},
        pick=attrgetter("name"),
        expected="example.org",
    ),
    case(
        "projects.domains.delete",
        "p1",
        "dom-1",
        http=("DELETE", "/v1/project/p1/domains/dom-1"),
        answer={"domain": {"success": True}},
        pick=lambda r: r.domain.success,
        expected=True,
    ),
    case(
        "projects.domains.verify",
        "p1",
        "dom-1",
        http=("PATCH", "/v1/project/p1/domains/dom-1/verify"),
        body={},
        answer={"success": True, "domain": {"_id": "dom-1"}},
        pick=attrgetter("success"),
        expected=True,
    ),
    case(
        "projects.domains.cdn_records",
        http=("GET", "/v1/project/1/domains/cdn-records"),
        answer={"records": {"recordIpv4V2": "1.2.3.4", "recordCnameV2": "cdn.example"}},
        pick=attrgetter("record_ipv_4v2"),
        expected="1.2.3.4",
    ),
    case(
        "projects.env_vars.list",
        "p1",
        http=("GET", "/v1/project/p1"),
        answer={"_id": "p1", "environmentVariables": [{"_id": "ev-1", "name": "A"}]},
        pick=lambda r: [v.name for v in r],
        expected=["A"],
    ),
    case(
        "projects.env_vars.create",
        "p1",
        {"A": "1", "B": "2"},
        environments=["Production"],
        http=("POST", "/v1/project/p1/environment-variables"),
        body={
            "environmentVariables": [
                {"name": "A", "value": "1", "environments": ["Production"]},
                {"name": "B", "value": "2", "environments": ["Production"]},
            ]
        },
        answer={"environmentVariables": [{"_id": "ev-1"}, {"_id": "ev-2"}]},
        pick=lambda r: [v.id for v in r],
        expected=["ev-1", "ev-2"],
    ),
    case(
        "projects.env_vars.update",
        "p1",
        "ev-1",
        name="A",
        value="3",
        environments=["Production"],
        http=("PUT", "/v1/project/p1/environment-variables/ev-1"),
        body={"name": "A", "value": "3", "environments": ["Production"]},
        answer={"updated": {"_id": "ev-1", "value": "3"}},
        pick=attrgetter("value"),
        expected="3",
    ),
    case(
        "projects.env_vars.delete",
        "p1",
        "ev-1",
        http=("DELETE", "/v1/project/p1/environment-variables/ev-1"),
        answer={"success": True},
        pick=attrgetter("success"),
        expected=True,
    ),
    case(
        "projects.deployment_environments.list",
        "p1",
        http=("GET", "/v1/project/p1/deployment-environments"),
        answer={"result": [{"_id": "de-1"}]},
        pick=lambda r: [e.id for e in r],
        expected=["de-1"],
    ),
    case(
        "projects.deployment_environments.create",
        "p1",
        name="Preview",
        branches=["dev"],
        protocol="ipfs",
        http=("POST", "/v1/project/p1/deployment-environments"),
        body={"name": "Preview", "branches": ["dev"], "protocol": "ipfs"},
        answer={"newEnvironment": {"_id": "de-2"}},
        pick=ID,
        expected="de-2",
    ),
    case(
        "projects.deployment_environments.update",
        "p1",
        "de-2",
        name="Preview",
        branches=["dev", "next"],
        protocol="arweave",
        http=("PUT", "/v1/project/p1/deployment-environments/de-2"),
        body={"name": "Preview", "branches": ["dev", "next"], "protocol": "arweave"},
        answer={"deploymentEnvironment": {"_id": "de-2"}},
        pick=ID,
        expected="de-2",
    ),
    case(
        "projects.deployment_environments.delete",
        "p1",
        "de-2",
        http=("DELETE", "/v1/project/p1/deployment-environments/de-2"),
        answer={"message": "deleted"},
        pick=attrgetter("message"),
        expected="deleted",
    ),
    case(
        "projects.deployment_environments.activate",
        "p1",
        "de-2",
        http=("PATCH", "/v1/project/p1/deployment-environments/de-2/activate"),
        answer={"deploymentEnvironment": {"_id": "de-2", "status": "Active"}},
        pick=ID,
        expected="de-2",
    ),
    case(
        "projects.deployment_environments.deactivate",
        "p1",
        "de-2",
        http=("PATCH", "/v1/project/p1/deployment-environments/de-2/deactivate"),
        answer={"deploymentEnvironment": {"_id": "de-2"}},
        pick=ID,
        expected="de-2",
    ),
    # deployments
    case(
        "deployments.create",
        git_url="https://github.com/acme/site",
        repo_name="site",
        branch="main",
        protocol="ipfs",
        provider="GITHUB",
        configuration=BUILD,
        env={"API_URL": "https://api"},
        git_provider_preferences={"prComments": False},
        unique_topic_id="topic-1",
        http=("POST", "/v1/deployment"),
        body={
            "organizationId": "org-1",
            "gitUrl": "https://github.com/acme/site",
            "repoName": "site",
            "branch": "main",
            "protocol": "ipfs",
            "provider": "GITHUB",
            "createDefaultWebhook": True,  # @spheron/core's default
            "configuration": BUILD,
            "env": {"API_URL": "https://api"},
            "gitProviderPreferences": {"prComments": False},
            "uniqueTopicId": "topic-1",
        },
        answer={"success": True, "deploymentId": "d1", "topic": "topic-1", "projectId": "p1"},
        pick=attrgetter("deployment_id"),
        expected="d1",
    ),
    case(
        "deployments.get",
        "d1",
        http=("GET", "/v1/deployment/d1"),
        answer={"deployment": {"_id": "d1", "status": "Queued"}, "liveLogs": []},
        pick=lambda r: (r.id, r.status.value),
        expected=("d1", "Queued"),
    ),
    case(
        "deployments.authorize",
        "d1",
        http=("POST", "/v1/deployment/d1/authorize"),
        answer={"success": True, "deploymentId": "d1"},
        pick=attrgetter("success"),
        expected=True,
    ),
    case(
        "deployments.cancel",
        "d1",
        http=("POST", "/v1/deployment/d1/cancel"),
        answer={"message": "ok", "canceled": True, "killing": False},
        pick=attrgetter("canceled"),
        expected=True,
    ),
    case(
        "deployments.redeploy",
        "d1",
        http=("POST", "/v1/deployment/d1/redeploy"),
        answer={"success": True, "deploymentId": "d2"},
        pick=attrgetter("deployment_id"),
        expected="d2",
    ),
    case(
        "deployments.framework_suggestion",
        owner="acme",
        repo="site",
        branch="main",
        provider="GITHUB",
        root="/",
        http=("GET", "/v1/deployment/framework/suggestion"),
        query={
            "owner": "acme",
            "branch": "main",
            "repo": "site",
            "provider": "GITHUB",
            "root": "/",
        },
        answer={"suggestedFramework": "next"},
        expected=Framework.NEXT,
    ),
    # storage
    case(
        "storage.buckets.get",
        "b1",
        http=("GET", "/v1/bucket/b1"),
        answer={"_id": "b1"},
        pick=ID,
        expected="b1",
    ),
    case(
        "storage.buckets.set_state",
        "b1",
        "ARCHIVED",
        http=("PATCH", "/v1/bucket/b1/state"),
        body={"state": "ARCHIVED"},
        answer={"_id": "b1", "state": "ARCHIVED"},
        pick=lambda r: r.state.value,
        expected="ARCHIVED",
    ),
    case(
        "storage.buckets.count",
        http=("GET", f"{ORG}/buckets/count"),
        query={"name": "", "state": ""},  # unset filters sent empty, as @spheron/core does
        answer={"count": 7},
        expected=7,
    ),
    case(
        "storage.buckets.count_uploads",
        "b1",
        http=("GET", "/v1/bucket/b1/uploads/count"),
        answer={"count": 9},
        expected=9,
    ),
    case(
        "storage.buckets.domains.list",
        "b1",
        http=("GET", "/v1/bucket/b1/domains"),
        answer={"domains": [{"_id": "bd-1"}]},
        pick=lambda r: [d.id for d in r],
        expected=["bd-1"],
    ),
    case(
        "storage.buckets.domains.get",
        "b1",
        "bd-1",
        http=("GET", "/v1/bucket/b1/domains/bd-1"),
        answer={"domain": {"_id": "bd-1"}},
        pick=ID,
        expected="bd-1",
    ),
    case(
        "storage.buckets.domains.create",
        "b1",
        name="files.example.com",
        link="up-1",
        http=("POST", "/v1/bucket/b1/domains"),
        body={"type": "domain", "name": "files.example.com", "link": "up-1"},
        answer={"domain": {"_id": "bd-1"}},
        pick=ID,
        expected="bd-1",
    ),
    case(
        "storage.buckets.domains.update",
        "b1",
        "bd-1",
        name="files.example.org",
        link="up-2",
        http=("PATCH", "/v1/bucket/b1/domains/bd-1"),
        body={"name": "files.example.org", "link": "up-2"},
        answer={"domain": {"_id": "bd-1"}},
        pick=ID,
        expected="bd-1",
    ),
    case(
        "storage.buckets.domains.delete",
        "b1",
        "bd-1",
        http=("DELETE", "/v1/bucket/b1/domains/bd-1"),
        answer={},
    ),
    case(
        "storage.buckets.domains.verify",
        "b1",
        "bd-1",
        http=("PATCH", "/v1/bucket/b1/domains/bd-1/verify"),
        body={},
        answer={"success": False, "domain": {"_id": "bd-1"}},
        pick=attrgetter("success"),
        expected=False,
    ),
    case(
        "storage.buckets.ipns_records.list",
        "b1",
        http=("GET", "/v1/bucket/b1/ipns-records"),
        answer={"ipnsRecords": [{"_id": "ir-1"}]},
        pick=lambda r: [i.id for i in r],
        expected=["ir-1"],
    ),
    case(
        "storage.buckets.ipns_records.get",
        "b1",
        "ir-1",
        http=("GET", "/v1/bucket/b1/ipns-records/ir-1"),
        answer={"ipnsRecord": {"_id": "ir-1"}},
        pick=ID,
        expected="ir-1",
    ),
    case(
        "storage.buckets.ipns_records.create",
        "b1",
        upload_id="up-1",
        http=("POST", "/v1/bucket/b1/ipns-records"),
        body={"uploadId": "up-1"},
        answer={"ipnsRecord": {"_id": "ir-1"}},
        pick=ID,
        expected="ir-1",
    ),
    case(
        "storage.buckets.ipns_records.update",
        "b1",
        "ir-1",
        upload_id="up-2",
        http=("PATCH", "/v1/bucket/b1/ipns-records/ir-1"),
        body={"uploadId": "up-2"},
        answer={"ipnsRecord": {"_id": "ir-1"}},
        pick=ID,
        expected="ir-1",
    ),
    case(
        "storage.buckets.ipns_records.delete",
        "b1",
        "ir-1",
        http=("DELETE", "/v1/bucket/b1/ipns-records/ir-1"),
        answer={},
    ),
    case(
        "storage.uploads.get",
        "up-1",
        http=("GET", "/v1/upload/up-1"),
        answer={"upload": {"_id": "up-1", "status": "Uploaded"}},
        pick=ID,
        expected="up-1",
    ),
    case(
        "storage.uploads.pin",
        "up-1",
        http=("PATCH", "/v1/upload/up-1/pin"),
        answer={"upload": {"_id": "up-1", "status": "Pinned"}},
        pick=lambda r: r.status.value,
        expected="Pinned",
    ),
    case(
        "storage.uploads.unpin",
        "up-1",
        http=("PATCH", "/v1/upload/up-1/unpin"),
        answer={"upload": {"_id": "up-1", "status": "Unpinned"}},
        pick=lambda r: r.status.value,
        expected="Unpinned",
    ),
    case(
        "storage.pins.pin",
        "bafy1",
        bucket="site",
        in_background=True,
        http=("POST", "/v2/ipfs/pin/bafy1"),
        query={"bucket": "site", "in_background": "true", "organization": "org-1"},
        body={},
        answer={
            "uploadId": "up-1",
            "bucketId": "b1",
            "protocolLink": "ipfs://x",
            "dynamicLinks": [],
        },
        pick=attrgetter("upload_id"),
        expected="up-1",
    ),
    case(
        "storage.pins.pin_many",
        ["bafy1", "bafy2"],
        bucket="site",
        organization_id="org-7",
        http=("POST", "/v2/ipfs/pins"),
        query={"bucket": "site", "organization": "org-7"},
        body={"cids": ["bafy1", "bafy2"]},
        answer=[{"uploadId": "up-1", "cid": "bafy1"}, {"uploadId": "up-2", "cid": "bafy2"}],
        pick=lambda r: [p.upload_id for p in r],
        expected=["up-1", "up-2"],
    ),
    case(
        "storage.pins.status",
        "bafy1",
        http=("GET", "/v2/ipfs/pins/bafy1/status"),
        answer={"pinStatus": {"cid": "bafy1"}},
        pick=attrgetter("cid"),
        expected="bafy1",
    ),
    case(
        "storage.ipns.list",
        http=("GET", "/v1/ipns/names"),
        body={"organizationId": "org-1"},
        answer=[{"_id": "n1"}],
        pick=lambda r: [n.id for n in r],
        expected=["n1"],
    ),
    case(
        "storage.ipns.list_for_upload",
        "up-1",
        http=("GET", "/v1/ipns/deployments/up-1/names"),
        answer=[{"_id": "n1"}],
        pick=lambda r: [n.id for n in r],
        expected=["n1"],
    ),
    case(
        "storage.ipns.get",
        "n1",
        http=("GET", "/v1/ipns/names/n1"),
        answer={"_id": "n1"},
        pick=ID,
        expected="n1",
    ),
    case(
        "storage.ipns.publish",
        "up-1",
        http=("POST", "/v1/ipns/deployments/up-1/names"),
        answer={"ipnsName": {"_id": "n1"}},
        pick=ID,
        expected="n1",
    ),
    case(
        "storage.ipns.update",
        "up-2",
        "n1",
        http=("PUT", "/v1/ipns/deployments/up-2/names/n1"),
        answer={"ipnsName": {"_id": "n1"}},
        pick=ID,
        expected="n1",
    ),
    case(
        "storage.migrate_projects",
        webapp_organization_id="web-1",
        http=("POST", f"{ORG}/migrate-projects"),
        body={"webappOrganizationId": "web-1"},
        answer={"numberOfBuckets": 2, "numberOfUploads": 5},
        pick=attrgetter("number_of_uploads"),
        expected=5,
    ),
    # compute
    case(
        "compute.token_price",
        7,
        http=("GET", "/v1/price/liveTokenPrice/7"),
        answer={"message": "ok", "price": 1.25},
        expected=1.25,
    ),
    case(
        "compute.projects.get",
        "cp-1",
        http=("GET", "/v1/compute-project/cp-1"),
        answer={"_id": "cp-1", "name": "api"},
        pick=lambda r: (type(r), r.id),
        expected=(ComputeProject, "cp-1"),
    ),
    case(
        "compute.projects.get",
        "cp-1",
        http=("GET", "/v1/compute-project/cp-1"),
        answer={"cluster": {"_id": "cp-1"}},
        pick=lambda r: (type(r), r.id),
        expected=(ComputeProject, "cp-1"),
    ),
    case(
        "compute.projects.delete",
        "cp-1",
        http=("DELETE", "/v1/compute-project/cp-1"),
        answer={},
    ),
    case(
        "compute.projects.funds_usage",
        "cp-1",
        http=("GET", "/v1/compute-project/cp-1/funds-usage"),
        answer={"dailyUsage": 1.5, "usedTillNow": 10},
        pick=attrgetter("daily_usage"),
        expected=1.5,
    ),
    case(
        "compute.projects.count_instances",
        "cp-1",
        http=("GET", "/v1/compute-project/cp-1/instances/count"),
        answer={"active": 1, "total": 2},
        pick=attrgetter("total"),
        expected=2,
    ),
    case(
        "compute.projects.count",
        http=("GET", f"{ORG}/compute-projects/count"),
        answer={"count": 3},
        expected=3,
    ),
    case(
        "compute.instances.create",
        services=[SERVICE],
        compute_project_name="api",
        region="us-west",
        scalable=True,
        unique_topic_id="topic-1",
        http=("POST", "/v1/compute-instance/create"),
        body={
            "organizationId": "org-1",
            "uniqueTopicId": "topic-1",
            "services": [SERVICE],
            "computeProvider": "DOCKERHUB",
            "computeProjectName": "api",
            "computeProjectDescription": "",
            "scalable": True,
            "region": "us-west",
        },
        answer={"computeProjectId": "cp-1", "computeInstanceId": "i1", "topic": "topic-1"},
        pick=attrgetter("compute_instance_id"),
        expected="i1",
    ),
    case(
        "compute.instances.create_from_template",
        "tpl-1",
        akash_image_id="img-1",
        region="any",
        scalable=False,
        environment_variables={"PASSWORD": "s3cret"},
        instance_count=1,
        unique_topic_id="topic-2",
        http=("POST", "/v1/compute-instance/template"),
        body={
            "templateId": "tpl-1",
            "environmentVariables": [{"label": "PASSWORD", "value": "s3cret"}],
            "organizationId": "org-1",
            "akashImageId": "img-1",
            "region": "any",
            "scalable": False,
            "uniqueTopicId": "topic-2",
            "instanceCount": 1,
        },
        answer={"computeInstanceId": "i2", "templateId": "tpl-1"},
        pick=attrgetter("compute_instance_id"),
        expected="i2",
    ),
    case(
        "compute.instances.get",
        "i1",
        http=("GET", "/v1/compute-instance/i1"),
        answer={"success": True, "instance": {"_id": "i1", "state": "Active"}},
        pick=ID,
        expected="i1",
    ),
    case(
        "compute.instances.topup_report",
        "i1",
        http=("GET", "/v1/compute-instance/i1"),
        query={"topupReport": "y"},
        answer={"success": True, "instance": {"_id": "i1"}, "topupReport": {"dailyUsage": 2}},
        pick=attrgetter("daily_usage"),
        expected=2,
    ),
    case(
        "compute.instances.update",
        "i1",
        services=[SERVICE],
        unique_topic_id="topic-3",
        http=("PATCH", "/v1/compute-instance/i1/update"),
        body={"services": [SERVICE], "organizationId": "org-1", "uniqueTopicId": "topic-3"},
        answer={"computeInstanceId": "i1", "computeDeploymentId": "cd-2"},
        pick=attrgetter("compute_deployment_id"),
        expected="cd-2",
    ),
    case(
        "compute.instances.update_health_check",
        "i1",
        path="/health",
        port=8080,
        http=("PATCH", "/v1/compute-instance/i1/update/health-check"),
        body={"healthCheckUrl": "/health", "healthCheckPort": 8080},
        answer={"message": "ok", "updated": True},
        pick=attrgetter("updated"),
        expected=True,
    ),
    case(
        "compute.instances.close",
        "i1",
        http=("POST", "/v1/compute-instance/i1/close"),
        answer={"message": "closed", "success": True},
        pick=attrgetter("success"),
        expected=True,
    ),
    case("compute.instances.delete", "i1", http=("DELETE", "/v1/compute-instance/i1"), answer={}),
    case(
        "compute.instances.get_deployment",
        "cd-1",
        http=("GET", "/v1/compute-instance/deployment/cd-1"),
        answer={"deployment": {"_id": "cd-1"}, "liveLogs": ["booting"]},
        pick=attrgetter("live_logs"),
        expected=["booting"],
    ),
    case(
        "compute.instances.logs",
        "cd-1",
        log_type="instanceEvents",
        start=10,
        end=60,
        search="error",
        http=("GET", "/v1/compute-instance/deployment/cd-1/logs"),
        query={"from": "10", "to": "60", "logType": "instanceEvents", "search": "error"},
        answer={"success": True, "deployment": {"_id": "cd-1", "logs": ["a"], "logsLength": 61}},
        pick=attrgetter("logs_length"),
        expected=61,
    ),
    case(
        "compute.instances.metrics",
        "i1",
        service="web",
        http=("GET", "/v1/compute-instance/i1/metrics"),
        query={"service": "web"},
        answer={"metrics": {"cpu": 0.5, "memory": 128}},
        pick=attrgetter("cpu"),
        expected=0.5,
    ),
    case(
        "compute.instances.exec_command",
        "i1",
        "ls /",
        http=("POST", "/v1/compute-instance/i1/exec-command"),
        body={"command": "ls /"},
        answer={"logs": ["bin", "etc"]},
        expected=["bin", "etc"],
    ),
    case(
        "compute.instances.health_check",
        "i1",
        topic_id="topic-4",
        http=("POST", "/v1/compute-instance/i1/trigger/container-health-check"),
        query={"topicId": "topic-4"},
        answer={"topicId": "topic-4", "message": "ok"},
        pick=attrgetter("topic_id"),
        expected="topic-4",
    ),
    case(
        "compute.instances.fetch_logs",
        "i1",
        topic_id="topic-5",
        http=("POST", "/v1/compute-instance/i1/trigger/fetch-logs"),
        query={"topicId": "topic-5"},
        answer={"topicId": "topic-5", "message": "ok"},
        pick=attrgetter("topic_id"),
        expected="topic-5",
    ),
    case(
        "compute.instances.domains.list",
        "i1",
        http=("GET", "/v1/compute-instance/i1/domains"),
        answer={"domains": [{"_id": "cd-d1"}]},
        pick=lambda r: [d.id for d in r],
        expected=["cd-d1"],
    ),
    case(
        "compute.instances.domains.create",
        "i1",
        name="api.example.com",
        link="https://i1.provider",
        http=("POST", "/v1/compute-instance/i1/domains"),
        body={"link": "https://i1.provider", "type": "domain", "name": "api.example.com"},
        answer={"domain": {"_id": "cd-d1"}},
        pick=ID,
        expected="cd-d1",
    ),
    case(
        "compute.instances.domains.update",
        "i1",
        "cd-d1",
        name="api.example.org",
        link="https://i1.provider",
        type="subdomain",
        http=("PATCH", "/v1/compute-instance/i1/domains/cd-d1"),
        body={"link": "https://i1.provider", "type": "subdomain", "name": "api.example.org"},
        answer={"domain": {"_id": "cd-d1"}},
        pick=ID,
        expected="cd-d1",
    ),
    case(
        "compute.instances.domains.delete",
        "i1",
        "cd-d1",
        http=("DELETE", "/v1/compute-instance/i1/domains/cd-d1"),
        answer={},
    ),
    case(
        "compute.instances.domains.verify",
        "i1",
        "cd-d1",
        http=("PATCH", "/v1/compute-instance/i1/domains/cd-d1/verify"),
        answer={},
    ),
    case(
        "compute.marketplace.list",
        category="AI",
        http=("GET", "/v1/marketplace-app"),
        query={"category": "AI"},
        answer={"templates": [{"_id": "app-1"}]},
        pick=lambda r: [a.id for a in r],
        expected=["app-1"],
    ),
    case(
        "compute.marketplace.get",
        "app-1",
        http=("GET", "/v1/marketplace-app/app-1"),
        answer={"_id": "app-1"},
        pick=ID,
        expected="app-1",
    ),
    case(
        "compute.marketplace.list_categories",
        http=("GET", "/v1/marketplace-app/categories"),
        answer={"categories": ["AI", "Database"]},
        expected=["AI", "Database"],
    ),
    case(
        "compute.machine_images.list_regions",
        http=("GET", "/v1/compute-machine-image/regions"),
        answer={"regions": ["us-east", "eu-west"], "totalCount": 2},
        expected=["us-east", "eu-west"],
    ),
]


def _call(client: FakeClient, mode: str, spec: Case) -> Any:
    target, _, method = spec.target.rpartition(".")
    return getattr(namespace(client, mode, target), method)(*spec.args, **spec.kwargs)


@pytest.mark.parametrize("spec", CASES, ids=str)
async def test_request_and_result(spec: Case, mode: str, fake: FakeApi, client: FakeClient) -> None:
    fake.route(spec.method, spec.path, spec.answer)

    result = await resolve(_call(client, mode, spec))

    assert fake.calls() == [(spec.method, spec.path, spec.query, spec.body)]
    if spec.expected is not None:
        assert spec.pick(result) == spec.expected


async def test_every_request_is_authenticated(mode: str, fake: FakeApi, client: FakeClient) -> None:
    fake.route("GET", "/v1/project/p1", {"_id": "p1"})

    await resolve(namespace(client, mode, "projects").get("p1"))

    assert fake.last.request.headers["authorization"] == f"Bearer {TOKEN}"


async def test_undocumented_status_is_an_error_not_none(
    mode: str, fake: FakeApi, client: FakeClient
) -> None:
    fake.route("GET", "/v1/project/p1", httpx.Response(302, headers={"location": "/login"}))

    with pytest.raises(APIStatusError, match="GET /v1/project/p1 returned 302") as caught:
        await resolve(namespace(client, mode, "projects").get("p1"))
    assert caught.value.status_code == 302


async def test_bad_body_raises_response_validation_error(
    mode: str, fake: FakeApi, client: FakeClient
) -> None:
    fake.route("GET", "/v1/deployment/d1", httpx.Response(200, json={"unexpected": True}))

    with pytest.raises(ResponseValidationError):
        await resolve(namespace(client, mode, "deployments").get("d1"))


async def test_unknown_enum_values_decode(mode: str, fake: FakeApi, client: FakeClient) -> None:
    fake.route("GET", "/v1/deployment/d1", {"deployment": {"_id": "d1", "status": "Warping"}})

    deployment = await resolve(namespace(client, mode, "deployments").get("d1"))

    assert deployment.status.value == "Warping"
    assert not deployment.status.is_known


async def test_enum_arguments_accept_members(mode: str, fake: FakeApi, client: FakeClient) -> None:
    from spheron_api_client.models.project_state import ProjectState

    fake.route("PATCH", "/v1/project/p1/state", {"message": "ok"})

    await resolve(namespace(client, mode, "projects").set_state("p1", ProjectState.MAINTAINED))

    assert fake.last.json == {"state": "MAINTAINED"}


async def test_a_partial_mapping_is_sent_as_given(
    mode: str, fake: FakeApi, client: FakeClient
) -> None:
    # Issue 11: request models are as lenient as the server; a configuration without
    # `publishDir` and with a key the document does not know is sent unchanged.
    fake.route("POST", "/v1/deployment", {"deploymentId": "d1", "projectId": "p1"})
    deployments = namespace(client, mode, "deployments")
    partial = {k: v for k, v in BUILD.items() if k != "publishDir"} | {"extraKey": [1, "2"]}

    await resolve(
        deployments.create(
            git_url="g",
            repo_name="r",
            branch="main",
            protocol="ipfs",
            provider="GITHUB",
            configuration=partial,
        )
    )

    assert fake.last.json["configuration"] == partial


def test_mapping_arguments_that_do_not_fit_name_the_argument() -> None:
    from spheron._resource_base import coerce_model

    def needs_key(value: Mapping[str, Any]) -> object:
        return value["publishDir"]

    def wrong_shape(value: Mapping[str, Any]) -> object:
        raise TypeError("not a list")

    with pytest.raises(ValueError, match="configuration is missing the key 'publishDir'"):
        coerce_model(needs_key, {}, name="configuration")
    with pytest.raises(ValueError, match="services does not fit the API's shape: not a list"):
        coerce_model(wrong_shape, {}, name="services")


async def test_models_are_accepted_as_they_are(
    mode: str, fake: FakeApi, client: FakeClient
) -> None:
    from spheron_api_client.models.compute_service_configuration_dto import (
        ComputeServiceConfigurationDTO,
    )

    fake.route("POST", "/v1/compute-instance/create", {"computeInstanceId": "i1"})
    service = ComputeServiceConfigurationDTO.from_dict(SERVICE)

    await resolve(
        namespace(client, mode, "compute.instances").create(
            services=[service], compute_project_name="api", region="any", scalable=False
        )
    )

    assert fake.last.json["services"] == [SERVICE]
    assert len(fake.last.json["uniqueTopicId"]) == 36
