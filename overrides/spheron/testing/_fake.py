"""``FakeSpheron``: the object tests hold."""

from __future__ import annotations

import ipaddress
import secrets
import ssl
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Literal, TypeVar

import httpx
from starlette.routing import Route
from starlette.types import ASGIApp

from .._exceptions import InvalidArgumentError
from ._app import build_app
from ._clock import Clock
from ._errors import UnknownIdError
from ._faults import ConnectionRegistry, Faults
from ._log import RecordedRequest, RequestLog
from ._server import LiveServer, TLSMaterial
from ._state import (
    DEFAULT_BUCKET_ID,
    DEFAULT_ORGANIZATION_ID,
    DEFAULT_TOKEN,
    DEFAULT_USER_ID,
    Bucket,
    ComputeProject,
    Deployment,
    Project,
    SpheronState,
    Token,
    Upload,
    fake_cid,
    fake_hex,
    seed,
)
from ._transports import InProcessASGITransport, SyncASGITransport

V = TypeVar("V")
_Record = Bucket | ComputeProject | Project


def _known(records: Mapping[str, V], record_id: str, kind: str) -> V:
    """``records[record_id]``, or :class:`UnknownIdError` naming the kind of record."""
    try:
        return records[record_id]
    except KeyError:
        raise UnknownIdError(f"the fake holds no {kind} {record_id!r}") from None


class NonLoopbackWarning(UserWarning):
    """The fake server was bound to an address other machines can reach."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` only reaches this machine (``localhost``, 127.0.0.0/8, ``::1``)."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class FakeSpheron:
    """A stateful, in-memory Spheron API.

    ``seed=True`` (the default) installs ``DEFAULT_TOKEN`` scoped to ``DEFAULT_ORGANIZATION_ID``
    with a project, a bucket and a compute project. ``clock`` defaults to a frozen
    :class:`Clock`; move it with :meth:`advance`.
    """

    def __init__(self, *, clock: Clock | None = None, seed_defaults: bool = True) -> None:
        """A fake keeping time with ``clock`` (default: a frozen :class:`Clock`);
        ``seed_defaults=False`` starts it empty (no token, organization or resources)."""
        self.clock = clock or Clock()
        self.state = SpheronState(self.clock)
        self.faults = Faults()
        self.requests = RequestLog()
        self._connections = ConnectionRegistry()
        self._tls: TLSMaterial | None = None
        self._servers: list[LiveServer] = []
        self.app: ASGIApp
        self.routes: list[Route]
        self.app, self.routes = build_app(self.state, self.faults, self.requests, self._connections)
        if seed_defaults:
            seed(self.state)

    # -- transports and servers ---------------------------------------------------------------

    def transport(self) -> httpx.BaseTransport:
        """A sync in-process transport: ``httpx.Client(transport=fake.transport(), ...)``."""
        return SyncASGITransport(self.app)

    def async_transport(self) -> httpx.ASGITransport:
        """An async in-process transport (an ``httpx.ASGITransport`` that honours timeouts)."""
        return InProcessASGITransport(self.app)

    def client(self, token: str | None = None, **kwargs: Any) -> httpx.Client:
        """A sync ``httpx.Client`` on the in-process transport, authorized with ``token`` (default
        ``DEFAULT_TOKEN``); ``**kwargs`` go to ``httpx.Client`` (``headers`` are merged)."""
        headers = {"Authorization": f"Bearer {token or DEFAULT_TOKEN}", **kwargs.pop("headers", {})}
        return httpx.Client(
            transport=self.transport(), base_url="http://spheron.test", headers=headers, **kwargs
        )

    @contextmanager
    def serve(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        http2: bool = False,
        tls: bool | None = None,
    ) -> Iterator[str]:
        """Run the fake on ``host``:``port`` (default 127.0.0.1, a free port) in a background
        thread; yields the base URL.

        HTTP/1.1 is served by uvicorn (plain, or TLS with ``tls=True``); ``http2=True`` serves
        HTTP/2 (and HTTP/1.1 by ALPN) over TLS with hypercorn. For TLS, trust :attr:`ca_path` or
        pass :meth:`ssl_context` to ``httpx.Client(verify=...)``. A ``host`` other machines can
        reach emits :class:`NonLoopbackWarning`.
        """
        if not is_loopback(host):
            warnings.warn(
                f"the fake Spheron API is being served on {host}, reachable from other machines, "
                "and accepts the fixed public token spheron.testing.DEFAULT_TOKEN",
                NonLoopbackWarning,
                stacklevel=3,
            )
        use_tls = http2 if tls is None else tls
        if http2 and not use_tls:
            raise InvalidArgumentError("HTTP/2 is only served over TLS")
        server = LiveServer(
            self.app,
            self._connections,
            host=host,
            port=port,
            http2=http2,
            tls=self._tls_material() if use_tls else None,
        )
        server.start()
        self._servers.append(server)
        try:
            yield server.url
        finally:
            self._servers.remove(server)
            server.stop()

    @property
    def url(self) -> str | None:
        """Base URL of the most recently started live server, if one is running."""
        return self._servers[-1].url if self._servers else None

    def _tls_material(self) -> TLSMaterial:
        if self._tls is None:
            self._tls = TLSMaterial()
        return self._tls

    @property
    def ca_path(self) -> str:
        """Path of the PEM file of the throwaway CA that signs the TLS server certificate."""
        return self._tls_material().ca_path

    @property
    def ca_pem(self) -> bytes:
        return self._tls_material().ca_pem

    def ssl_context(self) -> ssl.SSLContext:
        """An SSL context trusting the throwaway CA (for ``httpx.Client(verify=...)``)."""
        return self._tls_material().client_context()

    def close(self) -> None:
        """Stop live servers and remove TLS files."""
        for server in list(self._servers):
            server.stop()
        self._servers.clear()
        if self._tls is not None:
            self._tls.cleanup()
            self._tls = None

    def __enter__(self) -> FakeSpheron:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- time ---------------------------------------------------------------------------------

    def advance(self, seconds: float) -> float:
        """Move the fake clock forward by ``seconds`` (deployments and instances progress); returns
        the new time."""
        return self.clock.advance(seconds)

    # -- seeding helpers ----------------------------------------------------------------------

    def add_token(
        self,
        orgs: Sequence[str] | None = None,
        *,
        expired: bool = False,
        expires_in: float | None = None,
        token: str | None = None,
        user_id: str = DEFAULT_USER_ID,
    ) -> str:
        """Register a token scoped to ``orgs`` (default: the default organization); returns it.

        ``token`` sets its value (default: a random one), ``user_id`` its user; ``expired=True``
        makes it expired already, ``expires_in`` expire that many fake seconds from now.
        """
        value = token or f"spheron-test-{secrets.token_hex(12)}"
        now = self.clock.now()
        expires_at = now - 1 if expired else (now + expires_in if expires_in is not None else None)
        with self.state.lock:
            self.state.tokens[value] = Token(
                value=value,
                user_id=user_id,
                organizations=list(orgs) if orgs is not None else [DEFAULT_ORGANIZATION_ID],
                expires_at=expires_at,
            )
        return value

    def revoke_token(self, token: str) -> None:
        """Forget ``token``: requests with it are answered 403 from now on."""
        with self.state.lock:
            self.state.tokens.pop(token, None)

    def add_organization(
        self,
        name: str = "Other Organization",
        *,
        username: str | None = None,
        app_type: str = "app",
    ) -> str:
        """Create an organization named ``name`` (``username`` defaults to one made from its id,
        ``app_type`` to ``"app"``) and return its id; no token is scoped to it until you add
        one."""
        with self.state.lock:
            org_id = self.state.new_id()
            self.state.create_organization(
                name, username or f"org-{org_id[-6:]}", app_type, DEFAULT_USER_ID, org_id=org_id
            )
        return org_id

    def add_project(
        self, organization_id: str = DEFAULT_ORGANIZATION_ID, name: str = "site"
    ) -> str:
        """Create a site project ``name`` in ``organization_id`` (with a ``Production``
        environment) and return its id."""
        return self._create_in(organization_id, name, self.state.create_project)

    def add_bucket(
        self, organization_id: str = DEFAULT_ORGANIZATION_ID, name: str = "bucket"
    ) -> str:
        """Create a storage bucket ``name`` in ``organization_id`` and return its id."""
        return self._create_in(organization_id, name, self.state.create_bucket)

    def add_compute_project(
        self, organization_id: str = DEFAULT_ORGANIZATION_ID, name: str = "compute"
    ) -> str:
        """Create a compute project ``name`` in ``organization_id`` and return its id."""
        return self._create_in(organization_id, name, self.state.create_compute_project)

    def _create_in(
        self, organization_id: str, name: str, create: Callable[[str, str], _Record]
    ) -> str:
        """``create(organization_id, name)`` if the organization exists; the new record's id."""
        with self.state.lock:
            _known(self.state.organizations, organization_id, "organization")
            return create(organization_id, name).id

    def add_deployment(
        self,
        project_id: str,
        *,
        status: Literal["Deployed", "Failed"] = "Deployed",
        branch: str = "main",
    ) -> str:
        """Record an already finished deployment of ``project_id`` from ``branch`` that ended with
        ``status``; returns its id (handy to fill lists for pagination)."""
        with self.state.lock:
            now = self.clock.now()
            project = _known(self.state.projects, project_id, "project")
            dep_id = self.state.new_id()
            self.state.deployments[dep_id] = Deployment(
                id=dep_id,
                project_id=project_id,
                branch=branch,
                protocol="ipfs",
                environment_name="Production",
                configuration=dict(project.configuration),
                env={},
                commit_id=fake_hex(dep_id),
                commit_message="Seeded deployment",
                topic=fake_hex(f"topic:{dep_id}", 32),
                initiator=DEFAULT_USER_ID,
                created_at=now,
                started_at=now - 2,
                queue_seconds=1,
                build_seconds=1,
                outcome=status,
                failed_message="Seeded failure" if status == "Failed" else "",
            )
        return dep_id

    def add_upload(
        self, bucket_id: str = DEFAULT_BUCKET_ID, files: dict[str, bytes] | None = None
    ) -> str:
        """Record a finished upload into ``bucket_id`` with ``files`` (path -> content; default one
        ``index.html``) and return its id."""
        with self.state.lock:
            _known(self.state.buckets, bucket_id, "bucket")
            contents = dict(files or {"index.html": b"<h1>hello</h1>"})
            upload = Upload(
                id=self.state.new_id(),
                bucket_id=bucket_id,
                protocol="ipfs",
                initiator=DEFAULT_USER_ID,
                created_at=self.clock.now(),
                status="Uploaded",
                files=contents,
            )
            upload.cid = fake_cid(
                b"".join(p.encode() + b"\0" + d for p, d in sorted(contents.items()))
            )
            self.state.uploads[upload.id] = upload
        return upload.id

    # -- scripting outcomes -------------------------------------------------------------------

    def queue_deployment_outcome(
        self,
        outcome: Literal["Deployed", "Failed", "AuthorizationNeeded"],
        message: str = "",
    ) -> None:
        """The next started deployment ends with ``outcome`` (and, when it fails, ``message`` as
        its failure); FIFO, default ``Deployed``."""
        with self.state.lock:
            self.state.deployment_outcomes.append((outcome, message))

    def queue_instance_outcome(self, outcome: Literal["Active", "Failed-start"]) -> None:
        """The next created compute instance ends up in the state ``outcome`` (FIFO; default
        ``Active``)."""
        with self.state.lock:
            self.state.instance_outcomes.append(outcome)

    # -- inspection ---------------------------------------------------------------------------

    def count(
        self, method: str | None = None, path: str | None = None, *, route: str | None = None
    ) -> int:
        """How many requests arrived (faulted ones included), by ``method``, exact ``path`` or
        ``route`` template."""
        return self.requests.count(method, path, route=route)

    def calls(
        self, method: str | None = None, path: str | None = None, *, route: str | None = None
    ) -> list[RecordedRequest]:
        """The recorded requests, by ``method``, exact ``path`` or ``route`` template
        (``/v1/upload/{uploadId}``)."""
        return self.requests.filter(method, path, route=route)

    def upload_files(self, upload_id: str) -> dict[str, bytes]:
        """The files of the upload ``upload_id``, big files reassembled from their chunks."""
        with self.state.lock:
            return _known(self.state.uploads, upload_id, "upload").contents()

    def deployment_status(self, deployment_id: str) -> str:
        """The status deployment ``deployment_id`` has now on the fake clock."""
        with self.state.lock:
            deployment = _known(self.state.deployments, deployment_id, "deployment")
            return deployment.status(self.clock.now())
