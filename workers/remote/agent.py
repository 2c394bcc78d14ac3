"""`dreamverse-worker`: a GPU host's agent. Runs local worker processes and serves them through Redis.

    run_agent(config, pool)   # until SIGTERM / SIGINT

The agent starts its `WorkerPool` (the same supervised processes as the embedded server), waits until
they are warm, then registers one slot per worker and keeps it with heartbeats. Per slot, commands are
read from the slot's stream and handed to the worker once it is ready (a restarted worker gets them after
its warmup); its events are appended to the stream of the session that sent the stream's `StartStream`
(or `ResumeStream`: a stream that goes on from a saved state, after a park or another agent's death).
A worker that dies mid-segment is reported to that session as `WorkerExited`; the supervisor restarts it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
from collections.abc import Callable
from dataclasses import dataclass, field

from redis.asyncio import Redis
from redis.exceptions import RedisError

from dreamverse.workers.handle import WorkerExited, WorkerHandle, WorkerState
from dreamverse.workers.ipc import ResumeStream, RuntimeToWorker, StartStream
from dreamverse.workers.remote.keys import Keys, slot_id
from dreamverse.workers.remote.registry import AgentInfo, AgentRegistry
from dreamverse.workers.remote.streams import SessionStreamWriter, stream_reply
from dreamverse.workers.remote.wire import WireError, decode
from dreamverse.workers.supervisor import WorkerPool

logger = logging.getLogger(__name__)
_READY_STATES = (WorkerState.READY, WorkerState.BUSY)
_KEEP_STREAMS = 4  # stream → session routes kept per slot (late chunks of a cancelled stream still route)


@dataclass(frozen=True, slots=True)
class AgentConfig:
    redis_url: str
    prefix: str
    agent_id: str
    model: str
    ttl_s: float  # heartbeats every ttl/3; silent this long, replicas treat the agent as dead
    timeout_s: float  # every Redis call
    stream_max_len: int
    stream_ttl_s: float


@dataclass(slots=True)
class _Slot:
    handle: WorkerHandle
    commands: asyncio.Queue[tuple[str, RuntimeToWorker]] = field(default_factory=asyncio.Queue)
    routes: dict[str, str] = field(default_factory=dict)  # stream id → session id
    session_id: str | None = None  # the session of the latest StartStream or ResumeStream

    def session_for(self, event: object) -> str | None:
        if isinstance(event, WorkerExited):
            return self.session_id
        stream_id = getattr(event, "stream_id", None)
        return self.routes.get(stream_id) if isinstance(stream_id, str) else None


class Agent:
    def __init__(self, config: AgentConfig, pool: WorkerPool, redis: Redis) -> None:
        self.config = config
        self.pool = pool
        self._redis = redis
        self._keys = Keys(config.prefix)
        self._registry = AgentRegistry(redis, self._keys, config.ttl_s)
        self._writer = SessionStreamWriter(
            redis, self._keys, max_len=config.stream_max_len, ttl_s=config.stream_ttl_s
        )
        self._slots: dict[str, _Slot] = {}
        self.registered = asyncio.Event()

    @property
    def info(self) -> AgentInfo:
        return AgentInfo(
            agent_id=self.config.agent_id,
            host=socket.gethostname(),
            pid=os.getpid(),
            gpu_ids=[h.gpu_id for h in self.pool.handles],
            model=self.config.model,
        )

    async def run(self, stop: asyncio.Event) -> None:
        await self.pool.start()
        try:
            await self._wait_warm(stop)
            self._slots = {slot_id(self.config.agent_id, h.gpu_id): _Slot(h) for h in self.pool.handles}
            async with asyncio.TaskGroup() as tg:
                tg.create_task(self._heartbeat_loop(), name="agent-heartbeat")
                tg.create_task(self._command_loop(), name="agent-commands")
                for sid, slot in self._slots.items():
                    tg.create_task(self._feed(slot), name=f"agent-feed-{sid}")
                    tg.create_task(self._forward(slot), name=f"agent-events-{sid}")
                await stop.wait()
                raise _Stopped
        except* _Stopped:
            pass
        finally:
            with contextlib.suppress(RedisError, OSError, TimeoutError):
                async with asyncio.timeout(self.config.timeout_s):
                    await self._registry.deregister(self.info)
            await self.pool.stop()

    async def _wait_warm(self, stop: asyncio.Event) -> None:
        await _until(lambda: stop.is_set() or all(h.state is WorkerState.READY for h in self.pool.handles))
        logger.info("agent %s: %d worker(s) warm", self.config.agent_id, len(self.pool.handles))

    async def _register(self) -> None:
        async with asyncio.timeout(self.config.timeout_s):
            await self._redis.delete(*(self._keys.slot_commands(s) for s in self._slots))
            await self._registry.register(self.info)
        self.registered.set()

    async def _heartbeat_loop(self) -> None:
        interval_s = self.config.ttl_s / 3
        while True:
            try:
                async with asyncio.timeout(self.config.timeout_s):
                    alive = self.registered.is_set() and await self._registry.heartbeat(self.config.agent_id)
                if not alive:
                    await self._register()  # first time, or Redis forgot us (restart, long outage)
            except (RedisError, OSError, TimeoutError) as exc:
                logger.warning("agent %s: heartbeat failed: %s", self.config.agent_id, exc)
            await asyncio.sleep(interval_s)

    async def _command_loop(self) -> None:
        await self.registered.wait()
        cursors = {self._keys.slot_commands(s): "0-0" for s in self._slots}
        by_key = {self._keys.slot_commands(s): slot for s, slot in self._slots.items()}
        while True:
            try:
                reply = await self._redis.xread(cursors, block=1000, count=64)  # type: ignore[arg-type]
            except (RedisError, OSError) as exc:
                logger.warning("agent %s: reading commands failed: %s", self.config.agent_id, exc)
                await asyncio.sleep(self.config.ttl_s / 3)
                continue
            for key, entries in stream_reply(reply):
                name = key.decode()
                for entry_id, fields in entries:
                    cursors[name] = entry_id.decode()
                    self._accept(by_key[name], fields)

    def _accept(self, slot: _Slot, fields: dict[bytes, bytes]) -> None:
        try:
            cmd = decode(fields)
        except WireError as exc:
            logger.error("agent %s: dropped a command: %s", self.config.agent_id, exc)
            return
        session_id = fields.get(b"session", b"").decode()
        slot.commands.put_nowait((session_id, cmd))  # type: ignore[arg-type]

    async def _feed(self, slot: _Slot) -> None:
        """Hand a slot's commands to its worker in order, waiting while the worker (re)starts."""
        while True:
            session_id, cmd = await slot.commands.get()
            if isinstance(cmd, StartStream | ResumeStream):
                slot.session_id = session_id
                slot.routes[cmd.stream_id] = session_id
                while len(slot.routes) > _KEEP_STREAMS:
                    del slot.routes[next(iter(slot.routes))]
            await _until(lambda: slot.handle.state in _READY_STATES)
            slot.handle.send(cmd)

    async def _forward(self, slot: _Slot) -> None:
        """Append a worker's events to the stream of the session they belong to."""
        while True:
            events = slot.handle.stream_events
            event = await events.get()
            session_id = slot.session_for(event)
            if session_id:
                try:
                    async with asyncio.timeout(self.config.timeout_s):
                        await self._writer.publish(session_id, event)
                except (RedisError, OSError, TimeoutError, WireError) as exc:
                    logger.warning("agent %s: lost an event of %s: %s", self.config.agent_id, session_id, exc)
            if isinstance(event, WorkerExited):  # the supervisor restarts it with a new queue
                await _until(lambda old=events: slot.handle.stream_events is not old)  # type: ignore[misc]


class _Stopped(Exception):
    pass


async def _until(condition: Callable[[], bool], interval_s: float = 0.05) -> None:
    """Poll a condition that worker handles change from their reader threads (no event to await)."""
    while True:
        if condition():
            return
        await asyncio.sleep(interval_s)


async def run_agent(config: AgentConfig, pool: WorkerPool) -> None:
    """Serve until SIGTERM or SIGINT, then deregister and stop the workers."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    # One connection per slot publishing at once (redis-py's default cap of 100 is too few for a big agent).
    redis = Redis.from_url(config.redis_url, socket_timeout=config.timeout_s, max_connections=10_000)
    try:
        await Agent(config, pool, redis).run(stop)
    finally:
        await redis.aclose()
