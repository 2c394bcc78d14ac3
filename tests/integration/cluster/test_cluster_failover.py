"""`kill -9` of the worker agent serving a session in the middle of a segment (a real `dreamverse-server
--redis` replica, two real `dreamverse-worker` agents, a real redis-server).

The session is re-queued at the front and goes on on the other agent from its last finished segment; the
cut segment is rendered again, not skipped (`segment_restarted`, then its announcement and media afresh);
no segment the client had whole is sent twice. What the client ends up with plays as one continuous video
(ffprobe: frame count, duration, audio without gaps) and is, frame for frame, what an uninterrupted session
renders: the continuation state of the last finished segment survived the agent.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dreamverse.streaming import EncoderSettings
from dreamverse.streaming.export import concat_files
from tests.integration.cluster.test_cluster_agent import AGENT_TTL_S, KEYS, agent
from tests.integration.cluster.test_cluster_server import wait_slots
from tests.support.media import assert_joined, video_frame_hashes
from tests.support.redis import RedisProcess
from tests.support.server import TEST_GEOMETRY, RunningServer, run_server
from tests.support.wsclient import Client, started

PROMPTS = ("a lighthouse at dawn", "waves rise", "gulls circle")
CUT = 2  # wire numbering: the segment the agent dies in
LATENCY_MS = 1500  # a segment's media flows over this long, so a kill after its first chunks is mid-segment


@contextmanager
def replica(redis: RedisProcess) -> Iterator[RunningServer]:
    with run_server(
        redis=redis.url,
        redis_prefix=KEYS.prefix,
        agent_ttl_s=AGENT_TTL_S,
        segment_cap=len(PROMPTS),
        ticket_ttl_s=5.0,
    ) as server:
        yield server


def serving_agent(server: RunningServer) -> str:
    (held,) = server.get("/status").json()["workers"]
    return str(held["agent"])


async def until_mid_segment(client: Client, wire_idx: int, chunks: int) -> int:
    """Read until `chunks` fMP4 chunks of the segment arrived (its media still flowing); returns how many."""
    async with asyncio.timeout(60):
        while True:
            frame = await client.next_frame()
            if isinstance(frame, dict):
                finished = frame["type"] == "media_segment_complete" and frame["segment_idx"] == wire_idx
                assert not finished, "the segment finished before the agent could be killed in it"
            elif wire_idx in client.media and len(client.media[wire_idx].chunks) >= chunks:
                return len(client.media[wire_idx].chunks)


def of_type(client: Client, event_type: str) -> list[dict[str, Any]]:
    return [e for e in client.events if e["type"] == event_type]


def save_segments(client: Client, tmp_path: Path, name: str) -> list[Path]:
    paths = []
    for idx in sorted(client.media):
        path = tmp_path / f"{name}-{idx}.mp4"
        path.write_bytes(client.media[idx].data)
        paths.append(path)
    return paths


async def test_agent_killed_mid_segment_the_session_goes_on_on_the_other_agent(
    redis_proc: RedisProcess, tmp_path: Path
) -> None:
    with (
        agent(redis_proc.url, "agent-a", LATENCY_MS) as proc_a,
        agent(redis_proc.url, "agent-b", LATENCY_MS) as proc_b,
        replica(redis_proc) as server,
    ):
        await asyncio.to_thread(wait_slots, server, 2)
        client = await started(server.ws, *PROMPTS)
        first = serving_agent(server)
        victim, other = (proc_a, "agent-b") if first == "agent-a" else (proc_b, "agent-a")
        partial_chunks = await until_mid_segment(client, CUT, chunks=2)
        os.kill(victim.pid, signal.SIGKILL)

        restarted = await client.until("segment_restarted", timeout_s=AGENT_TTL_S * 5)
        assert restarted["segment_idx"] == CUT and restarted["code"] == "worker_lost"
        assert len(client.media[CUT].chunks) >= partial_chunks  # the partial media the client had
        await client.until("ltx2_stream_complete", timeout_s=60)
        assert serving_agent(server) == other
        assert len(of_type(client, "gpu_assigned")) == 2

        # The cut segment starts over after `segment_restarted`; nothing else is sent twice.
        inits = [e["segment_idx"] for e in of_type(client, "media_init")]
        assert inits == [1, CUT, CUT, 3]
        kinds = [(e["type"], e.get("segment_idx")) for e in client.events]
        restart_at = kinds.index(("segment_restarted", CUT))
        assert (
            kinds.index(("media_init", CUT))
            < restart_at
            < len(kinds) - kinds[::-1].index(("media_init", CUT))
        )
        assert [e["segment_idx"] for e in of_type(client, "ltx2_segment_start")] == [1, CUT, CUT, 3]
        for done_type in ("media_segment_complete", "ltx2_segment_complete"):
            assert [e["segment_idx"] for e in of_type(client, done_type)] == [1, 2, 3]
        complete = {e["segment_idx"]: e for e in of_type(client, "media_segment_complete")}
        for idx, media in client.media.items():  # every chunk relayed once, in order, none lost
            assert (len(media.chunks), len(media.data)) == (complete[idx]["chunks"], complete[idx]["bytes"])
        await client.send({"type": "leave"})
        await client.close()

        # The same session, uninterrupted, on the agent that is left.
        reference = await started(server.ws, *PROMPTS)
        await reference.until("ltx2_stream_complete", timeout_s=60)
        await reference.close()

    received = save_segments(client, tmp_path, "received")
    expected = save_segments(reference, tmp_path, "reference")
    for got, want in zip(received, expected, strict=True):
        assert video_frame_hashes(got) == video_frame_hashes(want), f"{got.name} differs from {want.name}"
    # Joined the way the export joins a branch (each segment cut at its video duration): one video.
    complete = {e["segment_idx"]: e for e in of_type(client, "media_segment_complete")}
    joined = tmp_path / "joined.mp4"
    durations_s = [complete[i]["duration_s"] for i in sorted(complete)]
    concat_files(received, durations_s, str(joined), EncoderSettings())
    frames = sum(e["frames"] for e in complete.values())
    assert frames == TEST_GEOMETRY["num_frames"] + 2 * 16  # a fresh segment, then two continued ones
    assert_joined(joined, frames, TEST_GEOMETRY["fps"])
