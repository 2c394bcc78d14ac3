"""A follower rank of a GPU group: builds the same generator as rank 0 and makes the same calls (SPMD).

    run_follower(index, spec, store_port, pipes, beats)   # `torch.multiprocessing.start_processes` target

It reads rank 0's commands from its pipe, renders each segment in step with the group
(`workers.lockstep`) and throws its output away: rank 0's output is the one that is encoded and sent.
It dies with rank 0 (`PR_SET_PDEATHSIG`, and at EOF on its pipe) and beats into `beats[rank]` so that
rank 0 notices a stopped or hung follower.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

import torch.distributed as dist
from torch.distributed import TCPStore  # type: ignore[attr-defined]  # public, but not re-exported for mypy

from dreamverse.generator.base import SegmentRequest, StreamState, VideoGenerator
from dreamverse.workers.group import agree_in_group, die_with_parent, join_group, rank_device, rank_spec
from dreamverse.workers.ipc import RenderSegment, ResumeStream, RuntimeToWorker, Shutdown, StartStream
from dreamverse.workers.lockstep import PeerFailed, SegmentCancelled, Verdict, parts_in_step
from dreamverse.workers.logs import configure_worker_logging
from dreamverse.workers.process import load_generator
from dreamverse.workers.spec import WorkerSpec

logger = logging.getLogger(__name__)


def run_follower(index: int, spec: WorkerSpec, store_port: int, pipes: list[Connection], beats: Any) -> None:
    die_with_parent()
    rank = index + 1
    leader_pid = os.getppid()
    configure_worker_logging(spec.log_level, f"{spec.name} rank{rank}")
    commands = pipes[index]
    for other in pipes:
        if other is not commands:
            other.close()
    threading.Thread(target=_beat, args=(beats, rank, leader_pid, spec), name="beat", daemon=True).start()
    try:
        Follower(spec, rank, store_port).serve(commands)
    except BaseException:
        logger.exception("follower failed")
        sys.exit(1)  # rank 0's watcher takes the group down


class Follower:
    def __init__(self, spec: WorkerSpec, rank: int, store_port: int) -> None:
        self.rank = rank
        self.device = rank_device(spec, rank)
        store = TCPStore("127.0.0.1", store_port, spec.sp_size, is_master=False)
        join_group(spec, rank, store)
        self._generator: VideoGenerator
        self._generator, _, _ = load_generator(rank_spec(spec, rank))
        self._state: StreamState | None = None
        agree_in_group(self.device, Verdict.DONE)  # warm: rank 0 reports the group ready

    def serve(self, commands: Connection) -> None:
        while True:
            try:
                cmd: RuntimeToWorker = commands.recv()
            except (EOFError, OSError):
                logger.warning("rank 0 is gone")
                os._exit(1)
            if isinstance(cmd, Shutdown):
                break
            self._handle(cmd)
        dist.destroy_process_group()
        logger.info("follower shut down")

    def _handle(self, cmd: RuntimeToWorker) -> None:
        match cmd:
            case StartStream(_, seed):
                self._state = self._generator.new_stream(seed)
            case ResumeStream(stream_id, saved):
                try:
                    self._state = self._generator.load_state(saved)
                except Exception as exc:  # rank 0 refused it too and renders nothing of this stream
                    logger.warning("stream %s cannot resume: %s", stream_id, exc)
            case RenderSegment() if self._state is not None:
                self._render(self._state, cmd)

    def _render(self, state: StreamState, cmd: RenderSegment) -> None:
        parts = self._generator.render_segment(
            state, SegmentRequest(cmd.prompt, cmd.segment_idx, cmd.initial_image)
        )
        try:
            with contextlib.closing(parts_in_step(parts, self._agree, lambda: False)) as steps:
                for _ in steps:
                    pass  # rank 0 encodes its own copy
            self._generator.save_state(state)  # as rank 0 does (under sequence parallelism it may gather)
        except (SegmentCancelled, PeerFailed):
            return
        except Exception:
            logger.exception("segment %d failed", cmd.segment_idx)

    def _agree(self, verdict: Verdict) -> Verdict:
        return agree_in_group(self.device, verdict)


def _beat(beats: Any, rank: int, leader_pid: int, spec: WorkerSpec) -> None:
    while True:
        if os.getppid() != leader_pid:
            os._exit(1)  # rank 0 died before PR_SET_PDEATHSIG took effect
        beats[rank] = time.monotonic()
        time.sleep(spec.heartbeat_interval_s)
