"""An ended session is freed at once by reference counting: nothing of it waits for the cycle collector.

A session caught in a reference cycle lives on (with its segments' bytes) until the collector's next full
pass, which Python runs rarely once the heap is large: the soak's runtime RSS grew ~1 MB per 100 sessions
that way. The collector is switched off here, so any cycle left keeps its session visibly alive.
"""

from __future__ import annotations

import asyncio
import gc
import time

from benchmarks.soak import BEHAVIOURS, one_session, wait_idle
from dreamverse.runtime.segments.store import SegmentStore
from dreamverse.runtime.session.rollout import Rollout
from dreamverse.runtime.session.session import Session
from dreamverse.runtime.session.state import SessionMachine
from tests.support.server import RunningServer, run_server

_TRACKED = (Session, SessionMachine, Rollout, SegmentStore)


def _alive() -> dict[str, int]:
    counts = {cls.__name__: 0 for cls in _TRACKED}
    for obj in gc.get_objects():
        if type(obj) in _TRACKED:  # not isinstance: the heap holds dead weak proxies
            counts[type(obj).__name__] += 1
    return counts


async def _until_freed(timeout_s: float) -> dict[str, int]:
    """The live counts once they reach zero, or as they stand after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    counts = _alive()
    while any(counts.values()) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
        counts = _alive()
    return counts


async def _churn(server: RunningServer, rounds: int) -> None:
    for i in range(rounds):
        for behaviour in BEHAVIOURS:  # stream + leave, drop mid-stream, drop before init, leave while queued
            await one_session(server.ws, behaviour, i)
    await wait_idle(server.settings.server.port, timeout_s=30)


async def test_ended_sessions_are_freed_without_the_cycle_collector() -> None:
    with run_server(segment_cap=1, resume_grace_s=0.2, init_timeout_s=2) as server:
        server.wait_ready()
        await _churn(server, 1)  # warm: first-use caches
        gc.collect()
        warm = await _until_freed(10)
        assert not any(warm.values()), f"sessions alive after a full gc pass: {warm}"
        gc.disable()
        try:
            await _churn(server, 3)
            counts = await _until_freed(10)
        finally:
            gc.enable()
    assert not any(counts.values()), f"ended sessions still alive (in reference cycles): {counts}"
