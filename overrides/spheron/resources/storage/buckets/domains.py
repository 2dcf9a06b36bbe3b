"""``client.storage.buckets.domains``: the public import path of this namespace.

:class:`BucketDomains` (sync) and :class:`AsyncBucketDomains` (async); the code is in
``spheron._async.resources.bucket_settings`` (the sync class is generated from it).
"""

from ...._async.resources.bucket_settings import (
    AsyncBucketDomains,
    AsyncBucketDomainsWithRawResponse,
)
from ...._sync.resources.bucket_settings import BucketDomains, BucketDomainsWithRawResponse

__all__ = [
    "AsyncBucketDomains",
    "AsyncBucketDomainsWithRawResponse",
    "BucketDomains",
    "BucketDomainsWithRawResponse",
]
