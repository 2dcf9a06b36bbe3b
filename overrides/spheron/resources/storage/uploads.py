"""``client.storage.uploads``: the public import path of this namespace.

:class:`Uploads` (sync) and :class:`AsyncUploads` (async); the code is in
``spheron._async.resources.uploads`` (the sync class is generated from it).
"""

from ..._async.resources.uploads import AsyncUploads, AsyncUploadsWithRawResponse
from ..._sync.resources.uploads import Uploads, UploadsWithRawResponse

__all__ = ["AsyncUploads", "AsyncUploadsWithRawResponse", "Uploads", "UploadsWithRawResponse"]
