"""The worker registry: agents announce their slots and keep them with heartbeats; silence expires them.

An agent's deadline lives in one sorted set (`Keys.agents`, deadline = Redis server time + ttl), so expiry
needs no keyspace notifications and no clock agreement between hosts: every deadline is set and checked
against Redis's own `TIME` inside a script. A free slot is handed out only while its agent is alive;
`sweep` (run by every replica now and then) removes dead agents and their slots, frees the slots of tickets
whose replica stopped refreshing them and drops those tickets from the queue.
"""

from __future__ import annotations

import logging
from typing import cast

from pydantic import BaseModel
from redis.asyncio import Redis

from dreamverse.workers.remote.keys import Keys, slot_id
from dreamverse.workers.remote.scripts import NOW_MS

logger = logging.getLogger(__name__)


class AgentInfo(BaseModel):
    """What an agent announces about itself."""

    agent_id: str
    host: str
    pid: int
    gpu_ids: list[int]
    model: str

    @property
    def slot_ids(self) -> list[str]:
        return [slot_id(self.agent_id, gpu) for gpu in self.gpu_ids]


_REGISTER = (
    NOW_MS
    + """
redis.call('SET', KEYS[2], ARGV[3])
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
for i = 4, #ARGV do
  if redis.call('HEXISTS', KEYS[4], ARGV[i]) == 0 then
    redis.call('ZADD', KEYS[3], 'NX', now, ARGV[i])
  end
end
return 1
"""
)

_HEARTBEAT = (
    NOW_MS
    + """
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
return 1
"""
)

# KEYS: agents, free, busy, queue, tickets. ARGV: agent-key prefix ("{p}:agent:").
_SWEEP = (
    NOW_MS
    + """
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - 1)
for _, agent in ipairs(dead) do
  redis.call('ZREM', KEYS[1], agent)
  local info = redis.call('GET', ARGV[1] .. agent)
  redis.call('DEL', ARGV[1] .. agent)
  if info then
    for _, gpu in ipairs(cjson.decode(info)['gpu_ids']) do
      local slot = agent .. '/' .. gpu
      redis.call('ZREM', KEYS[2], slot)
      redis.call('HDEL', KEYS[3], slot)
    end
  end
end
local busy = redis.call('HGETALL', KEYS[3])
for i = 1, #busy, 2 do
  local slot, ticket = busy[i], busy[i + 1]
  local alive = tonumber(redis.call('ZSCORE', KEYS[5], ticket))
  if not alive or alive < now then
    redis.call('HDEL', KEYS[3], slot)
    local agent = string.match(slot, '^(.*)/[^/]*$')
    local deadline = tonumber(redis.call('ZSCORE', KEYS[1], agent))
    if deadline and deadline >= now then redis.call('ZADD', KEYS[2], now, slot) end
  end
end
local stale = redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', now - 1)
for _, ticket in ipairs(stale) do
  redis.call('ZREM', KEYS[5], ticket)
  redis.call('ZREM', KEYS[4], ticket)
end
return dead
"""
)


class AgentRegistry:
    def __init__(self, redis: Redis, keys: Keys, ttl_s: float) -> None:
        self._redis = redis
        self._keys = keys
        self._ttl_ms = int(ttl_s * 1000)
        self._register = redis.register_script(_REGISTER)
        self._heartbeat = redis.register_script(_HEARTBEAT)
        self._sweep = redis.register_script(_SWEEP)

    async def register(self, info: AgentInfo) -> None:
        """Announce (or re-announce) an agent; its slots that nobody holds become free."""
        k = self._keys
        await self._register(
            keys=[k.agents, k.agent(info.agent_id), k.free_slots, k.busy_slots],
            args=[info.agent_id, self._ttl_ms, info.model_dump_json(), *info.slot_ids],
        )
        logger.info("agent %s registered %d slot(s)", info.agent_id, len(info.gpu_ids))

    async def heartbeat(self, agent_id: str) -> bool:
        """Push the agent's deadline out; False when it had already expired (it must register again)."""
        alive = await self._heartbeat(keys=[self._keys.agents], args=[agent_id, self._ttl_ms])
        return bool(alive)

    async def deregister(self, info: AgentInfo) -> None:
        k = self._keys
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.zrem(k.agents, info.agent_id)
            pipe.delete(k.agent(info.agent_id))
            pipe.zrem(k.free_slots, *info.slot_ids)
            pipe.hdel(k.busy_slots, *info.slot_ids)
            await pipe.execute()
        logger.info("agent %s deregistered", info.agent_id)

    async def is_alive(self, agent_id: str) -> bool:
        k = self._keys
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.time()
            pipe.zscore(k.agents, agent_id)
            (seconds, micros), deadline = await pipe.execute()
        return deadline is not None and deadline >= seconds * 1000 + micros // 1000

    async def agents(self) -> list[AgentInfo]:
        """The agents currently registered (not yet swept)."""
        members = cast(list[bytes], await self._redis.zrange(self._keys.agents, 0, -1))
        ids = [a.decode() for a in members]
        if not ids:
            return []
        raw = await self._redis.mget([self._keys.agent(a) for a in ids])
        return [AgentInfo.model_validate_json(r) for r in raw if r is not None]

    async def sweep(self) -> list[str]:
        """Expire silent agents and abandoned tickets; returns the agents removed."""
        k = self._keys
        dead = await self._sweep(
            keys=[k.agents, k.free_slots, k.busy_slots, k.queue, k.tickets],
            args=[k.agent("")],
        )
        removed = [d.decode() for d in dead]
        for agent_id in removed:
            logger.warning("agent %s missed its heartbeats; its slots are gone", agent_id)
        return removed
