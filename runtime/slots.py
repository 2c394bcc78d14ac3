"""The FIFO queue of sessions waiting for a worker slot.

Every waiter is told its position whenever it changes (`queue_status`); a waiter that goes away leaves the
queue at once (its `acquire` is cancelled) and the others move up. Capacity is capped; past it `acquire`
raises `QueueFull` at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dreamverse.runtime.capacity import Lease, PositionCallback
from dreamverse.runtime.errors import QueueFull
from dreamverse.workers.lease import WorkerLease
from dreamverse.workers.supervisor import WorkerPool

logger = logging.getLogger(__name__)


@dataclass(eq=False, slots=True)
class _Waiter:
    session_id: str
    notify: PositionCallback
    front: bool
    future: asyncio.Future[WorkerLease] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )
    last_position: int | None = None


class SlotQueue:
    def __init__(self, pool: WorkerPool, cap: int) -> None:
        self._pool = pool
        self._cap = cap
        self._waiters: list[_Waiter] = []
        self.on_waiting: list[Callable[[], None]] = []  # called when a session has to wait for a slot
        self.requeues_lost_sessions = False
        pool.on_idle.append(self.dispatch)

    @property
    def depth(self) -> int:
        return len(self._waiters)

    async def acquire(self, session_id: str, notify: PositionCallback, *, front: bool = False) -> WorkerLease:
        """Wait for a worker (FIFO; `front`: before every waiter not queued at the front). Cancel to leave
        the queue."""
        if len(self._waiters) >= self._cap and self._pool.idle_handle() is None:
            raise QueueFull(
                f"all {self._pool.counts()['total']} slots are busy and {self._cap} sessions are waiting"
            )
        waiter = _Waiter(session_id, notify, front)
        behind = [w for w in self._waiters if not w.front] if front else []
        self._waiters.insert(self._waiters.index(behind[0]) if behind else len(self._waiters), waiter)
        self.dispatch()
        if not waiter.future.done():
            for callback in self.on_waiting:
                callback()
        try:
            return await waiter.future
        except BaseException:
            self._leave(waiter)
            raise

    def release(self, lease: Lease) -> None:
        assert isinstance(lease, WorkerLease), "a lease of another slot source"
        self._pool.release(lease)  # the pool calls `dispatch` when a worker is free again

    def dispatch(self) -> None:
        """Hand free workers to the front of the queue, then tell everyone left where they stand."""
        while self._waiters:
            handle = self._pool.idle_handle()
            if handle is None:
                break
            waiter = self._waiters.pop(0)
            if waiter.future.done():
                continue
            waiter.future.set_result(self._pool.lease(handle, waiter.session_id))
            self._tell(waiter, 0)
        for position, waiter in enumerate(self._waiters, start=1):
            self._tell(waiter, position)

    def _leave(self, waiter: _Waiter) -> None:
        if waiter in self._waiters:
            self._waiters.remove(waiter)
            logger.info("session %s left the queue", waiter.session_id)
            self.dispatch()
        elif waiter.future.done() and not waiter.future.cancelled():
            self._pool.release(waiter.future.result())  # got a worker just as it left

    def _tell(self, waiter: _Waiter, position: int) -> None:
        if waiter.last_position == position:
            return
        waiter.last_position = position
        counts = self._pool.counts()
        waiter.notify(position, counts["total"], counts["available"])

    def counts(self) -> dict[str, int]:
        return self._pool.counts()

    def describe(self) -> list[dict[str, Any]]:
        return self._pool.describe()
