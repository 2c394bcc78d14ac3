"""A worker that owns a GPU group (`--gpus 0,1 --sp-size 2`) on the CPU: two processes under
torch.distributed (gloo), one slot, served through the real server.

The tiny LTX-2 model streams a session through a group. The drills run on a group of the synthetic
generator (the same group code, seconds to start instead of a minute): `/status` and `/metrics` show the
group; a follower killed (SIGKILL) or stopped (SIGSTOP) mid-segment takes the group down, the session is
told with the typed retryable `worker_lost`, the supervisor restarts the whole group and the next session
streams; no process, descriptor or shared-memory file is left behind.
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
TINY = {"model": "tiny", "width": 128, "height": 64, "num_frames": 25, "fps": 24, "dtype": "float32"}
GROUP = {"gpus": "0,1", "sp_size": 2}


@pytest.fixture(scope="module")
def group_server() -> Iterator[RunningServer]:
    timing = {
        "latency": 1500,
        "restart_backoff_s": 0.1,
        "heartbeat_interval_s": 0.2,
        "heartbeat_timeout_s": 3.0,
    }
    with run_server(model="synthetic", **GROUP, **timing) as server:
        server.wait_ready(timeout_s=120)
        yield server


def the_group(server: RunningServer) -> dict[str, object]:
    (group,) = server.get("/status").json()["workers"]  # one slot for two "GPUs"
    return dict(group)


def rank_pids(server: RunningServer) -> list[int]:
    return [int(pid) for pid in the_group(server)["rank_pids"]]  # type: ignore[attr-defined]


async def test_a_group_is_one_slot_that_status_and_metrics_describe(group_server: RunningServer) -> None:
    status = group_server.get("/status").json()
    group = the_group(group_server)
    assert (group["gpu_id"], group["gpus"], group["sp_size"]) == (0, [0, 1], 2)
    assert status["total_gpus"] == 1 and status["sp_size"] == 2
    leader, follower = rank_pids(group_server)
    assert leader == group["pid"] and psutil.Process(follower).ppid() == leader
    metrics = group_server.get("/metrics").text
    assert 'dreamverse_worker_gpus{gpu="0",gpus="0,1",sp_size="2"} 2.0' in metrics


async def test_the_tiny_model_streams_a_session_through_a_two_process_group() -> None:
    with run_server(**TINY, **GROUP) as server:
        server.wait_ready(timeout_s=240)
        assert len(rank_pids(server)) == 2
        await next_session_streams(server)


@pytest.mark.parametrize("fault", [signal.SIGKILL, signal.SIGSTOP], ids=["killed", "stopped"])
async def test_a_follower_lost_mid_session_restarts_the_whole_group(
    group_server: RunningServer, fault: signal.Signals
) -> None:
    await next_session_streams(group_server)  # settled: the FFmpeg and connections of a session have come
    before = Footprint.now()
    restarts = int(the_group(group_server)["restarts"])  # type: ignore[call-overload]
    old = rank_pids(group_server)
    client = await started(group_server.ws, "a rollout the follower does not finish")
    await client.until("ltx2_segment_start", timeout_s=60)
    os.kill(old[1], fault)  # a stopped follower is found by its silence, after `heartbeat_timeout_s`
    error = await client.until("error", timeout_s=60)
    assert (error["code"], error["retryable"]) == ("worker_lost", True), error
    await client.close()
    await wait_gone(old, timeout_s=30)  # rank 0 and the follower: the group went down as a whole
    await wait_ready(group_server, timeout_s=180)
    new = rank_pids(group_server)
    assert not set(new) & set(old) and len(new) == 2
    assert the_group(group_server)["restarts"] == restarts + 1
    await next_session_streams(group_server)
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
