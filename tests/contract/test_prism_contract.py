"""Contract tests: every operation of the pinned document, through the generated client, on Prism.

Stoplight Prism (``@stoplight/prism-cli``, pinned in package.json) runs ``prism mock`` on
``openapi/spheron-api.yaml`` four times: static examples, then ``--dynamic`` random ones from seeds
1, 2 and 3. For every operation the arguments are synthesized from the document (``_operations``),
the generated ``sync_detailed`` is called through a real ``spheron.Spheron`` (auth, retry and
error transports; ``max_retries=0``) and every operation again through ``asyncio_detailed`` and
``AsyncSpheron``. A call passes when Prism reports no request violation (its ``sl-violations``
header; an invalid request is answered 400 here, since every operation documents a 400) and the
2xx it mocked decodes into the generated models, which must encode again. The run ends with
``contract: N operations exercised, M violations`` in pytest's terminal summary.

Special operations:

* ``openCliLogin`` (documented ``302``, a page meant for a browser): Prism answers the 302 with a
  ``Location``; ``Spheron`` never follows redirects and raises ``APIStatusError`` naming the
  target, which is what the test expects for a documented 3xx.
* ``listIpnsNamesForOrganization`` (a ``GET`` with a JSON body): httpx sends the body and Prism
  validates it like any other (a GET without it is reported as "Body parameter is required").
* ``subscribeEvents``/``subscribeEventsUnversioned`` (``text/event-stream``): Prism cannot stream;
  it answers one static/random ``text/event-stream`` body and closes, which is all that can be
  checked here. Called as generated they are expected failures (strict xfail): ``Spheron`` sends
  ``Accept: application/json`` on every request and the generated functions do not override it,
  so Prism answers 406. ``test_event_streams_with_their_accept_header`` shows they work once the
  request accepts ``text/event-stream``. Fix: ``openapi/templates/endpoint_module.py.jinja``
  should send the documented 2xx media types as ``Accept`` when they do not include JSON; the
  xfail is derived from the generated ``_get_kwargs``, so it goes away with that fix.

Prism answers the documented 2xx (or 3xx) by default, as every operation documents exactly one;
no ``Prefer`` header is needed.

What Prism genuinely cannot do:

* Multipart arrays: Prism 5.x turns each multipart part into one string value and keeps only the
  last part of a repeated name (stoplightio/prism#2654), so ``files`` (``type: array`` of binary)
  always fails ``must be array``. The synthesizer leaves optional multipart arrays out; the
  required one of ``uploadDeploymentLegacy`` is still sent, that exact violation is reported as
  tolerated, and the operation's 2xx decoding is checked on a body synthesized from its schema.
* Recursive schemas: both Prism generators end the ``Project.latestDeployment`` ->
  ``Deployment.project`` -> ``Project`` cycle with a stub (static: ``{}``; dynamic: the
  property's annotations, ``{"description": ...}``), which does not match the schema, and Prism
  then reports its own mocked response. Those response-side violations are recognised (a
  violation located exactly at such a stub, plus the ``anyOf``/``type`` violations of its
  ancestors), listed in the summary and not counted; any other response violation fails.
"""

from __future__ import annotations

import httpx
import pytest
from openapi_python_client.utils import PythonIdentifier

from spheron import Spheron

from ._exchange import (
    ACCEPT_ISSUE,
    JSON_TYPES,
    Outcome,
    accept_mismatch,
    async_client,
    call_all_async,
    call_sync,
    success_media_types,
)
from ._operations import (
    FIELD_PREFIX,
    MINIMAL,
    Operation,
    Variant,
    build_call,
    operations,
    resolve,
)
from ._prism import PrismServer, installed_version, pinned_version
from ._report import Report

OPERATIONS = operations()


def _param(operation: Operation) -> object:
    marks = []
    if accept_mismatch(operation):
        media = ", ".join(success_media_types(operation))
        marks.append(pytest.mark.xfail(strict=True, reason=ACCEPT_ISSUE.format(media=media)))
    return pytest.param(operation, id=operation.operation_id, marks=marks)


def test_prism_is_pinned_and_installed() -> None:
    pinned = pinned_version()
    assert pinned and pinned[0].isdigit(), f"package.json must pin Prism exactly, not {pinned!r}"
    assert installed_version() == pinned, "node_modules is stale: run `npm ci`"


def test_every_operation_has_a_generated_function_and_valid_arguments() -> None:
    assert OPERATIONS, "the document has no operations"
    ids = [operation.operation_id for operation in OPERATIONS]
    assert len(set(ids)) == len(ids), "operationIds must be unique"
    for variant in (MINIMAL, *(Variant(full=True, index=i) for i in range(4))):
        calls = [build_call(operation, variant) for operation in OPERATIONS]
        assert len(calls) == len(OPERATIONS)


@pytest.mark.parametrize("operation", [_param(operation) for operation in OPERATIONS])
def test_operation(
    operation: Operation,
    prism: PrismServer,
    prism_client: tuple[Spheron, httpx.Client],
    contract_report: Report,
) -> None:
    client, _pool = prism_client
    call = build_call(operation, prism.mode.sync_variant)
    outcome = call_sync(client, call, prism.mode)
    contract_report.add(outcome)
    assert outcome.ok, outcome.describe()


async def test_every_operation_async(prism: PrismServer, contract_report: Report) -> None:
    client, pool = async_client(prism.base_url)
    calls = [build_call(operation, prism.mode.async_variant) for operation in OPERATIONS]
    try:
        outcomes = await call_all_async(client, calls, prism.mode)
    finally:
        await client.aclose()
        await pool.aclose()
    contract_report.add(*outcomes)
    failing = [o for o in outcomes if not o.ok and not accept_mismatch(o.operation)]
    fixed = [o.operation_id for o in outcomes if o.ok and accept_mismatch(o.operation)]
    violations = sum(len(o.request_violations) + len(o.response_violations) for o in outcomes)
    exercised = {o.operation_id for o in outcomes if o.status is not None}
    print(
        f"contract[{prism.mode.name}, async]: {len(exercised)} operations exercised, "
        f"{violations} violations"
    )
    assert len(exercised) == len(OPERATIONS)
    assert not failing, "\n".join(_describe(failing))
    assert not fixed, f"answered although their Accept does not match (Prism changed?): {fixed}"


def test_event_streams_with_their_accept_header(
    prism: PrismServer, prism_client: tuple[Spheron, httpx.Client], contract_report: Report
) -> None:
    client, _pool = prism_client
    streams = [
        operation
        for operation in OPERATIONS
        if success_media_types(operation)
        and not set(success_media_types(operation)) & set(JSON_TYPES)
    ]
    assert streams, "the document has no non-JSON operation any more: drop this test"
    outcomes: list[Outcome] = []
    for operation in streams:
        accepting = client.with_options(
            headers={"Accept": ", ".join(success_media_types(operation))}
        )
        call = build_call(operation, prism.mode.sync_variant)
        outcome = call_sync(accepting, call, prism.mode)
        outcome.notes.append("Accept set by the caller")
        outcomes.append(outcome)
    contract_report.add(*outcomes)
    assert all(o.ok for o in outcomes), "\n".join(_describe(outcomes))


def test_an_invalid_request_is_reported(
    prism: PrismServer, prism_client: tuple[Spheron, httpx.Client]
) -> None:
    """Negative control: an undocumented enum value in a required query parameter is caught."""
    client, _pool = prism_client
    for operation in OPERATIONS:
        enums = [
            p
            for p in operation.parameters
            if p.location == "query" and p.required and "enum" in resolve(p.schema)
        ]
        if enums:
            break
    else:
        pytest.fail("no operation with a required enum query parameter to send a bad value in")
    call = build_call(operation, MINIMAL)
    name = str(PythonIdentifier(value=enums[0].name, prefix=FIELD_PREFIX))
    call.kwargs[name] = type(call.kwargs[name])("not-a-documented-value")
    outcome = call_sync(client, call, prism.mode)
    assert not outcome.ok
    assert outcome.status == 400, outcome.describe()
    assert any(v["location"][:2] == ["request", "query"] for v in outcome.request_violations)


def _describe(outcomes: list[Outcome]) -> list[str]:
    return [outcome.describe() for outcome in outcomes]
