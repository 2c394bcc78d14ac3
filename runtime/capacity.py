"""What a session needs from whatever hands out GPU slots, so that one host and scale-out look alike.

embedded (default)   SlotQueue over the local WorkerPool       → WorkerLease
scale-out (--redis)  RedisSlotQueue over agents in Redis        → RemoteLease
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from dreamverse.workers.ipc import WorkerToRuntime

PositionCallback = Callable[[int, int, int], None]  # (position, total_gpus, available_gpus)


class Lease(Protocol):
    """A session's hold on one worker slot."""

    session_id: str

    @property
    def gpu_id(self) -> int: ...

    @property
    def is_alive(self) -> bool: ...

    def kill(self) -> None: ...

    def start_stream(self, stream_id: str, seed: int) -> None: ...

    def resume_stream(self, stream_id: str, state: bytes) -> None: ...

    def render(
        self, stream_id: str, segment_idx: int, prompt: str, initial_image: bytes | None = None
    ) -> None: ...

    def cancel(self, stream_id: str) -> None: ...

    def segment_served(self) -> None: ...

    async def next_event(self) -> WorkerToRuntime: ...


class Slots(Protocol):
    """The queue of sessions waiting for a slot, and the workers behind it (for /readyz, /status)."""

    on_waiting: list[Callable[[], None]]  # called when a session has to wait for a slot
    # A session whose worker died mid-rollout queues again at the front and goes on from its last finished
    # segment (scale-out: another agent is usually free). Embedded, it is told and waits for a new init.
    requeues_lost_sessions: bool

    @property
    def depth(self) -> int: ...

    async def acquire(self, session_id: str, notify: PositionCallback, *, front: bool = False) -> Lease: ...

    def release(self, lease: Lease) -> None: ...

    def counts(self) -> dict[str, int]: ...

    def describe(self) -> list[dict[str, Any]]: ...
