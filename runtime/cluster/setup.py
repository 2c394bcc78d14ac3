"""`dreamverse-server --redis URL`: the replica's Redis client, shared slot queue and session takeovers,
built from settings."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets

from redis.asyncio import Redis

from dreamverse.runtime.cluster.queue import QueueConfig, RedisSlotQueue
from dreamverse.runtime.cluster.snapshots import SnapshotStore
from dreamverse.runtime.cluster.takeover import TakeoverConfig, Takeovers
from dreamverse.runtime.session.registry import SessionRegistry
from dreamverse.runtime.settings import Settings
from dreamverse.workers.remote.keys import Keys
from dreamverse.workers.remote.lease import CHECK_EVERY_S, RemoteLeaseConfig

logger = logging.getLogger(__name__)
MAX_REDIS_CONNECTIONS = 10_000  # Redis's own default `maxclients`


def redis_queue(settings: Settings, redis: Redis) -> RedisSlotQueue:
    cluster = settings.cluster
    queue = QueueConfig(
        cap=settings.session.queue_cap,
        ticket_ttl_s=cluster.ticket_ttl_s,
        poll_interval_s=cluster.redis_poll_s,
        timeout_s=cluster.redis_timeout_s,
    )
    lease = RemoteLeaseConfig(
        agent_ttl_s=cluster.agent_ttl_s,
        # One blocking read waits for the next event until the hold is due for its check (once a second),
        # within the socket timeout: short blocks only add empty round trips between a session's chunks.
        block_ms=int(min(CHECK_EVERY_S, cluster.redis_timeout_s / 2) * 1000),
        command_max_len=cluster.stream_max_len,
        timeout_s=cluster.redis_timeout_s,
    )
    return RedisSlotQueue(redis, Keys(cluster.redis_prefix), queue, lease)


def redis_client(settings: Settings) -> Redis:
    """The replica's one Redis client (a connection pool shared by its sessions and its poll loop)."""
    cluster = settings.cluster
    assert cluster.redis is not None
    return Redis.from_url(
        cluster.redis,
        socket_timeout=cluster.redis_timeout_s,
        socket_connect_timeout=cluster.redis_timeout_s,
        # Each streaming session's blocking XREAD holds a connection; redis-py caps a pool at 100 by default,
        # which refused the 100th session of benchmarks/load.py ("Too many connections").
        max_connections=MAX_REDIS_CONNECTIONS,
    )


async def start_redis_slots(settings: Settings, stack: contextlib.AsyncExitStack) -> RedisSlotQueue:
    """Connect lazily (the server listens even while Redis is down; /readyz says so) and start polling."""
    cluster = settings.cluster
    assert cluster.redis is not None
    redis = redis_client(settings)
    stack.push_async_callback(redis.aclose)
    slots = redis_queue(settings, redis)
    await slots.start()
    stack.push_async_callback(slots.stop)
    logger.info("scale-out: slot queue in Redis (prefix %r)", cluster.redis_prefix)
    return slots


def takeovers(settings: Settings, slots: RedisSlotQueue, tg: asyncio.TaskGroup) -> Takeovers:
    cluster = settings.cluster
    store = SnapshotStore(slots.redis, Keys(cluster.redis_prefix), cluster.snapshot_ttl_s)
    config = TakeoverConfig(
        replica_id=f"replica-{secrets.token_hex(6)}",
        max_bytes=cluster.snapshot_max_bytes,
        timeout_s=cluster.redis_timeout_s,
        watch_interval_s=max(0.25, cluster.redis_poll_s * 10),
    )
    return Takeovers(store, slots, config, tg)


def watch_takeovers(
    registry: SessionRegistry, tg: asyncio.TaskGroup, stack: contextlib.AsyncExitStack
) -> None:
    """Hand off sessions other replicas take over; stopped before the task group waits for its tasks."""
    assert registry.takeovers is not None
    task = tg.create_task(registry.takeovers.watch(registry.sessions), name="takeover-watch")
    stack.callback(task.cancel)
