"""Two `dreamverse-server --redis` replicas and two `dreamverse-worker` agents on one real redis-server:
sessions on either replica are served by either agent; Redis going away and coming back."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from tests.integration.cluster.test_cluster_agent import AGENT_TTL_S, KEYS, agent
from tests.support.media import streams_by_type
from tests.support.redis import RedisProcess
from tests.support.server import RunningServer, run_server
from tests.support.wsclient import Client


def replica(redis: RedisProcess):  # type: ignore[no-untyped-def]
    return run_server(
        redis=redis.url, redis_prefix=KEYS.prefix, agent_ttl_s=AGENT_TTL_S, segment_cap=2, ticket_ttl_s=5.0
    )


def init(prompt: str) -> dict[str, object]:
    prompts = [prompt, f"{prompt}, later"]  # one per segment (segment_cap=2)
    return {"type": "session_init_v2", "curated_prompts": prompts, "enhancement_enabled": False}


async def stream_two_segments(server: RunningServer, prompt: str) -> Client:
    client = await Client.connect(server.ws)
    await client.next_event()
    await client.send(init(prompt))
    await client.until("gpu_assigned", timeout_s=60)
    await client.until("ltx2_stream_complete", timeout_s=120)
    return client


def wait_slots(server: RunningServer, count: int, timeout_s: float = 90) -> None:
    deadline = time.monotonic() + timeout_s
    while server.get("/readyz").json()["workers"]["total"] < count:
        assert time.monotonic() < deadline, server.get("/readyz").text
        time.sleep(0.2)


def wait_status(server: RunningServer, code: int, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while server.get("/readyz").status_code != code:
        assert time.monotonic() < deadline, server.get("/readyz").text
        time.sleep(0.1)


async def test_two_replicas_and_two_agents_serve_sessions(redis_proc: RedisProcess, tmp_path: Path) -> None:
    with (
        agent(redis_proc.url, "agent-a"),
        agent(redis_proc.url, "agent-b"),
        replica(redis_proc) as one,
        replica(redis_proc) as two,
    ):
        await asyncio.to_thread(wait_slots, one, 2)  # both agents warm and registered
        two.wait_ready()
        clients = await asyncio.gather(
            stream_two_segments(one, "a fox on replica one"),
            stream_two_segments(two, "a ship on replica two"),
        )
        gpus = set()
        for i, client in enumerate(clients):
            gpus.add(next(e["gpu_id"] for e in client.events if e["type"] == "gpu_assigned"))
            assert sorted(client.media) == [1, 2]  # the wire counts segments from 1
            for idx, media in client.media.items():
                path = tmp_path / f"c{i}-s{idx}.mp4"
                path.write_bytes(media.data)
                probed = streams_by_type(path)
                assert int(probed["video"]["nb_read_frames"]) > 0 and "audio" in probed
            await client.close()
        assert len(gpus) >= 1


async def test_redis_down_makes_readyz_503_and_service_recovers(redis_proc: RedisProcess) -> None:
    with agent(redis_proc.url, "agent-a"), replica(redis_proc) as server:
        server.wait_ready(timeout_s=90)
        redis_proc.stop()
        wait_status(server, 503)
        client = await Client.connect(server.ws)
        await client.next_event()
        await client.send(init("while Redis is away"))
        error = await client.until("error", timeout_s=30)
        assert error["code"] == "coordinator_unavailable" and error["retryable"] is True
        await client.close()

        redis_proc.start()  # empty; the agent notices and registers again
        wait_status(server, 200, timeout_s=60)
        client = await stream_two_segments(server, "after Redis came back")
        assert sorted(client.media) == [1, 2]  # the wire counts segments from 1
        await client.close()
