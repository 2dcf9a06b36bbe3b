"""In-memory records of the fake Spheron API and the seeded defaults."""

from __future__ import annotations

import base64
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ._clock import Clock

JSON = dict[str, Any]

DEFAULT_TOKEN = "spheron-local-test-token"
DEFAULT_USER_ID = "65a000000000000000000001"
DEFAULT_ORGANIZATION_ID = "65a000000000000000000002"
DEFAULT_PROJECT_ID = "65a000000000000000000003"
DEFAULT_BUCKET_ID = "65a000000000000000000004"
DEFAULT_COMPUTE_PROJECT_ID = "65a000000000000000000005"
DEFAULT_ENVIRONMENT_ID = "65a000000000000000000006"

DEFAULT_LIMIT = 10
"""Page size used when a list call omits ``limit`` (``limit=0`` means no limit)."""

FINAL_DEPLOYMENT_STATUSES = frozenset({"Deployed", "Failed", "Canceled", "TimedOut"})


def fake_cid(data: bytes) -> str:
    """A CIDv1-looking (base32, ``bafybei...``) content id derived from ``data``."""
    digest = base64.b32encode(hashlib.sha256(data).digest()).decode().lower().rstrip("=")
    return "bafybei" + digest[:52]


def fake_hex(seed: str, length: int = 40) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:length]


# -- records ---------------------------------------------------------------------------------


@dataclass
class User:
    id: str
    username: str
    name: str
    email: str


@dataclass
class Token:
    """An API token. ``upload_id`` marks a single-use upload token (data/finish of one upload)."""

    value: str
    user_id: str
    organizations: list[str]
    expires_at: float | None = None
    upload_id: str | None = None

    def expired(self, now: float) -> bool:
        return self.expires_at is not None and now >= self.expires_at


@dataclass
class Organization:
    id: str
    name: str
    username: str
    app_type: str
    users: list[str]
    created_at: float
    updated_at: float
    image: str = ""


@dataclass
class DeploymentEnvironment:
    id: str
    project_id: str
    name: str
    branches: list[str]
    protocol: str
    created_at: float
    updated_at: float
    status: str = "ACTIVE"
    is_free: bool = True


@dataclass
class EnvironmentVariable:
    id: str
    project_id: str
    name: str
    value: str
    environment_ids: list[str]


@dataclass
class Domain:
    """A domain of a site project (``project_id``) or of a compute instance (``instance_id``)."""

    id: str
    name: str
    link: str
    type: str
    created_at: float
    updated_at: float
    project_id: str | None = None
    instance_id: str | None = None
    environment_ids: list[str] = field(default_factory=list)
    verified: bool = False
    is_latest: bool = False


@dataclass
class Project:
    id: str
    organization_id: str
    name: str
    url: str
    provider: str
    configuration: JSON
    created_by: str
    created_at: float
    updated_at: float
    type: str = "STANDARD"
    state: str = "MAINTAINED"
    hook_id: str = ""


@dataclass
class Deployment:
    """A site deployment. Its status is derived from the clock (see :meth:`status`)."""

    id: str
    project_id: str
    branch: str
    protocol: str
    environment_name: str
    configuration: JSON
    env: dict[str, str]
    commit_id: str
    commit_message: str
    topic: str
    initiator: str
    created_at: float
    started_at: float
    queue_seconds: float
    build_seconds: float
    outcome: str = "Deployed"
    failed_message: str = ""
    needs_authorization: bool = False
    authorized_at: float | None = None
    canceled_at: float | None = None
    killed: bool = False
    kill_seconds: float = 2.0

    def status(self, now: float) -> str:
        if self.canceled_at is not None:
            if self.killed and now < self.canceled_at + self.kill_seconds:
                return "Killing"
            return "Canceled"
        if self.needs_authorization:
            return "AuthorizationNeeded"
        elapsed = now - self.started_at
        if elapsed < self.queue_seconds:
            return "Queued"
        if elapsed < self.queue_seconds + self.build_seconds:
            return "Pending"
        return self.outcome

    def transitions(self, now: float) -> list[tuple[float, str]]:
        """``(time, status)`` pairs reached so far, oldest first (used for build logs)."""
        reached: list[tuple[float, str]] = []
        if self.needs_authorization or self.authorized_at is not None:
            reached.append((self.created_at, "AuthorizationNeeded"))
        if not self.needs_authorization:
            end = now if self.canceled_at is None else min(now, self.canceled_at)
            building = self.started_at + self.queue_seconds
            finished = building + self.build_seconds
            reached.append((self.started_at, "Queued"))
            if end >= building:
                reached.append((building, "Pending"))
            if end >= finished:
                reached.append((finished, self.outcome))
        if self.canceled_at is not None and now >= self.canceled_at:
            reached.append((self.canceled_at, "Killing" if self.killed else "Canceled"))
            if self.killed and now >= self.canceled_at + self.kill_seconds:
                reached.append((self.canceled_at + self.kill_seconds, "Canceled"))
        return reached

    def finished_at(self) -> float | None:
        """When the build reached its outcome (None while running or when never built)."""
        if self.needs_authorization:
            return None
        done = self.started_at + self.queue_seconds + self.build_seconds
        if self.canceled_at is not None and self.canceled_at < done:
            return None
        return done


@dataclass
class Bucket:
    id: str
    organization_id: str
    name: str
    created_by: str
    created_at: float
    state: str = "MAINTAINED"


@dataclass
class BucketDomain:
    id: str
    bucket_id: str
    name: str
    link: str
    type: str
    verified: bool = False


@dataclass
class BucketIpnsRecord:
    id: str
    bucket_id: str
    upload_id: str
    key_name: str
    key_id: str
    created_at: float
    updated_at: float


@dataclass
class Upload:
    """A chunked upload. Whole files and slices of big files are kept apart until finish."""

    id: str
    bucket_id: str
    protocol: str
    initiator: str
    created_at: float
    max_size: int | None = None
    status: str = "InProgress"
    files: dict[str, bytes] = field(default_factory=dict)
    chunks: dict[str, dict[int, bytes]] = field(default_factory=dict)
    chunk_totals: dict[str, int] = field(default_factory=dict)
    cid: str = ""
    finished_at: float | None = None

    @property
    def size(self) -> int:
        """Bytes received so far (a re-sent part counts once)."""
        whole = sum(len(data) for data in self.files.values())
        return whole + sum(len(p) for parts in self.chunks.values() for p in parts.values())

    def missing_chunks(self) -> dict[str, list[int]]:
        missing: dict[str, list[int]] = {}
        for path, total in self.chunk_totals.items():
            gaps = [i for i in range(total) if i not in self.chunks.get(path, {})]
            if gaps:
                missing[path] = gaps
        return missing

    def contents(self) -> dict[str, bytes]:
        """Every file of the upload, big files reassembled from their chunks."""
        out = dict(self.files)
        for path, total in self.chunk_totals.items():
            parts = self.chunks.get(path, {})
            if len(parts) == total:
                out[path] = b"".join(parts[i] for i in range(total))
        return dict(sorted(out.items()))


@dataclass
class ComputeProject:
    id: str
    organization_id: str
    name: str
    description: str
    created_at: float
    updated_at: float
    state: str = "MAINTAINED"


@dataclass
class ComputeDeployment:
    id: str
    instance_id: str
    services: list[JSON]
    topic: str
    initiator: str
    created_at: float


@dataclass
class ComputeInstance:
    """A compute instance. ``Starting`` until ``created_at + start_seconds``, then the outcome."""

    id: str
    compute_project_id: str
    name: str
    region: str
    type: str
    created_at: float
    updated_at: float
    start_seconds: float
    deployments: list[str] = field(default_factory=list)
    outcome: str = "Active"
    closed_at: float | None = None
    health_check: JSON | None = None
    daily_cost: float = 1.5

    def state(self, now: float) -> str:
        if self.closed_at is not None and now >= self.closed_at:
            return "Closed"
        if now < self.created_at + self.start_seconds:
            return "Starting"
        return self.outcome


# -- the store -------------------------------------------------------------------------------


class SpheronState:
    """Everything the fake server knows, guarded by :attr:`lock`.

    Collections are plain dicts keyed by id; tests may read them directly (take ``lock`` when a
    live server is running concurrently) or use the helpers of ``FakeSpheron``.
    """

    def __init__(self, clock: Clock) -> None:
        """Empty records and the default behaviour knobs, on ``clock``."""
        self.lock = threading.RLock()
        self.clock = clock
        self._counter = 0x100
        # Behaviour knobs.
        self.default_limit = DEFAULT_LIMIT
        self.deploy_queue_seconds = 5.0
        self.deploy_build_seconds = 30.0
        self.instance_start_seconds = 10.0
        self.upload_payload_size = 5 * 1024 * 1024
        self.upload_parallel_count = 5
        self.unverifiable_domains: set[str] = set()
        self.framework_suggestions: dict[str, str] = {}
        self.deployment_outcomes: list[tuple[str, str]] = []
        self.instance_outcomes: list[str] = []
        self.exec_handler: Callable[[str, str], list[str]] | None = None
        # Records.
        self.users: dict[str, User] = {}
        self.tokens: dict[str, Token] = {}
        self.organizations: dict[str, Organization] = {}
        self.projects: dict[str, Project] = {}
        self.environments: dict[str, DeploymentEnvironment] = {}
        self.env_vars: dict[str, EnvironmentVariable] = {}
        self.domains: dict[str, Domain] = {}
        self.deployments: dict[str, Deployment] = {}
        self.buckets: dict[str, Bucket] = {}
        self.bucket_domains: dict[str, BucketDomain] = {}
        self.ipns_records: dict[str, BucketIpnsRecord] = {}
        self.uploads: dict[str, Upload] = {}
        self.compute_projects: dict[str, ComputeProject] = {}
        self.instances: dict[str, ComputeInstance] = {}
        self.compute_deployments: dict[str, ComputeDeployment] = {}

    def new_id(self) -> str:
        """A fresh 24-hex id (MongoDB ObjectId shape), increasing in creation order."""
        with self.lock:
            self._counter += 1
            return f"65a0{self._counter:020x}"

    def now(self) -> float:
        return self.clock.now()

    # -- creation helpers shared by routes and the facade ------------------------------------

    def create_organization(
        self, name: str, username: str, app_type: str, user_id: str, *, org_id: str | None = None
    ) -> Organization:
        """Store an organization ``name``/``username`` of ``app_type`` with ``user_id`` as its
        member; ``org_id`` fixes its id."""
        now = self.now()
        org = Organization(
            id=org_id or self.new_id(),
            name=name,
            username=username,
            app_type=app_type,
            users=[user_id],
            created_at=now,
            updated_at=now,
        )
        self.organizations[org.id] = org
        return org

    def create_project(
        self,
        organization_id: str,
        name: str,
        *,
        url: str | None = None,
        provider: str = "GITHUB",
        branch: str = "main",
        protocol: str = "ipfs",
        configuration: JSON | None = None,
        created_by: str = DEFAULT_USER_ID,
        project_id: str | None = None,
        environment_id: str | None = None,
    ) -> Project:
        """Store a site project ``name`` in ``organization_id`` with its ``Production`` environment.

        ``url``, ``provider``, ``branch`` and ``protocol`` describe its repository and environment,
        ``configuration`` overrides build settings, ``created_by`` names its creator; ``project_id``
        and ``environment_id`` fix the ids.
        """
        now = self.now()
        config: JSON = {
            "_id": self.new_id(),
            "buildCommand": "npm run build",
            "installCommand": "npm install",
            "workspace": "",
            "publishDir": "build",
            "framework": "static",
            "nodeVersion": "V_16",
        }
        config.update(configuration or {})
        project = Project(
            id=project_id or self.new_id(),
            organization_id=organization_id,
            name=name,
            url=url or f"https://github.com/spheron-test/{name}",
            provider=provider,
            configuration=config,
            created_by=created_by,
            created_at=now,
            updated_at=now,
            hook_id=fake_hex(f"hook:{name}", 8),
        )
        self.projects[project.id] = project
        env = DeploymentEnvironment(
            id=environment_id or self.new_id(),
            project_id=project.id,
            name="Production",
            branches=[branch],
            protocol=protocol,
            created_at=now,
            updated_at=now,
        )
        self.environments[env.id] = env
        return project

    def create_bucket(
        self,
        organization_id: str,
        name: str,
        *,
        created_by: str = DEFAULT_USER_ID,
        bucket_id: str | None = None,
    ) -> Bucket:
        """Store a bucket ``name`` in ``organization_id``, made by ``created_by``; ``bucket_id``
        fixes its id."""
        bucket = Bucket(
            id=bucket_id or self.new_id(),
            organization_id=organization_id,
            name=name,
            created_by=created_by,
            created_at=self.now(),
        )
        self.buckets[bucket.id] = bucket
        return bucket

    def create_compute_project(
        self,
        organization_id: str,
        name: str,
        description: str = "",
        *,
        project_id: str | None = None,
    ) -> ComputeProject:
        """Store a compute project ``name`` in ``organization_id`` with ``description``;
        ``project_id`` fixes its id."""
        now = self.now()
        project = ComputeProject(
            id=project_id or self.new_id(),
            organization_id=organization_id,
            name=name,
            description=description,
            created_at=now,
            updated_at=now,
        )
        self.compute_projects[project.id] = project
        return project

    def next_deployment_outcome(self) -> tuple[str, str]:
        if self.deployment_outcomes:
            return self.deployment_outcomes.pop(0)
        return ("Deployed", "")

    def next_instance_outcome(self) -> str:
        if self.instance_outcomes:
            return self.instance_outcomes.pop(0)
        return "Active"

    # -- queries -----------------------------------------------------------------------------

    def project_environments(self, project_id: str) -> list[DeploymentEnvironment]:
        """The deployment environments of ``project_id``."""
        return [e for e in self.environments.values() if e.project_id == project_id]

    def project_deployments(self, project_id: str) -> list[Deployment]:
        """The deployments of ``project_id``, newest first."""
        found = [d for d in self.deployments.values() if d.project_id == project_id]
        return sorted(found, key=lambda d: (d.created_at, d.id), reverse=True)

    def bucket_uploads(self, bucket_id: str) -> list[Upload]:
        """The uploads of ``bucket_id``, newest first."""
        found = [u for u in self.uploads.values() if u.bucket_id == bucket_id]
        return sorted(found, key=lambda u: (u.created_at, u.id), reverse=True)

    def project_instances(self, compute_project_id: str) -> list[ComputeInstance]:
        """The instances of the compute project ``compute_project_id``."""
        return [i for i in self.instances.values() if i.compute_project_id == compute_project_id]


def seed(state: SpheronState) -> None:
    """Install the documented defaults: user, token, organization, project, bucket, compute."""
    with state.lock:
        state.users[DEFAULT_USER_ID] = User(
            id=DEFAULT_USER_ID,
            username="spheron-test",
            name="Spheron Test User",
            email="test-user@example.com",
        )
        state.tokens[DEFAULT_TOKEN] = Token(
            value=DEFAULT_TOKEN, user_id=DEFAULT_USER_ID, organizations=[DEFAULT_ORGANIZATION_ID]
        )
        state.create_organization(
            "Test Organization",
            "test-org",
            "app",
            DEFAULT_USER_ID,
            org_id=DEFAULT_ORGANIZATION_ID,
        )
        state.create_project(
            DEFAULT_ORGANIZATION_ID,
            "test-site",
            project_id=DEFAULT_PROJECT_ID,
            environment_id=DEFAULT_ENVIRONMENT_ID,
        )
        state.create_bucket(DEFAULT_ORGANIZATION_ID, "test-bucket", bucket_id=DEFAULT_BUCKET_ID)
        state.create_compute_project(
            DEFAULT_ORGANIZATION_ID,
            "test-compute",
            "Seeded compute project",
            project_id=DEFAULT_COMPUTE_PROJECT_ID,
        )
