"""Session snapshots in Redis, so that another replica can take a session over after this one dies.

A snapshot is written when a socket attaches and whenever a segment has been delivered; it holds everything
the session needs besides its socket: prompt memory, options and segment tree (`state`, as the session
serializes them), how far the client got (`next_segment`), which continuation state to go on from
(`continuation_id`), and the slot and stream that were rendering. One hash per session, with a TTL
refreshed on every write.

The continuation state itself (the worker's saved state after the segment before `next_segment`: about
10 MB for the full model) lives in a key of its own beside the hash, with the same TTL: this is where that
state lives while no replica holds the session. It changes once per delivered segment (and on a fork or a
switch), while the hash is also written on attach, slot and rollout start, so it is written only when its
`continuation_id` is new; the other writes send the small hash alone and refresh the state's TTL. Both are
written by one script, so the hash never names a state the key does not hold.

Only a hash of the resume token is stored; `take_over` checks it and moves ownership to the new replica
with a new token in one script, so two replicas racing with one token cannot both win. A replica writes a
snapshot only while it still owns the session (`save` is refused otherwise): a replica that lost a session
to a takeover cannot overwrite the new owner's snapshot or its continuation state.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any, cast

from pydantic import BaseModel, Field, model_validator
from redis.asyncio import Redis
from redis.typing import EncodableT

from dreamverse.runtime.errors import ResumeFailed
from dreamverse.workers.remote.keys import Keys

# KEYS: snapshot hash, its continuation key. ARGV: digest of the presented token, new owner, digest of the
# new token, ttl ms. A snapshot whose continuation state is gone (evicted) cannot go on: 0, as if ended.
_TAKE_OVER = """
local token = redis.call('HGET', KEYS[1], 'token')
if not token then return 0 end
if token ~= ARGV[1] then return -1 end
local cont_id = redis.call('HGET', KEYS[1], 'cont_id')
if cont_id and cont_id ~= '' and redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'owner', ARGV[2], 'token', ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[4]))
return 1
"""

# KEYS: snapshot hash, its continuation key. ARGV: owner, ttl ms, continuation id ('' for none), '1' when
# the continuation bytes follow (else '0'), those bytes (or ''), then field/value pairs (owner and
# cont_id included). Returns 0: another replica owns it; 2: the continuation key does not hold that id
# (send the bytes); 1: written.
_SAVE = """
local owner = redis.call('HGET', KEYS[1], 'owner')
if owner and owner ~= ARGV[1] then return 0 end
local ttl, cont_id = tonumber(ARGV[2]), ARGV[3]
if ARGV[4] == '1' then
  redis.call('SET', KEYS[2], ARGV[5], 'PX', ttl)
elseif cont_id == '' then
  redis.call('DEL', KEYS[2])
elseif redis.call('HGET', KEYS[1], 'cont_id') ~= cont_id or redis.call('EXISTS', KEYS[2]) == 0 then
  return 2
end
local fields = {}
for i = 6, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('PEXPIRE', KEYS[1], ttl)
if cont_id ~= '' then redis.call('PEXPIRE', KEYS[2], ttl) end
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
    # the continuation state, kept raw in a key of its own, and its id, kept beside the JSON (`cont_id`)
    continuation_id: str | None = Field(default=None, exclude=True)
    continuation: bytes | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _named_continuation(self) -> SessionSnapshot:
        if (self.continuation is None) != (self.continuation_id is None):
            raise ValueError("a continuation state and its id go together")
        return self


class SnapshotStore:
    """A snapshot is a hash: `json` (the model), `cont_id` (the continuation state the key beside it holds),
    plus `owner` and `token` kept apart so that a takeover can check the token and move both in one script
    (`json` may then still name the previous ones). The continuation state is a string key of its own."""

    def __init__(self, redis: Redis, keys: Keys, ttl_s: float) -> None:
        self._redis = redis
        self._keys = keys
        self._ttl_ms = int(ttl_s * 1000)
        self._take_over = redis.register_script(_TAKE_OVER)
        self._save = redis.register_script(_SAVE)

    def _keys_of(self, session_id: str) -> list[str]:
        return [self._keys.snapshot(session_id), self._keys.snapshot_continuation(session_id)]

    async def save(self, snapshot: SessionSnapshot, *, is_continuation_stored: bool = False) -> bool:
        """Write the snapshot; False (nothing written) when another replica owns the session now.

        `is_continuation_stored`: the continuation state named `continuation_id` was written before, so only
        the hash goes out; should the key not hold it (expired, evicted, written by another replica), the
        bytes are sent after all."""
        cont_id = snapshot.continuation_id or ""
        fields: list[EncodableT] = [
            *("json", snapshot.model_dump_json()),
            *("owner", snapshot.owner),
            *("token", snapshot.token_sha256),
            *("cont_id", cont_id),
        ]
        keys = self._keys_of(snapshot.session_id)
        head: list[EncodableT] = [snapshot.owner, self._ttl_ms, cont_id]
        if is_continuation_stored and cont_id:
            saved = await self._save(keys=keys, args=[*head, "0", b"", *fields])
            if saved != 2:
                return bool(saved)
        saved = await self._save(
            keys=keys, args=[*head, "1" if cont_id else "0", snapshot.continuation or b"", *fields]
        )
        return bool(saved)

    async def load(self, session_id: str) -> SessionSnapshot | None:
        """The snapshot (None: there is none, or its continuation state is gone: it cannot go on)."""
        snapshot_key, continuation_key = self._keys_of(session_id)
        async with self._redis.pipeline(transaction=True) as pipe:  # the hash and the state of one moment
            pipe.hmget(snapshot_key, ["json", "owner", "token", "cont_id"])
            pipe.get(continuation_key)
            reply, cont = cast(tuple[list[bytes | None], bytes | None], await pipe.execute())
        raw, owner, token, cont_id = reply
        if raw is None or owner is None or token is None or (cont_id and cont is None):
            return None
        snapshot = SessionSnapshot.model_validate_json(raw)
        update = {
            "owner": owner.decode(),
            "token_sha256": token.decode(),
            "continuation_id": cont_id.decode() if cont_id else None,
            "continuation": cont if cont_id else None,
        }
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
        await self._redis.delete(*self._keys_of(session_id))

    async def take_over(
        self, session_id: str, token: str, replica_id: str, new_token: str
    ) -> SessionSnapshot:
        """Claim a session with the client's resume token, which is replaced by `new_token` in the same
        step (so of two replicas presenting one token, one wins); `ResumeFailed` otherwise."""
        outcome = await self._take_over(
            keys=self._keys_of(session_id),
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
