"""The worker's encode thread: segments are encoded strictly in order, while the next one is generated.

The generating thread `submit`s each segment's parts (audio, then frame chunks, then its end); this thread
feeds them to one `SegmentEncoder` per segment and sends the fMP4 chunks to the runtime as FFmpeg writes
them. Parts of segment N+1 queue up while N's encoder drains, so the runtime always sees N's bytes, then
N+1's.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dreamverse.generator.base import Geometry
from dreamverse.streaming.codec import mime_from_init_segment
from dreamverse.streaming.encoder import SegmentEncoder
from dreamverse.streaming.errors import StreamingError
from dreamverse.streaming.settings import EncoderSettings
from dreamverse.workers.ipc import (
    FragmentEncoded,
    MediaInitialized,
    SegmentEncoded,
    SegmentFailed,
    WorkerToRuntime,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SegmentJob:
    stream_id: str
    segment_idx: int
    geometry: Geometry
    received_at: float  # monotonic time the RenderSegment command arrived


@dataclass(frozen=True, slots=True)
class _Begin:
    job: SegmentJob


@dataclass(frozen=True, slots=True)
class _Audio:
    samples: np.ndarray


@dataclass(frozen=True, slots=True)
class _Video:
    frames: np.ndarray


@dataclass(frozen=True, slots=True)
class _End:
    pass


@dataclass(frozen=True, slots=True)
class _Abort:
    pass


_Item = _Begin | _Audio | _Video | _End | _Abort | None


class EncodeThread:
    """Owns the encoders of one worker. `send` must be thread-safe."""

    def __init__(
        self,
        settings: EncoderSettings,
        send: Callable[[WorkerToRuntime], None],
        is_cancelled: Callable[[str], bool],
    ) -> None:
        self._settings = settings
        self._send = send
        self._is_cancelled = is_cancelled
        self._queue: queue.Queue[_Item] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="encode", daemon=True)
        self._job: SegmentJob | None = None
        self._encoder: SegmentEncoder | None = None
        self._failed = False

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)

    def begin(self, job: SegmentJob) -> None:
        self._queue.put(_Begin(job))

    def audio(self, samples: np.ndarray) -> None:
        self._queue.put(_Audio(samples))

    def video(self, frames: np.ndarray) -> None:
        self._queue.put(_Video(frames))

    def end(self) -> None:
        self._queue.put(_End())

    def abort(self) -> None:
        self._queue.put(_Abort())

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            try:
                self._handle(item)
            except (StreamingError, OSError, ValueError, RuntimeError) as exc:
                self._fail(f"encoding failed: {exc}")

    def _handle(self, item: _Item) -> None:
        match item:
            case _Begin(job):
                self._close_current()
                self._job, self._failed = job, False
            case _Audio(samples) if self._live():
                self._encoder = self._open_encoder(samples.shape[1] if samples.ndim == 2 else 1)
                self._encoder.write_audio(samples)
            case _Video(frames) if self._live() and self._encoder is not None:
                self._encoder.write_video(frames)
            case _End() if self._live() and self._encoder is not None:
                self._finish()
            case _End() | _Abort():
                self._close_current()

    def _live(self) -> bool:
        job = self._job
        if job is None or self._failed:
            return False
        if self._is_cancelled(job.stream_id):
            self._close_current()
            return False
        return True

    def _open_encoder(self, channels: int) -> SegmentEncoder:
        job = self._job
        assert job is not None
        geo = job.geometry
        counter = _ChunkCounter(job, self._send)
        return SegmentEncoder(
            self._settings, geo.width, geo.height, geo.fps, geo.audio_sample_rate, channels, counter
        )

    def _finish(self) -> None:
        job, encoder = self._job, self._encoder
        assert job is not None and encoder is not None
        stats = encoder.finish()
        self._encoder = None
        self._job = None
        self._send(
            SegmentEncoded(
                stream_id=job.stream_id,
                segment_idx=job.segment_idx,
                chunks=stats.chunks,
                size_bytes=stats.bytes_out,
                frames=stats.frames,
                encode_s=stats.seconds,
                worker_s=time.monotonic() - job.received_at,
            )
        )

    def _fail(self, detail: str) -> None:
        job = self._job
        logger.error("%s", detail)
        self._close_current()
        if job is not None:
            self._failed = True
            self._job = job
            self._send(SegmentFailed(stream_id=job.stream_id, segment_idx=job.segment_idx, detail=detail))

    def _close_current(self) -> None:
        if self._encoder is not None:
            self._encoder.abort()
        self._encoder = None
        self._job = None


class _ChunkCounter:
    """`on_chunk` for one segment: announces the init segment with its MIME, then forwards bytes."""

    def __init__(self, job: SegmentJob, send: Callable[[WorkerToRuntime], None]) -> None:
        self._job = job
        self._send = send
        self._announced = False

    def __call__(self, chunk: bytes) -> None:
        job = self._job
        if not self._announced:
            self._announced = True
            mime = mime_from_init_segment(chunk)
            self._send(MediaInitialized(stream_id=job.stream_id, segment_idx=job.segment_idx, mime=mime))
        self._send(FragmentEncoded(stream_id=job.stream_id, segment_idx=job.segment_idx, data=chunk))
