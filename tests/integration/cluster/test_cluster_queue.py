"""The fair slot queue shared by replicas, on a real redis-server: FIFO, positions, front re-queue,
cap, abandoned tickets, Redis down and back."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import pytest
from redis.asyncio import Redis

from dreamverse.runtime.cluster.queue import QueueConfig, RedisSlotQueue
from dreamverse.runtime.errors import CoordinatorUnavailable, QueueFull
from dreamverse.workers.remote.keys import Keys
from dreamverse.workers.remote.lease import RemoteLease, RemoteLeaseConfig
from dreamverse.workers.remote.registry import AgentInfo, AgentRegistry
from tests.support.redis import RedisProcess

KEYS = Keys("test")
LEASE = RemoteLeaseConfig(agent_ttl_s=5, block_ms=100, command_max_len=100, timeout_s=1)


@asynccontextmanager
async def replica(url: str, *, cap: int = 10, ticket_ttl_s: float = 1.0) -> AsyncIterator[RedisSlotQueue]:
    """One replica's queue, with its own Redis connection."""
    client = Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    queue = RedisSlotQueue(
        client,
        KEYS,
        QueueConfig(cap=cap, ticket_ttl_s=ticket_ttl_s, poll_interval_s=0.02, timeout_s=1),
        LEASE,
    )
    await queue.start()
    try:
        yield queue
    finally:
        await queue.stop()
        await client.aclose()


async def add_agent(redis: Redis, agent_id: str, gpus: list[int]) -> None:
    info = AgentInfo(agent_id=agent_id, host="h", pid=1, gpu_ids=gpus, model="synthetic")
    await AgentRegistry(redis, KEYS, ttl_s=30).register(info)


class Positions:
    def __init__(self) -> None:
        self.seen: list[int] = []

    def __call__(self, position: int, total: int, available: int) -> None:
        self.seen.append(position)


async def eventually(check: Callable[[], bool], timeout_s: float = 5) -> None:
    async with asyncio.timeout(timeout_s):
        while True:
            if check():
                return
            await asyncio.sleep(0.01)


async def test_one_fifo_across_two_replicas(redis_proc: RedisProcess, redis_client: Redis) -> None:
    await add_agent(redis_client, "a", [0])
    async with replica(redis_proc.url) as r1, replica(redis_proc.url) as r2:
        first = await r1.acquire("s1", Positions())
        assert (first.agent_id, first.gpu_id) == ("a", 0)
        order: list[str] = []
        positions = {name: Positions() for name in ("s2", "s3", "s4")}

        async def wait(queue: RedisSlotQueue, name: str) -> RemoteLease:
            lease = await queue.acquire(name, positions[name])
            order.append(name)
            return lease

        tasks = {}
        for name, queue in (("s2", r2), ("s3", r1), ("s4", r2)):
            tasks[name] = asyncio.create_task(wait(queue, name))
            await eventually(lambda n=name: bool(positions[n].seen))  # type: ignore[misc]
        assert [positions[n].seen[-1] for n in ("s2", "s3", "s4")] == [1, 2, 3]

        r1.release(first)
        second = await tasks["s2"]
        await eventually(lambda: positions["s3"].seen[-1] == 1 and positions["s4"].seen[-1] == 2)
        r2.release(second)
        r1.release(await tasks["s3"])
        r2.release(await tasks["s4"])
        assert order == ["s2", "s3", "s4"]
        assert positions["s4"].seen == [3, 2, 1, 0]


async def test_front_requeue_goes_before_everyone_waiting(
    redis_proc: RedisProcess, redis_client: Redis
) -> None:
    await add_agent(redis_client, "a", [0])
    async with replica(redis_proc.url) as r1, replica(redis_proc.url) as r2:
        holder = await r1.acquire("holder", Positions())
        waiting = asyncio.create_task(r2.acquire("new", Positions()))
        await eventually(lambda: r2.depth == 1)
        rescued_pos = [Positions(), Positions()]
        rescued = []
        for name, pos in zip(("z-rescued", "a-rescued"), rescued_pos, strict=True):  # not in name order
            rescued.append(asyncio.create_task(r1.acquire(name, pos, front=True)))
            await eventually(lambda p=pos: bool(p.seen))  # type: ignore[misc]
        assert [p.seen[-1] for p in rescued_pos] == [1, 2]  # both before "new", in their own order
        r1.release(holder)
        lease = await rescued[0]
        assert not waiting.done() and not rescued[1].done()
        r1.release(lease)
        lease = await rescued[1]
        assert not waiting.done()
        r1.release(lease)
        r2.release(await waiting)


async def test_queue_cap_is_shared_and_raises_queue_full(
    redis_proc: RedisProcess, redis_client: Redis
) -> None:
    await add_agent(redis_client, "a", [0])
    async with replica(redis_proc.url, cap=1) as r1, replica(redis_proc.url, cap=1) as r2:
        holder = await r1.acquire("holder", Positions())
        waiting = asyncio.create_task(r1.acquire("w1", Positions()))
        await eventually(lambda: r1.depth == 1)
        with pytest.raises(QueueFull):
            await r2.acquire("w2", Positions())
        r1.release(holder)
        r1.release(await waiting)


async def test_waiter_that_leaves_lets_the_others_move_up(
    redis_proc: RedisProcess, redis_client: Redis
) -> None:
    await add_agent(redis_client, "a", [0])
    async with replica(redis_proc.url) as r1, replica(redis_proc.url) as r2:
        holder = await r1.acquire("holder", Positions())
        leaver = asyncio.create_task(r1.acquire("leaver", Positions()))
        await eventually(lambda: r1.depth == 1)
        stayer_pos = Positions()
        stayer = asyncio.create_task(r2.acquire("stayer", stayer_pos))
        await eventually(lambda: stayer_pos.seen[-1:] == [2])
        leaver.cancel()
        await eventually(lambda: stayer_pos.seen[-1] == 1)
        assert await redis_client.zrange(KEYS.queue, 0, -1) == [b"stayer"]
        r1.release(holder)
        r2.release(await stayer)


async def test_dead_replicas_tickets_expire_and_free_their_slot(
    redis_proc: RedisProcess, redis_client: Redis
) -> None:
    await add_agent(redis_client, "a", [0])
    async with (
        replica(redis_proc.url, ticket_ttl_s=0.5) as survivor,
        replica(redis_proc.url, ticket_ttl_s=0.5) as doomed,
    ):
        await doomed.acquire("held-by-doomed", Positions())
        # The replica dies: its poll loop stops and nothing refreshes or releases its ticket.
        doomed._stopping = True
        doomed._wake.set()
        assert doomed._loop_task is not None
        await doomed._loop_task
        doomed._held.clear()
        waiter = asyncio.create_task(survivor.acquire("patient", Positions()))
        lease = await asyncio.wait_for(waiter, timeout=5)
        assert lease.slot == "a/0"
        survivor.release(lease)


async def test_redis_down_gives_typed_errors_and_recovers(
    redis_proc: RedisProcess, redis_client: Redis
) -> None:
    await add_agent(redis_client, "a", [0])
    async with replica(redis_proc.url) as r1:
        lease = await r1.acquire("before", Positions())
        r1.release(lease)
        redis_proc.stop()
        with pytest.raises(CoordinatorUnavailable) as err:
            await r1.acquire("during", Positions())
        assert err.value.retryable and err.value.code == "coordinator_unavailable"
        await eventually(lambda: not r1.is_reachable)

        redis_proc.start()  # empty: everything Redis knew is gone
        fresh = Redis.from_url(redis_proc.url)
        await add_agent(fresh, "a", [0])  # the agent registers again (its heartbeat sees it was forgotten)
        await fresh.aclose()
        lease = await asyncio.wait_for(r1.acquire("after", Positions()), timeout=5)
        assert lease.slot == "a/0"
        await eventually(lambda: r1.is_reachable)
        r1.release(lease)


async def test_waiter_survives_a_redis_restart_and_queues_again(
    redis_proc: RedisProcess, redis_client: Redis
) -> None:
    await add_agent(redis_client, "a", [0])
    async with replica(redis_proc.url) as r1:
        holder = await r1.acquire("holder", Positions())
        waiter = asyncio.create_task(r1.acquire("waiter", Positions()))
        await eventually(lambda: r1.depth == 1)
        redis_proc.stop()
        redis_proc.start()
        fresh = Redis.from_url(redis_proc.url)
        await add_agent(fresh, "a", [0])
        await fresh.aclose()
        lease = await asyncio.wait_for(waiter, timeout=5)
        assert lease.slot == "a/0"
        r1.release(lease)
        r1.release(holder)
