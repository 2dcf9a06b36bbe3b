"""A short ``repr()`` for the generated models (``spheron_api_client.models``).

``Project(id='65f0…', name='site', state=<ProjectState.MAINTAINED>)``: only the fields that are
set (not ``None``, not ``Unset``), nested models short too, lists cut to their first items, and
fields whose name says they hold a secret (``jwt_token``, ``password``, ...; decided when the
model is generated) shown as ``'***'``. Unknown keys are counted, never shown: their values may
be anything.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from typing import Any

MASK = "'***'"
_MAX_ITEMS = 3
_MAX_TEXT = 80


def _short(value: Any) -> str:
    if isinstance(value, enum.Enum):
        return f"<{type(value).__name__}.{value.name}>"
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, str):
        text = value if len(value) <= _MAX_TEXT else value[: _MAX_TEXT - 1] + "…"
        return repr(text)
    if isinstance(value, list):
        shown = ", ".join(_short(item) for item in value[:_MAX_ITEMS])
        more = len(value) - _MAX_ITEMS
        return f"[{shown}, +{more} more]" if more > 0 else f"[{shown}]"
    if isinstance(value, dict):
        return f"{{{len(value)} keys}}"
    return repr(value)


def model_repr(model: Any, fields: Iterable[str], secrets: frozenset[str]) -> str:
    """``ClassName(field=value, ...)`` for a generated model; see the module docstring."""
    from spheron_api_client.types import Unset

    parts: list[str] = []
    for name in fields:
        value = getattr(model, name)
        if value is None or isinstance(value, Unset):
            continue
        parts.append(f"{name}={MASK if name in secrets else _short(value)}")
    extra = getattr(model, "additional_properties", None)
    if extra:
        parts.append(f"+{len(extra)} unknown key{'s' if len(extra) != 1 else ''}")
    return f"{type(model).__name__}({', '.join(parts)})"
