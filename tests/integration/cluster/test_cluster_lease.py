"""A session's hold on a remote slot, on a real redis-server: closing it never swallows a cancel."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from dreamverse.workers.remote.keys import Keys
from dreamverse.workers.remote.lease import RemoteLease, RemoteLeaseConfig

KEYS = Keys("test")
LEASE = RemoteLeaseConfig(agent_ttl_s=5, block_ms=100, command_max_len=100, timeout_s=1)


async def test_a_cancel_while_closing_propagates(redis_client: Redis) -> None:
    lease = RemoteLease(redis_client, KEYS, LEASE, slot="a/0", session_id="sess")
    lease.cancel("st")  # starts the command sender
    async with asyncio.timeout(5):  # sent: the sender waits for the next command
        while True:
            if await redis_client.xlen(KEYS.slot_commands("a/0")) == 1:
                break
            await asyncio.sleep(0.01)
    closing = asyncio.create_task(lease.aclose())
    await asyncio.sleep(0)  # `aclose` has cancelled the sender and awaits its end
    closing.cancel()
    with pytest.raises(asyncio.CancelledError):
        await closing
    assert closing.cancelled()
    assert lease.released


async def test_closing_sends_what_is_queued_and_stops_the_sender(redis_client: Redis) -> None:
    lease = RemoteLease(redis_client, KEYS, LEASE, slot="a/0", session_id="sess")
    lease.render("st", 0, "a fox")
    lease.cancel("st")
    await lease.aclose()
    entries = await redis_client.xrange(KEYS.slot_commands("a/0"))
    assert [fields[b"t"] for _, fields in entries] == [b"RenderSegment", b"CancelStream"]
    assert not [t for t in asyncio.all_tasks() if t.get_name() == "commands-a/0"]
