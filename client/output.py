"""What `dreamverse-direct` writes: one MP4 of every segment received, and a JSON log of the events.

The MP4 comes from the server's `POST /export` when it offers `export`, else the segments are joined
here with ffmpeg's concat demuxer and stream copy (the same code the server uses).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from dreamverse.client.segments import Segment
from dreamverse.runtime.protocol.server import ServerEvent
from dreamverse.streaming.export import concat_segments
from dreamverse.streaming.settings import EncoderSettings

logger = logging.getLogger(__name__)


def export_url(ws_url: str) -> str:
    """`ws://host:port/ws` → `http://host:port/export` (`wss` → `https`)."""
    parts = urlsplit(ws_url)
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
    path = parts.path.rsplit("/", 1)[0] + "/export"
    return urlunsplit((scheme, parts.netloc, path, "", ""))


async def write_mp4(
    segments: list[Segment],
    out: Path,
    *,
    ws_url: str,
    token: str | None,
    use_server: bool,
    ffmpeg: str = "ffmpeg",
    timeout_s: float = 120.0,
) -> str:
    """Write one MP4 of `segments` in order; returns how: "server" or "local"."""
    body = b"".join(segment.data for segment in segments)
    if not body:
        raise ValueError("no segments were received; nothing to write")
    mp4 = await _server_export(body, ws_url, token, timeout_s) if use_server else None
    how = "server"
    if mp4 is None:
        settings = EncoderSettings(ffmpeg_path=ffmpeg, export_timeout_s=timeout_s)
        mp4 = await asyncio.to_thread(concat_segments, body, settings, len(body) + 1)
        how = "local"
    partial = out.with_name(out.name + ".partial")
    await asyncio.to_thread(partial.write_bytes, mp4)
    partial.replace(out)
    return how


async def _server_export(body: bytes, ws_url: str, token: str | None, timeout_s: float) -> bytes | None:
    headers = {"Content-Type": "video/mp4", **({"Authorization": f"Bearer {token}"} if token else {})}
    try:
        async with httpx.AsyncClient(timeout=timeout_s) as http:
            response = await http.post(export_url(ws_url), content=body, headers=headers)
    except httpx.HTTPError as exc:
        logger.warning("server export failed (%s); joining locally", exc)
        return None
    if response.status_code != 200:
        logger.warning(
            "server export answered %d (%s); joining locally", response.status_code, response.text[:200]
        )
        return None
    return response.content


@dataclass
class EventLog:
    """Every event and segment with its time since the log began; written as one JSON document."""

    started: float = field(default_factory=time.monotonic)
    entries: list[dict[str, Any]] = field(default_factory=list)

    def add(self, item: ServerEvent | Segment) -> None:
        t_s = round(time.monotonic() - self.started, 4)
        if isinstance(item, Segment):
            self.entries.append({"t_s": t_s, "type": "segment", **segment_summary(item)})
        else:
            self.entries.append({"t_s": t_s, **item.model_dump(mode="json")})

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.entries, indent=1) + "\n", encoding="utf-8")


def segment_summary(segment: Segment) -> dict[str, Any]:
    return {
        "segment_idx": segment.segment_idx,
        "stream_id": segment.stream_id,
        "prompt": segment.prompt,
        "source": segment.source,
        "frames": segment.frames,
        "duration_s": segment.duration_s,
        "bytes": len(segment.data),
        "chunks": len(segment.chunks),
        "server_latency_ms": segment.server_latency_ms,
    }
