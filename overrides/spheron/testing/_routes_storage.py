"""Buckets, their domains and IPNS records, and the chunked upload protocol.

Upload protocol: ``POST /v1/upload/initiate`` opens an upload (creating the bucket by name);
``POST /v1/upload/{id}/data`` takes multipart parts named ``files`` (whole files, filename =
relative path) or ``chunk-{index}-{total}`` (0-based slices of one big file, filename = its
path) and answers the bytes received so far; ``POST /v1/upload/{id}/finish?action=UPLOAD``
commits (all chunks must have arrived) and ``action=CANCEL`` aborts. Re-sent parts replace
earlier copies, so retries are safe. ``GET /v1/upload/initiate`` (no body) opens an upload too,
and ``POST /v1/upload`` is the single-shot upload: every multipart part is a whole file
(``filekey``, ``files``, any name), committed at once with the answer of ``finish``.
"""

from __future__ import annotations

import base64
import json
import re

from . import _auth as auth
from . import _render as render
from ._domains import DOMAIN_TYPES, claim_name, named_in_path, patch_name_and_link, verify
from ._http import (
    ApiError,
    Ctx,
    Routes,
    bad_request,
    conflict,
    not_found,
    opt_str,
    paginate,
    req_enum,
    req_str,
)
from ._routes_projects import PROTOCOLS
from ._state import (
    JSON,
    Bucket,
    BucketDomain,
    BucketIpnsRecord,
    Organization,
    Token,
    Upload,
    fake_cid,
    fake_hex,
)

routes = Routes()

_CHUNK = re.compile(r"chunk-(\d+)-(\d+)")
_PUBLISHED = ("Uploaded", "Pinned", "Unpinned")


# -- buckets ---------------------------------------------------------------------------------


routes.get_one("/v1/bucket/{bucketId}", auth.bucket, render.bucket)


@routes.patch("/v1/bucket/{bucketId}/state")
def update_bucket_state(ctx: Ctx) -> JSON:
    bucket = auth.bucket(ctx, ctx.path("bucketId"))
    bucket.state = req_enum(ctx.json(), "state", ("MAINTAINED", "ARCHIVED"))
    return render.bucket(bucket)


@routes.get("/v1/bucket/{bucketId}/uploads")
def list_uploads(ctx: Ctx) -> list[JSON]:
    bucket = auth.bucket(ctx, ctx.path("bucketId"))
    skip, limit = ctx.page()
    return [render.upload(u) for u in paginate(ctx.state.bucket_uploads(bucket.id), skip, limit)]


@routes.get("/v1/bucket/{bucketId}/uploads/count")
def count_uploads(ctx: Ctx) -> JSON:
    bucket = auth.bucket(ctx, ctx.path("bucketId"))
    return {"count": len(ctx.state.bucket_uploads(bucket.id))}


# -- bucket domains --------------------------------------------------------------------------


def _domains(ctx: Ctx, bucket: Bucket) -> list[BucketDomain]:
    return [d for d in ctx.state.bucket_domains.values() if d.bucket_id == bucket.id]


def _bucket_domain(ctx: Ctx, bucket: Bucket) -> BucketDomain:
    return named_in_path(ctx, _domains(ctx, bucket))


@routes.get("/v1/bucket/{bucketId}/domains")
def list_bucket_domains(ctx: Ctx) -> JSON:
    bucket = auth.bucket(ctx, ctx.path("bucketId"))
    return {"domains": [render.bucket_domain(d) for d in _domains(ctx, bucket)]}


@routes.post("/v1/bucket/{bucketId}/domains")
def add_bucket_domain(ctx: Ctx) -> JSON:
    bucket = auth.bucket(ctx, ctx.path("bucketId"))
    body = ctx.json()
    name = req_str(body, "name")
    kind = req_enum(body, "type", DOMAIN_TYPES)
    claim_name(ctx, name)
    dom = BucketDomain(ctx.state.new_id(), bucket.id, name, opt_str(body, "link") or "", kind)
    ctx.state.bucket_domains[dom.id] = dom
    return {"domain": render.bucket_domain(dom)}


@routes.get("/v1/bucket/{bucketId}/domains/{domainId}")
def get_bucket_domain(ctx: Ctx) -> JSON:
    bucket = auth.bucket(ctx, ctx.path("bucketId"))
    return {"domain": render.bucket_domain(_bucket_domain(ctx, bucket))}


@routes.patch("/v1/bucket/{bucketId}/domains/{domainId}")
def update_bucket_domain(ctx: Ctx) -> JSON:
    bucket = auth.bucket(ctx, ctx.path("bucketId"))
    dom = _bucket_domain(ctx, bucket)
    body = ctx.optional_json()  # a partial update keeps the fields it leaves out
    patch_name_and_link(ctx, dom, body)
    return {"domain": render.bucket_domain(dom)}


@routes.delete("/v1/bucket/{bucketId}/domains/{domainId}")
def delete_bucket_domain(ctx: Ctx) -> JSON:
    bucket = auth.bucket(ctx, ctx.path("bucketId"))
    del ctx.state.bucket_domains[_bucket_domain(ctx, bucket).id]
    return {}


@routes.patch("/v1/bucket/{bucketId}/domains/{domainId}/verify")
def verify_bucket_domain(ctx: Ctx) -> JSON:
    bucket = auth.bucket(ctx, ctx.path("bucketId"))
    dom = _bucket_domain(ctx, bucket)
    ctx.optional_json()
    return {"success": verify(ctx, dom), "domain": render.bucket_domain(dom)}


# -- bucket IPNS records ---------------------------------------------------------------------


def _published_upload(ctx: Ctx, bucket: Bucket) -> Upload:
    upload_id = req_str(ctx.json(), "uploadId")
    upload = ctx.state.uploads.get(upload_id)
    if upload is None or upload.bucket_id != bucket.id:
        raise bad_request(f"Upload {upload_id} does not belong to this bucket")
    if upload.status not in _PUBLISHED:
        raise bad_request(f"Upload {upload_id} has no content yet (status {upload.status})")
    return upload


def _ipns_record(ctx: Ctx, bucket: Bucket) -> BucketIpnsRecord:
    ref = ctx.path("ipnsRecordId")
    record = ctx.state.ipns_records.get(ref)
    if record is None or record.bucket_id != bucket.id:
        raise not_found("IPNS record", ref)
    return record


@routes.get("/v1/bucket/{bucketId}/ipns-records")
def list_ipns_records(ctx: Ctx) -> JSON:
    bucket = auth.bucket(ctx, ctx.path("bucketId"))
    found = [r for r in ctx.state.ipns_records.values() if r.bucket_id == bucket.id]
    return {"ipnsRecords": [render.ipns_record(ctx.state, r) for r in found]}


@routes.post("/v1/bucket/{bucketId}/ipns-records")
def add_ipns_record(ctx: Ctx) -> JSON:
    bucket = auth.bucket(ctx, ctx.path("bucketId"))
    upload = _published_upload(ctx, bucket)
    record_id = ctx.state.new_id()
    record = BucketIpnsRecord(
        id=record_id,
        bucket_id=bucket.id,
        upload_id=upload.id,
        key_name=f"{bucket.name}-{record_id[-6:]}",
        key_id="k51qzi5uqu5d" + fake_hex(record_id, 50),
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    ctx.state.ipns_records[record.id] = record
    return {"ipnsRecord": render.ipns_record(ctx.state, record)}


@routes.get("/v1/bucket/{bucketId}/ipns-records/{ipnsRecordId}")
def get_ipns_record(ctx: Ctx) -> JSON:
    bucket = auth.bucket(ctx, ctx.path("bucketId"))
    return {"ipnsRecord": render.ipns_record(ctx.state, _ipns_record(ctx, bucket))}


@routes.patch("/v1/bucket/{bucketId}/ipns-records/{ipnsRecordId}")
def update_ipns_record(ctx: Ctx) -> JSON:
    bucket = auth.bucket(ctx, ctx.path("bucketId"))
    record = _ipns_record(ctx, bucket)
    record.upload_id = _published_upload(ctx, bucket).id
    record.updated_at = ctx.now
    return {"ipnsRecord": render.ipns_record(ctx.state, record)}


@routes.delete("/v1/bucket/{bucketId}/ipns-records/{ipnsRecordId}")
def delete_ipns_record(ctx: Ctx) -> JSON:
    bucket = auth.bucket(ctx, ctx.path("bucketId"))
    del ctx.state.ipns_records[_ipns_record(ctx, bucket).id]
    return {}


# -- the upload protocol ---------------------------------------------------------------------


def _single_use_token(ctx: Ctx, upload: Upload, organization_id: str) -> str:
    def b64(data: JSON) -> str:
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    claims = {
        "uploadId": upload.id,
        "payloadSize": ctx.state.upload_payload_size,
        "parallelUploadCount": ctx.state.upload_parallel_count,
        "organizationId": organization_id,
        "iat": int(ctx.now),
        "exp": int(ctx.now) + 3600,
    }
    value = f"{b64({'alg': 'HS256', 'typ': 'JWT'})}.{b64(claims)}.{fake_hex(upload.id, 43)}"
    ctx.state.tokens[value] = Token(
        value=value,
        user_id=ctx.token.user_id,
        organizations=[organization_id],
        expires_at=ctx.now + 3600,
        upload_id=upload.id,
    )
    return value


def organization_or_default(ctx: Ctx, given: str | None) -> Organization:
    """The organization ``given`` names, else the token's only one (400 when it has several)."""
    if given is None:
        if len(ctx.token.organizations) != 1:
            raise bad_request("query parameter organization is required for this token")
        given = ctx.token.organizations[0]
    return auth.organization(ctx, given)


def open_bucket(ctx: Ctx, org_id: str, name: str) -> Bucket:
    """The organization's bucket ``name``, created when missing (409 when archived)."""
    for bucket in ctx.state.buckets.values():
        if bucket.organization_id == org_id and bucket.name == name:
            if bucket.state == "ARCHIVED":
                raise conflict(f"Bucket {name} is archived")
            return bucket
    return ctx.state.create_bucket(org_id, name, created_by=ctx.token.user_id)


def _new_upload(ctx: Ctx) -> tuple[Upload, str]:
    """An open upload into the bucket the query names (created if missing); its organization."""
    protocol = ctx.query_enum("protocol", PROTOCOLS, required=True)
    bucket_name = ctx.required_query("bucket")
    # gitopia-storage sends organization= empty: the token's organization.
    org = organization_or_default(ctx, ctx.query("organization"))
    max_size = ctx.query_int("maxSize", 0) or None
    return new_upload(ctx, org.id, bucket_name, str(protocol), max_size), org.id


def new_upload(
    ctx: Ctx, org_id: str, bucket_name: str, protocol: str, max_size: int | None = None
) -> Upload:
    """Open an upload into the organization's bucket ``bucket_name`` (created when missing)."""
    upload = Upload(
        id=ctx.state.new_id(),
        bucket_id=open_bucket(ctx, org_id, bucket_name).id,
        protocol=protocol,
        initiator=ctx.token.user_id,
        created_at=ctx.now,
        max_size=max_size,
    )
    ctx.state.uploads[upload.id] = upload
    return upload


def initiated(ctx: Ctx, upload: Upload, org_id: str, *, id_key: str, token_key: str | None) -> JSON:
    """What an initiate route answers: the upload's id under ``id_key`` and how to send the
    data; ``token_key``, when given, names a single-use token for this upload."""
    out: JSON = {
        id_key: upload.id,
        "parallelUploadCount": ctx.state.upload_parallel_count,
        "payloadSize": ctx.state.upload_payload_size,
    }
    if token_key is not None:
        out[token_key] = _single_use_token(ctx, upload, org_id)
    return out


def multipart_files(ctx: Ctx) -> dict[str, bytes]:
    """The files of a single-shot upload: every multipart part, by its relative path."""
    parts = ctx.multipart()
    if not parts:
        raise bad_request("the multipart body has no parts")
    return {_file_path(part.name, part.filename): part.data for part in parts}


@routes.get("/v1/upload/initiate")
@routes.post("/v1/upload/initiate")
def initiate_upload(ctx: Ctx) -> JSON:
    """POST as the SDK sends it; GET with no body as gitopia-storage sends it."""
    single_use = ctx.query_bool("create_single_use_token")
    if ctx.request.method == "POST":
        ctx.optional_json()
    upload, org_id = _new_upload(ctx)
    token_key = "singleUseToken" if single_use else None
    return initiated(ctx, upload, org_id, id_key="uploadId", token_key=token_key)


@routes.post("/v1/upload")
def upload_files(ctx: Ctx) -> JSON:
    """Single-shot upload: every part is a whole file, whatever its name (``filekey``,
    ``files``, ...); the filename is its path. Answers like ``finish?action=UPLOAD``."""
    files = multipart_files(ctx)
    upload, _ = _new_upload(ctx)
    size = sum(map(len, files.values()))
    if upload.max_size is not None and size > upload.max_size:
        raise bad_request(f"Upload exceeds maxSize ({size} > {upload.max_size} bytes)")
    upload.files = files
    return _commit(ctx, upload)


@routes.get("/v1/upload/{uploadId}")
def get_upload(ctx: Ctx) -> JSON:
    upload, _ = auth.upload(ctx, ctx.path("uploadId"))
    return {"upload": render.upload(upload)}


def _file_path(name: str, filename: str | None) -> str:
    if not filename:
        raise bad_request(f"multipart part {name} needs a filename (the file's relative path)")
    path = filename.replace("\\", "/")
    while path.startswith(("./", "/")):
        path = path[2:] if path.startswith("./") else path[1:]
    if not path or any(seg in ("", "..") for seg in path.split("/")):
        raise bad_request(f"invalid file path {filename!r}")
    return path


def _open_upload(ctx: Ctx) -> Upload:
    upload, _ = auth.upload(ctx, ctx.path("uploadId"))
    if upload.status != "InProgress":
        raise conflict(f"Upload {upload.id} is no longer open (status {upload.status})")
    return upload


@routes.post("/v1/upload/{uploadId}/data", auth="upload")
def upload_data(ctx: Ctx) -> JSON:
    upload = _open_upload(ctx)
    parts = ctx.multipart()
    if not parts:
        raise bad_request("the multipart body has no parts")
    files = dict(upload.files)
    chunks = {path: dict(pieces) for path, pieces in upload.chunks.items()}
    totals = dict(upload.chunk_totals)
    for part in parts:
        path = _file_path(part.name, part.filename)
        match = _CHUNK.fullmatch(part.name)
        if part.name == "files":
            files[path] = part.data
        elif match:
            index, total = int(match.group(1)), int(match.group(2))
            if total < 1 or index >= total or totals.setdefault(path, total) != total:
                raise bad_request(f"bad chunk part {part.name} for {path}")
            chunks.setdefault(path, {})[index] = part.data
        else:
            raise bad_request(f"unexpected multipart part {part.name!r}")
    size = sum(map(len, files.values())) + sum(len(p) for c in chunks.values() for p in c.values())
    if upload.max_size is not None and size > upload.max_size:
        raise bad_request(f"Upload exceeds maxSize ({size} > {upload.max_size} bytes)")
    upload.files, upload.chunks, upload.chunk_totals = files, chunks, totals
    return {"uploadSize": upload.size}


def _revoke_single_use(ctx: Ctx, upload: Upload) -> None:
    for value in [t.value for t in ctx.state.tokens.values() if t.upload_id == upload.id]:
        del ctx.state.tokens[value]


@routes.post("/v1/upload/{uploadId}/finish", auth="upload")
def finish_upload(ctx: Ctx) -> JSON:
    action = ctx.query_enum("action", ("UPLOAD", "CANCEL"), required=True)
    upload = _open_upload(ctx)
    ctx.optional_json()
    bucket = ctx.state.buckets[upload.bucket_id]
    result: JSON = {"uploadId": upload.id, "bucketId": bucket.id}
    if action == "CANCEL":
        upload.status, upload.finished_at = "Canceled", ctx.now
        _revoke_single_use(ctx, upload)
        return {
            "success": True,
            "message": "Upload canceled",
            **result,
            "protocolLink": "",
            "dynamicLinks": [],
            "cid": "",
        }
    return _commit(ctx, upload)


def _commit(ctx: Ctx, upload: Upload) -> JSON:
    bucket = ctx.state.buckets[upload.bucket_id]
    result: JSON = {"uploadId": upload.id, "bucketId": bucket.id}
    missing = upload.missing_chunks()
    if missing:
        detail = "; ".join(f"{path}: {indexes}" for path, indexes in missing.items())
        raise ApiError(400, f"Upload is incomplete, missing chunks ({detail})")
    contents = upload.contents()
    if not contents:
        raise bad_request("Upload has no files")
    upload.cid = fake_cid(b"".join(p.encode() + b"\0" + d for p, d in contents.items()))
    upload.status, upload.finished_at = "Uploaded", ctx.now
    _revoke_single_use(ctx, upload)
    domains = [d.name for d in ctx.state.bucket_domains.values() if d.bucket_id == bucket.id]
    return {
        "success": True,
        "message": "Upload finished",
        **result,
        "protocolLink": render.link_for(upload.protocol, upload.cid),
        "dynamicLinks": [f"https://{bucket.name}.sphn.link", *(f"https://{d}" for d in domains)],
        "cid": upload.cid,
    }


@routes.patch("/v1/upload/{uploadId}/pin")
def pin_upload(ctx: Ctx) -> JSON:
    return _set_pinned(ctx, "pinned")


@routes.patch("/v1/upload/{uploadId}/unpin")
def unpin_upload(ctx: Ctx) -> JSON:
    return _set_pinned(ctx, "unpinned")


def _set_pinned(ctx: Ctx, state: str) -> JSON:
    """Pin or unpin a published upload (``state``: ``pinned`` or ``unpinned``)."""
    upload, _ = auth.upload(ctx, ctx.path("uploadId"))
    if upload.status not in _PUBLISHED:
        raise conflict(f"Upload {upload.id} cannot be {state} (status {upload.status})")
    upload.status = state.capitalize()
    return {"upload": render.upload(upload)}
