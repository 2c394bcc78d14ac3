"""Helpers shared by the streaming tests: synthetic frames and tone, one-call encode, ffprobe."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from dreamverse.streaming import EncoderSettings, EncodeStats, SegmentEncoder

SAMPLE_RATE = 24000
CHANNELS = 2


def make_frames(n: int, height: int, width: int, start: int = 0) -> np.ndarray:
    """Moving gradient frames (compressible, different every frame), built in uint8."""
    t = np.arange(start, start + n, dtype=np.uint8)[:, None, None]
    x = (np.arange(width) % 256).astype(np.uint8)[None, None, :]
    y = (np.arange(height) % 256).astype(np.uint8)[None, :, None]
    frames = np.empty((n, height, width, 3), dtype=np.uint8)
    frames[..., 0] = x + 4 * t
    frames[..., 1] = y + 2 * t
    frames[..., 2] = x + y + t
    return frames


def make_tone(num_frames: int, fps: int, frequency_hz: float = 440.0) -> np.ndarray:
    samples = round(num_frames * SAMPLE_RATE / fps)
    t = np.arange(samples, dtype=np.float32) / SAMPLE_RATE
    tone = 0.2 * np.sin(2 * np.pi * frequency_hz * t)
    return np.stack([tone, tone], axis=1).astype(np.float32)


@dataclass
class Encoded:
    chunks: list[bytes]
    chunk_times: list[float]
    stats: EncodeStats
    write_done_at: list[float] = field(default_factory=list)  # monotonic time after each write_video

    @property
    def data(self) -> bytes:
        return b"".join(self.chunks)


def encode(
    settings: EncoderSettings,
    width: int,
    height: int,
    num_frames: int,
    fps: int = 24,
    batch: int = 8,
    pause_s: float = 0.0,
) -> Encoded:
    chunks: list[bytes] = []
    chunk_times: list[float] = []

    def on_chunk(chunk: bytes) -> None:
        chunk_times.append(time.monotonic())
        chunks.append(chunk)

    write_done_at: list[float] = []
    frames = make_frames(num_frames, height, width)
    with SegmentEncoder(settings, width, height, fps, SAMPLE_RATE, CHANNELS, on_chunk) as encoder:
        encoder.write_audio(make_tone(num_frames, fps))
        for start in range(0, num_frames, batch):
            encoder.write_video(frames[start : start + batch])
            write_done_at.append(time.monotonic())
            if pause_s:
                time.sleep(pause_s)
        stats = encoder.finish()
    return Encoded(chunks, chunk_times, stats, write_done_at)
