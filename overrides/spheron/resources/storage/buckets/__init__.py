"""``client.storage.buckets``: the public import path of this namespace.

:class:`Buckets` (sync) and :class:`AsyncBuckets` (async); the code is in
``spheron._async.resources.buckets`` (the sync class is generated from it).
"""

from ...._async.resources.buckets import AsyncBuckets, AsyncBucketsWithRawResponse
from ...._sync.resources.buckets import Buckets, BucketsWithRawResponse

__all__ = ["AsyncBuckets", "AsyncBucketsWithRawResponse", "Buckets", "BucketsWithRawResponse"]
