"""Buckets, bucket domains and IPNS records, and the chunked upload protocol."""

from __future__ import annotations

import asyncio
import base64
import json
import os
from typing import Any

import httpx
import pytest

from spheron.testing import (
    DEFAULT_BUCKET_ID,
    DEFAULT_LIMIT,
    DEFAULT_ORGANIZATION_ID,
    DEFAULT_USER_ID,
    FakeSpheron,
)

BUCKET = f"/v1/bucket/{DEFAULT_BUCKET_ID}"


def initiate(http: httpx.Client, bucket: str = "test-bucket", **params: Any) -> dict[str, Any]:
    query = {"protocol": "ipfs", "bucket": bucket, "organization": DEFAULT_ORGANIZATION_ID}
    query.update(params)
    response = http.post("/v1/upload/initiate", params=query, json={})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def chunk_parts(path: str, data: bytes, size: int) -> list[tuple[str, tuple[str, bytes, str]]]:
    total = -(-len(data) // size)
    return [
        (f"chunk-{i}-{total}", (path, data[i * size : (i + 1) * size], "application/octet-stream"))
        for i in range(total)
    ]


def test_bucket_get_and_state(http: httpx.Client) -> None:
    assert http.get(BUCKET).json()["name"] == "test-bucket"
    archived = http.patch(f"{BUCKET}/state", json={"state": "ARCHIVED"}).json()
    assert archived["state"] == "ARCHIVED"
    assert http.patch(f"{BUCKET}/state", json={"state": "gone"}).status_code == 400
    # Archived buckets take no uploads.
    query = {"protocol": "ipfs", "bucket": "test-bucket"}
    assert http.post("/v1/upload/initiate", params=query, json={}).status_code == 409


def test_upload_whole_files_and_chunks(fake: FakeSpheron, http: httpx.Client) -> None:
    fake.state.upload_payload_size = 1024
    opened = initiate(http)
    assert opened["payloadSize"] == 1024 and opened["parallelUploadCount"] == 5
    upload_id = opened["uploadId"]
    data_url = f"/v1/upload/{upload_id}/data"

    files = [
        ("files", ("./index.html", b"<h1>hi</h1>", "text/html")),
        ("files", ("./css/site.css", b"body{}", "text/css")),
    ]
    first = http.post(data_url, files=files).json()
    assert first == {"uploadSize": len(b"<h1>hi</h1>") + len(b"body{}")}

    big = os.urandom(3000)
    parts = chunk_parts("./media/big.bin", big, 1024)
    # Out of order, one part per request, like the SDK's parallel payloads.
    sizes = [http.post(data_url, files=[part]).json()["uploadSize"] for part in reversed(parts)]
    assert sizes == sorted(sizes) and sizes[-1] == 17 + 3000
    # A retried part is counted once.
    assert http.post(data_url, files=[parts[0]]).json()["uploadSize"] == 17 + 3000

    finished = http.post(f"/v1/upload/{upload_id}/finish", params={"action": "UPLOAD"}, json={})
    result = finished.json()
    assert result["success"] is True and result["uploadId"] == upload_id
    assert result["bucketId"] == DEFAULT_BUCKET_ID
    assert result["cid"].startswith("bafybei")
    assert result["protocolLink"] == f"https://{result['cid']}.ipfs.sphn.link"
    assert result["dynamicLinks"] == ["https://test-bucket.sphn.link"]

    assert fake.upload_files(upload_id) == {
        "css/site.css": b"body{}",
        "index.html": b"<h1>hi</h1>",
        "media/big.bin": big,
    }
    upload = http.get(f"/v1/upload/{upload_id}").json()["upload"]
    assert upload["status"] == "Uploaded"
    assert upload["memoryUsed"] == 3017
    assert upload["uploadInitiator"] == DEFAULT_USER_ID
    assert {f["fileName"]: f["fileSize"] for f in upload["uploadDirectory"]} == {
        "css/site.css": 6,
        "index.html": 11,
        "media/big.bin": 3000,
    }
    # The upload is closed now.
    assert http.post(data_url, files=files).status_code == 409
    again = http.post(f"/v1/upload/{upload_id}/finish", params={"action": "UPLOAD"}, json={})
    assert again.status_code == 409


def test_finish_with_missing_chunks_is_400(http: httpx.Client) -> None:
    upload_id = initiate(http)["uploadId"]
    parts = chunk_parts("video.mp4", b"x" * 30, 10)
    http.post(f"/v1/upload/{upload_id}/data", files=[parts[0], parts[2]])
    response = http.post(f"/v1/upload/{upload_id}/finish", params={"action": "UPLOAD"}, json={})
    assert response.status_code == 400
    assert "video.mp4: [1]" in response.json()["message"]


def test_cancel(fake: FakeSpheron, http: httpx.Client) -> None:
    upload_id = initiate(http)["uploadId"]
    http.post(f"/v1/upload/{upload_id}/data", files=[("files", ("a.txt", b"a", "text/plain"))])
    canceled = http.post(f"/v1/upload/{upload_id}/finish", params={"action": "CANCEL"}, json={})
    assert canceled.json()["success"] is True and canceled.json()["cid"] == ""
    assert http.get(f"/v1/upload/{upload_id}").json()["upload"]["status"] == "Canceled"
    resent = http.post(f"/v1/upload/{upload_id}/data", files=[("files", ("b", b"b", "x/y"))])
    assert resent.status_code == 409


@pytest.mark.parametrize(
    "parts",
    [
        [("files", ("", b"no name", "text/plain"))],
        [("files", ("../escape.txt", b"x", "text/plain"))],
        [("somethingelse", ("a.txt", b"x", "text/plain"))],
        [("chunk-3-3", ("a.bin", b"x", "application/octet-stream"))],
    ],
)
def test_bad_parts_are_400(make_client: Any, parts: list[Any]) -> None:
    # Deliberately malformed bodies: outside the document, so not validated as requests.
    client = make_client(validate=False)
    query = {"protocol": "ipfs", "bucket": "test-bucket"}
    upload_id = client.post("/v1/upload/initiate", params=query, json={}).json()["uploadId"]
    response = client.post(f"/v1/upload/{upload_id}/data", files=parts)
    assert response.status_code == 400, response.text


def test_inconsistent_chunk_totals_are_400(http: httpx.Client) -> None:
    upload_id = initiate(http)["uploadId"]
    url = f"/v1/upload/{upload_id}/data"
    http.post(url, files=[("chunk-0-2", ("a.bin", b"x", "application/octet-stream"))])
    clash = http.post(url, files=[("chunk-1-3", ("a.bin", b"y", "application/octet-stream"))])
    assert clash.status_code == 400


def test_max_size(http: httpx.Client) -> None:
    upload_id = initiate(http, maxSize=10)["uploadId"]
    url = f"/v1/upload/{upload_id}/data"
    assert http.post(url, files=[("files", ("a", b"12345", "x/y"))]).status_code == 200
    assert http.post(url, files=[("files", ("b", b"123456", "x/y"))]).status_code == 400


def test_initiate_creates_the_bucket(http: httpx.Client) -> None:
    upload_id = initiate(http, bucket="fresh-bucket")["uploadId"]
    bucket_id = http.get(f"/v1/upload/{upload_id}").json()["upload"]["bucket"]
    assert http.get(f"/v1/bucket/{bucket_id}").json()["name"] == "fresh-bucket"
    listed = http.get(f"/v1/organization/{DEFAULT_ORGANIZATION_ID}/buckets").json()
    assert "fresh-bucket" in [b["name"] for b in listed["buckets"]]
    # Without `organization` the token's only organization is used.
    query = {"protocol": "arweave", "bucket": "fresh-bucket"}
    assert http.post("/v1/upload/initiate", params=query, json={}).status_code == 200


def test_single_use_token(fake: FakeSpheron, http: httpx.Client, make_client: Any) -> None:
    opened = initiate(http, create_single_use_token="true")
    token = opened["singleUseToken"]
    claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    assert claims["uploadId"] == opened["uploadId"]
    assert claims["payloadSize"] == opened["payloadSize"]
    browser = make_client(token=token)
    url = f"/v1/upload/{opened['uploadId']}"
    assert browser.post(f"{url}/data", files=[("files", ("a", b"1", "x/y"))]).status_code == 200
    # Not valid anywhere else.
    assert browser.get(url).status_code == 403
    assert browser.get(f"/v1/organization/{DEFAULT_ORGANIZATION_ID}").status_code == 403
    other = initiate(http)["uploadId"]
    other_data = browser.post(f"/v1/upload/{other}/data", files=[("files", ("a", b"1", "x/y"))])
    assert other_data.status_code == 403
    assert browser.post(f"{url}/finish", params={"action": "UPLOAD"}, json={}).status_code == 200
    # Single use: gone after finish.
    assert browser.post(f"{url}/finish", params={"action": "UPLOAD"}, json={}).status_code == 403


def test_uploads_list_count_pagination(fake: FakeSpheron, http: httpx.Client) -> None:
    ids = []
    for i in range(12):
        ids.append(fake.add_upload(files={f"{i}.txt": b"x" * i}))
        fake.advance(1)
    listed = http.get(f"{BUCKET}/uploads").json()
    assert isinstance(listed, list) and len(listed) == DEFAULT_LIMIT
    assert [u["_id"] for u in listed] == ids[::-1][:DEFAULT_LIMIT]  # newest first
    page = http.get(f"{BUCKET}/uploads", params={"skip": 10, "limit": 10}).json()
    assert [u["_id"] for u in page] == ids[1::-1]
    assert http.get(f"{BUCKET}/uploads/count").json() == {"count": 12}


def test_pin_and_unpin(fake: FakeSpheron, http: httpx.Client) -> None:
    upload_id = fake.add_upload()
    assert http.patch(f"/v1/upload/{upload_id}/unpin").json()["upload"]["status"] == "Unpinned"
    assert http.patch(f"/v1/upload/{upload_id}/pin").json()["upload"]["status"] == "Pinned"
    open_upload = initiate(http)["uploadId"]
    assert http.patch(f"/v1/upload/{open_upload}/pin").status_code == 409


def test_bucket_domains(fake: FakeSpheron, http: httpx.Client) -> None:
    body = {"name": "cdn.example.com", "type": "subdomain", "link": "latest"}
    domain = http.post(f"{BUCKET}/domains", json=body).json()["domain"]
    assert domain["bucketId"] == DEFAULT_BUCKET_ID and domain["verified"] is False
    assert http.post(f"{BUCKET}/domains", json=body).status_code == 409
    bad_type = {"name": "z.example.com", "type": "mx-record"}
    assert http.post(f"{BUCKET}/domains", json=bad_type).status_code == 400
    assert len(http.get(f"{BUCKET}/domains").json()["domains"]) == 1
    got = http.get(f"{BUCKET}/domains/cdn.example.com").json()["domain"]
    assert got["_id"] == domain["_id"]
    renamed = http.patch(f"{BUCKET}/domains/{domain['_id']}", json={"name": "static.example.com"})
    assert renamed.json()["domain"]["name"] == "static.example.com"
    verified = http.patch(f"{BUCKET}/domains/static.example.com/verify", json={}).json()
    assert verified["success"] is True and verified["domain"]["verified"] is True
    # Verified domains show up in dynamic links.
    upload_id = initiate(http)["uploadId"]
    http.post(f"/v1/upload/{upload_id}/data", files=[("files", ("i.html", b"1", "text/html"))])
    links = http.post(f"/v1/upload/{upload_id}/finish", params={"action": "UPLOAD"}, json={})
    assert "https://static.example.com" in links.json()["dynamicLinks"]
    assert http.delete(f"{BUCKET}/domains/{domain['_id']}").json() == {}
    assert http.get(f"{BUCKET}/domains/{domain['_id']}").status_code == 404


def test_bucket_ipns_records(fake: FakeSpheron, http: httpx.Client) -> None:
    first = fake.add_upload(files={"a.txt": b"a"})
    second = fake.add_upload(files={"b.txt": b"b"})
    record = http.post(f"{BUCKET}/ipns-records", json={"uploadId": first}).json()["ipnsRecord"]
    assert record["bucket"] == DEFAULT_BUCKET_ID
    assert record["targetCid"] == fake.state.uploads[first].cid
    assert record["ipnsLink"].startswith("https://k51")
    listed = http.get(f"{BUCKET}/ipns-records").json()["ipnsRecords"]
    assert [r["_id"] for r in listed] == [record["_id"]]
    url = f"{BUCKET}/ipns-records/{record['_id']}"
    moved = http.patch(url, json={"uploadId": second}).json()["ipnsRecord"]
    assert moved["targetCid"] == fake.state.uploads[second].cid
    assert http.get(url).json()["ipnsRecord"]["targetCid"] == moved["targetCid"]
    unfinished = initiate(http)["uploadId"]
    assert http.post(f"{BUCKET}/ipns-records", json={"uploadId": unfinished}).status_code == 400
    assert http.delete(url).json() == {}
    assert http.get(url).status_code == 404


async def test_parallel_chunk_upload_over_async_transport(
    fake: FakeSpheron, ahttp: httpx.AsyncClient
) -> None:
    fake.state.upload_payload_size = 256
    query = {"protocol": "ipfs", "bucket": "parallel", "organization": DEFAULT_ORGANIZATION_ID}
    opened = (await ahttp.post("/v1/upload/initiate", params=query, json={})).json()
    url = f"/v1/upload/{opened['uploadId']}"
    blob = os.urandom(256 * 9 + 17)
    parts = chunk_parts("blob.bin", blob, opened["payloadSize"])
    limit = asyncio.Semaphore(opened["parallelUploadCount"])

    async def send(part: Any) -> int:
        async with limit:
            response = await ahttp.post(f"{url}/data", files=[part])
            size: int = response.json()["uploadSize"]
            return size

    sizes = await asyncio.gather(*(send(p) for p in parts))
    assert max(sizes) == len(blob)
    done = await ahttp.post(f"{url}/finish", params={"action": "UPLOAD"}, json={})
    assert done.json()["success"] is True
    assert fake.upload_files(opened["uploadId"]) == {"blob.bin": blob}
    assert fake.count("POST", route="/v1/upload/{uploadId}/data") == len(parts)


def test_single_shot_upload_commits_every_part(fake: FakeSpheron, http: httpx.Client) -> None:
    """``POST /v1/upload`` as gitopia-storage sends it (one part named ``filekey``) and with
    several parts under other names: each part is a whole file, committed at once."""
    query = {
        "organization": DEFAULT_ORGANIZATION_ID,
        "bucket": "git-server-test",
        "protocol": "ipfs",
    }
    pack = os.urandom(2048)
    one = http.post(
        "/v1/upload",
        params=query,
        files=[("filekey", ("pack-1.pack", pack, "application/octet-stream"))],
    )
    assert one.status_code == 200, one.text
    result = one.json()
    assert result["success"] is True and result["cid"].startswith("bafybei")
    assert result["dynamicLinks"] == ["https://git-server-test.sphn.link"]
    assert fake.upload_files(result["uploadId"]) == {"pack-1.pack": pack}
    upload = http.get(f"/v1/upload/{result['uploadId']}").json()["upload"]
    assert upload["status"] == "Uploaded"

    many = http.post(
        "/v1/upload",
        params=query,
        files=[
            ("files", ("./index.html", b"<p>x</p>", "text/html")),
            ("files", ("./js/app.js", b"1", "application/javascript")),
            ("image", ("1.jpg", b"\xff\xd8", "image/jpeg")),
        ],
    )
    assert many.status_code == 200, many.text
    assert fake.upload_files(many.json()["uploadId"]) == {
        "index.html": b"<p>x</p>",
        "js/app.js": b"1",
        "1.jpg": b"\xff\xd8",
    }


def test_single_shot_upload_refusals(make_client: Any) -> None:
    # Deliberately outside the document (no parts / no filename): validate=False.
    http = make_client(validate=False)
    query = {"bucket": "b", "protocol": "ipfs"}
    empty = http.post("/v1/upload", params=query, files=[], data={"x": "1"})
    assert empty.status_code == 400
    nameless = http.post("/v1/upload", params=query, files=[("filekey", (None, b"x"))])
    assert nameless.status_code == 400


def test_initiate_with_get_and_empty_organization(http: httpx.Client) -> None:
    """gitopia-storage opens chunked uploads with ``GET`` and no body, ``organization=`` empty."""
    query = {"protocol": "ipfs", "bucket": "git-server-test", "organization": ""}
    opened = http.get("/v1/upload/initiate", params=query)
    assert opened.status_code == 200, opened.text
    upload_id = opened.json()["uploadId"]
    data = [("chunk-0-1", ("filename", b"pack", "application/octet-stream"))]
    assert http.post(f"/v1/upload/{upload_id}/data", files=data).status_code == 200
    # finish with no body at all, as gitopia-storage sends it
    finished = http.post(f"/v1/upload/{upload_id}/finish", params={"action": "UPLOAD"})
    assert finished.status_code == 200, finished.text
    assert finished.json()["success"] is True
