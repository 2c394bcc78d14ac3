"""Worker faults, each 5 times in a row on one server: `kill -9` of the worker mid-segment, a worker stopped
(SIGSTOP) past its heartbeat deadline, FFmpeg killed mid-segment, and a generator that raises.

Every round: the session is told with a typed, retryable error; a dead worker is replaced by a new process
(a worker whose segment failed lives on); the next session streams; and no process, pipe, descriptor or
shared-memory file is left behind.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

import psutil
import pytest

from tests.support.server import RunningServer, run_server
from tests.support.wsclient import Client

ROUNDS = 5
FAIL_PROMPT = "FAIL-HERE"
pytestmark = pytest.mark.slow


def init(prompt: str) -> dict[str, object]:
    return {"type": "session_init_v2", "curated_prompts": [prompt], "enhancement_enabled": False}


@dataclass(frozen=True)
class Footprint:
    """What this process (the runtime runs in it) holds: child processes, descriptors, shared memory."""

    children: frozenset[str]
    fds: int
    shm: frozenset[str]

    @classmethod
    def now(cls) -> Footprint:
        me = psutil.Process()
        children = frozenset(p.name() for p in me.children(recursive=True) if p.is_running())
        return cls(children, me.num_fds(), frozenset(os.listdir("/dev/shm")))


def worker(server: RunningServer) -> dict[str, object]:
    (described,) = server.get("/status").json()["workers"]
    return dict(described)


async def wait_ready(server: RunningServer, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while server.get("/readyz").status_code != 200:
        assert time.monotonic() < deadline, f"worker not back: {server.get('/status').text}"
        await asyncio.sleep(0.1)


async def wait_gone(pids: list[int], timeout_s: float = 10) -> None:
    deadline = time.monotonic() + timeout_s
    for pid in pids:
        while psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
            assert time.monotonic() < deadline, f"process {pid} outlived its worker"
            await asyncio.sleep(0.05)


async def ffmpeg_of(worker_pid: int, timeout_s: float = 10) -> list[int]:
    """The worker's FFmpeg processes, once its encoder runs."""
    deadline = time.monotonic() + timeout_s
    while True:
        found = [p.pid for p in psutil.Process(worker_pid).children() if p.name().startswith("ffmpeg")]
        if found or time.monotonic() > deadline:
            return found
        await asyncio.sleep(0.02)


async def next_session_streams(server: RunningServer, timeout_s: float = 30) -> None:
    client = await Client.connect(server.ws)
    await client.next_event()
    await client.send(init("the next session"))
    await client.until("media_init", timeout_s=timeout_s)
    complete = await client.until("ltx2_segment_complete", timeout_s=timeout_s)
    assert len(client.media[complete["segment_idx"]].data) > 0  # keyed by the wire's segment_idx
    await client.send({"type": "leave"})
    await client.close()


Fault = Callable[[int], Awaitable[None]]


async def run_rounds(
    server: RunningServer, fault: Fault, code: str, *, replaces_worker: bool, prompt: str = "a long segment"
) -> None:
    server.wait_ready()
    await next_session_streams(server)  # warm: the first FFmpeg run, the first connection
    before = Footprint.now()
    for round_idx in range(ROUNDS):
        pid = int(worker(server)["pid"])  # type: ignore[call-overload]
        client = await Client.connect(server.ws)
        await client.next_event()
        await client.send(init(f"round {round_idx}: {prompt}"))
        await client.until("ltx2_segment_start", timeout_s=30)
        encoders = await ffmpeg_of(pid) if replaces_worker else []  # they must end with their worker
        await fault(pid)
        error = await client.until("error", timeout_s=30)
        assert (error["code"], error["retryable"]) == (code, True), error
        await client.send({"type": "leave"})
        await client.close()
        await wait_gone(encoders if replaces_worker else [])
        await wait_ready(server)
        assert (int(worker(server)["pid"]) != pid) is replaces_worker  # type: ignore[call-overload]
        await next_session_streams(server)
        await wait_gone(await ffmpeg_of(int(worker(server)["pid"]), timeout_s=0))  # type: ignore[call-overload]
    after = Footprint.now()
    assert worker(server)["restarts"] == (ROUNDS if replaces_worker else 0)
    assert after.children == before.children and after.shm == before.shm
    assert after.fds <= before.fds + 2, f"descriptors {before.fds} -> {after.fds}"


def fault_server(heartbeat_timeout_s: float = 30.0) -> AbstractContextManager[RunningServer]:
    return run_server(
        latency=1500,
        restart_backoff_s=0.1,
        heartbeat_interval_s=0.2,
        heartbeat_timeout_s=heartbeat_timeout_s,
        synthetic_fail_prompt=FAIL_PROMPT,
    )


async def test_worker_killed_mid_segment_five_times() -> None:
    async def kill(pid: int) -> None:
        os.kill(pid, signal.SIGKILL)

    with fault_server() as server:
        await run_rounds(server, kill, "worker_lost", replaces_worker=True)


async def test_worker_stopped_past_its_heartbeat_five_times() -> None:
    async def stop(pid: int) -> None:
        os.kill(pid, signal.SIGSTOP)  # the watchdog kills it after `heartbeat_timeout_s` of silence

    with fault_server(heartbeat_timeout_s=2.0) as server:
        await run_rounds(server, stop, "worker_lost", replaces_worker=True)


async def test_ffmpeg_killed_mid_segment_five_times() -> None:
    async def kill_ffmpeg(pid: int) -> None:
        encoders = await ffmpeg_of(pid)
        assert encoders, "no FFmpeg running mid-segment"
        for encoder in encoders:
            os.kill(encoder, signal.SIGKILL)

    with fault_server() as server:
        await run_rounds(server, kill_ffmpeg, "worker_failed", replaces_worker=False)


async def test_generator_exception_five_times() -> None:
    async def nothing(pid: int) -> None:
        return None  # the prompt makes the synthetic generator raise mid-segment

    with fault_server() as server:
        await run_rounds(server, nothing, "worker_failed", replaces_worker=False, prompt=FAIL_PROMPT)
