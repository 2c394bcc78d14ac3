"""A worker process: loads one generator, warms it, then renders segments for one stream at a time.

    run_worker_process(spec, conn)   # the `spawn` target

Threads: the main thread loads and renders; a command thread reads the pipe (so a `CancelStream` is seen
mid-segment); a heartbeat thread reports liveness and exits the process if the parent died; the encode
thread (`workers.encoding`) turns frames into fMP4 chunks in order.

With `sp_size > 1` this process is rank 0 of a GPU group (`workers.group`): it starts the other ranks
before loading, hands them every generator call it makes, and walks each segment in step with them
(`workers.lockstep`); only rank 0 encodes and talks to the runtime.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

from dreamverse.generator.base import Geometry, SegmentPart, VideoGenerator
from dreamverse.workers.encoding import EncodeThread, SegmentJob
from dreamverse.workers.ipc import (
    CancelStream,
    Heartbeat,
    RenderSegment,
    ResumeStream,
    RuntimeToWorker,
    SegmentFailed,
    SegmentGenerated,
    SegmentStarted,
    SegmentStateSaved,
    Shutdown,
    StartStream,
    WorkerFailed,
    WorkerReady,
    WorkerToRuntime,
    WorkerWarming,
)
from dreamverse.workers.lockstep import Agree, SegmentCancelled, Verdict, parts_in_step, solo
from dreamverse.workers.logs import configure_worker_logging
from dreamverse.workers.spec import WorkerSpec

if TYPE_CHECKING:
    from dreamverse.workers.group import GpuGroup

logger = logging.getLogger(__name__)
# A follower silent this long (at least `_FOLLOWER_SILENCE_BEATS` of its beats; a busy host delays a few)
# holds rank 0's heartbeats back, so the supervisor's `heartbeat_timeout_s` then restarts the group.
_FOLLOWER_SILENCE_BEATS = 5
_FOLLOWER_SILENCE_MIN_S = 2.0


def log_first_segment(geometry: Geometry) -> None:
    """State a shorter first segment's condition at start-up: the generation time it must outlast is only
    known once a continuation has rendered (`warn_if_first_segment_stalls`)."""
    if geometry.first_frames < geometry.num_frames:
        logger.info(
            "segment 0 renders %d of %d frames (%.2f s of video): playback stalls unless a continuation "
            "renders in less",
            geometry.first_frames,
            geometry.num_frames,
            geometry.first_segment_s,
        )


def warn_if_first_segment_stalls(geometry: Geometry, segment1_s: float) -> None:
    """Segment 1 renders while segment 0 plays: a longer render than segment 0's duration stalls playback."""
    if geometry.first_frames < geometry.num_frames and segment1_s > geometry.first_segment_s:
        logger.warning(
            "segment 1 took %.2f s to render, longer than segment 0's %.2f s of video: playback stalled; "
            "raise --first-segment-frames",
            segment1_s,
            geometry.first_segment_s,
        )


def run_worker_process(spec: WorkerSpec, conn: Connection) -> None:
    if spec.cuda_visible_devices is not None:
        os.environ["CUDA_VISIBLE_DEVICES"] = spec.cuda_visible_devices  # before anything imports torch
    configure_worker_logging(spec.log_level, spec.name)
    worker = Worker(spec, conn)
    try:
        worker.run()
    except BaseException as exc:
        logger.error("worker failed:\n%s", traceback.format_exc())
        worker.send(WorkerFailed(gpu_id=spec.gpu_id, detail=f"{type(exc).__name__}: {exc}"))
        sys.exit(1)


def load_generator(spec: WorkerSpec) -> tuple[VideoGenerator, float, float]:
    """Build the generator and warm it (one segment discarded): the generator, load and warmup seconds."""
    from dreamverse.generator.base import SegmentRequest
    from dreamverse.generator.registry import build_generator

    started = time.monotonic()
    logger.info("loading generator %r", spec.generator.model)
    generator = build_generator(spec.generator)
    load_s = time.monotonic() - started
    logger.info("generator loaded in %.1f s; warming up", load_s)
    started = time.monotonic()
    generator.warmup()
    if spec.warmup_prompt:
        state = generator.new_stream(seed=0)
        for _ in generator.render_segment(state, SegmentRequest(spec.warmup_prompt, 0)):
            pass
    warmup_s = time.monotonic() - started
    logger.info("warm in %.1f s", warmup_s)
    return generator, load_s, warmup_s


class Worker:
    def __init__(self, spec: WorkerSpec, conn: Connection) -> None:
        self.spec = spec
        self._conn = conn
        self._send_lock = threading.Lock()
        self._commands: queue.Queue[RuntimeToWorker] = queue.Queue()
        self._cancelled: set[str] = set()
        self._parent_pid = os.getppid()
        self._stream_id: str | None = None
        self._resume_failure: str | None = None  # why the active stream's saved state was refused
        self._encode = EncodeThread(spec.encoder, self.send, self._cancelled.__contains__)
        self._group: GpuGroup | None = None  # the other ranks when the worker is a GPU group
        self._agree: Agree = solo

    def _share(self, cmd: RuntimeToWorker) -> None:
        """Followers make each generator call this process makes, with the same inputs (SPMD)."""
        if self._group is not None:
            self._group.share(cmd)

    def send(self, msg: WorkerToRuntime) -> None:
        with self._send_lock:
            try:
                self._conn.send(msg)
            except (BrokenPipeError, EOFError, OSError):
                os._exit(1)  # the runtime is gone; nothing is left to serve

    def run(self) -> None:
        threading.Thread(target=self._heartbeat_loop, name="heartbeat", daemon=True).start()
        self.send(WorkerWarming(gpu_id=self.spec.gpu_id, pid=os.getpid()))
        spec = self._start_group() if self.spec.sp_size > 1 else self.spec
        self._generator, load_s, warmup_s = load_generator(spec)
        self._agree(Verdict.DONE)  # a group is ready once every rank is warm
        threading.Thread(target=self._command_loop, name="commands", daemon=True).start()
        self._encode.start()
        self.send(
            WorkerReady(
                gpu_id=self.spec.gpu_id,
                generator=self._generator.name,
                geometry=self._generator.geometry,
                load_s=load_s,
                warmup_s=warmup_s,
                rank_pids=(os.getpid(), *self._group.follower_pids) if self._group else (),
            )
        )
        log_first_segment(self._generator.geometry)
        while not isinstance(cmd := self._commands.get(), Shutdown):
            self._handle(cmd)
        self._encode.stop()
        if self._group is not None:
            self._group.close()
        logger.info("worker shut down")

    def _start_group(self) -> WorkerSpec:
        """Start the other ranks and join them; the spec this rank builds its generator from."""
        from dreamverse.workers.group import GpuGroup, rank_spec

        self._group = GpuGroup.start(self.spec, self._group_lost)
        self._agree = self._group.agree
        return rank_spec(self.spec, 0)

    def _group_lost(self, detail: str) -> None:
        """A follower died: the group cannot go on, so this process ends and the supervisor restarts all."""
        logger.error("%s", detail)
        self.send(WorkerFailed(gpu_id=self.spec.gpu_id, detail=detail))
        os._exit(1)

    def _handle(self, cmd: RuntimeToWorker) -> None:
        match cmd:
            case StartStream(stream_id, seed):
                self._share(cmd)
                self._stream_id, self._resume_failure = stream_id, None
                self._state = self._generator.new_stream(seed)
            case ResumeStream(stream_id, saved):
                self._resume(stream_id, saved)
            case RenderSegment() if cmd.stream_id == self._stream_id and cmd.stream_id not in self._cancelled:
                self._render(cmd)
            case RenderSegment():
                detail = f"stream {cmd.stream_id} is not the active stream"
                self.send(SegmentFailed(stream_id=cmd.stream_id, segment_idx=cmd.segment_idx, detail=detail))
            case CancelStream():
                pass  # already marked by the command thread

    def _resume(self, stream_id: str, saved: bytes) -> None:
        from dreamverse.generator.errors import ConditioningError

        self._stream_id, self._resume_failure = stream_id, None
        self._share(ResumeStream(stream_id, saved))
        try:
            self._state = self._generator.load_state(saved)
        except ConditioningError as exc:
            logger.warning("stream %s cannot resume: %s", stream_id, exc)
            self._resume_failure = f"{type(exc).__name__}: {exc}"  # told with its first RenderSegment

    def _render(self, cmd: RenderSegment) -> None:
        from dreamverse.generator.base import SegmentRequest

        if self._resume_failure is not None:
            self.send(SegmentFailed(cmd.stream_id, cmd.segment_idx, self._resume_failure))
            return
        received_at = time.monotonic()
        self._share(cmd)
        geometry = self._generator.geometry
        self._encode.begin(SegmentJob(cmd.stream_id, cmd.segment_idx, geometry, received_at))
        request = SegmentRequest(cmd.prompt, cmd.segment_idx, cmd.initial_image)
        try:
            self._encode_parts(cmd, self._generator.render_segment(self._state, request))
            saved = self._generator.save_state(self._state)
        except SegmentCancelled:
            self._encode.abort()
            return
        except Exception as exc:
            if self._group is not None and (dead := self._group.dead_ranks(wait_s=1.0)):
                self._group_lost(f"rank(s) {dead} of {self.spec.name} died during segment {cmd.segment_idx}")
            logger.exception("segment %d failed", cmd.segment_idx)
            self._encode.abort()
            self.send(SegmentFailed(cmd.stream_id, cmd.segment_idx, f"{type(exc).__name__}: {exc}"))
            return
        self._encode.end()
        seed = self._state.segment_seed(cmd.segment_idx)
        self.send(SegmentStateSaved(cmd.stream_id, cmd.segment_idx, seed, saved))
        stages = dict(self._generator.last_timings().seconds)
        worker_s = time.monotonic() - received_at
        self.send(SegmentGenerated(cmd.stream_id, cmd.segment_idx, worker_s, stages))
        if cmd.segment_idx == 1:
            warn_if_first_segment_stalls(geometry, worker_s)

    def _encode_parts(self, cmd: RenderSegment, parts: Iterator[SegmentPart]) -> None:
        """Hand the segment's audio and frames to the encoder, in step with the group's other ranks."""
        from dreamverse.generator.base import AudioTrack

        first_frame = True
        cancelled = lambda: cmd.stream_id in self._cancelled  # noqa: E731 - read per part
        with contextlib.closing(parts_in_step(parts, self._agree, cancelled)) as steps:
            for part in steps:
                if isinstance(part, AudioTrack):
                    self._encode.audio(part.samples)
                    continue
                if first_frame:
                    first_frame = False
                    self.send(SegmentStarted(cmd.stream_id, cmd.segment_idx, time.time()))
                self._encode.video(part.frames)

    def _command_loop(self) -> None:
        while True:
            try:
                cmd: RuntimeToWorker = self._conn.recv()
            except (EOFError, OSError):
                cmd = Shutdown()
            if isinstance(cmd, CancelStream):
                self._cancelled.add(cmd.stream_id)
            elif isinstance(cmd, StartStream | ResumeStream):
                self._cancelled.discard(cmd.stream_id)
            self._commands.put(cmd)
            if isinstance(cmd, Shutdown):
                return

    def _heartbeat_loop(self) -> None:
        interval_s = self.spec.heartbeat_interval_s
        while True:
            if os.getppid() != self._parent_pid:
                os._exit(1)  # orphaned: the runtime died without shutting us down
            # A stopped or hung follower stalls the group: stay silent so the supervisor restarts it.
            silence_s = max(_FOLLOWER_SILENCE_MIN_S, _FOLLOWER_SILENCE_BEATS * interval_s)
            stale = self._group.stale_ranks(silence_s) if self._group else []
            if stale:
                logger.warning("rank(s) %s of the group are silent; not reporting liveness", stale)
            else:
                self.send(Heartbeat(gpu_id=self.spec.gpu_id))
            time.sleep(interval_s)
