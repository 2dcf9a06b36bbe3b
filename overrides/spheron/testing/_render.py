"""State records as the API's JSON (camelCase keys, ``_id``, ISO timestamps)."""

from __future__ import annotations

from ._clock import isoformat
from ._state import (
    JSON,
    Bucket,
    BucketDomain,
    BucketIpnsRecord,
    ComputeDeployment,
    ComputeInstance,
    ComputeProject,
    Deployment,
    DeploymentEnvironment,
    Domain,
    EnvironmentVariable,
    Organization,
    Project,
    SpheronState,
    Upload,
    fake_cid,
    fake_hex,
)


def link_for(protocol: str, cid: str) -> str:
    if protocol == "arweave":
        return f"https://arweave.net/{fake_hex(cid, 43)}"
    return f"https://{cid}.ipfs.sphn.link"


def organization(org: Organization) -> JSON:
    return {
        "_id": org.id,
        "profile": {"name": org.name, "image": org.image, "username": org.username},
        "users": list(org.users),
        "registries": [],
        "overdue": False,
        "appType": org.app_type,
        "invitedMembers": [],
        "createdAt": isoformat(org.created_at),
        "updatedAt": isoformat(org.updated_at),
    }


def environment(env: DeploymentEnvironment) -> JSON:
    return {
        "_id": env.id,
        "name": env.name,
        "branches": list(env.branches),
        "status": env.status,
        "protocol": env.protocol,
        "isFree": env.is_free,
        "createdAt": isoformat(env.created_at),
        "updatedAt": isoformat(env.updated_at),
    }


def env_var(state: SpheronState, var: EnvironmentVariable) -> JSON:
    envs = [state.environments[i] for i in var.environment_ids if i in state.environments]
    return {
        "_id": var.id,
        "name": var.name,
        "value": var.value,
        "deploymentEnvironments": [environment(e) for e in envs],
    }


def domain(dom: Domain) -> JSON:
    out: JSON = {
        "_id": dom.id,
        "name": dom.name,
        "link": dom.link,
        "type": dom.type,
        "verified": dom.verified,
        "deploymentEnvironmentIds": list(dom.environment_ids),
        "credentials": [],
        "isLatest": dom.is_latest,
        "createdAt": isoformat(dom.created_at),
        "updatedAt": isoformat(dom.updated_at),
    }
    if dom.project_id is not None:
        out["projectId"] = dom.project_id
    if dom.instance_id is not None:
        out["instanceId"] = dom.instance_id
    return out


def project(state: SpheronState, proj: Project, now: float, *, latest: bool = True) -> JSON:
    out: JSON = {
        "_id": proj.id,
        "name": proj.name,
        "type": proj.type,
        "url": proj.url,
        "environmentVariables": [
            env_var(state, v) for v in state.env_vars.values() if v.project_id == proj.id
        ],
        "deploymentEnvironments": [environment(e) for e in state.project_environments(proj.id)],
        "organization": proj.organization_id,
        "state": proj.state,
        "hookId": proj.hook_id,
        "provider": proj.provider,
        "prCommentIds": [],
        "configuration": dict(proj.configuration),
        "passwordProtection": {"enabled": False, "credentials": []},
        "domains": [domain(d) for d in state.domains.values() if d.project_id == proj.id],
        "createdBy": proj.created_by,
        "createdAt": isoformat(proj.created_at),
        "updatedAt": isoformat(proj.updated_at),
    }
    # Only when asked: a deployment list renders each item's project with latest=False, and
    # sorting the project's deployments for every item made listing quadratic.
    deployments = state.project_deployments(proj.id) if latest else []
    if deployments:
        out["latestDeployment"] = deployment(state, deployments[0], now, populate=False)
    return out


_LOG_LINES = {
    "AuthorizationNeeded": ["Deployment is waiting for authorization"],
    "Queued": ["Deployment queued"],
    "Killing": ["Killing the build"],
    "Canceled": ["Deployment canceled"],
}


def deployment_logs(state: SpheronState, dep: Deployment, now: float) -> list[JSON]:
    proj = state.projects.get(dep.project_id)
    logs: list[JSON] = []
    for moment, status in dep.transitions(now):
        if status == "Pending":
            lines = [
                f"Cloning {proj.url if proj else dep.project_id} at branch {dep.branch}",
                f"$ {dep.configuration.get('installCommand', 'npm install')}",
                f"$ {dep.configuration.get('buildCommand', 'npm run build')}",
            ]
        elif status == "Deployed":
            lines = [
                f"Uploading {dep.configuration.get('publishDir', 'build')} to {dep.protocol}",
                f"Deployed to {site_preview(dep)}",
            ]
        elif status == "Failed":
            lines = [f"Build failed: {dep.failed_message}"]
        else:
            lines = _LOG_LINES.get(status, [status])
        logs.extend({"time": isoformat(moment), "log": line} for line in lines)
    return logs


def site_preview(dep: Deployment) -> str:
    return link_for(dep.protocol, fake_cid(dep.id.encode()))


def deployment(state: SpheronState, dep: Deployment, now: float, *, populate: bool = True) -> JSON:
    status = dep.status(now)
    transitions = dep.transitions(now)
    finished = dep.finished_at()
    built = finished is not None and finished <= now
    deployed = status == "Deployed"
    proj = state.projects.get(dep.project_id)
    out: JSON = {
        "_id": dep.id,
        "sitePreview": site_preview(dep) if deployed else "",
        "commitId": dep.commit_id,
        "commitMessage": dep.commit_message,
        "logs": deployment_logs(state, dep, now),
        "buildDirectory": [dep.configuration.get("publishDir", "build")] if deployed else [],
        "contentHash": fake_cid(dep.id.encode()) if deployed else "",
        "topic": dep.topic,
        "status": status,
        "buildTime": dep.build_seconds if built else 0,
        "memoryUsed": 1_048_576 if deployed else 0,
        "env": dict(dep.env),
        "project": project(state, proj, now, latest=False) if populate and proj else dep.project_id,
        "branch": dep.branch,
        "externalRepositoryName": proj.name if proj else "",
        "protocol": dep.protocol,
        "deploymentEnvironmentName": dep.environment_name,
        "isFromRequest": False,
        "configuration": dict(dep.configuration),
        "encrypted": False,
        "deploymentInitiator": dep.initiator,
        "createdAt": isoformat(dep.created_at),
        "updatedAt": isoformat(transitions[-1][0] if transitions else dep.created_at),
    }
    picked = [moment for moment, s in transitions if s == "Pending"]
    if picked:
        out["pickedUpByDeployerAt"] = int(picked[0] * 1000)
    if status == "Failed":
        out["failedMessage"] = dep.failed_message
    return out


def live_logs(state: SpheronState, dep: Deployment, now: float) -> list[str]:
    return [entry["log"] for entry in deployment_logs(state, dep, now)]


def bucket(b: Bucket) -> JSON:
    return {
        "_id": b.id,
        "name": b.name,
        "organization": b.organization_id,
        "createdBy": b.created_by,
        "state": b.state,
    }


def bucket_domain(d: BucketDomain) -> JSON:
    return {
        "_id": d.id,
        "name": d.name,
        "link": d.link,
        "verified": d.verified,
        "bucketId": d.bucket_id,
        "type": d.type,
    }


def upload(u: Upload) -> JSON:
    files = u.contents()
    return {
        "_id": u.id,
        "protocolLink": link_for(u.protocol, u.cid) if u.cid else "",
        "uploadDirectory": [
            {"fileName": name, "fileSize": len(data)} for name, data in files.items()
        ],
        "status": u.status,
        "memoryUsed": u.size,
        "bucket": u.bucket_id,
        "uploadInitiator": u.initiator,
        "protocol": u.protocol,
    }


def ipns_record(state: SpheronState, record: BucketIpnsRecord) -> JSON:
    target = state.uploads.get(record.upload_id)
    return {
        "_id": record.id,
        "keyName": record.key_name,
        "keyId": record.key_id,
        "ipnsLink": f"https://{record.key_id}.ipns.sphn.link",
        "bucket": record.bucket_id,
        "targetCid": target.cid if target else "",
        "memoryUsed": target.size if target else 0,
        "createdAt": isoformat(record.created_at),
        "updatedAt": isoformat(record.updated_at),
    }


def compute_project(cp: ComputeProject) -> JSON:
    return {
        "_id": cp.id,
        "name": cp.name,
        "description": cp.description,
        "state": cp.state,
        "organization": cp.organization_id,
        "createdAt": isoformat(cp.created_at),
        "updatedAt": isoformat(cp.updated_at),
    }


def funds_usage(instances: list[ComputeInstance], now: float) -> JSON:
    daily = 0.0
    used = 0.0
    for inst in instances:
        state = inst.state(now)
        if state in ("Active", "Starting"):
            daily += inst.daily_cost
        end = now if inst.closed_at is None else min(now, inst.closed_at)
        used += inst.daily_cost * max(0.0, end - inst.created_at) / 86_400
    return {"dailyUsage": round(daily, 6), "usedTillNow": round(used, 6)}


def instance(inst: ComputeInstance, now: float) -> JSON:
    return {
        "_id": inst.id,
        "state": inst.state(now),
        "name": inst.name,
        "deployments": list(inst.deployments),
        "computeProject": inst.compute_project_id,
        "activeDeployment": inst.deployments[-1] if inst.deployments else "",
        "retrievableAkt": 0,
        "withdrawnAkt": 0,
        "type": inst.type,
        "region": inst.region,
        "createdAt": isoformat(inst.created_at),
        "updatedAt": isoformat(inst.updated_at),
    }


def extended_instance(inst: ComputeInstance, now: float, *, report: bool) -> JSON:
    out = instance(inst, now)
    out["defaultDailyTopup"] = inst.daily_cost
    out["leasePricePerBlock"] = round(inst.daily_cost / 14_400, 9)
    if report:
        out["topupReport"] = funds_usage([inst], now)
    return out


def compute_deployment(state: SpheronState, dep: ComputeDeployment, now: float) -> JSON:
    inst = state.instances.get(dep.instance_id)
    inst_state = inst.state(now) if inst else "Closed"
    current = inst is not None and inst.deployments and inst.deployments[-1] == dep.id
    if not current:
        status = "Closed"
    else:
        status = {"Starting": "Pending", "Active": "Deployed", "Failed-start": "Failed"}.get(
            inst_state, "Closed"
        )
    return {
        "_id": dep.id,
        "type": "DEPLOY",
        "status": status,
        "buildTime": 0,
        "topic": dep.topic,
        "env": {},
        "logs": [{"time": isoformat(dep.created_at), "log": instance_log_lines(dep)}],
        "topups": [],
        "closingLogs": [],
        "instanceLogs": instance_log_lines(dep),
        "instanceEvents": [f"Scheduled service {s.get('name', '')}" for s in dep.services],
        "computeInstance": dep.instance_id,
        "services": [dict(s) for s in dep.services],
        "protocolData": {},
        "deploymentInitiator": dep.initiator,
    }


def instance_log_lines(dep: ComputeDeployment) -> list[str]:
    lines: list[str] = []
    for service in dep.services:
        name = service.get("name", "service")
        lines.append(f"[{name}] pulling {service.get('image', '')}:{service.get('tag', '')}")
        lines.append(f"[{name}] container started")
    return lines
