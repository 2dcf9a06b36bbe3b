"""``client.storage``: the public import path of this namespace.

:class:`Storage` (sync) and :class:`AsyncStorage` (async); the code is in
``spheron._async.resources.storage`` (the sync class is generated from it).
"""

from ..._async.resources.storage import AsyncStorage, AsyncStorageWithRawResponse
from ..._sync.resources.storage import Storage, StorageWithRawResponse

__all__ = ["AsyncStorage", "AsyncStorageWithRawResponse", "Storage", "StorageWithRawResponse"]
