"""The evidence records in ``openapi/evidence/*.yaml`` as test data.

A record is one call site of a caller outside the SDKs (see ``openapi/evidence/README.md``). This
module turns a record into the arguments of the generated function of its ``operation`` and into
the request the caller sends (method, path, query, body), with no per-record code: path
parameters come from the path template, query arguments from ``query``, a JSON body from the body
model's ``from_dict(record.body)`` (unknown keys travel in ``additional_properties``), multipart
parts from ``call.parts``. A record's ``call:`` hints override the facts only where the facts are
placeholders (``path_params``, ``query``, concrete ``parts``).
"""

from __future__ import annotations

import enum
import hashlib
import json
import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

import attrs
import httpx
import yaml
from openapi_python_client.utils import PythonIdentifier, snake_case

from spheron_api_client.types import File
from tests.contract._operations import Operation, operations

EVIDENCE = Path(__file__).resolve().parents[2] / "openapi" / "evidence"
BODY_KINDS = {"none", "json", "empty-json", "multipart", "other"}
CONFIDENCE = {"high", "medium", "low"}
_PARAM = re.compile(r"\{([^}]+)\}")


@dataclass(frozen=True)
class Record:
    """One call of one evidence file."""

    file: str
    source: Mapping[str, Any] = field(repr=False)
    call: Mapping[str, Any] = field(repr=False)

    @property
    def id(self) -> str:
        return str(self.call["id"])

    @property
    def operation_id(self) -> str | None:
        return self.call.get("operation")

    @property
    def hints(self) -> Mapping[str, Any]:
        return self.call.get("call") or {}

    @property
    def query(self) -> Mapping[str, Any]:
        return self.hints.get("query", self.call.get("query") or {})

    @property
    def body_kind(self) -> str:
        return str(self.call["body_kind"])

    def __str__(self) -> str:
        return self.id


def load_records() -> list[Record]:
    """Every call of every evidence file, in file order."""
    found = []
    for path in sorted(EVIDENCE.glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        for call in data["calls"]:
            found.append(Record(path.name, data["source"], call))
    return found


RECORDS = load_records()
OPERATIONS: dict[str, Operation] = {op.operation_id: op for op in operations()}
EXPRESSED = [r for r in RECORDS if r.operation_id is not None]


def template_shape(path: str) -> str:
    """The path with parameter names erased: records may name a parameter differently."""
    return _PARAM.sub("{}", path)


def path_values(record: Record, op: Operation) -> dict[str, str]:
    """A value for every path parameter of the operation (hinted, else made from its name)."""
    given = record.hints.get("path_params", {})
    return {name: str(given.get(name, f"ev-{name}")) for name in _PARAM.findall(op.path)}


def expected_path(record: Record, op: Operation) -> str:
    values = path_values(record, op)
    return _PARAM.sub(lambda m: values[m.group(1)], op.path)


def expected_query(record: Record) -> list[tuple[str, str]]:
    """The query as ``(key, value)`` pairs; a list value is the key sent once per value."""
    pairs: list[tuple[str, str]] = []
    for key, value in record.query.items():
        for one in value if isinstance(value, list) else [value]:
            pairs.append((str(key), one if isinstance(one, str) else json.dumps(one)))
    return pairs


def part_bytes(part: Mapping[str, Any]) -> bytes:
    return str(part["text"]).encode()


def expected_parts(record: Record) -> list[tuple[str, str | None, str | None, str]]:
    """(name, filename, content type, sha256) of every part the caller sends, in order."""
    return [
        (
            str(p["name"]),
            p.get("filename"),
            p.get("content_type"),
            hashlib.sha256(part_bytes(p)).hexdigest(),
        )
        for p in record.hints.get("parts", [])
    ]


def _body_class(module: Any) -> Any:
    hint = typing.get_type_hints(module._get_kwargs)["body"]
    for arg in typing.get_args(hint) or (hint,):
        if attrs.has(arg):
            return arg  # type: ignore[no-any-return]
    raise AssertionError(f"{module.__name__}: no body model in {hint}")


def _multipart_body(cls: type, record: Record, op: Operation) -> Any:
    """The body model holding every hinted part: declared fields by name, the rest as extras."""
    assert record.hints.get("parts"), f"{record}: a multipart record needs call.parts"
    grouped: dict[str, list[File]] = {}
    for part in record.hints["parts"]:
        grouped.setdefault(str(part["name"]), []).append(
            File(
                payload=BytesIO(part_bytes(part)),
                file_name=part.get("filename"),
                mime_type=part.get("content_type"),
            )
        )
    schema = op.body_schema or {}
    if "$ref" in schema:
        from tests.contract._operations import resolve

        schema = resolve(schema)
    properties = schema.get("properties", {})
    known = {f.name: f for f in attrs.fields(cls)}
    kwargs: dict[str, Any] = {}
    extras: dict[str, File | list[File]] = {}
    for name, files in grouped.items():
        attr = PythonIdentifier(snake_case(name), "field")
        if name in properties and attr in known:
            many = properties[name].get("type") == "array"
            assert many or len(files) == 1, f"{record}: {name} is one part in the document"
            kwargs[attr] = files if many else files[0]
        else:
            extras[name] = files[0] if len(files) == 1 else files
    # Only the parts the caller sent: the model requires none (the document's multipart
    # schemas have no `required` list; checked in test_records).
    body = cls(**kwargs)
    for name, value in extras.items():
        body[name] = value
    return body


def _typed(hint: Any, value: Any) -> Any:
    """A string for a parameter typed only as an enum becomes that enum's member (the enums
    keep unknown values); everything else is passed as the caller wrote it."""
    members = typing.get_args(hint) or (hint,)
    if isinstance(value, str) and str not in members:
        for member in members:
            if isinstance(member, type) and issubclass(member, enum.Enum):
                return member(value)
    return value


def arguments(record: Record, op: Operation) -> dict[str, Any]:
    """Keyword arguments of the generated function that make the caller's request."""
    module = op.module()
    signature = typing.get_type_hints(module._get_kwargs)
    kwargs: dict[str, Any] = {}
    for name, value in path_values(record, op).items():
        kwargs[PythonIdentifier(snake_case(name), "param")] = value
    declared = {p.name for p in op.parameters if p.location == "query"}
    for key, value in record.query.items():
        assert key in declared, f"{record}: query {key!r} is not declared on {op.operation_id}"
        name = PythonIdentifier(snake_case(key), "param")
        kwargs[name] = _typed(signature.get(name), value)
    if record.body_kind in ("json", "empty-json"):
        assert op.body_media_type == "application/json", f"{record}: no JSON body on {op}"
        kwargs["body"] = _body_class(module).from_dict(record.call["body"])
    elif record.body_kind == "multipart":
        assert op.body_media_type == "multipart/form-data", f"{record}: no multipart on {op}"
        kwargs["body"] = _multipart_body(_body_class(module), record, op)
    elif record.body_kind == "none":
        assert not op.body_required, f"{record}: {op.operation_id} requires a body"
    else:
        raise AssertionError(f"{record}: body_kind {record.body_kind!r} has no request to build")
    unknown = set(kwargs) - set(signature)
    assert not unknown, f"{record}: {op.operation_id} takes no {sorted(unknown)}"
    return kwargs


_DISPOSITION = re.compile(rb'^form-data; name="([^"]*)"(?:; filename="([^"]*)")?$')


def sent_parts(request: httpx.Request) -> list[tuple[str, str | None, str | None, str]]:
    """(name, filename, content type, sha256 of the bytes) of every part on the wire, in order."""
    match = re.search(r"boundary=([^;]+)", request.headers.get("content-type", ""))
    assert match, request.headers.get("content-type")
    delimiter = b"--" + match.group(1).encode()
    parts = []
    for chunk in request.content.split(delimiter)[1:-1]:
        head, sep, data = chunk[2:-2].partition(b"\r\n\r\n")
        assert sep
        headers = dict(line.split(b": ", 1) for line in head.split(b"\r\n"))
        disposition = _DISPOSITION.match(headers[b"Content-Disposition"])
        assert disposition, headers
        name, filename = disposition.groups()
        ctype = headers.get(b"Content-Type")
        parts.append(
            (
                name.decode(),
                filename.decode() if filename is not None else None,
                ctype.decode() if ctype is not None else None,
                hashlib.sha256(data).hexdigest(),
            )
        )
    return parts


def same_json(left: Any, right: Any) -> bool:
    """Equal as JSON *and* in JSON type at every level ("80" is not 80, true is not 1)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(same_json(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(map(same_json, left, right))
    return bool(left == right)
