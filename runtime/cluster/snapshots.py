"""Session snapshots in Redis, so that another replica can take a session over after this one dies.

A snapshot is written when a socket attaches and whenever a segment has been delivered; it holds everything
the session needs besides its socket: prompt memory, options and segment tree (`state`, as the session
serializes them), how far the client got (`next_segment`), the continuation state the worker saved after
the segment before it (`continuation`, raw bytes in their own field: this is where that state lives while
no replica holds the session), and the slot and stream that were rendering. One hash per session, with a
TTL refreshed on every write.

Only a hash of the resume token is stored; `take_over` checks it and moves ownership to the new replica
with a new token in one script, so two replicas racing with one token cannot both win. A replica writes a
snapshot only while it still owns the session (`save` is refused otherwise): a replica that lost a session
to a takeover cannot overwrite the new owner's snapshot.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any, cast

from pydantic import BaseModel, Field
from redis.asyncio import Redis
from redis.typing import EncodableT

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

# KEYS: snapshot hash. ARGV: owner, ttl ms, then field/value pairs (owner included).
_SAVE = """
local owner = redis.call('HGET', KEYS[1], 'owner')
if owner and owner ~= ARGV[1] then return 0 end
local fields = {}
for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 1
"""


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SessionSnapshot(BaseModel):
    session_id: str
    owner: str  # the replica that serves it now
    token_sha256: str  # of the resume token the client holds
    saved_unix_s: float = Field(default_factory=time.time)
    slot: str | None = None  # the remote slot that was rendering for it, if any
    stream_id: str | None = None  # the stream on that slot (cancelled when another replica adopts it)
    next_segment: int = 0  # the first segment the client has not had whole
    state: dict[str, Any] = Field(default_factory=dict)  # prompt memory, options, tree (session-owned)
    continuation: bytes | None = Field(default=None, exclude=True)  # kept raw in its own hash field


class SnapshotStore:
    """A snapshot is a hash: `json` (the model), `cont` (the continuation state, raw), plus `owner` and
    `token` kept apart so that a takeover can check the token and move both in one script (`json` may then
    still name the previous ones)."""

    def __init__(self, redis: Redis, keys: Keys, ttl_s: float) -> None:
        self._redis = redis
        self._keys = keys
        self._ttl_ms = int(ttl_s * 1000)
        self._take_over = redis.register_script(_TAKE_OVER)
        self._save = redis.register_script(_SAVE)

    async def save(self, snapshot: SessionSnapshot) -> bool:
        """Write the snapshot; False (nothing written) when another replica owns the session now."""
        fields: list[EncodableT] = [
            *("json", snapshot.model_dump_json()),
            *("owner", snapshot.owner),
            *("token", snapshot.token_sha256),
            *("cont", snapshot.continuation or b""),
        ]
        saved = await self._save(
            keys=[self._keys.snapshot(snapshot.session_id)], args=[snapshot.owner, self._ttl_ms, *fields]
        )
        return bool(saved)

    async def load(self, session_id: str) -> SessionSnapshot | None:
        reply = await self._redis.hmget(self._keys.snapshot(session_id), ["json", "owner", "token", "cont"])
        raw, owner, token, cont = cast(list[bytes | None], reply)
        if raw is None or owner is None or token is None:
            return None
        snapshot = SessionSnapshot.model_validate_json(raw)
        update = {"owner": owner.decode(), "token_sha256": token.decode(), "continuation": cont or None}
        return snapshot.model_copy(update=update)

    async def owners(self, session_ids: list[str]) -> dict[str, str | None]:
        """The replica that owns each session now (None: no snapshot)."""
        async with self._redis.pipeline(transaction=False) as pipe:
            for session_id in session_ids:
                pipe.hget(self._keys.snapshot(session_id), "owner")
            replies = cast(list[bytes | None], await pipe.execute())
        owners = [o.decode() if o is not None else None for o in replies]
        return dict(zip(session_ids, owners, strict=True))

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
