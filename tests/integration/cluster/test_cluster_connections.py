"""A replica's Redis client serves more streaming sessions at once than redis-py's default pool (100):
each session's blocking read of its event stream holds one connection while it waits."""

from __future__ import annotations

import asyncio

from dreamverse.runtime.cluster.setup import redis_client
from dreamverse.runtime.settings import Settings
from tests.support.redis import RedisProcess

SESSIONS = 150


async def test_a_replica_holds_more_than_100_blocking_stream_reads_at_once(redis_proc: RedisProcess) -> None:
    client = redis_client(Settings.from_flat({"redis": redis_proc.url}))
    try:
        reads = [client.xread({f"session:{i}:events": "0-0"}, block=500) for i in range(SESSIONS)]
        replies = await asyncio.gather(*reads)  # each times out empty; none is refused a connection
        assert len(replies) == SESSIONS
    finally:
        await client.aclose()
