"""The ffmpeg side of a `SegmentEncoder`: its command line, and the threads that drain stdout and stderr."""

from __future__ import annotations

import collections
import io
import logging
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, cast

import ffmpeg

from dreamverse.streaming.boxes import BoxSplitter, ChunkAssembler, iter_boxes
from dreamverse.streaming.codec import mime_from_init_segment
from dreamverse.streaming.errors import MalformedMP4, StreamingError
from dreamverse.streaming.settings import EncoderSettings

logger = logging.getLogger(__name__)

_READ_BYTES = 1 << 16
_STDERR_LINES = 40
_GLOBAL_ARGS = ("-hide_banner", "-nostdin", "-nostats", "-loglevel", "warning")
_MOVFLAGS = "+frag_keyframe+empty_moov+default_base_moof"


@dataclass(frozen=True, slots=True)
class EncodeStats:
    """What one segment's encode did. Times are `time.monotonic()` seconds."""

    frames: int
    audio_samples: int  # per channel
    bytes_out: int  # fMP4 bytes delivered through on_chunk
    chunks: int  # on_chunk calls
    fragments: int  # moof boxes
    seconds: float  # encoder start (ffmpeg spawn) → finish() returned
    started_at: float
    first_frame_at: float | None  # first write_video
    last_frame_at: float | None  # last write_video returned
    first_chunk_at: float | None  # init segment handed to on_chunk
    first_fragment_at: float | None  # first chunk holding a moof handed to on_chunk
    finished_at: float
    mime: str | None  # e.g. video/mp4; codecs="avc1.42C01F,mp4a.40.2"

    @property
    def first_fragment_latency_s(self) -> float | None:
        """First frame written → first fragment delivered."""
        if self.first_frame_at is None or self.first_fragment_at is None:
            return None
        return self.first_fragment_at - self.first_frame_at

    @property
    def drain_s(self) -> float | None:
        """Last frame written → finish() done (every fragment delivered)."""
        return None if self.last_frame_at is None else self.finished_at - self.last_frame_at


def build_command(
    ffmpeg_path: str,
    settings: EncoderSettings,
    video: tuple[int, int, int],
    audio: tuple[int, int, int],
) -> list[str]:
    """ffmpeg argv: video = (width, height, fps) on stdin; audio = (sample_rate, channels, fd)."""
    width, height, fps = video
    sample_rate, channels, audio_fd = audio
    video_in = ffmpeg.input(
        "pipe:0", format="rawvideo", pix_fmt="rgb24", s=f"{width}x{height}", framerate=fps, probesize=32
    )
    audio_in = ffmpeg.input(f"pipe:{audio_fd}", format="f32le", ar=sample_rate, ac=channels, probesize=32)
    out = ffmpeg.output(video_in, audio_in, "pipe:1", **_output_options(settings))
    args: list[str] = ffmpeg.compile(out, cmd=ffmpeg_path)
    return [args[0], *_GLOBAL_ARGS, *args[1:]]


def _output_options(settings: EncoderSettings) -> dict[str, object]:
    options: dict[str, object] = {
        "format": "mp4",
        "c:v": "libx264",
        "preset": settings.preset,
        "profile:v": settings.profile,
        "pix_fmt": "yuv420p",
        "g": settings.gop_frames,
        "keyint_min": settings.gop_frames,
        "sc_threshold": 0,
        "c:a": "aac",
        "b:a": settings.audio_bitrate,
        "movflags": _MOVFLAGS,
        "frag_duration": settings.fragment_duration_ms * 1000,
        "flush_packets": 1,
        # Keep video timestamps exactly i/fps from 0; the default shifts all but the first video frame by
        # the AAC encoder delay, which stretches frame 0.
        "avoid_negative_ts": "make_non_negative",
    }
    if settings.tune:
        options["tune"] = settings.tune
    if settings.video_bitrate is not None:
        options["b:v"] = settings.video_bitrate
    else:
        options["crf"] = settings.crf
    if settings.threads:
        options["threads"] = settings.threads
    return options


class StderrTail:
    """Drains ffmpeg's stderr on a thread, logging it at debug level and keeping the last lines."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self._lines: collections.deque[str] = collections.deque(maxlen=_STDERR_LINES)
        self._lock = threading.Lock()
        assert proc.stderr is not None
        self.thread = threading.Thread(
            target=self._run, args=(proc.stderr,), name="ffmpeg-stderr", daemon=True
        )
        self.thread.start()

    def _run(self, raw_stream: IO[bytes]) -> None:
        stream = io.BufferedReader(cast(io.RawIOBase, raw_stream))
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip()
            logger.debug("ffmpeg: %s", line)
            with self._lock:
                self._lines.append(line)
        stream.close()

    def text(self) -> str:
        self.thread.join(1.0)
        with self._lock:
            return "\n".join(self._lines)


class OutputReader:
    """Reads ffmpeg's stdout on a thread and calls `on_chunk` with groups of whole boxes.

    If parsing or `on_chunk` raises, the error is kept in `error`, `on_error` is called (the encoder kills
    ffmpeg) and the thread ends; the encoder re-raises it from the producer's next call.
    """

    def __init__(
        self,
        proc: subprocess.Popen[bytes],
        max_chunk_bytes: int,
        on_chunk: Callable[[bytes], None],
        on_error: Callable[[], None],
    ) -> None:
        self._on_chunk = on_chunk
        self._on_error = on_error
        self._splitter = BoxSplitter()
        self._assembler = ChunkAssembler(max_chunk_bytes)
        self._init_parts: list[bytes] = []
        self.mime: str | None = None
        self.error: BaseException | None = None
        self.bytes_out = 0
        self.chunks = 0
        self.fragments = 0
        self.first_chunk_at: float | None = None
        self.first_fragment_at: float | None = None
        assert proc.stdout is not None
        self.thread = threading.Thread(
            target=self._run, args=(proc.stdout,), name="ffmpeg-stdout", daemon=True
        )
        self.thread.start()

    def _run(self, stream: IO[bytes]) -> None:
        try:
            while data := stream.read(_READ_BYTES):
                self._deliver(self._assembler.add(self._inspect(self._splitter.feed(data))))
            if self._splitter.pending_bytes:
                raise MalformedMP4(f"ffmpeg output ended inside a box ({self._splitter.pending_bytes} bytes)")
            self._deliver(self._assembler.flush())
        except BaseException as exc:  # kept and re-raised on the producer's thread
            self.error = exc
            self._on_error()
        finally:
            stream.close()

    def _inspect(self, boxes: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
        for box_type, data in boxes:
            if box_type == "moof":
                self.fragments += 1
            elif box_type in ("ftyp", "moov") and self.mime is None:
                self._init_parts.append(data)
                if box_type == "moov":
                    self.mime = _mime_or_none(b"".join(self._init_parts))
        return boxes

    def _deliver(self, chunks: list[bytes]) -> None:
        for chunk in chunks:
            now = time.monotonic()
            if self.first_chunk_at is None:
                self.first_chunk_at = now
            if self.first_fragment_at is None and any(box.type == "moof" for box in iter_boxes(chunk)):
                self.first_fragment_at = now
            self._on_chunk(chunk)
            self.chunks += 1
            self.bytes_out += len(chunk)


def _mime_or_none(init: bytes) -> str | None:
    try:
        return mime_from_init_segment(init)
    except StreamingError:
        logger.warning("could not read codecs from the init segment", exc_info=True)
        return None
