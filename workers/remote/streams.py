"""Per-session event streams: the agent appends, whichever replica holds the client reads.

Each entry's Redis id *is* its sequence number (`{seq}-0`, the counter incremented in the same script), so
Redis itself refuses an entry that is not newer than the last one, and a reader that asks for "after seq N"
can neither miss nor repeat one. A reader still checks that numbers are consecutive: a gap means entries
were trimmed before it read them, which it reports instead of relaying a hole.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

from redis.asyncio import Redis

from dreamverse.workers.remote.keys import Keys
from dreamverse.workers.remote.wire import Message, decode, encode

# KEYS: events, seq. ARGV: maxlen, ttl ms, then field/value pairs.
_PUBLISH = """
local seq = redis.call('INCR', KEYS[2])
local fields = {'seq', tostring(seq)}
for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], seq .. '-0', unpack(fields))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return seq
"""


StreamReply = list[tuple[bytes, list[tuple[bytes, dict[bytes, bytes]]]]]  # what XREAD returns (bytes mode)


def stream_reply(reply: object) -> StreamReply:
    """XREAD's reply, typed (redis-py declares it loosely); None (timed out) is no entries."""
    return cast(StreamReply, reply or [])


class StreamGap(Exception):
    """Entries between the last one read and the next one are gone (trimmed or lost with Redis)."""


@dataclass(frozen=True, slots=True)
class Delivered:
    seq: int
    message: Message
    sent_unix_ms: float  # when the agent published it (for relay latency)


class SessionStreamWriter:
    """The agent's side: append messages to a session's stream, each with the next sequence number."""

    def __init__(self, redis: Redis, keys: Keys, *, max_len: int, ttl_s: float) -> None:
        self._keys = keys
        self._max_len = max_len
        self._ttl_ms = int(ttl_s * 1000)
        self._publish = redis.register_script(_PUBLISH)

    async def publish(self, session_id: str, message: Message) -> int:
        fields = encode(message)
        fields["sent_ms"] = repr(time.time() * 1000).encode()
        flat: list[bytes | str | int] = [self._max_len, self._ttl_ms]
        for key, value in fields.items():
            flat += [key, value]
        k = self._keys
        seq = await self._publish(keys=[k.session_events(session_id), k.session_seq(session_id)], args=flat)
        return int(seq)


class SessionStreamReader:
    """A replica's side: read a session's messages in order, starting after `after_seq`."""

    def __init__(self, redis: Redis, keys: Keys, session_id: str, *, after_seq: int = 0) -> None:
        self._redis = redis
        self._key = keys.session_events(session_id)
        self.last_seq = after_seq

    async def read(self, block_ms: int, count: int = 64) -> list[Delivered]:
        """The next messages (waits up to `block_ms` for the first); empty on timeout."""
        reply = await self._redis.xread({self._key: f"{self.last_seq}-0"}, count=count, block=block_ms)
        out: list[Delivered] = []
        for _key, entries in stream_reply(reply):
            for entry_id, fields in entries:
                seq = int(entry_id.split(b"-")[0])
                if seq <= self.last_seq:
                    continue  # never relay one twice
                if seq != self.last_seq + 1:
                    raise StreamGap(f"events {self.last_seq + 1}..{seq - 1} of {self._key} are gone")
                self.last_seq = seq
                out.append(Delivered(seq, decode(fields), _sent_ms(fields)))
        return out

    async def trim_through(self, seq: int) -> None:
        """Drop entries up to `seq` (delivered; a takeover resumes after a later snapshot)."""
        await self._redis.xtrim(self._key, minid=f"{seq + 1}-0", approximate=False)


def _sent_ms(fields: Mapping[bytes, bytes]) -> float:
    raw = fields.get(b"sent_ms")
    return float(raw) if raw is not None else 0.0
