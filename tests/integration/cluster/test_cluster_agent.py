"""`dreamverse-worker` agents as real processes on a real redis-server: a segment rendered through Redis
is valid fMP4; an agent killed mid-segment is noticed, and the segment is rendered again on another."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import pytest
from redis.asyncio import Redis

from dreamverse.runtime.cluster.queue import QueueConfig, RedisSlotQueue
from dreamverse.workers.errors import WorkerGone
from dreamverse.workers.ipc import FragmentEncoded, MediaInitialized, SegmentEncoded, WorkerToRuntime
from dreamverse.workers.remote.keys import Keys
from dreamverse.workers.remote.lease import RemoteLease, RemoteLeaseConfig
from dreamverse.workers.remote.registry import AgentRegistry
from tests.support.media import streams_by_type
from tests.support.processes import stop
from tests.support.redis import RedisProcess

BIN = Path(sys.executable).parent
KEYS = Keys("test")
AGENT_TTL_S = 3.0
LEASE = RemoteLeaseConfig(agent_ttl_s=AGENT_TTL_S, block_ms=100, command_max_len=100, timeout_s=1)


@contextmanager
def agent(url: str, agent_id: str, latency_ms: int = 0) -> Iterator[subprocess.Popen[bytes]]:
    args = [
        str(BIN / "dreamverse-worker"),
        *("--redis", url, "--redis-prefix", KEYS.prefix, "--agent-id", agent_id),
        *("--model", "synthetic", "--latency", str(latency_ms), "--agent-ttl-s", str(AGENT_TTL_S)),
        *("--width", "256", "--height", "160", "--num-frames", "25", "--log-level", "warning"),
    ]
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL)
    try:
        yield proc
    finally:
        stop(proc)


async def wait_agents(redis: Redis, count: int, timeout_s: float = 60) -> None:
    registry = AgentRegistry(redis, KEYS, AGENT_TTL_S)
    async with asyncio.timeout(timeout_s):
        while True:
            if len(await registry.agents()) >= count:
                return
            await asyncio.sleep(0.1)


@asynccontextmanager
async def replica(url: str) -> AsyncIterator[RedisSlotQueue]:
    client = Redis.from_url(url, socket_timeout=2)
    queue = RedisSlotQueue(client, KEYS, QueueConfig(10, 5.0, 0.02, 2.0), LEASE)
    await queue.start()
    try:
        yield queue
    finally:
        await queue.stop()
        await client.aclose()


async def collect_segment(lease: RemoteLease, stream_id: str, idx: int) -> list[WorkerToRuntime]:
    events: list[WorkerToRuntime] = []
    async with asyncio.timeout(60):
        while not isinstance(events[-1:] and events[-1], SegmentEncoded):
            event = await lease.next_event()
            if getattr(event, "stream_id", None) == stream_id and getattr(event, "segment_idx", -1) == idx:
                events.append(event)
    return events


def media_of(events: list[WorkerToRuntime]) -> bytes:
    return b"".join(e.data for e in events if isinstance(e, FragmentEncoded))


def noop(position: int, total: int, available: int) -> None:
    pass


async def test_a_segment_rendered_through_redis_is_valid_fmp4(
    redis_proc: RedisProcess, redis_client: Redis, tmp_path: Path
) -> None:
    with agent(redis_proc.url, "agent-a"):
        await wait_agents(redis_client, 1)
        async with replica(redis_proc.url) as queue:
            lease = await queue.acquire("sess", noop)
            lease.start_stream("st", 10)
            lease.render("st", 0, "a red fox")
            events = await collect_segment(lease, "st", 0)
            assert isinstance(events[0], MediaInitialized) or any(
                isinstance(e, MediaInitialized) for e in events
            )
            done = events[-1]
            assert isinstance(done, SegmentEncoded) and done.frames == 25
            assert done.chunks == sum(isinstance(e, FragmentEncoded) for e in events)
            path = tmp_path / "segment.mp4"
            path.write_bytes(media_of(events))
            probed = streams_by_type(path)
            assert int(probed["video"]["nb_read_frames"]) == 25 and "audio" in probed
            queue.release(lease)


async def test_agent_killed_mid_segment_is_noticed_and_the_segment_renders_on_another(
    redis_proc: RedisProcess, redis_client: Redis, tmp_path: Path
) -> None:
    with agent(redis_proc.url, "agent-slow", latency_ms=4000) as slow:
        await wait_agents(redis_client, 1)
        async with replica(redis_proc.url) as queue:
            lease = await queue.acquire("sess", noop)
            assert lease.agent_id == "agent-slow"
            with agent(redis_proc.url, "agent-b"):
                await wait_agents(redis_client, 2)
                lease.start_stream("st", 10)
                lease.render("st", 0, "a red fox")
                async with asyncio.timeout(30):
                    while not isinstance(await lease.next_event(), FragmentEncoded):
                        pass
                os.kill(slow.pid, signal.SIGKILL)  # mid-segment: bytes already flowed
                with pytest.raises(WorkerGone, match="heartbeats"):
                    async with asyncio.timeout(AGENT_TTL_S * 5):
                        while True:
                            await lease.next_event()
                queue.release(lease)
                again = await asyncio.wait_for(queue.acquire("sess", noop, front=True), timeout=10)
                assert again.agent_id == "agent-b"
                again.start_stream("st2", 10)
                again.render("st2", 0, "a red fox")
                events = await collect_segment(again, "st2", 0)
                path = tmp_path / "again.mp4"
                path.write_bytes(media_of(events))
                assert int(streams_by_type(path)["video"]["nb_read_frames"]) == 25
                queue.release(again)
