"""The worker pool: starts one process per slot (one GPU, or a GPU group whose rank 0 starts the other
ranks), watches heartbeats, restarts the dead (a group as a whole).

Restart policy: a dead or hung worker is restarted after `restart_backoff_s`, doubling per consecutive
failure up to 60 s; a worker that reaches READY resets its backoff. Stop = `Shutdown`, join with a
timeout, then terminate, then kill.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dreamverse.workers.handle import WorkerHandle, WorkerState
from dreamverse.workers.ipc import Shutdown
from dreamverse.workers.lease import WorkerLease
from dreamverse.workers.spec import WorkerSpec

logger = logging.getLogger(__name__)
_MAX_BACKOFF_S = 60.0


@dataclass(frozen=True, slots=True)
class PoolTimeouts:
    heartbeat_timeout_s: float
    warmup_timeout_s: float
    restart_backoff_s: float
    shutdown_timeout_s: float
    watchdog_interval_s: float = 0.5


class WorkerPool:
    def __init__(self, specs: list[WorkerSpec], timeouts: PoolTimeouts) -> None:
        self.specs = specs
        self.timeouts = timeouts
        self.handles: list[WorkerHandle] = []
        self.on_idle: list[Callable[[], None]] = []  # called when a worker may have become free
        self._failures: dict[int, int] = {}
        self._restart_at: dict[int, float] = {}
        self._watchdog: asyncio.Task[None] | None = None
        self._stopping = False

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        for spec in self.specs:
            handle = WorkerHandle(spec, loop)
            handle.on_change.append(self._on_change)
            self.handles.append(handle)
            handle.start()
        self._watchdog = asyncio.create_task(self._watch(), name="worker-watchdog")

    async def stop(self) -> None:
        self._stopping = True
        if self._watchdog is not None:
            self._watchdog.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watchdog
        for handle in self.handles:
            handle.send(Shutdown())
        await asyncio.to_thread(self._join_all)

    def _join_all(self) -> None:
        deadline = time.monotonic() + self.timeouts.shutdown_timeout_s
        for handle in self.handles:
            if not handle.join(max(0.0, deadline - time.monotonic())):
                handle.terminate()
                if not handle.join(2.0):
                    handle.kill()
                    handle.join(2.0)

    # --- leasing ------------------------------------------------------------------------------------

    def idle_handle(self) -> WorkerHandle | None:
        return next((h for h in self.handles if h.state is WorkerState.READY and h.session_id is None), None)

    def lease(self, handle: WorkerHandle, session_id: str) -> WorkerLease:
        assert handle.state is WorkerState.READY and handle.session_id is None
        handle.state = WorkerState.BUSY
        handle.session_id = session_id
        return WorkerLease(handle, session_id)

    def release(self, lease: WorkerLease) -> None:
        if lease.released:
            return
        lease.released = True
        handle = lease.handle
        if handle.session_id != lease.session_id:
            return
        handle.session_id = None
        if handle.state is WorkerState.BUSY and not lease.is_killed:  # a killed one comes back via DEAD
            handle.state = WorkerState.READY
        self._notify_idle()

    # --- watching -----------------------------------------------------------------------------------

    def _on_change(self, handle: WorkerHandle) -> None:
        if handle.state is WorkerState.READY:
            self._failures[handle.gpu_id] = 0
            self._notify_idle()
        elif handle.state is WorkerState.DEAD and not self._stopping:
            handle.session_id = None
            failures = self._failures.get(handle.gpu_id, 0)
            self._failures[handle.gpu_id] = failures + 1
            delay = min(_MAX_BACKOFF_S, self.timeouts.restart_backoff_s * (2**failures))
            self._restart_at[handle.gpu_id] = time.monotonic() + delay
            logger.info("%s: restarting in %.1f s", handle.spec.name, delay)

    def _notify_idle(self) -> None:
        for callback in self.on_idle:
            callback()

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.timeouts.watchdog_interval_s)
            now = time.monotonic()
            for handle in self.handles:
                self._check(handle, now)

    def _check(self, handle: WorkerHandle, now: float) -> None:
        if handle.state is WorkerState.DEAD:
            restart_at = self._restart_at.get(handle.gpu_id)
            if restart_at is not None and now >= restart_at:
                del self._restart_at[handle.gpu_id]
                handle.start()
            return
        silent_s = now - handle.last_heartbeat
        # A booting process has no heartbeat thread yet (imports can take seconds on a busy host): until it
        # is READY, `warmup_timeout_s` bounds it instead.
        serving = handle.state in (WorkerState.READY, WorkerState.BUSY)
        if serving and silent_s > self.timeouts.heartbeat_timeout_s:
            logger.error("%s: no heartbeat for %.0f s; killing it", handle.spec.name, silent_s)
            handle.kill()
        elif self._warming_too_long(handle, now):
            logger.error("%s: not warm after %.0f s; killing it", handle.spec.name, now - handle.started_at)
            handle.kill()

    def _warming_too_long(self, handle: WorkerHandle, now: float) -> bool:
        warming = handle.state in (WorkerState.STARTING, WorkerState.WARMING)
        return warming and now - handle.started_at > self.timeouts.warmup_timeout_s

    # --- reporting ----------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        counts = {state.value: 0 for state in WorkerState}
        for handle in self.handles:
            counts[handle.state.value] += 1
        counts["total"] = len(self.handles)
        counts["available"] = sum(
            1 for h in self.handles if h.state is WorkerState.READY and h.session_id is None
        )
        return counts

    def describe(self) -> list[dict[str, Any]]:
        return [
            {
                "gpu_id": h.gpu_id,
                "gpus": list(h.spec.gpu_ids or (h.gpu_id,)),  # the slot's GPUs (a group has several)
                "sp_size": h.spec.sp_size,
                "state": h.state.value,
                "pid": h.pid,
                "rank_pids": list(h.rank_pids),
                "generator": h.generator_name,
                "load_s": h.load_s,
                "warmup_s": h.warmup_s,
                "current_session": h.session_id,
                "segments_served": h.segments_served,
                "restarts": h.restarts,
                "last_failure": h.last_failure,
            }
            for h in self.handles
        ]
