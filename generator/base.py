"""The interface every video generator offers to a worker.

A worker owns one generator and serves one stream (session rollout) at a time. For each segment it calls
`render_segment`, which yields the segment's audio first (the whole segment, so the encoder can interleave
from the first video frame) and then its video frames in chunks, as they are produced. Continuation state
(carryover from segment N to N+1) lives in the `StreamState` the generator hands out, inside the worker
process. `save_state` turns it into opaque bytes after a segment and `load_state` restores it, so that a
later stream (a fork from that segment, a replay) is conditioned on exactly what the segment produced.

Timeline: segment 0 of a stream has `Geometry.first_frames` frames (`num_frames` unless a shorter first
segment is configured, so the first byte comes sooner); each continuation renders `Geometry.num_frames` and
adds `Geometry.num_frames - Geometry.overlap_frames` new frames (the overlap is trimmed by the generator), so
the frames a generator yields are exactly the frames to play.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True, slots=True)
class Geometry:
    """What a generator produces per segment."""

    width: int
    height: int
    fps: int
    num_frames: int  # frames a continuation renders, overlap included (8k + 1 for LTX-2)
    overlap_frames: int  # frames of segment N re-used as conditioning of N+1 and trimmed from its output
    audio_sample_rate: int
    audio_channels: int
    first_segment_frames: int | None = None  # frames of segment 0 when shorter; None: `num_frames`

    @property
    def first_frames(self) -> int:
        """Frames of segment 0, a stream's fresh start."""
        return self.num_frames if self.first_segment_frames is None else self.first_segment_frames

    @property
    def first_segment_s(self) -> float:
        """Seconds segment 0 plays: a shorter one keeps playback going only if segment 1 renders sooner."""
        return self.first_frames / self.fps

    def frames_for(self, segment_idx: int) -> int:
        """Frames yielded for segment `segment_idx` (0 = fresh start)."""
        return self.first_frames if segment_idx == 0 else self.num_frames - self.overlap_frames

    def audio_samples_for(self, segment_idx: int) -> int:
        """Audio samples (per channel) yielded for segment `segment_idx`: the same duration as its video."""
        return round(self.frames_for(segment_idx) * self.audio_sample_rate / self.fps)


def segment_seed(stream_seed: int, segment_idx: int) -> int:
    """The seed segment `segment_idx` of a stream renders with: reported per segment, so a replay with the
    same stream seed, prompts and settings reproduces it."""
    return (stream_seed * 1_000_003 + segment_idx) % (2**63)


@dataclass(frozen=True, slots=True)
class SegmentRequest:
    """One segment to render within a stream."""

    prompt: str
    segment_idx: int  # 0 starts fresh (no carryover); >0 continues from the stream's previous segment
    initial_image: bytes | None = None  # encoded PNG/JPEG/WebP; conditions the first frame of segment 0 only


@dataclass(frozen=True, slots=True)
class AudioTrack:
    """A segment's whole audio: float32 samples in [-1, 1], shape (samples, channels)."""

    samples: np.ndarray
    sample_rate: int


@dataclass(frozen=True, slots=True)
class VideoFrames:
    """Consecutive video frames: uint8 RGB, shape (n, height, width, 3)."""

    frames: np.ndarray


SegmentPart = AudioTrack | VideoFrames


@dataclass(slots=True)
class StreamState:
    """Per-stream state kept in the worker between segments. Generators subclass or fill `carry`."""

    seed: int
    segments_rendered: int = 0
    carry: dict[str, object] = field(default_factory=dict)

    def segment_seed(self, segment_idx: int) -> int:
        return segment_seed(self.seed, segment_idx)


@dataclass(frozen=True, slots=True)
class StageTimings:
    """Seconds spent in each stage of the last segment (names are generator-specific)."""

    seconds: dict[str, float]


class VideoGenerator(ABC):
    """A model that renders continued video+audio segments."""

    name: str = "abstract"

    @property
    @abstractmethod
    def geometry(self) -> Geometry: ...

    def warmup(self) -> None:  # noqa: B027 - optional hook
        """Compile, capture or run a throwaway segment so the first real segment is fast."""

    def new_stream(self, seed: int) -> StreamState:
        """Start a fresh stream; any previous carryover is forgotten."""
        return StreamState(seed=seed)

    @abstractmethod
    def render_segment(self, state: StreamState, request: SegmentRequest) -> Iterator[SegmentPart]:
        """Yield one `AudioTrack`, then `VideoFrames` chunks totalling `geometry.frames_for(idx)` frames.

        Updates `state` (carryover for the next segment) before the iterator is exhausted.
        """

    @abstractmethod
    def save_state(self, state: StreamState) -> bytes:
        """The stream's continuation state after its last rendered segment, as self-describing bytes."""

    @abstractmethod
    def load_state(self, data: bytes) -> StreamState:
        """A stream restored from `save_state` bytes: its next segment continues exactly where the saved one
        ended. Raises `ConditioningError` for bytes this generator (model, geometry) cannot continue."""

    def last_timings(self) -> StageTimings:
        """Per-stage seconds of the most recent segment, for `step_complete` and benchmarks."""
        return StageTimings(seconds={})
