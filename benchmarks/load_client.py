"""One streaming session of the load benchmark: a plain websocket client that times and checks every chunk.

Relay latency of a chunk = the time the client holds the whole binary frame (right after `recv()` returns)
minus the time the worker slot handed it to its agent for publishing (the stamp at its end, see
`benchmarks.load_agent`). Both clocks are this host's wall clock. It covers the agent's queue, the XADD,
Redis, the replica's XREAD, the rollout, the socket's outbox, the websocket and the client's event loop.

Order: each frame's stamp names its segment and its index in the segment; the client checks that segments
follow each other and chunks arrive 0, 1, 2… within one, and that `media_segment_complete` counts as many
chunks as arrived. A chunk seen twice is a duplicate; any other surprise is out of order. After
`segment_restarted` (failover: the slot was lost) the segment's chunks start again from 0; restarts are
counted on their own.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection

from benchmarks.load_agent import read_stamp

_LEAVE_TIMEOUT_S = 10.0


@dataclass
class SessionStats:
    index: int
    replica: int
    chunks: int = 0
    bytes: int = 0
    segments_complete: int = 0
    duplicates: int = 0
    out_of_order: int = 0
    unstamped: int = 0
    restarts: int = 0  # `segment_restarted`: the slot was lost (its agent or its ticket expired), a failover
    errors: list[str] = field(default_factory=list)
    assigned_at: float | None = None  # unix s of `gpu_assigned`
    first_chunk_at: float | None = None
    last_chunk_at: float | None = None

    @property
    def is_clean(self) -> bool:
        return not (self.errors or self.duplicates or self.out_of_order or self.unstamped)


@dataclass
class Samples:
    """Every chunk's (receive unix s, relay latency ms, bytes), shared by the sessions of one replica."""

    received: list[tuple[float, float, int]] = field(default_factory=list)

    def between(self, start: float, end: float) -> list[tuple[float, float, int]]:
        return [sample for sample in self.received if start <= sample[0] <= end]


class _Order:
    """Where the session's media stands: the segment in flight and the next chunk expected of it."""

    def __init__(self) -> None:
        self.segment: int | None = None
        self.next_chunk = 0
        self.seen: set[tuple[int, int]] = set()

    def media_init(self, segment_idx: int) -> bool:
        is_next = self.segment is None or segment_idx == self.segment + 1
        self.segment, self.next_chunk = segment_idx, 0
        return is_next

    def restart(self, segment_idx: int) -> None:
        """`segment_idx` is rendered again: what arrived of it is void, its chunks come again from 0."""
        self.seen = {key for key in self.seen if key[0] < segment_idx}
        self.segment, self.next_chunk = segment_idx - 1, 0

    def chunk(self, segment_idx: int, chunk_idx: int) -> str | None:
        """None if this is the chunk expected; else "duplicate" or "out_of_order"."""
        key = (segment_idx, chunk_idx)
        if key in self.seen:
            return "duplicate"
        self.seen.add(key)
        if segment_idx != self.segment or chunk_idx != self.next_chunk:
            return "out_of_order"
        self.next_chunk += 1
        return None


async def stream_session(url: str, stats: SessionStats, samples: Samples, stop: asyncio.Event) -> None:
    """Start a session, stream until `stop`, then `leave`. Problems are counted in `stats`, not raised."""
    init = {
        "type": "session_init_v2",
        "curated_prompts": [f"load session {stats.index}", f"load session {stats.index}, later"],
        "enhancement_enabled": False,
        "loop_generation_enabled": True,  # the prompts repeat: the session streams until it leaves
    }
    try:
        async with websockets.connect(url, max_size=None, open_timeout=60, ping_interval=None) as ws:
            await _expect(ws, "session_ready", 60)
            await ws.send(json.dumps(init))
            receiving = asyncio.create_task(_receive(ws, stats, samples))
            stopping = asyncio.create_task(stop.wait())
            await asyncio.wait({receiving, stopping}, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            if receiving.done():
                receiving.result()  # raises what ended it
                stats.errors.append("the server ended the stream before the benchmark did")
                return
            await ws.send(json.dumps({"type": "leave"}))
            with contextlib.suppress(TimeoutError, websockets.ConnectionClosedOK):
                async with asyncio.timeout(_LEAVE_TIMEOUT_S):
                    await receiving
            receiving.cancel()
    except (OSError, TimeoutError, websockets.WebSocketException) as exc:
        stats.errors.append(f"{type(exc).__name__}: {exc}")


async def _expect(ws: ClientConnection, event_type: str, timeout_s: float) -> dict[str, Any]:
    async with asyncio.timeout(timeout_s):
        while True:
            frame = await ws.recv()
            if isinstance(frame, str) and (event := json.loads(frame))["type"] == event_type:
                return dict(event)


async def _receive(ws: ClientConnection, stats: SessionStats, samples: Samples) -> None:
    order = _Order()
    async for frame in ws:
        now = time.time()
        if isinstance(frame, bytes):
            _on_chunk(frame, now, order, stats, samples)
        else:
            _on_event(json.loads(frame), now, order, stats)


def _on_chunk(frame: bytes, now: float, order: _Order, stats: SessionStats, samples: Samples) -> None:
    stamp = read_stamp(frame)
    if stamp is None:
        stats.unstamped += 1
        return
    samples.received.append((now, now * 1000 - stamp.handed_unix_ns / 1e6, len(frame)))
    stats.chunks += 1
    stats.bytes += len(frame)
    stats.first_chunk_at = stats.first_chunk_at or now
    stats.last_chunk_at = now
    match order.chunk(stamp.segment_idx, stamp.chunk_idx):
        case "duplicate":
            stats.duplicates += 1
        case "out_of_order":
            stats.out_of_order += 1


def _on_event(event: dict[str, Any], now: float, order: _Order, stats: SessionStats) -> None:
    match event["type"]:
        case "gpu_assigned":
            stats.assigned_at = now
        case "media_init":
            if not order.media_init(int(event["segment_idx"]) - 1):  # the wire counts segments from 1
                stats.out_of_order += 1
        case "segment_restarted":
            stats.restarts += 1
            order.restart(int(event["segment_idx"]) - 1)
        case "media_segment_complete":
            stats.segments_complete += 1
            if event["chunks"] != order.next_chunk:
                stats.errors.append(
                    f"segment {event['segment_idx']}: {event['chunks']} chunks announced, "
                    f"{order.next_chunk} arrived in order"
                )
        case "error":
            stats.errors.append(f"error event: {event.get('code')}: {event.get('message')}")
