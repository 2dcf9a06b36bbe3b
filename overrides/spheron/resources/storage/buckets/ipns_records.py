"""``client.storage.buckets.ipns_records``: the public import path of this namespace.

:class:`BucketIpnsRecords` (sync) and :class:`AsyncBucketIpnsRecords` (async); the code is in
``spheron._async.resources.bucket_settings`` (the sync class is generated from it).
"""

from ...._async.resources.bucket_settings import (
    AsyncBucketIpnsRecords,
    AsyncBucketIpnsRecordsWithRawResponse,
)
from ...._sync.resources.bucket_settings import BucketIpnsRecords, BucketIpnsRecordsWithRawResponse

__all__ = [
    "AsyncBucketIpnsRecords",
    "AsyncBucketIpnsRecordsWithRawResponse",
    "BucketIpnsRecords",
    "BucketIpnsRecordsWithRawResponse",
]
