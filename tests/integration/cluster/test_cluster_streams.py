"""Per-session event streams on a real redis-server: sequence numbers, order, no duplicates, gaps."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from dreamverse.workers.ipc import FragmentEncoded, MediaInitialized
from dreamverse.workers.remote.keys import Keys
from dreamverse.workers.remote.streams import SessionStreamReader, SessionStreamWriter, StreamGap
from tests.support.redis import RedisProcess

KEYS = Keys("test")


def writer(redis: Redis) -> SessionStreamWriter:
    return SessionStreamWriter(redis, KEYS, max_len=1000, ttl_s=60)


async def test_messages_arrive_in_order_with_consecutive_sequence_numbers(redis_client: Redis) -> None:
    w = writer(redis_client)
    chunks = [bytes([i]) * (1000 + i) for i in range(50)]
    await w.publish("sess", MediaInitialized("st", 0, "video/mp4"))
    for chunk in chunks:
        await w.publish("sess", FragmentEncoded("st", 0, chunk))
    reader = SessionStreamReader(redis_client, KEYS, "sess")
    got = []
    while len(got) < 51:
        got += await reader.read(block_ms=100, count=7)
    assert [d.seq for d in got] == list(range(1, 52))
    assert [d.message.data for d in got[1:]] == chunks  # type: ignore[union-attr]
    assert await reader.read(block_ms=50) == []


async def test_concurrent_publishers_never_share_a_sequence_number(
    redis_proc: RedisProcess, redis_client: Redis
) -> None:
    clients = [Redis.from_url(redis_proc.url) for _ in range(3)]  # three agents, one session (a handover)
    writers = [writer(c) for c in clients]

    async def publish_all(w: SessionStreamWriter, tag: int) -> list[int]:
        return [await w.publish("sess", FragmentEncoded("st", tag, b"x")) for _ in range(40)]

    seqs = await asyncio.gather(*(publish_all(w, i) for i, w in enumerate(writers)))
    for c in clients:
        await c.aclose()
    assert sorted(s for batch in seqs for s in batch) == list(range(1, 121))
    reader = SessionStreamReader(redis_client, KEYS, "sess")
    got = []
    while len(got) < 120:
        got += await reader.read(block_ms=100)
    assert [d.seq for d in got] == list(range(1, 121))


async def test_a_reader_resuming_after_a_sequence_number_sees_only_what_follows(redis_client: Redis) -> None:
    w = writer(redis_client)
    for i in range(10):
        await w.publish("sess", FragmentEncoded("st", 0, bytes([i])))
    reader = SessionStreamReader(redis_client, KEYS, "sess", after_seq=6)
    got = await reader.read(block_ms=100)
    assert [d.seq for d in got] == [7, 8, 9, 10]
    assert [d.message.data for d in got] == [b"\x06", b"\x07", b"\x08", b"\x09"]  # type: ignore[union-attr]


async def test_a_reader_blocks_until_the_next_message(redis_client: Redis) -> None:
    reader = SessionStreamReader(redis_client, KEYS, "sess")
    pending = asyncio.create_task(reader.read(block_ms=2000))
    await asyncio.sleep(0.1)
    await writer(redis_client).publish("sess", FragmentEncoded("st", 0, b"late"))
    got = await asyncio.wait_for(pending, timeout=3)
    assert [d.seq for d in got] == [1]
    assert got[0].sent_unix_ms > 0


async def test_trimmed_entries_are_reported_as_a_gap_not_skipped(redis_client: Redis) -> None:
    w = writer(redis_client)
    for _ in range(5):
        await w.publish("sess", FragmentEncoded("st", 0, b"x"))
    trimmer = SessionStreamReader(redis_client, KEYS, "sess")
    await trimmer.trim_through(3)
    with pytest.raises(StreamGap, match=r"1\.\.3"):
        await SessionStreamReader(redis_client, KEYS, "sess").read(block_ms=100)
    got = await SessionStreamReader(redis_client, KEYS, "sess", after_seq=3).read(block_ms=100)
    assert [d.seq for d in got] == [4, 5]
