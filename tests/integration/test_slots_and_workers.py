"""The slot queue and worker supervision, end to end over real sockets and real worker processes."""

from __future__ import annotations

import asyncio
import os
import signal
import time

from tests.support.server import RunningServer, run_server
from tests.support.wsclient import Client


def init(prompt: str) -> dict[str, object]:
    return {"type": "session_init_v2", "curated_prompts": [prompt], "enhancement_enabled": False}


async def test_second_client_waits_then_gets_the_slot_when_the_first_leaves(server: RunningServer) -> None:
    first = await Client.connect(server.ws)
    await first.next_event()
    await first.send(init("first client"))
    assert (await first.until("gpu_assigned"))["gpu_id"] == 0

    second = await Client.connect(server.ws)
    await second.next_event()
    await second.send(init("second client"))
    queued = await second.until("queue_status")
    assert queued["position"] == 1 and queued["total_gpus"] == 1 and queued["available_gpus"] == 0

    await first.send({"type": "leave"})
    assert (await second.until("queue_status"))["position"] == 0
    assert (await second.until("gpu_assigned"))["gpu_id"] == 0
    start = await second.until("ltx2_segment_start")
    assert start["prompt"] == "second client"
    await second.until("ltx2_segment_complete")
    await second.close()
    await first.close()


async def test_queued_client_that_disconnects_leaves_and_others_move_up(server: RunningServer) -> None:
    holder = await Client.connect(server.ws)
    await holder.next_event()
    await holder.send(init("holds the slot"))
    await holder.until("gpu_assigned")
    waiters = [await Client.connect(server.ws) for _ in range(2)]
    for i, waiter in enumerate(waiters):
        await waiter.next_event()
        await waiter.send(init(f"waiter {i}"))
        assert (await waiter.until("queue_status"))["position"] == i + 1

    await waiters[0].close()
    assert (await waiters[1].until("queue_status"))["position"] == 1
    queue = server.get("/readyz").json()["queue"]
    assert queue["waiting"] == 1
    await waiters[1].close()
    await holder.close()


async def test_queue_cap_gives_a_typed_error() -> None:
    with run_server(queue_cap=1) as server:
        server.wait_ready()
        holder = await Client.connect(server.ws)
        await holder.next_event()
        await holder.send(init("holds the slot"))
        await holder.until("gpu_assigned")
        waiter = await Client.connect(server.ws)
        await waiter.next_event()
        await waiter.send(init("waits"))
        await waiter.until("queue_status")
        rejected = await Client.connect(server.ws)
        await rejected.next_event()
        await rejected.send(init("one too many"))
        error = await rejected.until("error")
        assert error["code"] == "queue_full" and error["retryable"] is True
        for client in (holder, waiter, rejected):
            await client.close()


async def test_killed_worker_is_reported_restarted_and_serves_again() -> None:
    with run_server(latency=3000, restart_backoff_s=0.2) as server:
        server.wait_ready()
        client = await Client.connect(server.ws)
        await client.next_event()
        await client.send(init("a long segment"))
        await client.until("ltx2_segment_start")
        pid = server.get("/status").json()["workers"][0]["pid"]
        os.kill(pid, signal.SIGKILL)
        error = await client.until("error")
        assert (error["code"], error["retryable"]) == ("worker_lost", True)
        await client.close()

        deadline = time.monotonic() + 30
        while server.get("/readyz").status_code != 200:
            assert time.monotonic() < deadline, "worker was not restarted"
            await asyncio.sleep(0.1)
        worker = server.get("/status").json()["workers"][0]
        assert worker["restarts"] == 1 and worker["pid"] != pid

        again = await Client.connect(server.ws)
        await again.next_event()
        await again.send(init("after the restart"))
        await again.until("gpu_assigned")
        await again.until("media_init", timeout_s=30)
        await again.until("ltx2_segment_complete", timeout_s=30)
        assert len(again.media[1].data) > 0
        await again.close()


async def test_worker_lost_session_can_start_again_on_the_same_socket() -> None:
    with run_server(latency=3000, restart_backoff_s=0.2) as server:
        server.wait_ready()
        client = await Client.connect(server.ws)
        await client.next_event()
        await client.send(init("first try"))
        await client.until("ltx2_segment_start")
        os.kill(server.get("/status").json()["workers"][0]["pid"], signal.SIGKILL)
        assert (await client.until("error"))["code"] == "worker_lost"
        await client.send(init("second try"))
        await client.until("gpu_assigned", timeout_s=30)
        assert (await client.until("ltx2_segment_start"))["prompt"] == "second try"
        await client.close()


def test_readyz_is_503_until_a_worker_is_warm() -> None:
    # A slow synthetic warmup (its warmup segment carries the latency) keeps the worker cold for a while.
    with run_server(latency=4000) as server:
        cold = server.get("/readyz")
        assert cold.status_code == 503
        assert cold.json()["status"] == "warming"
        assert server.get("/healthz").status_code == 200
        server.wait_ready()
        warm = server.get("/readyz")
        assert warm.status_code == 200 and warm.json()["workers"]["ready"] == 1


async def test_status_and_metrics_describe_workers_and_sessions(server: RunningServer) -> None:
    client = await Client.connect(server.ws)
    session_id = (await client.next_event())["session_id"]
    await client.send(init("counted"))
    await client.until("ltx2_segment_complete")
    status = server.get("/status").json()
    (worker,) = status["workers"]
    assert worker["state"] == "busy" and worker["current_session"] == session_id
    assert worker["segments_served"] == 1 and worker["restarts"] == 0
    assert worker["warmup_s"] is not None and worker["load_s"] is not None
    assert status["sessions"]["streaming"] == 1 and status["total_gpus"] == 1
    metrics = server.get("/metrics").text
    assert 'dreamverse_workers{state="busy"} 1' in metrics
    assert 'dreamverse_segments_served{gpu="0"} 1' in metrics
    assert "dreamverse_queue_waiting 0" in metrics
    await client.close()
