"""Continuation carryover: how segment N+1 is conditioned on segment N, and the stream's timeline.

Segment N+1 starts with the last `overlap_frames` decoded frames of N, re-encoded as clean latents at latent
index 0, and with the last `audio_prefix_latent_frames` audio latents of N as a clean audio prefix. Audio
starts at t = 0 in every segment; the video RoPE time is shifted by `video_time_offset_s` so that the overlap
frames sit where they were in N relative to that prefix. The overlap is trimmed from N+1's output, and N+1's
audio is cut to exactly the window of its new frames, so the played timeline is continuous.

Segment 0 may render fewer frames than a continuation (`first_frames`, so the first byte comes sooner): the
carry records how many frames N rendered, and N+1's offset follows from that count, so the timeline stays
exact whatever the previous segment's length. Playback never stalls as long as segment 0's duration
(`first_frames / fps`) exceeds a continuation's generation time: the viewer plays segment 0 while
segment 1 renders.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch


@dataclass(slots=True)
class Carry:
    """What segment N leaves for segment N+1 (inside the worker process only)."""

    tail_frames: np.ndarray  # (overlap, H, W, 3) uint8, the last decoded frames of N
    audio_tail: torch.Tensor  # (1, prefix, D) normalised audio tokens, the last audio latents of N
    video_time_offset_s: float  # N's video RoPE offset
    audio_latent_frames: int  # N's audio latent frames
    num_frames: int  # N's rendered video frames, overlap included (segment 0 may be shorter)


@dataclass(frozen=True, slots=True)
class SegmentTiming:
    audio_latent_frames: int
    video_time_offset_s: float  # video frame f sits at offset + f / fps in the segment's audio timeline
    play_from_frame: int  # frames before this are the overlap (trimmed)
    audio_window_start_s: float  # start of the audio to play, in the segment's audio timeline
    num_frames: int  # video frames to render, overlap included


@dataclass(frozen=True, slots=True)
class Timeline:
    """Segment timing for a fixed geometry: continuations render `num_frames`, segment 0 `first_frames`."""

    num_frames: int
    fps: float
    overlap_frames: int
    audio_prefix_latent_frames: int
    audio_latents_per_s: float
    audio_causal_latents: float = 0.75  # the causal audio VAE decodes A latents to (A - 0.75) latents of time
    first_frames: int | None = None  # segment 0's frames; None: `num_frames`

    def _frames_covering(self, end_s: float) -> int:
        return math.ceil(end_s * self.audio_latents_per_s + self.audio_causal_latents - 1e-6)

    def decoded_audio_s(self, audio_latent_frames: int) -> float:
        return (audio_latent_frames - self.audio_causal_latents) / self.audio_latents_per_s

    def first(self) -> SegmentTiming:
        video = self.num_frames if self.first_frames is None else self.first_frames
        audio = self._frames_covering(video / self.fps)
        return SegmentTiming(audio, 0.0, 0, 0.0, video)

    def next(self, carry: Carry) -> SegmentTiming:
        """Timing of the segment after one that left `carry`."""
        # N+1's first frame is N's frame (N's frames - overlap); N+1's audio t = 0 is N's audio at the first
        # latent of the carried prefix
        new_frames_s = (carry.num_frames - self.overlap_frames) / self.fps
        dropped_audio_s = (
            carry.audio_latent_frames - self.audio_prefix_latent_frames
        ) / self.audio_latents_per_s
        offset = carry.video_time_offset_s + new_frames_s - dropped_audio_s
        audio = self._frames_covering(offset + self.num_frames / self.fps)
        window_start = offset + self.overlap_frames / self.fps
        return SegmentTiming(audio, offset, self.overlap_frames, window_start, self.num_frames)


def audio_window(wave: np.ndarray, start_s: float, sample_rate: int, samples: int) -> np.ndarray:
    """Exactly `samples` samples of `wave` (samples, channels) from `start_s`, zero-padded if short."""
    start = round(start_s * sample_rate)
    window = wave[start : start + samples]
    if window.shape[0] < samples:
        pad = np.zeros((samples - window.shape[0], wave.shape[1]), dtype=wave.dtype)
        window = np.concatenate([window, pad])
    return np.ascontiguousarray(window, dtype=np.float32)


def frames_to_pixels(frames: np.ndarray) -> torch.Tensor:
    """uint8 (n, H, W, 3) → (1, 3, n, H, W) float in [-1, 1]."""
    pixels = torch.from_numpy(np.array(frames, dtype=np.uint8, copy=True)).float() / 127.5 - 1.0
    return pixels.permute(3, 0, 1, 2).unsqueeze(0)
