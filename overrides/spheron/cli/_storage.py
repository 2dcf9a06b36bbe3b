"""Storage: ``upload`` and ``buckets``."""

from __future__ import annotations

from pathlib import Path

import click

from ._app import AppState, pass_state
from ._live import print_upload, upload_document
from ._live import upload as upload_with_progress
from ._options import progress_option, protocol_option
from ._refs import bucket as find_bucket


@click.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--bucket", "-b", required=True, help="Bucket name (created if missing).")
@protocol_option
@progress_option
@pass_state
def upload(state: AppState, path: Path, bucket: str, protocol: str, progress: bool | None) -> None:
    """Upload a file or a directory in parallel chunks; print the CID and link.

    A progress bar (bytes, rate, ETA) is drawn on stderr when stdout is a terminal. Ctrl+C
    cancels the upload on the server and exits 130.
    """
    result = upload_with_progress(
        state, path, bucket=bucket, protocol=protocol.lower(), progress=progress
    )
    links = [result.protocol_link, *result.dynamic_links]
    print_upload(state, upload_document(result), result, links)


@click.group()
def buckets() -> None:
    """Storage buckets."""


@buckets.command("list")
@click.option("--name", default=None, help="Only buckets with this name.")
@click.option("--state", "bucket_state", type=click.Choice(["MAINTAINED", "ARCHIVED"]))
@click.option("--limit", type=click.IntRange(min=1), default=None)
@pass_state
def buckets_list(
    state: AppState, name: str | None, bucket_state: str | None, limit: int | None
) -> None:
    """The organization's buckets."""
    found = list(state.client().storage.buckets.list(name=name, state=bucket_state, limit=limit))
    state.output.result(
        found,
        lambda: state.output.table(
            ["ID", "NAME", "STATE"],
            [(b.id, b.name, b.state) for b in found],
            empty="no buckets",
        ),
    )


@buckets.command("get")
@click.argument("bucket")
@pass_state
def buckets_get(state: AppState, bucket: str) -> None:
    """One bucket, by id or name, with its upload count."""
    found = find_bucket(state, bucket)
    count = state.client().storage.buckets.count_uploads(str(found.id))
    document = {**found.to_dict(), "uploadsCount": count}
    state.output.result(
        document,
        lambda: state.output.fields(
            [
                ("id", found.id),
                ("name", found.name),
                ("state", found.state),
                ("uploads", count),
            ]
        ),
    )


@buckets.command("uploads")
@click.argument("bucket")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@pass_state
def buckets_uploads(state: AppState, bucket: str, limit: int) -> None:
    """A bucket's uploads, newest first."""
    found = find_bucket(state, bucket)
    uploads = list(state.client().storage.buckets.list_uploads(str(found.id), limit=limit))
    state.output.result(
        uploads,
        lambda: state.output.table(
            ["ID", "STATUS", "PROTOCOL", "BYTES", "LINK"],
            [(u.id, u.status, u.protocol, u.memory_used, u.protocol_link) for u in uploads],
            empty="no uploads",
        ),
    )


def register(group: click.Group) -> None:
    for command in (upload, buckets):
        group.add_command(command)
