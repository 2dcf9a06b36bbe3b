"""Turning what users type (an id or a name) into ids."""

from __future__ import annotations

import re
from typing import Any

from ._app import EXIT_NOT_FOUND, AppState, fail

_OBJECT_ID = re.compile(r"^[0-9a-fA-F]{24}$")
PAGE = 100


def is_object_id(ref: str) -> bool:
    return bool(_OBJECT_ID.match(ref))


def project_id(state: AppState, ref: str) -> str:
    """``ref`` if it is an id, else the id of the organization's project named ``ref``."""
    if is_object_id(ref):
        return ref
    client = state.client()
    for project in client.organizations.list_projects(page_size=PAGE):
        if project.name == ref:
            return str(project.id)
    fail(f"no project named {ref!r} in the organization", EXIT_NOT_FOUND)


def bucket(state: AppState, ref: str) -> Any:
    """The bucket with id ``ref``, else the organization's bucket named ``ref``."""
    client = state.client()
    if is_object_id(ref):
        return client.storage.buckets.get(ref)
    for found in client.storage.buckets.list(name=ref, page_size=PAGE):
        if found.name == ref:
            return found
    fail(f"no bucket named {ref!r} in the organization", EXIT_NOT_FOUND)


def instance_id(state: AppState, ref: str) -> str:
    if is_object_id(ref):
        return ref
    for found in state.client().compute.instances.list(page_size=PAGE):
        if found.name == ref:
            return str(found.id)
    fail(f"no compute instance named {ref!r} in the organization", EXIT_NOT_FOUND)
