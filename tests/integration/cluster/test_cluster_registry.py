"""The worker registry on a real redis-server: announce, heartbeat, expiry, sweep."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from dreamverse.workers.remote.keys import Keys
from dreamverse.workers.remote.registry import AgentInfo, AgentRegistry

KEYS = Keys("test")


def agent(agent_id: str, gpus: list[int]) -> AgentInfo:
    return AgentInfo(agent_id=agent_id, host="h", pid=1, gpu_ids=gpus, model="synthetic")


async def free_slots(redis: Redis) -> list[str]:
    return [s.decode() for s in await redis.zrange(KEYS.free_slots, 0, -1)]


async def test_registered_slots_are_free_and_listed(redis_client: Redis) -> None:
    registry = AgentRegistry(redis_client, KEYS, ttl_s=5)
    await registry.register(agent("a", [0, 1]))
    assert await free_slots(redis_client) == ["a/0", "a/1"]
    assert [a.agent_id for a in await registry.agents()] == ["a"]
    assert await registry.is_alive("a")
    assert not await registry.is_alive("b")


async def test_a_held_slot_stays_held_when_its_agent_registers_again(redis_client: Redis) -> None:
    registry = AgentRegistry(redis_client, KEYS, ttl_s=5)
    await redis_client.hset(KEYS.busy_slots, "a/0", "session-1")
    await registry.register(agent("a", [0, 1]))
    assert await free_slots(redis_client) == ["a/1"]


async def test_silent_agent_expires_and_sweep_removes_its_slots(redis_client: Redis) -> None:
    registry = AgentRegistry(redis_client, KEYS, ttl_s=0.3)
    await registry.register(agent("quiet", [0]))
    await registry.register(agent("chatty", [0]))
    for _ in range(4):
        await asyncio.sleep(0.1)
        assert await registry.heartbeat("chatty")
    assert not await registry.is_alive("quiet")
    assert await registry.is_alive("chatty")
    assert await registry.sweep() == ["quiet"]
    assert await free_slots(redis_client) == ["chatty/0"]
    assert await redis_client.get(KEYS.agent("quiet")) is None
    assert not await registry.heartbeat("quiet"), "an expired agent must register again"


async def test_sweep_frees_slots_whose_ticket_was_abandoned(redis_client: Redis) -> None:
    registry = AgentRegistry(redis_client, KEYS, ttl_s=5)
    await registry.register(agent("a", [0]))
    await redis_client.zrem(KEYS.free_slots, "a/0")
    await redis_client.hset(KEYS.busy_slots, "a/0", "gone-session")
    await redis_client.zadd(KEYS.tickets, {"gone-session": 1})  # a deadline long past
    await redis_client.zadd(KEYS.queue, {"gone-session": 1})
    await registry.sweep()
    assert await free_slots(redis_client) == ["a/0"]
    assert await redis_client.hlen(KEYS.busy_slots) == 0
    assert await redis_client.zcard(KEYS.queue) == 0


async def test_deregister_removes_everything(redis_client: Redis) -> None:
    registry = AgentRegistry(redis_client, KEYS, ttl_s=5)
    info = agent("a", [0, 1])
    await registry.register(info)
    await registry.deregister(info)
    assert await free_slots(redis_client) == []
    assert await registry.agents() == []
