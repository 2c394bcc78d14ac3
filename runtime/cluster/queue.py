"""One fair FIFO of sessions waiting for a GPU slot, shared by every replica through Redis.

A waiting session is a *ticket* (its session id) in the `queue` sorted set, ordered by a counter: the back
of the queue counts up from 1, the front (sessions whose worker died under them) from -10^15, so a re-queued
session goes before every new one and re-queued sessions keep their own order. Handing out slots is one
script (`_DISPATCH`), so replicas dispatching at the same moment never hand one slot out twice.

Each replica runs one poll loop for all its tickets: it refreshes their liveness (a replica that dies stops
refreshing; `AgentRegistry.sweep` then drops its tickets and frees its slots), picks up slots handed to
them, and tells each waiter its position whenever it changes. It also reads the queue's length: while
sessions of other replicas wait, `on_waiting` is called here too (a detached session of this replica gives
its slot up for them at its next boundary). A ticket that vanished without a slot (Redis
restarted empty) joins the queue again.

A session taken over from a replica that died still holds its slot there (its ticket is its id, and the
agent may still be rendering for it): `expect_adoption` names that slot, and the session's next `acquire`
adopts it when it is still held by that ticket and its agent lives (the stream that was rendering is
cancelled), instead of queueing behind everyone. The replica that lost a session `forget`s its lease:
the slot is the new owner's, so it is not released.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis

from dreamverse.runtime.capacity import Lease, PositionCallback
from dreamverse.runtime.cluster.calls import redis_call
from dreamverse.runtime.errors import CoordinatorUnavailable, QueueFull
from dreamverse.workers.remote.keys import Keys
from dreamverse.workers.remote.lease import RemoteLease, RemoteLeaseConfig
from dreamverse.workers.remote.registry import AgentRegistry
from dreamverse.workers.remote.scripts import NOW_MS

logger = logging.getLogger(__name__)

_FRONT = -(10**15)
_IDLE_POLL_S = 1.0  # with nobody waiting: only counts and liveness to refresh
_SWEEP_EVERY_S = 1.0

# KEYS: queue, tickets, back counter, front counter, free. ARGV: ticket, cap, front (0/1), ttl ms.
_ENQUEUE = (
    NOW_MS
    + """
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[1])
  return redis.call('ZRANK', KEYS[1], ARGV[1])
end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) and redis.call('ZCARD', KEYS[5]) == 0 then
  return -1
end
local score
if ARGV[3] == '1' then score = """
    + str(_FRONT)
    + """ + redis.call('INCR', KEYS[4]) else score = redis.call('INCR', KEYS[3]) end
redis.call('ZADD', KEYS[1], score, ARGV[1])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[1])
return redis.call('ZRANK', KEYS[1], ARGV[1])
"""
)

# KEYS: queue, tickets, free, busy, agents. ARGV: lease-key prefix, lease ttl ms.
_DISPATCH = (
    NOW_MS
    + """
local granted = 0
while true do
  local head = redis.call('ZRANGE', KEYS[1], 0, 0)
  if #head == 0 then break end
  local ticket = head[1]
  local alive = tonumber(redis.call('ZSCORE', KEYS[2], ticket))
  if not alive or alive < now then
    redis.call('ZREM', KEYS[1], ticket)
  else
    local slot = nil
    while true do
      local free = redis.call('ZRANGE', KEYS[3], 0, 0)
      if #free == 0 then break end
      redis.call('ZREM', KEYS[3], free[1])
      local agent = string.match(free[1], '^(.*)/[^/]*$')
      local deadline = tonumber(redis.call('ZSCORE', KEYS[5], agent))
      if deadline and deadline >= now then slot = free[1] break end
    end
    if not slot then break end
    redis.call('ZREM', KEYS[1], ticket)
    redis.call('HSET', KEYS[4], slot, ticket)
    redis.call('SET', ARGV[1] .. ticket, slot, 'PX', tonumber(ARGV[2]))
    granted = granted + 1
  end
end
return granted
"""
)

# KEYS: busy, free, agents, tickets, lease key. ARGV: slot, ticket.
_RELEASE = (
    NOW_MS
    + """
redis.call('ZREM', KEYS[4], ARGV[2])
redis.call('DEL', KEYS[5])
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
local agent = string.match(ARGV[1], '^(.*)/[^/]*$')
local deadline = tonumber(redis.call('ZSCORE', KEYS[3], agent))
if deadline and deadline >= now then redis.call('ZADD', KEYS[2], now, ARGV[1]) end
return 1
"""
)


# KEYS: busy, agents, tickets. ARGV: slot, ticket, ttl ms.
_ADOPT = (
    NOW_MS
    + """
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
local agent = string.match(ARGV[1], '^(.*)/[^/]*$')
local deadline = tonumber(redis.call('ZSCORE', KEYS[2], agent))
if not deadline or deadline < now then return 0 end
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[3]), ARGV[2])
return 1
"""
)

# KEYS: tickets. ARGV: ttl ms, tickets…
_REFRESH = (
    NOW_MS
    + """
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i]) end
return 1
"""
)


@dataclass(frozen=True, slots=True)
class QueueConfig:
    cap: int  # most tickets waiting (across all replicas) while no slot is free
    ticket_ttl_s: float  # a ticket whose replica stops refreshing it is dropped after this long
    poll_interval_s: float  # how often a replica looks for slots and positions of its waiters
    timeout_s: float  # every Redis call


@dataclass(eq=False, slots=True)
class _Ticket:
    session_id: str
    notify: PositionCallback
    front: bool
    future: asyncio.Future[RemoteLease] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )
    last_position: int | None = None


class RedisSlotQueue:
    def __init__(
        self, redis: Redis, keys: Keys, config: QueueConfig, lease_config: RemoteLeaseConfig
    ) -> None:
        self._redis = redis
        self._keys = keys
        self._config = config
        self._lease_config = lease_config
        self.registry = AgentRegistry(redis, keys, lease_config.agent_ttl_s)
        self._enqueue = redis.register_script(_ENQUEUE)
        self._dispatch = redis.register_script(_DISPATCH)
        self._release = redis.register_script(_RELEASE)
        self._adopt = redis.register_script(_ADOPT)
        self._adoptable: dict[str, tuple[str, str | None]] = {}  # session → (slot, stream) to adopt
        self._forgotten: list[RemoteLease] = []
        self._waiting: dict[str, _Ticket] = {}
        self.on_waiting: list[Callable[[], None]] = []  # called when a session of this replica waits
        self.requeues_lost_sessions = True  # another agent can take a session whose agent died
        self._held: dict[str, RemoteLease] = {}
        self._queued_anywhere = 0  # the shared queue's length at the last poll
        self._releasing: list[RemoteLease] = []
        self._release_lock = asyncio.Lock()  # one flush at a time: `acquire` can wait for one to end
        self._refresh = redis.register_script(_REFRESH)
        self._swept_at = 0.0
        self._stopping = False
        self._wake = asyncio.Event()
        self._loop_task: asyncio.Task[None] | None = None
        self.counts_cache = {"total": 0, "available": 0}
        self.is_reachable = False

    @property
    def redis(self) -> Redis:
        return self._redis

    @property
    def depth(self) -> int:
        """Sessions waiting for a slot, on any replica (as of the last poll) or on this one."""
        return max(len(self._waiting), self._queued_anywhere)

    def counts(self) -> dict[str, int]:
        """The embedded pool's keys: slots of live agents as `ready`/`busy`; none while Redis is away."""
        total, available = self.counts_cache["total"], self.counts_cache["available"]
        if not self.is_reachable:
            total = available = 0
        busy = total - available
        return {
            "starting": 0,
            "warming": 0,
            "ready": available,
            "busy": busy,
            "dead": 0,
            "total": total,
            "available": available,
        }

    def describe(self) -> list[dict[str, Any]]:
        """The slots this replica holds, in the embedded pool's shape (other replicas hold the rest)."""
        return [
            {
                "gpu_id": lease.gpu_id,
                "state": "busy",
                "pid": None,
                "generator": None,
                "load_s": None,
                "warmup_s": None,
                "current_session": sid,
                "segments_served": lease.segments_served,
                "restarts": 0,
                "last_failure": None,
                "slot": lease.slot,
                "agent": lease.agent_id,
            }
            for sid, lease in self._held.items()
        ]

    async def start(self) -> None:
        self._loop_task = asyncio.create_task(self._poll_loop(), name="redis-queue-poll")

    async def stop(self) -> None:
        """End the poll loop (it finishes its round), then give back every slot this replica holds."""
        self._stopping = True
        self._wake.set()
        if self._loop_task is not None:
            try:
                async with asyncio.timeout(self._config.timeout_s * 3):
                    await asyncio.shield(self._loop_task)
            except TimeoutError:
                self._loop_task.cancel()
        for lease in list(self._held.values()):
            await self._release_quietly(lease)

    async def acquire(self, session_id: str, notify: PositionCallback, *, front: bool = False) -> RemoteLease:
        """Wait for a slot (fair FIFO across replicas; `front` for a session whose worker died)."""
        # The ticket is the session id: a release of its previous slot still pending (its worker died
        # just now) must land first, or it would drop the ticket this call is about to queue.
        async with self._release_lock:
            await self._flush_releases()
        adoptable = self._adoptable.pop(session_id, None)
        if adoptable is not None and (adopted := await self._adopt_slot(session_id, *adoptable)):
            return adopted
        ticket = _Ticket(session_id, notify, front)
        await self._join(ticket)
        self._waiting[session_id] = ticket
        self._wake.set()
        for callback in self.on_waiting:
            callback()
        try:
            return await ticket.future
        except BaseException:
            await self._leave(ticket)
            raise

    def expect_adoption(self, session_id: str, slot: str, stream_id: str | None) -> None:
        """A session taken over from another replica held `slot`: its next `acquire` tries that first."""
        self._adoptable[session_id] = (slot, stream_id)

    async def _adopt_slot(self, session_id: str, slot: str, stream_id: str | None) -> RemoteLease | None:
        k, ttl_ms = self._keys, int(self._config.ticket_ttl_s * 1000)
        async with self._guard("adopt a slot"):
            keys = [k.busy_slots, k.agents, k.tickets]
            adopted = await self._adopt(keys=keys, args=[slot, session_id, ttl_ms])
            seq = await self._redis.get(k.session_seq(session_id)) if adopted else None
        if not adopted:
            return None
        lease = self._lease(session_id, slot.encode(), int(seq or 0))
        if stream_id is not None:
            lease.cancel(stream_id)  # the previous replica's stream, if the agent is still on it
        self._held[session_id] = lease
        logger.info("session %s adopted slot %s from the replica that served it", session_id, slot)
        return lease

    def forget(self, lease: Lease) -> None:
        """Drop a lease without releasing its slot (another replica took the session and the slot over)."""
        assert isinstance(lease, RemoteLease), "a lease of another slot source"
        lease.released = True
        if self._held.get(lease.session_id) is lease:
            del self._held[lease.session_id]
        self._forgotten.append(lease)
        self._wake.set()

    def release(self, lease: Lease) -> None:
        """Give the slot back (sync, like the embedded queue: the Redis calls run in the poll loop)."""
        assert isinstance(lease, RemoteLease), "a lease of another slot source"
        if lease.released:
            return
        lease.released = True
        if self._held.get(lease.session_id) is lease:
            del self._held[lease.session_id]
        self._releasing.append(lease)
        self._wake.set()

    async def _join(self, ticket: _Ticket) -> None:
        k, cfg = self._keys, self._config
        async with self._guard("join the queue"):
            rank = await self._enqueue(
                keys=[k.queue, k.tickets, k.queue_seq, k.queue_front, k.free_slots],
                args=[ticket.session_id, cfg.cap, int(ticket.front), int(cfg.ticket_ttl_s * 1000)],
            )
        if rank == -1:
            raise QueueFull(f"{cfg.cap} sessions are waiting and no slot is free")

    async def _leave(self, ticket: _Ticket) -> None:
        if self._waiting.get(ticket.session_id) is ticket:
            del self._waiting[ticket.session_id]
        if ticket.future.done() and not ticket.future.cancelled() and ticket.future.exception() is None:
            self.release(ticket.future.result())  # got a slot just as it left
            return
        k = self._keys
        try:
            async with self._guard("leave the queue"), self._redis.pipeline(transaction=True) as pipe:
                pipe.zrem(k.queue, ticket.session_id)
                pipe.zrem(k.tickets, ticket.session_id)
                await pipe.execute()
        except CoordinatorUnavailable as exc:
            logger.warning("session %s: %s (its ticket expires on its own)", ticket.session_id, exc)
        self._wake.set()

    @contextlib.asynccontextmanager
    async def _guard(self, what: str) -> AsyncIterator[None]:
        """Every Redis call (`redis_call`); a failure also marks Redis unreachable (for /readyz)."""
        try:
            async with redis_call(what, self._config.timeout_s):
                yield
        except CoordinatorUnavailable:
            self.is_reachable = False
            raise

    # --- the poll loop ------------------------------------------------------------------------------

    async def _poll_loop(self) -> None:
        while not self._stopping:
            try:
                await self._poll_once()
                if not self.is_reachable:
                    logger.info("Redis is reachable")
                self.is_reachable = True
            except CoordinatorUnavailable as exc:
                logger.warning("%s", exc)
            busy = bool(self._waiting or self._releasing)
            await self._sleep(self._config.poll_interval_s if busy else _IDLE_POLL_S)

    async def _sleep(self, seconds: float) -> None:
        """Until the next poll or a wake-up. (`asyncio.wait` never turns a cancel into a timeout, which
        `asyncio.timeout` can when both land at once on Python 3.11, and the loop would never stop.)"""
        waiter = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({waiter}, timeout=seconds)
        finally:
            waiter.cancel()
        self._wake.clear()

    async def _poll_once(self) -> None:
        async with self._release_lock:
            await self._flush_releases()
        if time.monotonic() - self._swept_at >= _SWEEP_EVERY_S:
            async with self._guard("sweep"):
                await self.registry.sweep()
            self._swept_at = time.monotonic()
        k = self._keys
        waiting = list(self._waiting.values())
        tickets = [*self._held, *self._waiting]
        async with self._guard("poll the queue"):
            await self._dispatch(
                keys=[k.queue, k.tickets, k.free_slots, k.busy_slots, k.agents],
                args=[k.lease(""), int(self._config.ticket_ttl_s * 1000)],
            )
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.zcard(k.free_slots)
                pipe.hlen(k.busy_slots)
                pipe.zcard(k.queue)
                if tickets:
                    await self._refresh(
                        keys=[k.tickets], args=[int(self._config.ticket_ttl_s * 1000), *tickets], client=pipe
                    )
                for ticket in waiting:
                    pipe.getdel(k.lease(ticket.session_id))
                    pipe.zrank(k.queue, ticket.session_id)
                    pipe.get(k.session_seq(ticket.session_id))
                replies = await pipe.execute()
        free, busy, self._queued_anywhere = replies[0], replies[1], replies[2]
        self.counts_cache = {"total": free + busy, "available": free}
        if self._queued_anywhere > len(self._waiting):  # sessions of other replicas wait
            for callback in self.on_waiting:
                callback()
        offset = 4 if tickets else 3
        for i, ticket in enumerate(waiting):
            slot, rank, seq = replies[offset + 3 * i : offset + 3 * i + 3]
            await self._settle(ticket, slot, rank, int(seq or 0))

    async def _settle(self, ticket: _Ticket, slot: bytes | None, rank: int | None, events_seq: int) -> None:
        """Hand a granted slot to its waiter, or tell it where it stands. The lease reads the session's
        events after `events_seq`: what a previous slot of the session (one that died, or that it gave up
        when it parked) published is not its to relay."""
        if self._waiting.get(ticket.session_id) is not ticket:  # it left while this poll ran
            if slot is not None:
                self._releasing.append(self._lease(ticket.session_id, slot, events_seq))
            return
        if slot is not None:
            del self._waiting[ticket.session_id]
            lease = self._lease(ticket.session_id, slot, events_seq)
            if ticket.future.done():  # it left meanwhile
                self._releasing.append(lease)
                return
            self._held[ticket.session_id] = lease
            self._tell(ticket, 0)
            ticket.future.set_result(lease)
        elif rank is None:
            logger.warning("session %s lost its place (Redis restarted?); queueing again", ticket.session_id)
            try:
                await self._join(ticket)
            except QueueFull as exc:
                del self._waiting[ticket.session_id]
                ticket.future.set_exception(exc)
        else:
            self._tell(ticket, rank + 1)

    def _lease(self, session_id: str, slot: bytes, events_seq: int) -> RemoteLease:
        return RemoteLease(
            self._redis,
            self._keys,
            self._lease_config,
            slot=slot.decode(),
            session_id=session_id,
            after_seq=events_seq,
        )

    def _tell(self, ticket: _Ticket, position: int) -> None:
        if ticket.last_position != position:
            ticket.last_position = position
            ticket.notify(position, self.counts_cache["total"], self.counts_cache["available"])

    async def _flush_releases(self) -> None:
        k = self._keys
        while self._forgotten:
            await self._forgotten.pop(0).aclose()  # sends what it had queued (a last `CancelStream`)
        while self._releasing:
            lease = self._releasing.pop(0)
            await lease.aclose()
            try:
                async with self._guard("release a slot"):
                    await self._release(
                        keys=[k.busy_slots, k.free_slots, k.agents, k.tickets, k.lease(lease.session_id)],
                        args=[lease.slot, lease.session_id],
                    )
            except CoordinatorUnavailable as exc:
                logger.warning("%s; the slot frees itself when the ticket expires", exc)

    async def _release_quietly(self, lease: RemoteLease) -> None:
        self.release(lease)
        with contextlib.suppress(CoordinatorUnavailable):
            async with self._release_lock:
                await self._flush_releases()
