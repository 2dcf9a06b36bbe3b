"""``upload`` and ``buckets``: byte-exact uploads, the progress bar's place, Ctrl+C."""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import time
from pathlib import Path

from spheron.testing import DEFAULT_BUCKET_ID, FakeSpheron
from tests.cli.conftest import Cli


def test_upload_a_file_in_chunks_byte_exact(cli: Cli, fake: FakeSpheron, tmp_path: Path) -> None:
    data = os.urandom(300_000)
    (tmp_path / "blob.bin").write_bytes(data)
    fake.state.upload_payload_size = 64 * 1024
    try:
        result = cli.json("upload", str(tmp_path / "blob.bin"), "--bucket", "blobs")
    finally:
        fake.state.upload_payload_size = 5 * 1024 * 1024
    assert fake.upload_files(result["uploadId"]) == {"blob.bin": data}
    assert result["cid"].startswith("bafy") and result["protocolLink"].startswith("https://")
    assert result["dynamicLinks"] == ["https://blobs.sphn.link"]
    parts = fake.calls("POST", route="/v1/upload/{uploadId}/data")
    assert len([c for c in parts if result["uploadId"] in c.path]) == 5


def test_piped_output_has_the_result_lines_only(cli: Cli, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_bytes(b"<p>hi</p>" * 1000)
    # Even with the bar forced on, it is drawn on stderr: stdout stays the two result lines.
    forced = cli("upload", str(site), "--bucket", "piped", "--progress")
    lines = forced.stdout.splitlines()
    assert len(lines) == 3, forced.stdout
    assert lines[0].startswith("cid: bafy") and lines[1].startswith("link: https://")
    assert "upload" in forced.stderr and "site" in forced.stderr  # the bar's description
    plain = cli("upload", str(site), "--bucket", "piped")
    assert plain.stderr == "" and plain.stdout.splitlines()[0].startswith("cid: ")


def test_progress_bar_shows_when_stdout_is_a_terminal(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "page.html").write_bytes(b"x" * 50_000)
    controller, terminal = pty.openpty()
    proc = subprocess.Popen(
        [str(cli.script), "upload", str(tmp_path / "page.html"), "--bucket", "tty"],
        env=cli.env(),
        stdin=subprocess.DEVNULL,
        stdout=terminal,
        stderr=subprocess.PIPE,
    )
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # EIO: the process closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert b"cid: bafy" in shown
    assert b"upload page.html" in err and b"50.0/50.0 kB" in err  # bytes sent / total
    for token in cli.tokens:
        assert token.encode() not in shown + err


def test_ctrl_c_during_an_upload_cancels_it_on_the_server(
    cli: Cli, fake: FakeSpheron, tmp_path: Path
) -> None:
    (tmp_path / "big.bin").write_bytes(os.urandom(400_000))
    fake.state.upload_payload_size = 32 * 1024
    fake.state.upload_parallel_count = 1
    slow = fake.faults.add("delay", method="POST", path="/v1/upload/", delay=0.4, times=None)
    before = set(fake.state.uploads)
    proc = subprocess.Popen(
        [str(cli.script), "upload", str(tmp_path / "big.bin"), "--bucket", "interrupted"],
        env=cli.env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with fake.state.lock:
                opened = [u for i, u in fake.state.uploads.items() if i not in before]
            if opened and opened[0].size > 0:
                break
            time.sleep(0.05)
        assert opened, "the upload never started"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        fake.faults.remove(slow)
        fake.state.upload_payload_size = 5 * 1024 * 1024
        fake.state.upload_parallel_count = 5
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert out == ""
    assert opened[0].status == "Canceled"
    assert opened[0].cid == ""  # never committed
    finishes = [c for c in fake.calls("POST", route="/v1/upload/{uploadId}/finish")
                if opened[0].id in c.path]  # fmt: skip
    assert [c.query for c in finishes] == ["action=CANCEL"]
    for token in cli.tokens:
        assert token not in out + err


def test_buckets(cli: Cli, fake: FakeSpheron) -> None:
    fake.add_upload(DEFAULT_BUCKET_ID, {"a.txt": b"abc"})
    listed = cli.json("buckets", "list")
    assert DEFAULT_BUCKET_ID in [b["_id"] for b in listed]
    assert cli.json("buckets", "list", "--name", "test-bucket")[0]["_id"] == DEFAULT_BUCKET_ID
    got = cli.json("buckets", "get", "test-bucket")
    assert got["_id"] == DEFAULT_BUCKET_ID and got["uploadsCount"] >= 1
    assert cli.json("buckets", "get", DEFAULT_BUCKET_ID)["name"] == "test-bucket"
    uploads = cli.json("buckets", "uploads", "test-bucket")
    assert uploads[0]["status"] == "Uploaded"
    assert uploads[0]["uploadDirectory"] == [{"fileName": "a.txt", "fileSize": 3}]
    human = cli("buckets", "get", "test-bucket").stdout
    assert "uploads" in human and "test-bucket" in human
    assert "no bucket named" in cli("buckets", "get", "nope", code=4).stderr
    assert "test-bucket" in cli("buckets", "list").stdout


def test_upload_protocol_takes_the_api_values(cli: Cli, fake: FakeSpheron, tmp_path: Path) -> None:
    # `--protocol` offers what the API knows: `ipfs-filecoin` (it offered `filecoin`, which the
    # server does not know) is sent as given.
    (tmp_path / "a.txt").write_bytes(b"a")
    file = str(tmp_path / "a.txt")
    result = cli.json("upload", file, "--bucket", "fil", "--protocol", "ipfs-filecoin")
    assert fake.upload_files(result["uploadId"]) == {"a.txt": b"a"}
    initiated = fake.calls("POST", route="/v1/upload/initiate")[-1]
    assert "protocol=ipfs-filecoin" in initiated.query
    refused = cli("upload", file, "--bucket", "fil", "--protocol", "filecoin", code=2)
    assert "ipfs-filecoin" in refused.stderr
