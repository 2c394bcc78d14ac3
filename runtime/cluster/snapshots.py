"""Session snapshots in Redis, so that another replica can take a session over after this one dies.

A snapshot is written whenever a segment completes (and when the socket drops); it holds everything the
session needs besides its socket: prompt memory and rollout position (as the session serializes them),
which slot holds the continuation state, and how far the session's event stream was relayed. Only a hash
of the resume token is stored; `take_over` checks it and moves ownership to the new replica with a new
token in one script, so two replicas racing with one token cannot both win.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any, cast

from pydantic import BaseModel, Field
from redis.asyncio import Redis
from redis.typing import EncodableT, FieldT

from dreamverse.runtime.errors import ResumeFailed
from dreamverse.workers.remote.keys import Keys

# KEYS: snapshot hash. ARGV: digest of the presented token, new owner, digest of the new token, ttl ms.
_TAKE_OVER = """
local token = redis.call('HGET', KEYS[1], 'token')
if not token then return 0 end
if token ~= ARGV[1] then return -1 end
redis.call('HSET', KEYS[1], 'owner', ARGV[2], 'token', ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
return 1
"""


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SessionSnapshot(BaseModel):
    session_id: str
    owner: str  # the replica that serves it now
    token_sha256: str  # of the resume token the client holds
    saved_unix_s: float = Field(default_factory=time.time)
    slot: str | None = None  # the remote slot holding the continuation state, if any
    events_seq: int = 0  # the session's event stream was relayed through this sequence number
    next_segment: int = 0  # the first segment not yet delivered in full
    state: dict[str, Any] = Field(default_factory=dict)  # prompt memory, options, rollout (session-owned)


class SnapshotStore:
    """A snapshot is a hash: `json` (the model), plus `owner` and `token` kept apart so that a takeover can
    check the token and move both in one script (`json` may then still name the previous ones)."""

    def __init__(self, redis: Redis, keys: Keys, ttl_s: float) -> None:
        self._redis = redis
        self._keys = keys
        self._ttl_ms = int(ttl_s * 1000)
        self._take_over = redis.register_script(_TAKE_OVER)

    async def save(self, snapshot: SessionSnapshot) -> None:
        key = self._keys.snapshot(snapshot.session_id)
        fields: dict[FieldT, EncodableT] = {
            "json": snapshot.model_dump_json(),
            "owner": snapshot.owner,
            "token": snapshot.token_sha256,
        }
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping=fields)
            pipe.pexpire(key, self._ttl_ms)
            await pipe.execute()

    async def load(self, session_id: str) -> SessionSnapshot | None:
        reply = await self._redis.hmget(self._keys.snapshot(session_id), ["json", "owner", "token"])
        raw, owner, token = cast(list[bytes | None], reply)
        if raw is None or owner is None or token is None:
            return None
        snapshot = SessionSnapshot.model_validate_json(raw)
        return snapshot.model_copy(update={"owner": owner.decode(), "token_sha256": token.decode()})

    async def delete(self, session_id: str) -> None:
        await self._redis.delete(self._keys.snapshot(session_id))

    async def take_over(
        self, session_id: str, token: str, replica_id: str, new_token: str
    ) -> SessionSnapshot:
        """Claim a session with the client's resume token, which is replaced by `new_token` in the same
        step (so of two replicas presenting one token, one wins); `ResumeFailed` otherwise."""
        outcome = await self._take_over(
            keys=[self._keys.snapshot(session_id)],
            args=[token_digest(token), replica_id, token_digest(new_token), self._ttl_ms],
        )
        if outcome == 0:
            raise ResumeFailed("that session has ended; start a new one")
        if outcome == -1:
            raise ResumeFailed("the resume token does not match")
        snapshot = await self.load(session_id)
        if snapshot is None:
            raise ResumeFailed("that session has ended; start a new one")
        return snapshot
