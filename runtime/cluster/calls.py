"""Every Redis call of a replica: under a timeout, its failures translated to `CoordinatorUnavailable`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from redis.exceptions import RedisError

from dreamverse.runtime.errors import CoordinatorUnavailable


@contextlib.asynccontextmanager
async def redis_call(what: str, timeout_s: float) -> AsyncIterator[None]:
    try:
        async with asyncio.timeout(timeout_s):
            yield
    except (RedisError, OSError, TimeoutError) as exc:
        raise CoordinatorUnavailable(f"cannot {what}: Redis is unreachable ({exc})") from exc
