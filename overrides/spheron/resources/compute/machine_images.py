"""``client.compute.machine_images``: the public import path of this namespace.

:class:`MachineImages` (sync) and :class:`AsyncMachineImages` (async); the code is in
``spheron._async.resources.compute_catalog`` (the sync class is generated from it).
"""

from ..._async.resources.compute_catalog import (
    AsyncMachineImages,
    AsyncMachineImagesWithRawResponse,
)
from ..._sync.resources.compute_catalog import MachineImages, MachineImagesWithRawResponse

__all__ = [
    "AsyncMachineImages",
    "AsyncMachineImagesWithRawResponse",
    "MachineImages",
    "MachineImagesWithRawResponse",
]
