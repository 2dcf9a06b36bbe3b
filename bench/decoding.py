"""3. Decoding: a 10,000-item deployments list into the generated models, against ``json.loads``.

The list comes from the embedded server (ten projects of 1,000 deployments each: its list
route renders in time quadratic in a project's deployments, so one project of 10,000 would take
the server ~20 s) and is joined into one JSON array. Our side is the full client path,
``client.projects.list_deployments(id, page_size=10_000).first_page()``, answered from memory by
an ``httpx.MockTransport`` so only decoding (and one in-process request) is timed. Pydantic v2's
``TypeAdapter.validate_json`` on equivalent models is shown for perspective.
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable

import httpx

from spheron import Spheron
from spheron.testing import DEFAULT_PROJECT_ID, DEFAULT_TOKEN

from ._common import AUTH, TIMEOUT_SECONDS, Figure, Settings, alternating, median
from ._server import ServerProcess

__all__ = ["fetch_list", "run"]


def fetch_list(server: ServerProcess, settings: Settings) -> bytes:
    """One JSON array of ``projects * per_project`` deployments, as the server renders them."""
    project_ids = server.call(
        "seed_deployments", (settings.decode_projects, settings.decode_per_project)
    )
    bodies = []
    with httpx.Client(base_url=server.info.http1, headers=AUTH, timeout=TIMEOUT_SECONDS) as http:
        for project_id in project_ids:
            response = http.get(f"/v1/project/{project_id}/deployments", params={"limit": 0})
            response.raise_for_status()
            bodies.append(response.content.strip()[1:-1])
    return b"[" + b",".join(bodies) + b"]"


def _cpu(fn: Callable[[], object]) -> float:
    gc.collect()
    start = time.process_time()
    fn()
    return time.process_time() - start


def run(server: ServerProcess, settings: Settings) -> list[Figure]:
    body = fetch_list(server, settings)
    count = settings.decode_projects * settings.decode_per_project

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    mock = httpx.MockTransport(answer)
    client = Spheron(DEFAULT_TOKEN, base_url="http://127.0.0.1:9", transport=mock)
    project_id = DEFAULT_PROJECT_ID

    def ours() -> None:
        items = client.projects.list_deployments(project_id, page_size=count).first_page().items
        assert len(items) == count

    from ._pydantic_models import deployments_adapter

    adapter = deployments_adapter()

    def pydantic() -> None:
        assert len(adapter.validate_json(body)) == count

    def raw() -> None:
        assert len(json.loads(body)) == count

    calls = {"raw": raw, "ours": ours, "pydantic": pydantic}
    samples: dict[str, list[float]] = {name: [] for name in calls}
    with client:
        ours()  # warm-up: lazy model imports
        pydantic()
        for _, name in alternating(list(calls), settings.decode_rounds):
            samples[name].append(_cpu(calls[name]))
    ms = {name: median(values) * 1000 for name, values in samples.items()}
    details = {
        "items": count,
        "body_bytes": len(body),
        "rounds": settings.decode_rounds,
        "cpu_ms_per_round": {k: [v * 1000 for v in vs] for k, vs in samples.items()},
    }
    return [
        Figure(
            id="decoding.models",
            group="decoding",
            label=f"decode {count:,} deployments into models",
            unit="ms",
            ours=ms["ours"],
            raw=ms["raw"],
            ratio=ms["ours"] / ms["raw"],
            ratio_of="vs json.loads",
            target=2.5,
            target_op="<=",
            details=details,
        ),
        Figure(
            id="decoding.pydantic",
            group="decoding",
            label=f"pydantic v2 TypeAdapter, {count:,} deployments",
            unit="ms",
            ours=ms["pydantic"],
            raw=ms["raw"],
            ratio=ms["pydantic"] / ms["raw"],
            ratio_of="pydantic vs json.loads",
            details={"items": count, "ours_vs_pydantic": ms["ours"] / ms["pydantic"]},
        ),
    ]
