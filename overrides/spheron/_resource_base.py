"""What every namespace shares, in both modes: the client protocol and argument coercion.

The namespace classes themselves are written once, async, in ``spheron/_async/resources/``
(``spheron/_sync/resources/`` is generated from them).
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable, Mapping
from enum import Enum
from functools import lru_cache
from typing import Any, ParamSpec, Protocol, TypeAlias, TypeVar

from spheron_api_client.client import AuthenticatedClient
from spheron_api_client.types import UNSET, Response, Unset

from ._config import OptionChanges
from ._exceptions import InvalidArgumentError, ResponseValidationError
from ._request_options import (
    EXTRA_OPTIONS,
    MULTIPART_OPTIONS,
    CallOptions,
    Unpack,
    resolve_call_options,
)

__all__ = [
    "ClientLike",
    "Options",
    "as_call_options",
    "coerce_enum",
    "coerce_model",
    "deprecated_alias",
    "expect_parsed",
    "extra_options",
    "multipart_options",
    "operation_name",
    "optional_enum",
    "unset_if_none",
]

T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R")
E = TypeVar("E", bound=Enum)
M = TypeVar("M")


class ClientLike(Protocol):
    """What a namespace needs from ``Spheron``/``AsyncSpheron``."""

    @property
    def api(self) -> AuthenticatedClient: ...

    @property
    def organization_id(self) -> str | None: ...

    @property
    def connection_limit(self) -> int | None: ...

    def with_options(self, **changes: Unpack[OptionChanges]) -> ClientLike: ...


Options: TypeAlias = "Mapping[str, Any] | CallOptions | None"
"""A method's ``**options`` as given, already resolved, or none."""


def as_call_options(options: Options) -> CallOptions | None:
    """``options`` resolved (validated); a :class:`CallOptions` is returned as it is."""
    if options is None or isinstance(options, CallOptions):
        return options
    return resolve_call_options(options)


DEPRECATED_ALIAS = "__spheron_deprecated_alias__"
"""Set on the functions :func:`deprecated_alias` makes (tests and introspection skip them)."""


def deprecated_alias(method: Callable[P, R], *, old: str, new: str) -> Callable[P, R]:
    """``method`` under its old name ``old``: works as before and warns with
    :class:`DeprecationWarning` naming ``new`` (kept for one minor version, see CHANGELOG)."""

    @functools.wraps(method)
    def alias(*args: P.args, **kwargs: P.kwargs) -> R:
        warnings.warn(
            f"{old} is deprecated and will be removed in 1.2.0; use {new}",
            DeprecationWarning,
            stacklevel=2,
        )
        return method(*args, **kwargs)

    alias.__name__ = alias.__qualname__ = old.rpartition(".")[2]
    note = f"Deprecated alias of :meth:`{new}` (removed in 1.2.0)."
    alias.__doc__ = f"{note}\n\n{inspect.cleandoc(method.__doc__ or '')}"
    setattr(alias, DEPRECATED_ALIAS, new)
    return alias


def multipart_options(options: Mapping[str, Any]) -> CallOptions | None:
    """The options of a method that sends ``multipart/form-data`` (``extra_body`` refused)."""
    return resolve_call_options(options, allowed=MULTIPART_OPTIONS)


def extra_options(options: Mapping[str, Any]) -> CallOptions | None:
    """The options of a method with a ``timeout`` of its own (``wait``, ``events``): extra
    headers and query only."""
    return resolve_call_options(options, allowed=EXTRA_OPTIONS)


@lru_cache(maxsize=1024)  # runs on every call; the generated operations are a few hundred
def operation_name(fn: Callable[..., object]) -> str:
    return fn.__module__.rpartition(".")[2] or getattr(fn, "__name__", "operation")


def expect_parsed(response: Response[T], operation: str) -> T:
    """The decoded body of ``response``; an answer the document does not describe raises."""
    if response.parsed is None:
        status = int(response.status_code)
        raise ResponseValidationError(
            f"{operation} answered {status}, a status the API document does not describe for it "
            "(expected a 2xx JSON answer)",
            status_code=status,
            body=response.content.decode("utf-8", errors="replace"),
        )
    return response.parsed


def coerce_enum(cls: type[E], value: E | str) -> E:
    """``value`` as a member of ``cls``; unknown strings are kept (the enums are tolerant).

    Anything but a member or a non-blank string raises :class:`InvalidArgumentError`.
    """
    if isinstance(value, cls):
        return value
    if not isinstance(value, str) or not value.strip():
        raise _not_an_enum(cls, value)
    return cls(value)


def optional_enum(cls: type[E], value: E | str | None) -> E | Unset:
    """``value`` as a member of ``cls``, or ``UNSET`` (leave it out) for ``None``; an empty
    string is sent empty (a filter callers send blank)."""
    if value is None:
        return UNSET
    if isinstance(value, str) and not value:
        return cls(value)
    return coerce_enum(cls, value)


def _not_an_enum(cls: type[Enum], value: object) -> InvalidArgumentError:
    known = ", ".join(repr(member.value) for member in cls)
    return InvalidArgumentError(
        f"{value!r} is not a {cls.__name__}: expected one of {known} (or another string the API "
        "accepts)"
    )


def coerce_model(
    from_dict: Callable[[Mapping[str, Any]], M], value: M | Mapping[str, Any], *, name: str
) -> M:
    """``value`` as a generated model; a mapping (API spelling) goes through ``from_dict``.

    A mapping that does not fit raises :class:`InvalidArgumentError` (a ``ValueError``) naming
    the argument ``name``.
    """
    if not isinstance(value, Mapping):
        model = getattr(from_dict, "__self__", None)
        if isinstance(model, type) and not isinstance(value, model):
            raise InvalidArgumentError(
                f"{name} must be a {model.__name__} or a mapping, not {type(value).__name__}"
            )
        return value
    try:
        return from_dict(value)
    except KeyError as exc:
        raise InvalidArgumentError(f"{name} is missing the key {exc}") from exc
    except (TypeError, ValueError, AttributeError) as exc:
        raise InvalidArgumentError(f"{name} does not fit the API's shape: {exc}") from exc


def unset_if_none(value: T | None) -> T | Unset:
    """``UNSET`` (leave the field out) for ``None``."""
    return UNSET if value is None else value
