"""The hand-written async layer: the only copy of the clients, namespaces and engines.

``spheron/_sync/`` is generated from this package by ``scripts/unasync_sync.py`` (``make
generate``); ``_primitives.py`` is the one module written for each mode by hand.
"""
