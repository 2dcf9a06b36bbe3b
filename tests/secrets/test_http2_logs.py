"""HTTP/2 debug logs must not carry the token in HPACK's encoding either.

The secret guard looks for the token's plain text. hpack (HTTP/2 header compression) also logs
whole header blocks at DEBUG ("Encoded header block to %s", "Decoding %s"), with the Authorization
value Huffman-coded: reversible, so the token in another spelling. The client's hpack filter
(``spheron._logs._RedactSecretHeaders``) therefore blanks every header-block record, not only the
records that name a secret header: in an encoded block "authorization" is a table index, not text.
"""

from __future__ import annotations

import logging

import httpx
import pytest
from hpack.huffman import HuffmanEncoder
from hpack.huffman_constants import REQUEST_CODES, REQUEST_CODES_LENGTH

from spheron import Spheron
from spheron.testing import DEFAULT_ORGANIZATION_ID, FakeSpheron

TOKEN = "http2-log-test-token-61c0d9"


def huffman(text: str) -> bytes:
    """The HPACK Huffman code of ``text`` without its last (padded) byte: found inside a block."""
    return bytes(HuffmanEncoder(REQUEST_CODES, REQUEST_CODES_LENGTH).encode(text.encode()))[:-1]


def test_hpack_debug_records_do_not_carry_the_encoded_token(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake = FakeSpheron()
    fake.add_token(token=TOKEN)
    caplog.set_level(logging.DEBUG, logger="hpack")
    with (
        fake,
        fake.serve(http2=True) as url,
        httpx.Client(http2=True, verify=fake.ssl_context()) as http,
        Spheron(TOKEN, base_url=url, http_client=http) as client,
    ):
        scope = client.token_scope()
    assert isinstance(scope.organizations, list)
    assert [o.id for o in scope.organizations] == [DEFAULT_ORGANIZATION_ID]
    hpack = [r for r in caplog.records if r.name.startswith("hpack")]
    redacted = [r for r in hpack if r.getMessage().startswith("hpack: header block redacted")]
    assert redacted, "hpack logged no header block at DEBUG: the check below would prove nothing"
    encoded = huffman(f"Bearer {TOKEN}")
    logged = [
        bytes(arg)
        for record in hpack
        for arg in (record.args if isinstance(record.args, tuple) else ())
        if isinstance(arg, (bytes, bytearray, memoryview))
    ]
    assert not [data for data in logged if encoded in data]
    assert not [r for r in hpack if encoded in r.getMessage().encode("latin-1", "replace")]
