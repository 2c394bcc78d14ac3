"""A worker that owns a GPU group (`--gpus 0,1 --sp-size 2`) on the CPU: two processes under
torch.distributed (gloo), one slot, served through the real server.

The tiny LTX-2 model, sequence-parallel over the group, streams a session. The drills run on a group of
the synthetic generator (the same group code, seconds to start where two tiny ranks take a minute or
more): it shows in `/status` and `/metrics`; a follower killed (SIGKILL) or stopped (SIGSTOP, found by
its silence) mid-segment takes the group down, the session is told with the typed retryable
`worker_lost`, the supervisor restarts the whole group and the next session streams; no process,
descriptor or shared-memory file is left behind.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Iterator

import psutil
import pytest

from tests.integration.test_worker_faults import Footprint, next_session_streams, wait_gone, wait_ready
from tests.support.server import RunningServer, run_server
from tests.support.wsclient import started

pytestmark = pytest.mark.slow
GROUP = {"gpus": "0,1", "sp_size": 2, "restart_backoff_s": 0.1}
# 17 frames (the fewest a continuation allows), one attention backend: a tiny segment is cheap on 2 ranks.
TINY = {
    "model": "tiny",
    "width": 128,
    "height": 64,
    "num_frames": 17,
    "dtype": "float32",
    "attention": "sdpa",
    "sp_min_tokens": 0,  # split every forward (tiny's 8 and 32 video tokens would run whole by default)
}


@pytest.fixture(scope="module")
def synthetic_group() -> Iterator[RunningServer]:
    timing = {"latency": 1500, "heartbeat_interval_s": 0.2, "heartbeat_timeout_s": 3.0}
    with run_server(model="synthetic", **GROUP, **timing) as server:
        server.wait_ready(timeout_s=120)
        yield server


def the_group(server: RunningServer) -> dict[str, object]:
    (group,) = server.get("/status").json()["workers"]  # one slot for two "GPUs"
    return dict(group)


def rank_pids(server: RunningServer) -> list[int]:
    return [int(pid) for pid in the_group(server)["rank_pids"]]  # type: ignore[attr-defined]


async def test_a_group_is_one_slot_that_status_and_metrics_describe(synthetic_group: RunningServer) -> None:
    status = synthetic_group.get("/status").json()
    group = the_group(synthetic_group)
    assert (group["gpu_id"], group["gpus"], group["sp_size"]) == (0, [0, 1], 2)
    assert status["total_gpus"] == 1 and status["sp_size"] == 2
    leader, follower = rank_pids(synthetic_group)
    assert leader == group["pid"] and psutil.Process(follower).ppid() == leader
    metrics = synthetic_group.get("/metrics").text
    assert 'dreamverse_worker_gpus{gpu="0",gpus="0,1",sp_size="2"} 2.0' in metrics


@pytest.mark.timeout(600)  # two tiny ranks load and warm (two segments) in ~2 min on a loaded 2-core box
async def test_the_tiny_model_streams_a_session_through_a_two_rank_group() -> None:
    with run_server(**TINY, **GROUP) as server:
        server.wait_ready(timeout_s=400)
        assert len(rank_pids(server)) == 2
        await next_session_streams(server, timeout_s=120)


@pytest.mark.parametrize("fault", [signal.SIGKILL, signal.SIGSTOP], ids=["killed", "stopped"])
async def test_a_follower_lost_mid_segment_restarts_the_whole_group(
    synthetic_group: RunningServer, fault: signal.Signals
) -> None:
    await lose_a_follower(synthetic_group, fault, ready_timeout_s=120)


async def lose_a_follower(server: RunningServer, fault: signal.Signals, ready_timeout_s: float) -> None:
    """`fault` to rank 1 mid-segment: `worker_lost` (retryable), both ranks replaced, the next session
    streams, nothing left behind."""
    await next_session_streams(server, timeout_s=120)  # settled: a session's FFmpeg and sockets came and went
    before = Footprint.now()
    restarts = int(the_group(server)["restarts"])  # type: ignore[call-overload]
    old = rank_pids(server)
    client = await started(server.ws, "a rollout the follower does not finish")
    await client.until("ltx2_segment_start", timeout_s=120)
    os.kill(old[1], fault)
    error = await client.until("error", timeout_s=120)
    assert (error["code"], error["retryable"]) == ("worker_lost", True), error
    await client.close()
    await wait_gone(old, timeout_s=30)  # rank 0 too: the group went down as a whole
    await wait_ready(server, timeout_s=ready_timeout_s)
    new = rank_pids(server)
    assert len(new) == 2 and not set(new) & set(old)
    assert the_group(server)["restarts"] == restarts + 1
    await next_session_streams(server, timeout_s=120)
    await settle(before)


async def settle(before: Footprint, timeout_s: float = 15) -> None:
    """The footprint comes back to `before` (a session's FFmpeg ends a moment after its last byte)."""
    deadline = time.monotonic() + timeout_s
    while True:
        after = Footprint.now()
        same = after.children == before.children and after.shm == before.shm and after.fds <= before.fds + 2
        if same or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.2)
    assert after.children == before.children, (before.children, after.children)
    assert after.shm == before.shm, (before.shm, after.shm)
    assert after.fds <= before.fds + 2, f"descriptors {before.fds} -> {after.fds}"
