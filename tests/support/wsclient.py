"""A small websocket client for the tests: JSON events and binary fMP4 frames, with timeouts."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection


@dataclass
class SegmentMedia:
    mime: str
    chunks: list[bytes] = field(default_factory=list)

    @property
    def data(self) -> bytes:
        return b"".join(self.chunks)


class Client:
    def __init__(self, conn: ClientConnection) -> None:
        self.conn = conn
        self.events: list[dict[str, Any]] = []
        self.media: dict[int, SegmentMedia] = {}
        self._current: int | None = None

    @classmethod
    async def connect(cls, url: str) -> Client:
        return cls(await websockets.connect(url, max_size=None))

    async def send(self, message: dict[str, Any] | str | bytes) -> None:
        await self.conn.send(json.dumps(message) if isinstance(message, dict) else message)

    async def next_event(self, timeout_s: float = 30) -> dict[str, Any]:
        """The next JSON event; binary frames on the way are stored under their segment."""
        async with asyncio.timeout(timeout_s):
            while True:
                frame = await self.next_frame()
                if isinstance(frame, dict):
                    return frame

    async def next_frame(self) -> dict[str, Any] | bytes:
        """The next frame: a JSON event, or fMP4 bytes (stored under the segment of the latest
        `media_init`, which starts that segment's media afresh)."""
        frame = await self.conn.recv()
        if isinstance(frame, bytes):
            assert self._current is not None, "binary frame before any media_init"
            self.media[self._current].chunks.append(frame)
            return frame
        event: dict[str, Any] = json.loads(frame)
        self.events.append(event)
        if event["type"] == "media_init":
            self._current = event["segment_idx"]
            self.media[self._current] = SegmentMedia(event["mime"])
        return event

    async def until(self, event_type: str, timeout_s: float = 60) -> dict[str, Any]:
        async with asyncio.timeout(timeout_s):
            while True:
                event = await self.next_event(timeout_s)
                if event["type"] == event_type:
                    return event

    def types(self) -> list[str]:
        return [e["type"] for e in self.events]

    async def close(self) -> None:
        await self.conn.close()


def init(*prompts: str, **extra: object) -> dict[str, object]:
    """A `session_init_v2` with these seed prompts, enhancement off (no LLM in the way)."""
    return {"type": "session_init_v2", "curated_prompts": list(prompts), "enhancement_enabled": False} | extra


async def started(ws_url: str, *prompts: str, **extra: object) -> Client:
    """A client whose session has been given a GPU slot."""
    client = await Client.connect(ws_url)
    await client.next_event()
    await client.send(init(*prompts, **extra))
    await client.until("gpu_assigned")
    return client
