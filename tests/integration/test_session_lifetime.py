"""How long a session lives and what it holds: sockets that never start, dropped sockets, slow segments."""

from __future__ import annotations

import asyncio
import hashlib
import os
import signal
import subprocess
import time
from typing import Any

import websockets

from tests.support.server import RunningServer, run_server
from tests.support.wsclient import Client, init, started


def live_sessions(server: RunningServer) -> int:
    return int(server.get("/status").json()["sessions"]["total"])


async def wait_for_sessions(server: RunningServer, count: int, timeout_s: float) -> float:
    """Seconds until `/status` counts `count` live sessions; fails after `timeout_s`."""
    started = time.monotonic()
    while live_sessions(server) != count:
        assert time.monotonic() - started < timeout_s, f"{live_sessions(server)} sessions still live"
        await asyncio.sleep(0.05)
    return time.monotonic() - started


async def test_socket_closed_before_its_first_message_drops_its_session_at_once(
    server: RunningServer,
) -> None:
    for _ in range(20):
        conn = await websockets.connect(server.ws)
        await conn.recv()  # session_ready: the server has created the session
        await conn.close()
    half_open = await websockets.connect(server.ws)
    await half_open.recv()
    await half_open.send("not json")  # an invalid first message does not start the session either
    await half_open.recv()
    await half_open.close()
    # idle timeout is 120 s and init timeout 30 s: the sessions must go because their sockets went
    assert await wait_for_sessions(server, 0, timeout_s=5) < 5


def decodable_frames(fmp4: bytes) -> int:
    """Video frames FFmpeg decodes from one segment's bytes (init segment + fragments)."""
    args = ["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0"]
    args += ["-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", "-"]
    out = subprocess.run(args, input=fmp4, capture_output=True, check=True).stdout
    return int(out.strip())


def worker_status(server: RunningServer) -> dict[str, Any]:
    workers = server.get("/status").json()["workers"]
    assert len(workers) == 1
    return dict(workers[0])


async def test_a_dropped_session_holds_at_the_next_boundary_and_the_resumed_client_misses_nothing() -> None:
    with run_server(latency=1000, resume_grace_s=30) as server:  # 1 s segments; the rollout has 6
        server.wait_ready()
        client = await started(server.ws, *(f"shot {i}" for i in range(6)))
        ready = client.events[0]
        received = (await client.until("ltx2_segment_complete"))["segment_idx"]
        served = worker_status(server)["segments_served"]
        await client.close()  # segment `received + 1` is on its way
        await asyncio.sleep(4.5)  # long enough for the rest of the rollout, had it gone on
        made_while_detached = worker_status(server)["segments_served"] - served
        assert made_while_detached <= 2  # only what was in flight: the current and a prefetched segment

        again = await Client.connect(server.ws)
        await again.next_event()
        resume = {"type": "session_resume", "session_id": ready["session_id"]}
        await again.send({**resume, "resume_token": ready["resume_token"]})
        resumed = await again.until("session_resumed")
        assert resumed["next_segment_idx"] == received + 1  # what the old socket missed comes first
        for idx in range(received + 1, received + 3):  # the missed segment, then a live one
            start = await again.until("ltx2_segment_start", timeout_s=15)
            media = await again.until("media_init")
            complete = await again.until("ltx2_segment_complete", timeout_s=15)
            assert start["segment_idx"] == media["segment_idx"] == complete["segment_idx"] == idx
            assert await asyncio.to_thread(decodable_frames, again.media[idx].data) == 16  # whole
        await again.close()


async def test_a_timed_out_segment_gives_the_worker_up_for_the_next_session() -> None:
    """After a `segment_timeout` the worker is killed and restarted: it belongs to whoever waits next."""
    with run_server(latency=1500, segment_timeout_s=3, heartbeat_timeout_s=60, segment_cap=2) as server:
        server.wait_ready()
        first = await started(server.ws, "first one", "first two")
        os.kill(worker_status(server)["pid"], signal.SIGSTOP)  # hangs mid-segment, no heartbeat check yet
        second = await Client.connect(server.ws)
        second_id = (await second.next_event())["session_id"]
        await second.send(init("second one", "second two"))
        await second.until("queue_status")
        error = await first.until("error", timeout_s=15)
        assert (error["code"], error["retryable"]) == ("segment_timeout", True)
        await second.until("gpu_assigned", timeout_s=30)
        await first.send({"type": "restart_generation"})  # the first session holds no worker any more
        assert (await first.until("error"))["code"] == "unexpected_message"
        await second.until("ltx2_stream_complete", timeout_s=30)
        assert second.types().count("ltx2_segment_complete") == 2 and "error" not in second.types()
        assert worker_status(server)["current_session"] == second_id
        await first.close()
        await second.close()


async def test_segment_timeout_bounds_a_slow_segment_not_only_a_silent_worker() -> None:
    """The worker keeps sending fragments, but the segment as a whole takes longer than allowed."""
    with run_server(latency=6000, segment_timeout_s=3, heartbeat_timeout_s=60) as server:
        server.wait_ready(timeout_s=90)
        client = await started(server.ws, "a slow one")
        assigned_at = time.monotonic()
        error = await client.until("error", timeout_s=30)
        waited_s = time.monotonic() - assigned_at
        assert (error["code"], error["retryable"]) == ("segment_timeout", True)
        assert waited_s < 5.5  # the 6 s segment was cut at its 3 s deadline
        assert "ltx2_segment_complete" not in client.types()
        await client.close()


def decoded_digest(fmp4: bytes) -> str:
    """A digest of the video frames FFmpeg decodes from one segment: equal frames, equal digest."""
    args = ["ffmpeg", "-v", "error", "-i", "-", "-map", "0:v:0", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    frames = subprocess.run(args, input=fmp4, capture_output=True, check=True).stdout
    assert frames
    return hashlib.sha256(frames).hexdigest()


async def test_a_detached_session_gives_its_slot_to_a_waiting_one_and_goes_on_after_a_resume() -> None:
    with run_server(latency=500, resume_grace_s=60) as server:  # one worker
        server.wait_ready()
        prompts = [f"shot {i}" for i in range(4)]
        first = await started(server.ws, *prompts, seed=7)
        ready = first.events[0]
        received = (await first.until("ltx2_segment_complete"))["segment_idx"]  # the rollout's first
        await first.close()

        other = await Client.connect(server.ws)
        await other.next_event()
        asked_at = time.monotonic()
        await other.send(init("someone else"))
        await other.until("gpu_assigned", timeout_s=15)
        assert time.monotonic() - asked_at < 10  # at the detached session's next boundary, not after 60 s
        assert server.get("/status").json()["sessions"]["parked"] == 1
        await other.until("ltx2_segment_complete")
        await other.send({"type": "leave"})

        again = await Client.connect(server.ws)
        await again.next_event()
        resume = {"type": "session_resume", "session_id": ready["session_id"]}
        await again.send({**resume, "resume_token": ready["resume_token"]})
        assert (await again.until("session_resumed"))["next_segment_idx"] == received + 1
        await again.until("gpu_assigned")  # queued again for a slot
        after = (received + 1, received + 2)  # the first was made before parking (replayed), the next after
        for idx in after:
            assert (await again.until("ltx2_segment_complete", timeout_s=15))["segment_idx"] == idx
        await again.send({"type": "leave"})

        straight = await started(server.ws, *prompts, seed=7)  # the same rollout, never interrupted
        for _ in range(3):
            await straight.until("ltx2_segment_complete", timeout_s=15)
        for idx in after:
            resumed_frames = await asyncio.to_thread(decoded_digest, again.media[idx].data)
            assert resumed_frames == await asyncio.to_thread(decoded_digest, straight.media[idx].data)
        await straight.close()
