"""A worker's GPU group as its rank 0 sees it: starts the other ranks, joins them under torch.distributed,
watches them.

    group = GpuGroup.start(spec, on_lost)   # in the worker process (rank 0), before the generator is built
    group.share(cmd)                        # each generator call rank 0 makes, the followers make too (SPMD)
    group.agree(verdict)                    # after each part of a segment (`workers.lockstep`)
    group.stale_ranks(max_age_s)            # followers silent that long (stopped, hung)
    group.close()

Followers (`workers.follower`) are started with `torch.multiprocessing.start_processes` and watched with
its `ProcessContext.join`, which ends the other ranks when one exits badly; `on_lost` then takes rank 0
down too, so the supervisor restarts the whole group. Followers die with rank 0 (`PR_SET_PDEATHSIG`).

Commands reach followers over a pipe each, not through a collective: a follower idles between sessions
for hours, and a collective waiting that long trips the NCCL watchdog (and keeps a GPU kernel spinning).
Collectives run only where every rank works anyway: the rendezvous, warm-up and the per-part agreement.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import multiprocessing.connection
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from multiprocessing.connection import Connection
from typing import Any

import torch
import torch.distributed as dist
from torch.distributed import TCPStore  # type: ignore[attr-defined]  # public, but not re-exported for mypy
from torch.multiprocessing.spawn import ProcessContext, ProcessException, start_processes

from dreamverse.workers.ipc import RuntimeToWorker, Shutdown
from dreamverse.workers.lockstep import Verdict, group_verdict
from dreamverse.workers.spec import WorkerSpec

logger = logging.getLogger(__name__)
_SPAWN = multiprocessing.get_context("spawn")
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
# A rank that cannot reach the others this long gives up; a group that cannot form is restarted.
RENDEZVOUS_TIMEOUT = timedelta(minutes=10)


def backend_for(spec: WorkerSpec) -> str:
    return "nccl" if spec.generator.device.startswith("cuda") else "gloo"


def rank_device(spec: WorkerSpec, rank: int) -> torch.device:
    """The device rank `rank` computes on: its own GPU of the group (all of them are visible), or the CPU."""
    if backend_for(spec) == "nccl":
        return torch.device("cuda", rank)
    return torch.device("cpu")


def rank_spec(spec: WorkerSpec, rank: int) -> WorkerSpec:
    """`spec` for rank `rank`: its generator on the rank's own device (the same as every rank's otherwise)."""
    device = rank_device(spec, rank)
    return (
        replace(spec, generator=replace(spec.generator, device=str(device)))
        if device.type == "cuda"
        else spec
    )


def join_group(spec: WorkerSpec, rank: int, store: TCPStore) -> None:
    """Join the group's default process group: the generator finds it through `torch.distributed`."""
    device = rank_device(spec, rank)
    if device.type == "cuda":
        torch.cuda.set_device(device)
    dist.init_process_group(
        backend_for(spec), store=store, rank=rank, world_size=spec.sp_size, timeout=RENDEZVOUS_TIMEOUT
    )


def agree_in_group(device: torch.device, verdict: Verdict) -> Verdict:
    """The group's verdict from every rank's largest and smallest (one MAX all-reduce; also a barrier)."""
    value = torch.tensor([int(verdict), -int(verdict)], dtype=torch.int32, device=device)
    dist.all_reduce(value, op=dist.ReduceOp.MAX)
    highest, negated_lowest = value.tolist()
    return group_verdict(Verdict(highest), Verdict(-negated_lowest))


def die_with_parent() -> None:
    """Have the kernel SIGKILL this process when its parent dies, even if it is stopped or stuck in C."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


class GpuGroup:
    def __init__(
        self,
        spec: WorkerSpec,
        context: ProcessContext,
        pipes: list[Connection],
        beats: Any,
        on_lost: Callable[[str], None],
    ) -> None:
        self.spec = spec
        self.device = rank_device(spec, 0)
        self._context = context  # torch.multiprocessing.ProcessContext of the followers
        self._pipes = pipes  # rank 0 → follower i+1
        self._beats = beats  # shared doubles: each follower's last `time.monotonic()` heartbeat
        self._on_lost = on_lost
        self._closing = False
        self._watcher = threading.Thread(target=self._watch, name="group-watch", daemon=True)

    @classmethod
    def start(cls, spec: WorkerSpec, on_lost: Callable[[str], None]) -> GpuGroup:
        """Start ranks 1..sp_size-1 and form the group; `on_lost(detail)` runs when a follower dies."""
        from dreamverse.workers.follower import run_follower

        # This worker is a daemonic child of the runtime, and multiprocessing refuses children to those. The
        # runtime still ends it explicitly (Shutdown, then terminate/kill), and followers die with it.
        multiprocessing.current_process().daemon = False
        store = TCPStore(
            "127.0.0.1", 0, spec.sp_size, is_master=True, timeout=RENDEZVOUS_TIMEOUT, wait_for_workers=False
        )
        pipes = [_SPAWN.Pipe(duplex=False) for _ in range(spec.sp_size - 1)]
        beats = _SPAWN.RawArray("d", spec.sp_size)
        context: ProcessContext = start_processes(  # type: ignore[no-untyped-call]
            run_follower,
            args=(spec, store.port, [reader for reader, _ in pipes], beats),
            nprocs=spec.sp_size - 1,
            join=False,
            daemon=True,
            start_method="spawn",
        )
        for reader, _ in pipes:
            reader.close()
        group = cls(spec, context, [writer for _, writer in pipes], beats, on_lost)
        group._watcher.start()
        logger.info(
            "group of %d: followers %s; joining on port %d", spec.sp_size, group.follower_pids, store.port
        )
        join_group(spec, 0, store)
        return group

    @property
    def follower_pids(self) -> list[int]:
        return [int(p.pid) for p in self._context.processes if p.pid is not None]

    def share(self, cmd: RuntimeToWorker) -> None:
        """Hand a command to every follower (a dead pipe means a dead follower: the watcher acts on it)."""
        for pipe in self._pipes:
            try:
                pipe.send(cmd)
            except (BrokenPipeError, OSError):
                logger.warning("a follower's pipe is closed; %s not delivered", type(cmd).__name__)

    def agree(self, verdict: Verdict) -> Verdict:
        return agree_in_group(self.device, verdict)

    def dead_ranks(self, wait_s: float) -> list[int]:
        """Followers that have exited, waiting up to `wait_s` for one to (a collective that failed because a
        peer died can fail a moment before that peer's exit is visible)."""
        sentinels = {p.sentinel: rank for rank, p in enumerate(self._context.processes, start=1)}
        return sorted(sentinels[s] for s in multiprocessing.connection.wait(list(sentinels), wait_s))

    def stale_ranks(self, max_age_s: float) -> list[int]:
        """Followers whose last heartbeat is older than `max_age_s` (0 = not beating yet: still starting)."""
        now = time.monotonic()
        return [rank for rank in range(1, self.spec.sp_size) if 0 < self._beats[rank] < now - max_age_s]

    def close(self, timeout_s: float = 10.0) -> None:
        """Tell the followers to exit, wait for them, end the process group."""
        self._closing = True
        self.share(Shutdown())
        self._watcher.join(timeout_s)
        for process in self._context.processes:
            if process.is_alive():
                process.kill()
            process.join(2.0)
        for pipe in self._pipes:
            pipe.close()
        dist.destroy_process_group()

    def _watch(self) -> None:
        try:
            while not self._context.join(grace_period=0):  # returns when a follower exits; raises if badly
                pass
        except ProcessException as exc:
            if not self._closing:
                self._on_lost(f"rank {exc.error_index + 1} of {self.spec.name} ended: {exc}")
