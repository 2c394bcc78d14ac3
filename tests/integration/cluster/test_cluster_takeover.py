"""Sessions outlive their replica: real `dreamverse-server --redis` processes, a worker agent with one slot,
one redis-server. A replica killed with `kill -9` mid-segment → the client resumes on another with its
resume token and goes on; a dropped socket parks the session (someone waits, on either replica) and it
resumes on the same replica or on another one, which takes it over. What the client gets is checked with
ffmpeg: every segment whole, each continuation carrying the state of the segment before it (its frames
equal those of the same rollout never interrupted)."""

from __future__ import annotations

import asyncio
import hashlib
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosedError

from tests.integration.cluster.test_cluster_agent import AGENT_TTL_S, KEYS, agent
from tests.support.redis import RedisProcess, redis_server
from tests.support.replica import ReplicaProcess, replica_process
from tests.support.wsclient import Client, started

PROMPTS = [f"a lighthouse, shot {i}" for i in range(4)]
FRAMES = {1: 25}  # a rollout's first segment; continuations trim 9 frames of overlap (25 - 9 = 16)


def decoded(fmp4: bytes) -> tuple[int, str]:
    """(frames, digest of the decoded video) of one segment's bytes: equal frames, equal digest."""
    args = ["ffmpeg", "-v", "error", "-i", "-", "-map", "0:v:0", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    raw = subprocess.run(args, input=fmp4, capture_output=True, check=True, timeout=60).stdout
    frame_bytes = 256 * 160 * 3
    assert raw and len(raw) % frame_bytes == 0
    return len(raw) // frame_bytes, hashlib.sha256(raw).hexdigest()


FLAGS = {"agent_ttl_s": AGENT_TTL_S, "segment_cap": len(PROMPTS), "resume_grace_s": 60}


@dataclass
class Cluster:
    redis: RedisProcess
    one: ReplicaProcess
    two: ReplicaProcess
    doomed: ReplicaProcess  # the one `kill -9` takes down
    reference: dict[int, tuple[int, str]]  # the rollout never interrupted: (frames, digest) by segment


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    """Started once for this module (processes take seconds to start on a loaded machine)."""
    with ExitStack() as stack:
        redis = stack.enter_context(redis_server())
        stack.enter_context(agent(redis.url, "agent-a", latency_ms=800))  # one slot, 0.8 s segments
        one, two, doomed = (
            stack.enter_context(replica_process(redis.url, KEYS.prefix, **FLAGS)) for _ in range(3)
        )  # all three start at once
        for replica in (one, two, doomed):
            replica.wait_ready(timeout_s=90)
        yield Cluster(redis, one, two, doomed, asyncio.run(straight_rollout(two)))


async def resume(replica: ReplicaProcess, ready: dict[str, Any]) -> Client:
    """A new socket that resumes the session `ready` announced (with the latest token it was given)."""
    client = await Client.connect(replica.ws)
    await client.next_event()
    message = {"type": "session_resume", "session_id": ready["session_id"]}
    await client.send({**message, "resume_token": ready["resume_token"]})
    return client


async def until_bytes_of(client: Client, segment_idx: int) -> None:
    """Until the client holds some, not all, of a segment's media: the replica is mid-segment."""
    await client.until("media_init", timeout_s=60)
    assert client.events[-1]["segment_idx"] == segment_idx
    async with asyncio.timeout(30):
        while not client.media[segment_idx].chunks:
            frame = await client.conn.recv()
            assert isinstance(frame, bytes), f"{frame!r} before any media of segment {segment_idx}"
            client.media[segment_idx].chunks.append(frame)


def completed(client: Client) -> list[int]:
    return [e["segment_idx"] for e in client.events if e["type"] == "ltx2_segment_complete"]


async def straight_rollout(replica: ReplicaProcess) -> dict[int, tuple[int, str]]:
    """The same rollout never interrupted: what every resumed segment must equal."""
    client = await started(replica.ws, *PROMPTS, seed=7)
    await client.until("ltx2_stream_complete", timeout_s=120)
    await client.send({"type": "leave"})
    out = {idx: await asyncio.to_thread(decoded, media.data) for idx, media in client.media.items()}
    await client.close()
    return out


async def assert_as_never_interrupted(cluster: Cluster, got: dict[int, bytes]) -> None:
    assert sorted(got) == list(range(1, len(PROMPTS) + 1))
    for idx, data in got.items():
        frames, digest = await asyncio.to_thread(decoded, data)
        assert frames == FRAMES.get(idx, 16)  # whole; a continuation of the segment before it
        assert (frames, digest) == cluster.reference[idx]  # rendered from the state segment idx-1 left


async def test_a_replica_killed_mid_segment_the_client_resumes_on_the_other(cluster: Cluster) -> None:
    one, two = cluster.doomed, cluster.two
    first = await started(one.ws, *PROMPTS, seed=7)
    ready = first.events[0]
    assert (await first.until("ltx2_segment_complete", timeout_s=60))["segment_idx"] == 1
    await until_bytes_of(first, 2)
    one.kill()  # mid-segment 2: the client holds part of it
    with pytest.raises(ConnectionClosedError):  # cut: no close frame
        await first.until("ltx2_segment_complete", timeout_s=30)

    again = await resume(two, ready)
    resumed = await again.until("session_resumed")
    assert resumed["next_segment_idx"] == 2  # the cut segment, whole, then the rest
    assert resumed["prompts"] == PROMPTS
    await again.until("ltx2_stream_complete", timeout_s=60)
    assert completed(first) == [1] and completed(again) == [2, 3, 4]  # nothing lost, nothing twice
    assert "error" not in again.types()
    starts = [e for e in again.events if e["type"] == "ltx2_segment_start"]
    assert [e["prompt"] for e in starts] == PROMPTS[1:]
    await again.send({"type": "leave"})
    await again.close()

    got = {1: first.media[1].data} | {idx: again.media[idx].data for idx in (2, 3, 4)}
    await assert_as_never_interrupted(cluster, got)


async def drop_after_next_segment(client: Client) -> tuple[dict[str, Any], int]:
    """Let the client have one more segment whole, then close its socket without `leave`."""
    done = await client.until("ltx2_segment_complete", timeout_s=60)
    ready = next(e for e in reversed(client.events) if e["type"] == "session_ready")
    await client.close()
    return ready, done["segment_idx"]


async def sessions_on(replica: ReplicaProcess, count: int, timeout_s: float = 10) -> None:
    async with asyncio.timeout(timeout_s):
        while True:
            status = (await asyncio.to_thread(replica.get, "/status")).json()
            if status["sessions"]["total"] == count:
                return
            await asyncio.sleep(0.1)


async def someone_waits(replica: ReplicaProcess) -> None:
    """A session that gets the only slot once the detached one parks, renders a segment and leaves."""
    other = await started(replica.ws, "someone else")
    await other.until("ltx2_segment_complete", timeout_s=60)
    await other.send({"type": "leave"})
    await other.close()


async def test_a_parked_session_resumes_on_the_same_replica_or_is_taken_over_by_another(
    cluster: Cluster,
) -> None:
    one, two = cluster.one, cluster.two
    got: dict[int, bytes] = {}
    client = await started(one.ws, *PROMPTS, seed=7)
    ready, idx = await drop_after_next_segment(client)  # segment 1
    got[idx] = client.media[idx].data
    await someone_waits(two)  # waiting on the other replica: the session on `one` parks for it
    assert one.get("/status").json()["sessions"]["parked"] == 1

    client = await resume(one, ready)  # the same replica: it queues again and goes on
    assert (await client.until("session_resumed"))["next_segment_idx"] == 2
    await client.until("gpu_assigned", timeout_s=30)
    ready, idx = await drop_after_next_segment(client)  # segment 2
    got[idx] = client.media[idx].data

    client = await resume(two, ready)  # another replica, while `one` still holds the slot: it hands off
    assert (await client.until("session_resumed"))["next_segment_idx"] == 3
    ready, idx = await drop_after_next_segment(client)  # segment 3
    got[idx] = client.media[idx].data
    await sessions_on(one, 0)  # handed off, not left behind
    await someone_waits(one)  # now it parks on `two`

    client = await resume(one, ready)  # and is taken over, parked, by `one`
    assert (await client.until("session_resumed"))["next_segment_idx"] == 4
    await client.until("ltx2_stream_complete", timeout_s=60)
    got[4] = client.media[4].data
    assert completed(client) == [4] and "error" not in client.types()
    await client.send({"type": "leave"})
    await client.close()
    await assert_as_never_interrupted(cluster, got)
