"""Fixtures of the scale-out tests: a real redis-server per test and async clients to it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from redis.asyncio import Redis

from tests.support.redis import RedisProcess, redis_server


@pytest.fixture
def redis_proc() -> Iterator[RedisProcess]:
    with redis_server() as proc:
        yield proc


@pytest.fixture
async def redis_client(redis_proc: RedisProcess) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_proc.url, socket_timeout=2)
    try:
        yield client
    finally:
        await client.aclose()
