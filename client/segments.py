"""Segments as they stream: one `Segment` per finished segment, built from events and binary frames.

A segment's bytes are a standalone fragmented MP4 (its own init segment, then fragments), exactly as the
server sent them. After a resume the server may replay a segment from its start; the assembler drops any
partial copy it held and never emits a segment (same stream, same index) twice.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from dreamverse.runtime.protocol import server as s

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class Segment:
    segment_idx: int
    stream_id: str
    prompt: str
    mime: str
    chunks: list[bytes] = field(default_factory=list)
    source: str | None = None
    frames: int | None = None
    duration_s: float | None = None  # seconds of video, when the server says (`media_segment_complete`)
    started_at: float = 0.0  # time.monotonic() at `media_init`
    first_byte_at: float | None = None  # time.monotonic() at its first binary frame
    completed_at: float | None = None  # time.monotonic() at `ltx2_segment_complete`
    server_latency_ms: float | None = None  # request to encoded, as the server measured it (`step_complete`)

    @property
    def data(self) -> bytes:
        """The whole segment: init segment + fragments, a playable MP4 on its own."""
        return b"".join(self.chunks)

    @property
    def key(self) -> tuple[str, int]:
        return (self.stream_id, self.segment_idx)


class SegmentAssembler:
    """Feeds on events and binary frames in arrival order; `on_event` returns a segment when one is done."""

    def __init__(self) -> None:
        self._starts: dict[int, s.Ltx2SegmentStart] = {}
        self._current: Segment | None = None
        self._finished: Segment | None = None  # media complete, waiting for `ltx2_segment_complete`
        self._emitted: set[tuple[str, int]] = set()
        self._skipping = False  # bytes of a replayed segment we already have
        self.last_complete: dict[str, int] = {}  # stream_id → last segment emitted in full
        self.stream_id: str | None = None

    def on_bytes(self, data: bytes) -> None:
        if self._skipping:
            return
        if self._current is None:
            logger.warning("dropping %d bytes that arrived outside a segment", len(data))
            return
        if self._current.first_byte_at is None:
            self._current.first_byte_at = time.monotonic()
        self._current.chunks.append(data)

    def on_event(self, event: s.ServerEvent) -> Segment | None:
        match event:
            case s.Ltx2SegmentStart():
                self._starts[event.segment_idx] = event
            case s.MediaInit():
                self._begin(event)
            case s.MediaSegmentComplete():
                self._finish(event)
            case s.StepComplete() if self._finished is not None:
                self._finished.server_latency_ms = event.latency_ms.total
            case s.Ltx2SegmentComplete():
                return self._emit(event.segment_idx)
        return None

    def drop_partial(self) -> None:
        """The socket dropped: a half-received segment is useless (a replay brings it whole)."""
        self._current = None
        self._finished = None
        self._skipping = False

    def _begin(self, event: s.MediaInit) -> None:
        self.stream_id = event.stream_id
        self._finished = None
        self._skipping = (event.stream_id, event.segment_idx) in self._emitted
        if self._skipping:
            logger.info("segment %d was replayed, but we have it already", event.segment_idx)
            self._current = None
            return
        start = self._starts.get(event.segment_idx)
        self._current = Segment(
            segment_idx=event.segment_idx,
            stream_id=event.stream_id,
            prompt=start.prompt if start is not None else "",
            source=start.source if start is not None else None,
            mime=event.mime,
            started_at=time.monotonic(),
        )

    def _finish(self, event: s.MediaSegmentComplete) -> None:
        segment = self._current
        if segment is None or segment.segment_idx != event.segment_idx:
            return
        if len(segment.chunks) != event.chunks:
            logger.warning(
                "segment %d: %d chunks received, server sent %d",
                event.segment_idx,
                len(segment.chunks),
                event.chunks,
            )
        segment.frames = event.frames
        segment.duration_s = event.duration_s
        self._finished, self._current = segment, None

    def _emit(self, segment_idx: int) -> Segment | None:
        segment, self._finished = self._finished, None
        if segment is None or segment.segment_idx != segment_idx:
            return None  # a segment whose start this socket never saw
        segment.completed_at = time.monotonic()
        self._emitted.add(segment.key)
        self.last_complete[segment.stream_id] = segment.segment_idx
        self._starts.pop(segment_idx, None)
        return segment
