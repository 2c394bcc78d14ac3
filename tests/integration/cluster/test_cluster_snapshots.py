"""Session snapshots on a real redis-server: save, load, take over with the resume token, only once; a
replica that lost a session cannot overwrite the new owner's snapshot."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from dreamverse.runtime.cluster.snapshots import SessionSnapshot, SnapshotStore, token_digest
from dreamverse.runtime.errors import ResumeFailed
from dreamverse.workers.remote.keys import Keys

KEYS = Keys("test")


def snapshot() -> SessionSnapshot:
    return SessionSnapshot(
        session_id="sess",
        owner="replica-a",
        token_sha256=token_digest("secret-token"),
        slot="agent/0",
        stream_id="st1",
        next_segment=3,
        state={"seeds": ["a fox"], "history": [{"segment": 0, "prompt": "a fox"}]},
        continuation_id="c1",
        continuation=b"\x00carry\xff" * 100,
    )


async def test_saved_snapshot_loads_back(redis_client: Redis) -> None:
    store = SnapshotStore(redis_client, KEYS, ttl_s=60)
    await store.save(snapshot())
    loaded = await store.load("sess")
    assert loaded is not None
    assert loaded.model_dump(exclude={"saved_unix_s"}) == snapshot().model_dump(exclude={"saved_unix_s"})
    assert loaded.continuation == snapshot().continuation  # raw bytes, beside the JSON
    stored = await redis_client.hgetall(KEYS.snapshot("sess"))
    assert stored and not any(b"secret-token" in value for value in stored.values())
    await store.delete("sess")
    assert await store.load("sess") is None


async def test_take_over_needs_the_resume_token(redis_client: Redis) -> None:
    store = SnapshotStore(redis_client, KEYS, ttl_s=60)
    await store.save(snapshot())
    with pytest.raises(ResumeFailed, match="does not match"):
        await store.take_over("sess", "wrong-token", "replica-b", "t2")
    with pytest.raises(ResumeFailed, match="has ended"):
        await store.take_over("other", "secret-token", "replica-b", "t2")
    claimed = await store.take_over("sess", "secret-token", "replica-b", "t2")
    assert claimed.owner == "replica-b" and claimed.next_segment == 3
    assert claimed.continuation == snapshot().continuation
    assert claimed.token_sha256 == token_digest("t2")
    with pytest.raises(ResumeFailed, match="does not match"):
        await store.take_over("sess", "secret-token", "replica-c", "t3")  # the old token is spent


async def test_only_one_of_two_racing_replicas_takes_a_session_over(redis_client: Redis) -> None:
    store = SnapshotStore(redis_client, KEYS, ttl_s=60)
    await store.save(snapshot())
    results = await asyncio.gather(
        *(store.take_over("sess", "secret-token", f"replica-{i}", f"t{i}") for i in range(5)),
        return_exceptions=True,
    )
    winners = [r for r in results if isinstance(r, SessionSnapshot)]
    assert len(winners) == 1
    assert all(isinstance(r, ResumeFailed) for r in results if r not in winners)
    assert (await store.load("sess")).owner == winners[0].owner  # type: ignore[union-attr]


async def test_snapshots_expire(redis_client: Redis) -> None:
    store = SnapshotStore(redis_client, KEYS, ttl_s=0.2)
    await store.save(snapshot())
    await asyncio.sleep(0.4)
    assert await store.load("sess") is None


async def test_a_replica_that_lost_the_session_cannot_overwrite_its_snapshot(redis_client: Redis) -> None:
    store = SnapshotStore(redis_client, KEYS, ttl_s=60)
    assert await store.save(snapshot())
    await store.take_over("sess", "secret-token", "replica-b", "t2")
    stale = snapshot().model_copy(update={"next_segment": 9})  # replica-a, still writing
    assert not await store.save(stale)
    loaded = await store.load("sess")
    assert loaded is not None and (loaded.owner, loaded.next_segment) == ("replica-b", 3)
    assert await store.owners(["sess", "other"]) == {"sess": "replica-b", "other": None}
    mine = snapshot().model_copy(update={"owner": "replica-b", "next_segment": 4})
    assert await store.save(mine)
    assert (await store.load("sess")).next_segment == 4  # type: ignore[union-attr]


async def test_the_continuation_state_has_a_key_of_its_own_written_once(redis_client: Redis) -> None:
    store = SnapshotStore(redis_client, KEYS, ttl_s=60)
    state_key = KEYS.snapshot_continuation("sess")
    assert await store.save(snapshot())
    stored = await redis_client.hgetall(KEYS.snapshot("sess"))
    assert stored[b"cont_id"] == b"c1" and not any(b"carry" in value for value in stored.values())
    assert await redis_client.get(state_key) == snapshot().continuation
    assert 0 < await redis_client.pttl(state_key) <= 60_000
    # the same state again: only the hash goes out (other bytes under the same id are not sent)
    again = snapshot().model_copy(update={"next_segment": 4, "continuation": b"not sent"})
    assert await store.save(again, is_continuation_stored=True)
    loaded = await store.load("sess")
    assert loaded is not None and (loaded.next_segment, loaded.continuation) == (4, snapshot().continuation)
    # the key lost its state (evicted): the bytes are sent after all
    await redis_client.delete(state_key)
    assert await store.save(snapshot(), is_continuation_stored=True)
    assert await redis_client.get(state_key) == snapshot().continuation
    # a new state replaces it; none removes it
    newer = snapshot().model_copy(update={"continuation_id": "c2", "continuation": b"newer"})
    assert await store.save(newer, is_continuation_stored=False)
    assert (await store.load("sess")).continuation == b"newer"  # type: ignore[union-attr]
    assert await store.save(snapshot().model_copy(update={"continuation_id": None, "continuation": None}))
    assert await redis_client.get(state_key) is None
    assert (await store.load("sess")).continuation is None  # type: ignore[union-attr]
    await store.save(snapshot())
    await store.delete("sess")
    assert await redis_client.exists(KEYS.snapshot("sess"), state_key) == 0


async def test_a_snapshot_whose_continuation_state_is_gone_cannot_be_taken_over(redis_client: Redis) -> None:
    store = SnapshotStore(redis_client, KEYS, ttl_s=60)
    await store.save(snapshot())
    await redis_client.delete(KEYS.snapshot_continuation("sess"))  # evicted: the rollout cannot go on
    assert await store.load("sess") is None
    with pytest.raises(ResumeFailed, match="has ended"):
        await store.take_over("sess", "secret-token", "replica-b", "t2")
    assert await store.owners(["sess"]) == {"sess": "replica-a"}  # it stays with the replica holding it


async def test_a_takeover_refreshes_the_continuation_state_and_fences_it(redis_client: Redis) -> None:
    store = SnapshotStore(redis_client, KEYS, ttl_s=60)
    await store.save(snapshot())
    state_key = KEYS.snapshot_continuation("sess")
    await redis_client.pexpire(state_key, 5_000)
    await store.take_over("sess", "secret-token", "replica-b", "t2")
    assert await redis_client.pttl(state_key) > 5_000  # lives as long as the snapshot again
    stale = snapshot().model_copy(update={"continuation_id": "c9", "continuation": b"stale"})
    assert not await store.save(stale)  # replica-a lost it: neither the hash nor the state changes
    assert await redis_client.get(state_key) == snapshot().continuation
