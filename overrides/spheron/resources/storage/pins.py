"""``client.storage.pins``: the public import path of this namespace.

:class:`Pins` (sync) and :class:`AsyncPins` (async); the code is in
``spheron._async.resources.uploads`` (the sync class is generated from it).
"""

from ..._async.resources.uploads import AsyncPins, AsyncPinsWithRawResponse
from ..._sync.resources.uploads import Pins, PinsWithRawResponse

__all__ = ["AsyncPins", "AsyncPinsWithRawResponse", "Pins", "PinsWithRawResponse"]
