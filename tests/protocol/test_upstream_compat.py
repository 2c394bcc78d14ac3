"""The upstream web client's message sequences, replayed against our server: the events and HTTP it reads.

The sequences and the fields upstream reads are recorded in `upstream/client.json` (facts from upstream's
client source). A sequence sends upstream's own payloads, waits for events, and then checks that the events
came in upstream's order, that every field upstream reads is present, and that `segment_idx` numbers a
rollout's segments from 1.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
import websockets
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from dreamverse.runtime import routes
from tests.support.server import RunningServer, run_server
from tests.support.wsclient import Client

UPSTREAM = json.loads((Path(__file__).parent / "upstream" / "client.json").read_text(encoding="utf-8"))
SEQUENCES: dict[str, dict[str, Any]] = UPSTREAM["sequences"]


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, RunningServer]]:
    """One server per setting override of the sequences (upstream's cap is 6; these are smaller). A dropped
    socket keeps its slot for the resume grace (ours; upstream frees it at once): 1 s here."""
    with (
        run_server(segment_cap=2, resume_grace_s=1.0) as plain,
        run_server(segment_cap=4, resume_grace_s=1.0) as cap4,
    ):
        plain.wait_ready()
        cap4.wait_ready()
        yield {"plain": plain, "cap4": cap4}


def _server_for(servers: dict[str, RunningServer], sequence: dict[str, Any]) -> RunningServer:
    return servers["cap4"] if sequence.get("server") == {"segment_cap": 4} else servers["plain"]


def _is_subsequence(wanted: list[str], got: list[str]) -> bool:
    it = iter(got)
    return all(any(t == w for t in it) for w in wanted)


async def _slot_free(server: RunningServer) -> None:
    async with asyncio.timeout(20):
        while True:
            async with httpx.AsyncClient() as http:
                status = (await http.get(server.http + "/status")).json()
            if all(g["available"] for g in status["gpu_status"].values()):
                return
            await asyncio.sleep(0.05)


async def _run(server: RunningServer, sequence: dict[str, Any]) -> Client:
    client = await Client.connect(server.ws)
    for step in sequence["steps"]:
        if "send" in step:
            await client.send(UPSTREAM["messages"][step["send"]])
        elif "until" in step:
            event = await client.until(step["until"])
            for key, value in step.get("expect", {}).items():
                assert event[key] == value, f"{step['until']}.{key}: {event[key]!r} != {value!r}"
        elif "closed" in step:
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await client.until("never")
            assert closed.value.rcvd is not None and closed.value.rcvd.code == step["closed"]
        elif "close" in step:
            await client.close()
        elif "slot_free" in step:
            await _slot_free(server)
    return client


@pytest.mark.parametrize("name", sorted(SEQUENCES))
async def test_upstream_sequence(servers: dict[str, RunningServer], name: str) -> None:
    sequence = SEQUENCES[name]
    client = await _run(_server_for(servers, sequence), sequence)
    await client.close()
    types = client.types()
    assert _is_subsequence(sequence["order"], types), f"{name}: {sequence['order']} not in order in {types}"
    for event in client.events:
        missing = [f for f in UPSTREAM["reads"].get(event["type"], []) if f not in event]
        assert not missing, f"{event['type']} lacks {missing}, which upstream's client reads"
        if event["type"] in UPSTREAM["segment_events"]:
            assert event["segment_idx"] >= 1, f"upstream numbers segments from 1: {event}"
    if "segments" in sequence:
        starts = [e["segment_idx"] for e in client.events if e["type"] == "ltx2_segment_start"]
        assert starts == sequence["segments"]
        for start in client.events:
            if start["type"] == "media_init":
                assert start["segment_idx"] in sequence["segments"]


async def test_unknown_message_type_is_named(servers: dict[str, RunningServer]) -> None:
    client = await Client.connect(servers["plain"].ws)
    await client.send(UPSTREAM["messages"]["unknown"])
    error = await client.until("error")
    assert error["error_code"] == error["code"] == "unknown_message_type"
    assert "'select_model'" in error["message"]
    await client.close()


@pytest.mark.parametrize("path", sorted(UPSTREAM["http"]))
def test_upstream_http_shape(servers: dict[str, RunningServer], path: str) -> None:
    spec = UPSTREAM["http"][path]
    response = servers["plain"].get(path)
    assert response.status_code == spec["status"]
    body = response.json()
    assert set(spec["keys"]) <= set(body), f"{path} lacks {set(spec['keys']) - set(body)}"
    if "service" in spec:
        assert body["service"] in spec["service"]
    for key in spec.get("numbers", []):
        assert isinstance(body[key], int)
    if path == "/status":
        assert body["gpu_status"] and all(
            set(UPSTREAM["gpu_status_keys"]) <= set(g) for g in body["gpu_status"].values()
        )
    if path == "/curated-presets":
        assert body["presets"]
        for preset in body["presets"]:
            assert set(spec["preset_keys"]) <= set(preset) and isinstance(preset["segment_prompts"], list)


@pytest.mark.parametrize(
    ("model", "service"), [("synthetic", "ltx2-streaming-mock-server"), ("ltx2", "ltx2-streaming-backend")]
)
def test_healthz_names_the_service_as_upstream_does_for_the_mode(model: str, service: str) -> None:
    app = Starlette(routes=[Route("/healthz", routes.healthz)])
    app.state.dreamverse = SimpleNamespace(settings=SimpleNamespace(model=SimpleNamespace(model=model)))
    body = TestClient(app).get("/healthz").json()
    assert (body["status"], body["service"], body["server"]) == ("ok", service, "dreamverse")
