"""A session's hold on one remote slot: commands go to the slot's stream, events come from the session's.

It offers what `WorkerLease` offers the rollout (`start_stream`, `render`, `cancel`, `next_event`), so a
session cannot tell a local worker from a remote one. Commands are sent in order by one sender task (the
calls stay synchronous, like writes to a local pipe). While it waits for events the lease checks, at least
once a second, that its agent is alive and that the slot is still its own; when either stops being true,
or Redis cannot be reached, `next_event` raises `WorkerGone`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import cast

from redis.asyncio import Redis
from redis.exceptions import RedisError
from redis.typing import EncodableT, FieldT

from dreamverse.workers.errors import WorkerGone
from dreamverse.workers.handle import WorkerExited
from dreamverse.workers.ipc import (
    CancelStream,
    RenderSegment,
    ResumeStream,
    RuntimeToWorker,
    SegmentEncoded,
    StartStream,
    WorkerToRuntime,
)
from dreamverse.workers.remote.keys import Keys, split_slot_id
from dreamverse.workers.remote.registry import AgentRegistry
from dreamverse.workers.remote.streams import SessionStreamReader, StreamGap
from dreamverse.workers.remote.wire import WireError, encode

logger = logging.getLogger(__name__)
CHECK_EVERY_S = 1.0


@dataclass(frozen=True, slots=True)
class RemoteLeaseConfig:
    agent_ttl_s: float  # an agent silent this long is dead
    block_ms: int  # longest one read of the event stream waits
    command_max_len: int  # entries kept in a slot's command stream
    timeout_s: float  # every Redis call


class RemoteLease:
    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        config: RemoteLeaseConfig,
        *,
        slot: str,
        session_id: str,
        after_seq: int = 0,
    ) -> None:
        self.slot = slot
        self.agent_id, self.gpu_id = split_slot_id(slot)
        self.session_id = session_id
        self.released = False
        self.segments_served = 0
        self._redis = redis
        self._keys = keys
        self._config = config
        self._registry = AgentRegistry(redis, keys, config.agent_ttl_s)
        self.reader = SessionStreamReader(redis, keys, session_id, after_seq=after_seq)
        self._outbox: asyncio.Queue[RuntimeToWorker] = asyncio.Queue()
        self._sender: asyncio.Task[None] | None = None
        self._buffer: list[WorkerToRuntime] = []
        self._lost: str | None = None
        self._checked_at = time.monotonic()

    @property
    def is_alive(self) -> bool:
        return self._lost is None and not self.released

    # --- commands -----------------------------------------------------------------------------------

    def start_stream(self, stream_id: str, seed: int) -> None:
        self._buffer.clear()
        self._send(StartStream(stream_id=stream_id, seed=seed))

    def resume_stream(self, stream_id: str, state: bytes) -> None:
        """Start a stream that continues a saved state (another agent's `SegmentStateSaved`)."""
        self._buffer.clear()
        self._send(ResumeStream(stream_id=stream_id, state=state))

    def render(
        self, stream_id: str, segment_idx: int, prompt: str, initial_image: bytes | None = None
    ) -> None:
        self._send(RenderSegment(stream_id, segment_idx, prompt, initial_image))

    def cancel(self, stream_id: str) -> None:
        self._send(CancelStream(stream_id))

    def kill(self) -> None:
        """Give up on the slot (a hung segment): the next `next_event` raises `WorkerGone`. A remote
        process cannot be killed from here; its agent's supervisor watches its heartbeats."""
        self._lost = "given up on by the session (segment timeout)"

    def segment_served(self) -> None:
        self.segments_served += 1

    def _send(self, cmd: RuntimeToWorker) -> None:
        if self.released:
            return
        if self._sender is None:
            self._sender = asyncio.create_task(self._send_loop(), name=f"commands-{self.slot}")
        self._outbox.put_nowait(cmd)

    async def _send_loop(self) -> None:
        key = self._keys.slot_commands(self.slot)
        while True:
            cmd = await self._outbox.get()
            fields: dict[FieldT, EncodableT] = {"session": self.session_id.encode()}
            for name, value in encode(cmd).items():
                fields[name] = value
            try:
                async with asyncio.timeout(self._config.timeout_s):
                    await self._redis.xadd(key, fields, maxlen=self._config.command_max_len, approximate=True)
            except (RedisError, OSError, TimeoutError) as exc:
                self._lost = f"cannot reach Redis to command the worker: {exc}"
                logger.warning("session %s: %s", self.session_id, self._lost)
            finally:
                self._outbox.task_done()

    async def aclose(self) -> None:
        """Send what is queued (a last `CancelStream`), within the timeout, then stop the sender.

        The sender is stopped on every path, and a cancel of the caller always propagates: awaiting the
        cancelled sender raises its `CancelledError`, which is only the sender's own end when nobody
        cancelled the caller meanwhile (suppressing it outright would swallow the caller's cancel)."""
        self.released = True
        sender, self._sender = self._sender, None
        if sender is None:
            return
        try:
            async with asyncio.timeout(self._config.timeout_s):
                await self._outbox.join()
        except TimeoutError:
            logger.warning(
                "session %s: commands left unsent after %g s", self.session_id, self._config.timeout_s
            )
        finally:
            sender.cancel()
            try:
                await sender
            except asyncio.CancelledError:
                current = asyncio.current_task()
                if current is not None and current.cancelling():
                    raise

    # --- events -------------------------------------------------------------------------------------

    async def next_event(self) -> WorkerToRuntime:
        """The next event for this session; raises `WorkerGone` once the slot is lost."""
        while not self._buffer:
            if self._lost is not None:
                raise WorkerGone(self._lost)
            await self._fill()
        return self._buffer.pop(0)

    async def _fill(self) -> None:
        try:
            async with asyncio.timeout(self._config.timeout_s + self._config.block_ms / 1000):
                delivered = await self.reader.read(self._config.block_ms)
            for item in delivered:
                if isinstance(item.message, WorkerExited):
                    self._lost = item.message.detail
                    return
                event = item.message
                self._buffer.append(event)  # type: ignore[arg-type]
                if isinstance(event, SegmentEncoded):
                    await self.reader.trim_through(item.seq)
            # Once a second, not after every empty read: that was most of a replica's Redis round trips
            # (benchmarks/load.py: 19 commands per relayed chunk).
            if time.monotonic() - self._checked_at >= CHECK_EVERY_S:
                await self._check_hold()
        except (RedisError, OSError, TimeoutError) as exc:
            self._lost = f"cannot reach Redis: {exc}"
        except (StreamGap, WireError) as exc:
            self._lost = str(exc)

    async def _check_hold(self) -> None:
        self._checked_at = time.monotonic()
        if not await self._registry.is_alive(self.agent_id):
            self._lost = f"worker agent {self.agent_id} stopped sending heartbeats"
            return
        holder = cast(bytes | None, await self._redis.hget(self._keys.busy_slots, self.slot))
        if holder is None or holder.decode() != self.session_id:
            self._lost = f"slot {self.slot} is no longer held by this session"
