"""Live feedback on stderr: the upload progress bar and status changes while waiting."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from .._progress import StatusCallback, StatusUpdate, UploadProgress
from .._upload import UploadResult
from ._app import AppState


def show_progress(state: AppState, forced: bool | None) -> bool:
    """The bar shows when stdout is a terminal (never with --json), unless forced."""
    if state.json_mode:
        return False
    return state.output.stdout_is_tty if forced is None else forced


def upload(
    state: AppState,
    path: Path,
    *,
    bucket: str,
    protocol: str,
    progress: bool | None = None,
) -> Any:
    """``client.storage.upload`` with a Rich bar (bytes, rate, ETA) on stderr."""
    client = state.client()
    if not show_progress(state, progress):
        return client.storage.upload(os.fspath(path), bucket=bucket, protocol=protocol)
    columns = (
        TextColumn("[bold]upload[/bold] {task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=state.output.err, transient=False) as bar:
        task = bar.add_task(path.name or str(path), total=None)

        def on_progress(event: UploadProgress) -> None:
            bar.update(task, total=event.total_bytes, completed=event.bytes_sent)

        return client.storage.upload(
            os.fspath(path), bucket=bucket, protocol=protocol, on_progress=on_progress
        )


def upload_document(result: UploadResult) -> dict[str, Any]:
    """What an upload command prints with ``--json``."""
    return {
        "uploadId": result.upload_id,
        "bucketId": result.bucket_id,
        "protocolLink": result.protocol_link,
        "dynamicLinks": list(result.dynamic_links),
        "cid": result.cid,
    }


def print_upload(
    state: AppState,
    document: object,
    result: UploadResult,
    links: Iterable[str],
    *,
    headline: str | None = None,
) -> None:
    """An upload command's result: ``document`` with ``--json``, else the ``headline``, the CID
    and one ``link:`` line per link."""

    def human() -> None:
        if headline is not None:
            state.output.line(headline)
        state.output.line(f"cid: {result.cid}")
        for link in links:
            state.output.line(f"link: {link}")

    state.output.result(document, human)


@contextmanager
def live_status(state: AppState, what: str) -> Iterator[StatusCallback]:
    """An ``on_update`` callback: a spinner on a terminal, a line per status change always."""
    err = state.output.err
    spinner = err.status(f"waiting for {what}") if err.is_terminal else None

    def on_update(update: StatusUpdate) -> None:
        note = "" if update.is_known else " (a status this client does not know yet)"
        state.output.note(
            f"{update.elapsed:6.1f}s  {update.previous or '-'} -> {update.status}{note}"
        )
        if spinner is not None:
            spinner.update(f"{what}: {update.status}")

    if spinner is None:
        yield on_update
        return
    with spinner:
        yield on_update
