"""Messages between the runtime and worker processes. Data only: no logic lives here.

Commands (runtime → worker) are imperative, events (worker → runtime) past tense. Only bytes and plain
values cross the pipe, never tensors or frames. Every stream-scoped message carries `stream_id`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dreamverse.generator.base import Geometry

# --- runtime → worker ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StartStream:
    """Forget any carryover and begin a new stream (a rollout) with this seed."""

    stream_id: str
    seed: int


@dataclass(frozen=True, slots=True)
class ResumeStream:
    """Begin a new stream from a saved continuation state (`SegmentStateSaved.state` of an earlier stream):
    its first `RenderSegment` continues from exactly where that segment ended (a fork, a replay)."""

    stream_id: str
    state: bytes


@dataclass(frozen=True, slots=True)
class RenderSegment:
    """Render and encode one segment of the current stream."""

    stream_id: str
    segment_idx: int
    prompt: str
    initial_image: bytes | None = None


@dataclass(frozen=True, slots=True)
class CancelStream:
    """Stop the stream: abandon the segment in progress (between chunks) and drop queued output."""

    stream_id: str


@dataclass(frozen=True, slots=True)
class Shutdown:
    """Finish nothing more and exit."""


RuntimeToWorker = StartStream | ResumeStream | RenderSegment | CancelStream | Shutdown


# --- worker → runtime ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WorkerWarming:
    """The process is up and has started loading its generator."""

    gpu_id: int
    pid: int


@dataclass(frozen=True, slots=True)
class WorkerReady:
    gpu_id: int
    generator: str
    geometry: Geometry
    load_s: float
    warmup_s: float
    rank_pids: tuple[int, ...] = ()  # a GPU group's processes by rank (this one first); () for one GPU


@dataclass(frozen=True, slots=True)
class Heartbeat:
    gpu_id: int


@dataclass(frozen=True, slots=True)
class SegmentStarted:
    """The generator produced the segment's first video frame."""

    stream_id: str
    segment_idx: int
    first_frame_unix_s: float


@dataclass(frozen=True, slots=True)
class MediaInitialized:
    """The encoder wrote the segment's init segment; `FragmentEncoded` chunks follow."""

    stream_id: str
    segment_idx: int
    mime: str


@dataclass(frozen=True, slots=True)
class FragmentEncoded:
    """Whole MP4 boxes of the segment, in order (the first chunk is the init segment)."""

    stream_id: str
    segment_idx: int
    data: bytes


@dataclass(frozen=True, slots=True)
class SegmentGenerated:
    """The generator is done with the segment (encode may still be draining): send the next one."""

    stream_id: str
    segment_idx: int
    generate_s: float
    stage_s: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SegmentStateSaved:
    """The continuation state the segment left (opaque generator bytes), sent before `SegmentGenerated`."""

    stream_id: str
    segment_idx: int
    seed: int  # the seed the segment was rendered with
    state: bytes


@dataclass(frozen=True, slots=True)
class SegmentEncoded:
    """Every byte of the segment has been sent."""

    stream_id: str
    segment_idx: int
    chunks: int
    size_bytes: int
    frames: int
    encode_s: float
    worker_s: float  # from RenderSegment received to the last byte sent


@dataclass(frozen=True, slots=True)
class SegmentFailed:
    """The segment could not be rendered; the worker lives on."""

    stream_id: str
    segment_idx: int
    detail: str


@dataclass(frozen=True, slots=True)
class WorkerFailed:
    """The worker cannot go on (load failed, CUDA error); it exits after sending this."""

    gpu_id: int
    detail: str


WorkerToRuntime = (
    WorkerWarming
    | WorkerReady
    | Heartbeat
    | SegmentStarted
    | MediaInitialized
    | FragmentEncoded
    | SegmentStateSaved
    | SegmentGenerated
    | SegmentEncoded
    | SegmentFailed
    | WorkerFailed
)
