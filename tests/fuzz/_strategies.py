"""Hypothesis strategies for the answers of a misbehaving Spheron API (or a proxy in front of it).

``values(schema, mode)`` draws JSON values from a document schema:

- ``VALID``: what the schema allows;
- ``TOLERANT``: valid, plus what the API adds without a version bump: extra keys on objects and
  enum values this client does not know (same JSON type as the known ones);
- ``FAULTY``: every node may be replaced by a fault: a wrong type, ``null``, an unknown enum value,
  a broken date, dropped required keys, extra keys, deeply nested junk, a huge string.

``responses(op)`` combines a status (2xx, 3xx, 4xx, 5xx), a body (schema-derived and mutated JSON,
empty, truncated, HTML pages, huge strings, binary garbage, non-UTF-8, recursion bombs, odd JSON
literals, event streams) and headers (wrong or missing content types, lying content-encodings,
request ids, junk ``Retry-After``). Bodies may echo the client's token, raw or JSON-escaped.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import gzip
import json
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from ._operations import Document, Operation, Schema, document

TOKEN = "spheron_fuzz_token_9c3e1f7a5b2d"
"""The client's token. Bodies and headers sometimes echo it; no error message may contain it."""

ESCAPED_TOKEN = "".join(f"\\u{ord(c):04x}" for c in TOKEN)
"""The token as a JSON string escape: a redaction that only looks at raw bytes misses it."""

HUGE_MIN, HUGE_MAX = 100_000, 1_000_000
"""Size range of huge strings and bodies (characters): big enough to matter, small enough for CI."""

MAX_DEPTH = 3
"""Nested objects deeper than this carry only their required keys."""


class Mode(enum.Enum):
    VALID = "valid"
    TOLERANT = "tolerant"
    FAULTY = "faulty"


# --- JSON building blocks ---------------------------------------------------------------------

SHORT_TEXT = st.text(max_size=12)
STRINGS = st.one_of(
    SHORT_TEXT,
    st.sampled_from(["", "0", "null", "true", "undefined", "NaN", "{}", "[]", "\x00", "\u202e"]),
    st.just(TOKEN),
    st.just(f"Bearer {TOKEN}"),
)
FINITE_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    STRINGS,
)
SCALARS = FINITE_SCALARS | st.sampled_from([float("nan"), float("inf"), float("-inf")])
"""JSON scalars, including the NaN and Infinity literals Python's json reads and writes."""


def _junk(scalars: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(SHORT_TEXT, inner, max_size=3)
        ),
        max_leaves=8,
    )


JSON_JUNK = _junk(SCALARS)
FINITE_JUNK = _junk(FINITE_SCALARS)
"""Any JSON value that compares equal to itself after a round trip (no NaN)."""


def _nest(depth: int, leaf: Any, kinds: str) -> Any:
    value = leaf
    for i in range(depth):
        value = [value] if kinds[i % len(kinds)] == "l" else {"a": value}
    return value


DEEP_JUNK = st.builds(
    _nest,
    st.integers(min_value=10, max_value=120),
    SCALARS,
    st.sampled_from(["l", "d", "ld", "lld"]),
)
"""Deeply nested but still decodable JSON (the recursion bombs are raw text, see below)."""

HUGE_STRING = st.builds(
    lambda n, c: c * n, st.integers(HUGE_MIN, HUGE_MAX), st.sampled_from("xé€𝄞<")
)

BAD_DATES = st.one_of(
    st.sampled_from(
        [
            "",
            "yesterday",
            "2024-13-01T00:00:00Z",
            "2024-02-30T00:00:00Z",
            "2024-01-01T25:61:61Z",
            "9999-12-31T24:00:00",  # rolls over to year 10000
            "9999-12-31T23:59:59-23:59",
            "0001-01-01T00:00:00+23:59",
            "99999-01-01T00:00:00Z",
            "2024-01-01T00:00:00+99:99",
            "2024-W99-9",
            "1714564800000",
            "Mon, 01 Jan 2024 00:00:00 GMT",
        ]
    ),
    st.integers(min_value=-(2**63), max_value=2**63),  # epoch seconds or milliseconds
    SHORT_TEXT,
)

FIXED_OFFSETS = st.sampled_from(
    [
        None,
        dt.timezone.utc,
        dt.timezone(dt.timedelta(hours=5, minutes=30)),
        dt.timezone(dt.timedelta(hours=-8)),
    ]
)
DATETIMES = st.builds(
    lambda moment, tz: moment.replace(tzinfo=tz).isoformat(),
    st.datetimes(min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    FIXED_OFFSETS,
)


def _type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


WRONG_TYPES: Mapping[str, st.SearchStrategy[Any]] = {
    "string": st.one_of(
        st.integers(),
        st.floats(),
        st.booleans(),
        JSON_JUNK.filter(lambda v: isinstance(v, list | dict)),
    ),
    "integer": st.one_of(STRINGS, st.floats(), st.booleans(), st.just([1]), st.just({"n": 1})),
    "number": st.one_of(STRINGS, st.booleans(), st.just([1.5]), st.just({"n": 1.5})),
    "boolean": st.one_of(st.sampled_from(["true", "false", "yes", 0, 1, [], {}])),
    "array": st.one_of(STRINGS, st.integers(), st.dictionaries(SHORT_TEXT, SCALARS, max_size=2)),
    "object": st.one_of(STRINGS, st.integers(), st.booleans(), st.lists(SCALARS, max_size=3)),
}


def _chance(numerator: int, denominator: int) -> st.SearchStrategy[bool]:
    """True about ``numerator`` times in ``denominator``.

    Hypothesis favours the first element of ``sampled_from`` (its shrink target), so False, the
    common case, comes first: a rare branch stays rare.
    """
    return st.sampled_from([False] * (denominator - numerator) + [True] * numerator)


# --- values from schemas ------------------------------------------------------------------------


@dataclass
class _Values:
    """Builds (and caches) the strategies for one document."""

    doc: Document
    cache: dict[tuple[int, int, Mode], st.SearchStrategy[Any]] = field(default_factory=dict)

    def of(self, schema: Schema, mode: Mode, depth: int = 0) -> st.SearchStrategy[Any]:
        key = (id(schema), min(depth, MAX_DEPTH + 1), mode)
        if key not in self.cache:
            self.cache[key] = st.deferred(lambda: self._build(schema, mode, depth))
        return self.cache[key]

    def _build(self, schema: Schema, mode: Mode, depth: int) -> st.SearchStrategy[Any]:
        resolved = self.doc.merged(schema)
        valid = self._valid(resolved, mode, depth)
        if resolved.get("nullable"):
            valid = st.none() | valid
        if mode is not Mode.FAULTY:
            return valid
        return _chance(1, 6).flatmap(lambda bad: self._fault(resolved, depth) if bad else valid)

    def _valid(self, schema: Schema, mode: Mode, depth: int) -> st.SearchStrategy[Any]:
        if "enum" in schema:
            return self._enum(schema, mode)
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return st.one_of([self.of(part, mode, depth) for part in schema[key]])
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            return self._object(schema, mode, depth)
        if kind == "array":
            items = schema.get("items", {})
            size = 3 if depth < MAX_DEPTH else 0
            return st.lists(self.of(items, mode, depth + 1), max_size=size)
        if kind == "integer":
            low = schema.get("minimum", -(2**53))
            return st.integers(min_value=low, max_value=2**53)
        if kind == "number":
            return st.integers(-(2**31), 2**31) | st.floats(
                allow_nan=False, allow_infinity=False, width=64
            )
        if kind == "boolean":
            return st.booleans()
        if kind == "string":
            if schema.get("format") == "date-time":
                return DATETIMES
            return STRINGS
        return JSON_JUNK if mode is Mode.FAULTY else FINITE_JUNK  # no type: anything goes

    def _enum(self, schema: Schema, mode: Mode) -> st.SearchStrategy[Any]:
        known = list(schema["enum"])
        valid = st.sampled_from(known)
        if mode is Mode.VALID:
            return valid
        if all(isinstance(v, int) for v in known):
            unknown: st.SearchStrategy[Any] = st.integers(-(2**31), 2**31)
        else:
            unknown = st.one_of(SHORT_TEXT, st.sampled_from(["Hibernating", "NEW_STATE", ""]))
        return valid | unknown.filter(lambda v: v not in known)

    def _object(self, schema: Schema, mode: Mode, depth: int) -> st.SearchStrategy[Any]:
        props: Mapping[str, Schema] = schema.get("properties", {})
        required = [name for name in schema.get("required", []) if name in props]
        optional = [name for name in props if name not in required]
        extra_schema = schema.get("additionalProperties")
        enums = [name for name in optional if "enum" in self.doc.merged(props[name])]

        @st.composite
        def build(draw: st.DrawFn) -> dict[str, Any]:
            out: dict[str, Any] = {}
            for name in required:
                out[name] = draw(self.of(props[name], mode, depth + 1))
            if optional and depth < MAX_DEPTH:
                chosen = draw(
                    st.lists(st.sampled_from(optional), unique=True, max_size=6 - depth * 2)
                )
                if mode is Mode.TOLERANT:  # always exercise the enums with unknown values
                    chosen += [name for name in enums if name not in chosen]
                for name in chosen:
                    out[name] = draw(self.of(props[name], mode, depth + 1))
            if isinstance(extra_schema, dict) and depth < MAX_DEPTH:
                extra_values = self.of(extra_schema, mode, depth + 1)
                keys = st.text(min_size=1, max_size=10).filter(lambda k: k not in props)
                out.update(draw(st.dictionaries(keys, extra_values, max_size=2)))
            elif mode is not Mode.VALID and draw(_chance(1, 3)):
                # Keys the API added later (for a typed additionalProperties they must fit it).
                keys = st.text(min_size=1, max_size=12).filter(lambda k: k not in props)
                junk = JSON_JUNK if mode is Mode.FAULTY else FINITE_JUNK
                out.update(draw(st.dictionaries(keys, junk, min_size=1, max_size=3)))
            if mode is Mode.FAULTY and len(required) > 0 and draw(_chance(1, 3)):
                for name in draw(st.lists(st.sampled_from(required), unique=True, min_size=1)):
                    out.pop(name, None)
            return out

        return build()

    def _fault(self, schema: Schema, depth: int) -> st.SearchStrategy[Any]:
        faults: list[st.SearchStrategy[Any]] = [st.none(), DEEP_JUNK, JSON_JUNK]
        kind = schema.get("type")
        if "enum" in schema:
            known = schema["enum"]
            faults.append(STRINGS.filter(lambda v: v not in known))
            kind = _type_of(known[0])
        if isinstance(kind, str) and kind in WRONG_TYPES:
            faults.append(WRONG_TYPES[kind])
        if schema.get("format") == "date-time":
            faults.append(BAD_DATES)
        return st.one_of(faults)


@functools.cache
def _values() -> _Values:
    return _Values(document())


def values(schema: Schema, mode: Mode) -> st.SearchStrategy[Any]:
    """JSON values for ``schema`` (see the module docstring for the modes)."""
    return _values().of(schema, mode)


def error_schema() -> Schema:
    return document().schemas["ErrorResponse"]


# --- bodies -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FakeResponse:
    """What the mock server answers."""

    status: int
    content: bytes
    headers: tuple[tuple[str, bytes], ...]
    kind: str
    """Which body strategy made ``content`` (for the statistics)."""
    coding: str = ""
    """What ``content-encoding`` says and whether it is true (for the statistics)."""

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key == name:
                return value.decode("latin-1")
        return None

    def __repr__(self) -> str:  # Hypothesis prints this for a failing example: keep it short.
        preview = self.content[:300]
        more = f"... ({len(self.content)} bytes)" if len(self.content) > 300 else ""
        return (
            f"FakeResponse(status={self.status}, kind={self.kind!r}, coding={self.coding!r}, "
            f"headers={self.headers!r}, content={preview!r}{more})"
        )


@st.composite
def _dump(draw: st.DrawFn, value: Any) -> str:
    text = json.dumps(value, ensure_ascii=draw(st.booleans()), allow_nan=True)
    if TOKEN in text and draw(st.booleans()):
        text = text.replace(TOKEN, ESCAPED_TOKEN)
    return text


def _json_bodies(schema: Schema | None, mode: Mode) -> st.SearchStrategy[str]:
    source = values(schema, mode) if schema is not None else JSON_JUNK
    return source.flatmap(lambda value: _dump(value))


def _truncate(text: str, cut: int) -> str:
    return text[: min(cut, max(len(text) - 1, 0))]


HTML_PAGES = st.builds(
    lambda title, body: (
        "<!DOCTYPE html>\n<html><head><title>"
        + title
        + "</title></head><body><h1>"
        + title
        + "</h1><p>"
        + body
        + "</p><hr><center>nginx</center></body></html>"
    ),
    st.one_of(
        st.sampled_from(
            [
                "502 Bad Gateway",
                "Just a moment...",
                "Attention Required! | Cloudflare",
                "Spheron — Sign in",
                f"Invalid token {TOKEN}",
            ]
        ),
        SHORT_TEXT,
    ),
    st.one_of(SHORT_TEXT, st.just(TOKEN), st.just("<script>alert(1)</script>")),
) | st.sampled_from(["<html>", "<html><title>unclosed", "<!-- only a comment -->", "<?xml?><a/>"])


def _recursion_bomb(depth: int, opener: str, closed: bool) -> str:
    closer = {"[": "]", '{"a":': "}", '{"message":': "}"}[opener]
    return opener * depth + ("1" + closer * depth if closed else "")


RECURSION_BOMBS = st.builds(
    _recursion_bomb,
    st.integers(min_value=500, max_value=60_000),
    st.sampled_from(["[", '{"a":', '{"message":']),
    st.booleans(),
)
"""Nesting beyond the interpreter's recursion limit: ``json.loads`` raises ``RecursionError``."""

ODD_JSON = st.sampled_from(
    [
        "null",
        "true",
        "0",
        '""',
        "[]",
        "{}",
        "[null]",
        "[{}]",
        '{"_id": NaN}',
        '{"_id": Infinity, "message": -Infinity}',
        '{"_id": 1e999}',
        '{"_id": "a", "_id": 5}',
        '{"_id": "a"} trailing garbage',
        '{"_id": "a"}{"_id": "b"}',
        '{"_id": "\\ud800"}',
        '{"message": "\\udfff lone surrogate"}',
        '\ufeff{"_id": "bom"}',
        "callback({});",
        ")]}',\n{}",
        '{"error": {"message": {"detail": ["a", 1]}}}',
        '{"message": ["one", "two"], "error": true}',
        '{"message": {"message": {"message": "nested"}}}',
        '{"data": {"_id": "wrapped"}, "success": true}',
        '{"__proto__": {}, "constructor": null}',
    ]
) | st.builds(lambda n: '{"_id": ' + "9" * n + "}", st.integers(4_000, 20_000))
"""JSON oddities: literals Python accepts (NaN, Infinity), duplicate keys, trailing data, lone
surrogates, a BOM, JSONP and anti-hijacking prefixes, integers past the 4300-digit limit."""


def _event_stream(payload: str) -> str:
    return f"event: message\ndata: {payload}\n\n"


@st.composite
def _encoded(draw: st.DrawFn, text: str) -> bytes:
    """``text`` in a wrong or broken encoding."""
    how = draw(st.sampled_from(["latin-1", "utf-16", "utf-16-le", "utf-32", "cp1252", "splice"]))
    if how == "splice":
        raw = text.encode("utf-8", errors="surrogatepass")
        at = draw(st.integers(min_value=0, max_value=len(raw)))
        junk = draw(st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\x80\x80", b"\xf8"]))
        return raw[:at] + junk + raw[at:]
    return text.encode(how, errors="replace")


@st.composite
def _body(draw: st.DrawFn, op: Operation, success: bool) -> tuple[bytes, str]:
    schema = op.success_schema if success else error_schema()
    if success and op.success_media_type == "text/event-stream":
        schema = document().schemas.get("StreamEvent", schema)
    kind = draw(
        st.sampled_from(
            [
                "valid",
                "valid",
                "faulty",
                "faulty",
                "faulty",
                "faulty",
                "faulty",
                "tolerant",
                "other-shape",
                "empty",
                "truncated",
                "truncated",
                "html",
                "huge",
                "binary",
                "non-utf-8",
                "deep",
                "odd-json",
                "event-stream",
            ]
        )
    )
    text: str | None = None
    if kind in ("valid", "faulty", "tolerant"):
        text = draw(_json_bodies(schema, Mode(kind)))
    elif kind == "other-shape":
        # An error body on a 2xx, a success body on an error, or another operation's answer.
        other = error_schema() if success else op.success_schema
        text = draw(_json_bodies(other, Mode.FAULTY))
    elif kind == "empty":
        text = draw(st.sampled_from(["", " ", "\n", "\r\n\t "]))
    elif kind == "truncated":
        full = draw(_json_bodies(schema, draw(st.sampled_from([Mode.VALID, Mode.FAULTY]))))
        text = _truncate(full, draw(st.integers(min_value=0, max_value=max(len(full) - 1, 0))))
    elif kind == "html":
        text = draw(HTML_PAGES)
    elif kind == "huge":
        huge = draw(HUGE_STRING)
        shape = draw(
            st.sampled_from(["raw", "string", "fields", "message", "html", "titles", "list"])
        )
        text = {
            "raw": lambda: huge,
            "string": lambda: json.dumps(huge, ensure_ascii=False),
            "fields": lambda: json.dumps({"_id": huge, "message": huge}, ensure_ascii=False),
            "message": lambda: json.dumps({"message": huge + TOKEN}, ensure_ascii=False),
            "html": lambda: "<html><title>" + huge + "</title></html>",
            "titles": lambda: "<title>" * (len(huge) // 7),  # unclosed tags: regex blow-ups
            "list": lambda: json.dumps([huge], ensure_ascii=False),
        }[shape]()
    elif kind == "binary":
        return draw(st.binary(max_size=512)), kind
    elif kind == "non-utf-8":
        source = draw(_json_bodies(schema, draw(st.sampled_from([Mode.VALID, Mode.FAULTY]))))
        return draw(_encoded(source)), kind
    elif kind == "deep":
        text = draw(RECURSION_BOMBS | DEEP_JUNK.map(json.dumps))
    elif kind == "odd-json":
        text = draw(ODD_JSON)
    else:
        text = _event_stream(draw(_json_bodies(schema, Mode.FAULTY)))
    return text.encode("utf-8", errors="surrogatepass"), kind


CONTENT_TYPES = st.sampled_from(
    [
        "application/json",
        None,
        "application/json; charset=utf-8",
        "application/json; charset=latin-1",
        "application/json; charset=bogus-charset",
        "application/problem+json",
        "text/html; charset=utf-8",
        "text/plain",
        "text/event-stream",
        "application/octet-stream",
        "application/xml",
        "multipart/form-data; boundary=x",
        "",
        "garbage",
    ]
)
HEADER_BYTES = st.one_of(
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40).map(str.encode),
    st.binary(max_size=20).filter(lambda b: b"\r" not in b and b"\n" not in b and b"\0" not in b),
    st.just(TOKEN.encode()),
)


@st.composite
def _headers(draw: st.DrawFn, status: int) -> tuple[tuple[str, bytes], ...]:
    headers: list[tuple[str, bytes]] = []
    content_type = draw(CONTENT_TYPES)
    if content_type is not None:
        headers.append(("content-type", content_type.encode()))
    if draw(_chance(1, 3)):
        headers.append((draw(st.sampled_from(["x-request-id", "request-id"])), draw(HEADER_BYTES)))
    if draw(_chance(1, 6)):
        headers.append(("retry-after", draw(HEADER_BYTES)))
    if draw(_chance(1, 20)):
        # Compressed bodies, and proxies that say a body is compressed when it is not.
        coding = draw(st.sampled_from(["gzip", "deflate", "br", "zstd", "x-unknown", "identity"]))
        headers.append(("content-encoding", coding.encode()))
    if 300 <= status < 400 and draw(st.booleans()):
        headers.append(("location", draw(HEADER_BYTES)))
    return tuple(headers)


STATUS_GROUPS: Mapping[str, st.SearchStrategy[int]] = {
    "2xx": st.sampled_from([200, 200, 200, 200, 201, 202, 203, 204, 206]),
    # Any 2xx is a success, including numbers http.HTTPStatus does not name (209, 299, ...).
    "other 2xx": st.integers(min_value=200, max_value=299),
    "error": st.sampled_from([400, 401, 403, 404, 409, 422, 429, 500, 502, 503]),
    "other error": st.integers(min_value=400, max_value=599),
    "3xx": st.sampled_from([301, 302, 303, 304, 307, 308]),
}
STATUSES = st.sampled_from(
    ["2xx"] * 10 + ["other 2xx"] + ["error"] * 6 + ["other error"] * 2 + ["3xx"]
).flatmap(STATUS_GROUPS.__getitem__)


@st.composite
def responses(draw: st.DrawFn, op: Operation) -> FakeResponse:
    """A malformed (or, sometimes, fine) answer to ``op``."""
    status = draw(STATUSES)
    content, kind = draw(_body(op, success=200 <= status < 300))
    headers = draw(_headers(status))
    coding = dict(headers).get("content-encoding")
    if coding in (b"gzip", b"deflate"):
        how = draw(st.sampled_from(["compressed", "lie", "truncated"]))
        if how != "lie":
            compressed = gzip.compress(content) if coding == b"gzip" else zlib.compress(content)
            cut = draw(st.integers(0, len(compressed))) if how == "truncated" else None
            content = compressed[:cut]
        return FakeResponse(status, content, headers, kind, f"{coding.decode()} ({how})")
    return FakeResponse(status, content, headers, kind)


def tolerant_values(op: Operation) -> st.SearchStrategy[Any]:
    """Valid 2xx bodies for ``op`` with extra keys and unknown enum values sprinkled in."""
    assert op.success_schema is not None
    return values(op.success_schema, Mode.TOLERANT)


__all__ = [
    "ESCAPED_TOKEN",
    "TOKEN",
    "FakeResponse",
    "Mode",
    "responses",
    "tolerant_values",
    "values",
]
