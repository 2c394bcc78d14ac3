"""One segment: RGB frames + float32 audio → FFmpeg (libx264 + AAC) → fragmented MP4, box-aligned chunks.

    enc = SegmentEncoder(settings, 768, 512, 24, 24000, 2, on_chunk=send)
    with enc:
        enc.write_audio(track.samples)  # the whole segment's audio, first
        for chunk in chunks:
            enc.write_video(chunk.frames)  # progressively; fragments reach `send` meanwhile
        stats = enc.finish()

Video goes to ffmpeg's stdin (rawvideo rgb24); audio goes through a second pipe (f32le, an inherited fd),
written by a helper thread so the caller never blocks on it. A reader thread splits ffmpeg's stdout into
whole MP4 boxes and calls `on_chunk` with the init segment (ftyp + moov) first, then whole fragments.
`on_chunk` runs on that reader thread. Each segment is a standalone fMP4 whose timestamps start at 0.
"""

from __future__ import annotations

import logging
import os
import select
import subprocess
import threading
import time
from collections.abc import Callable
from types import TracebackType

import numpy as np

from dreamverse.streaming.errors import EncoderFailed, FFmpegNotFound, StreamingError
from dreamverse.streaming.output import EncodeStats, OutputReader, StderrTail, build_command
from dreamverse.streaming.settings import EncoderSettings, resolve_ffmpeg

logger = logging.getLogger(__name__)

_JOIN_TIMEOUT_S = 5.0
_EXIT_GRACE_S = 2.0

__all__ = ["EncodeStats", "SegmentEncoder"]


class SegmentEncoder:
    """Encodes one segment; starts ffmpeg at construction. Not thread-safe: one producer thread."""

    def __init__(
        self,
        settings: EncoderSettings,
        width: int,
        height: int,
        fps: int,
        sample_rate: int,
        channels: int,
        on_chunk: Callable[[bytes], None],
    ) -> None:
        _check_geometry(width, height, fps, sample_rate, channels)
        self.settings = settings
        self.width, self.height, self.fps = width, height, fps
        self.sample_rate, self.channels = sample_rate, channels
        self._frames = 0
        self._audio_samples: int | None = None
        self._first_frame_at: float | None = None
        self._last_frame_at: float | None = None
        self._audio_thread: threading.Thread | None = None
        self._audio_error: BaseException | None = None
        self._closed = False
        self._audio_fd_lock = threading.Lock()
        self._started_at = time.monotonic()
        self._proc, self._audio_fd = self._spawn(resolve_ffmpeg(settings.ffmpeg_path))
        os.set_blocking(self._stdin_fd(), False)  # lets write_video give up on a stalled ffmpeg
        self._stderr = StderrTail(self._proc)
        self._reader = OutputReader(self._proc, settings.max_chunk_bytes, on_chunk, self._kill)

    @property
    def mime(self) -> str | None:
        """MIME type with the RFC 6381 codecs read from this segment's init segment (None until it exists)."""
        return self._reader.mime

    @property
    def frames_written(self) -> int:
        return self._frames

    @property
    def pid(self) -> int:
        """Process id of this segment's ffmpeg."""
        return self._proc.pid

    def _spawn(self, ffmpeg_path: str) -> tuple[subprocess.Popen[bytes], int]:
        audio_read, audio_write = os.pipe()
        args = build_command(
            ffmpeg_path,
            self.settings,
            video=(self.width, self.height, self.fps),
            audio=(self.sample_rate, self.channels, audio_read),
        )
        logger.debug("starting ffmpeg: %s", " ".join(args))
        try:
            proc = subprocess.Popen(
                args,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                pass_fds=(audio_read,),
                bufsize=0,
            )
        except OSError as exc:
            os.close(audio_write)
            raise FFmpegNotFound(ffmpeg_path) from exc
        finally:
            os.close(audio_read)
        return proc, audio_write

    def write_audio(self, samples: np.ndarray) -> None:
        """Give the whole segment's audio: float32 in [-1, 1], shape (samples, channels); mono may be 1-D."""
        self._check_open()
        if self._audio_samples is not None:
            raise RuntimeError("write_audio was already called for this segment")
        audio = np.asarray(samples, dtype=np.float32)
        if audio.ndim == 1 and self.channels == 1:
            audio = audio[:, None]
        if audio.ndim != 2 or audio.shape[1] != self.channels:
            raise ValueError(f"audio must have shape (samples, {self.channels}), got {audio.shape}")
        self._audio_samples = audio.shape[0]
        payload = np.ascontiguousarray(audio).tobytes()
        self._audio_thread = threading.Thread(
            target=self._write_audio_pipe, args=(payload,), name="ffmpeg-audio", daemon=True
        )
        self._audio_thread.start()

    def _write_audio_pipe(self, payload: bytes) -> None:
        try:
            _write_all(self._audio_fd, memoryview(payload))
        except OSError as exc:
            self._audio_error = exc
        finally:
            self._close_audio_fd()

    def write_video(self, frames: np.ndarray) -> None:
        """Append frames: uint8 RGB, shape (n, height, width, 3) or (height, width, 3)."""
        self._check_open()
        if self._audio_samples is None:
            raise RuntimeError("write_audio must be called before write_video")
        batch = frames[None] if frames.ndim == 3 else frames
        expected = (self.height, self.width, 3)
        if batch.ndim != 4 or batch.shape[1:] != expected or batch.dtype != np.uint8:
            raise ValueError(f"frames must be uint8 (n, {expected}), got {batch.dtype} {batch.shape}")
        self._raise_if_reader_failed()
        if self._first_frame_at is None:
            self._first_frame_at = time.monotonic()
        try:
            view = np.ascontiguousarray(batch).data.cast("B")
            _write_all(self._stdin_fd(), view, self.settings.write_timeout_s)
        except TimeoutError as exc:
            raise self._failure("ffmpeg stalled", grace_s=0.0) from exc
        except OSError as exc:
            raise self._failure("ffmpeg stopped accepting video") from exc
        self._frames += batch.shape[0]
        self._last_frame_at = time.monotonic()

    def finish(self) -> EncodeStats:
        """Close the inputs, wait for ffmpeg to flush every fragment through `on_chunk`, return stats."""
        self._check_open()
        if self._audio_samples is None or self._frames == 0:
            self.abort()
            raise RuntimeError("finish() needs audio and at least one video frame")
        self._closed = True
        self._close_stdin()
        try:
            returncode = self._proc.wait(timeout=self.settings.finish_timeout_s)
        except subprocess.TimeoutExpired as exc:
            self._kill()
            raise self._failure(f"ffmpeg did not finish within {self.settings.finish_timeout_s} s") from exc
        self._join_threads()
        self._raise_if_reader_failed()
        if returncode != 0 or self._audio_error is not None:
            raise self._failure("ffmpeg failed")
        return self._stats(time.monotonic())

    def abort(self) -> None:
        """Stop ffmpeg now and release everything; idempotent, never raises for a dead process."""
        self._closed = True
        self._kill()  # a dead reader unblocks the audio thread (EPIPE), which then closes its fd
        self._close_stdin()
        self._join_threads()
        self._close_audio_fd()

    def __enter__(self) -> SegmentEncoder:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self._closed or exc is not None:
            self.abort()

    def _stats(self, finished_at: float) -> EncodeStats:
        reader = self._reader
        return EncodeStats(
            frames=self._frames,
            audio_samples=self._audio_samples or 0,
            bytes_out=reader.bytes_out,
            chunks=reader.chunks,
            fragments=reader.fragments,
            seconds=finished_at - self._started_at,
            started_at=self._started_at,
            first_frame_at=self._first_frame_at,
            last_frame_at=self._last_frame_at,
            first_chunk_at=reader.first_chunk_at,
            first_fragment_at=reader.first_fragment_at,
            finished_at=finished_at,
            mime=reader.mime,
        )

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("encoder is finished or aborted")

    def _raise_if_reader_failed(self) -> None:
        error = self._reader.error
        if error is not None:
            self.abort()
            if isinstance(error, StreamingError):
                raise error
            raise EncoderFailed(f"delivering a chunk failed: {error!r}") from error

    def _failure(self, reason: str, grace_s: float = _EXIT_GRACE_S) -> EncoderFailed:
        """Give ffmpeg `grace_s` to exit, kill it, collect its stderr and build the error to raise."""
        try:
            returncode: int | None = self._proc.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            returncode = None
        self.abort()
        return EncoderFailed(reason, self._stderr.text(), returncode)

    def _kill(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()

    def _stdin_fd(self) -> int:
        assert self._proc.stdin is not None
        return self._proc.stdin.fileno()

    def _close_stdin(self) -> None:
        stdin = self._proc.stdin
        if stdin is not None and not stdin.closed:
            try:
                stdin.close()
            except OSError:
                logger.debug("closing ffmpeg stdin failed (ffmpeg already gone)")

    def _close_audio_fd(self) -> None:
        with self._audio_fd_lock:  # the audio thread and abort() may both get here; close exactly once
            fd, self._audio_fd = self._audio_fd, -1
        if fd >= 0:
            os.close(fd)

    def _join_threads(self) -> None:
        current = threading.current_thread()
        for thread in (self._audio_thread, self._reader.thread, self._stderr.thread):
            if thread is not None and thread is not current and thread.ident is not None:
                thread.join(_JOIN_TIMEOUT_S)
                if thread.is_alive():
                    logger.warning("encoder thread %s did not stop within %s s", thread.name, _JOIN_TIMEOUT_S)


def _write_all(fd: int, data: memoryview, stall_timeout_s: float | None = None) -> None:
    """Write all of `data`; on a non-blocking fd, raise `TimeoutError` if nothing is taken for a while."""
    while data:
        try:
            written = os.write(fd, data)
        except BlockingIOError:
            _, writable, _ = select.select([], [fd], [], stall_timeout_s)
            if not writable:
                raise TimeoutError(f"ffmpeg accepted no input for {stall_timeout_s} s") from None
            continue
        data = data[written:]


def _check_geometry(width: int, height: int, fps: int, sample_rate: int, channels: int) -> None:
    if width <= 0 or height <= 0 or width % 2 or height % 2:
        raise ValueError(f"width and height must be positive and even (yuv420p), got {width}x{height}")
    if fps <= 0 or sample_rate <= 0 or not 1 <= channels <= 8:
        raise ValueError(f"bad fps/sample_rate/channels: {fps}/{sample_rate}/{channels}")
