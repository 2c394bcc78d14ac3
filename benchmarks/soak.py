"""Soak: bounded connect / stream / leave churn against a real server process; memory and descriptors.

    .venv/bin/python -m benchmarks.soak [--sessions 800] [--warmup 100] [--checkpoint-every 50]

The server runs as its own process (`dreamverse.runtime.cli`, synthetic generator, small segments); clients
cycle through four behaviours: stream a segment and `leave`, drop the TCP connection mid-stream (no close
frame), drop it right after `session_ready`, and `leave` while queued. Every `--sample-interval-s` the RSS,
threads and open descriptors of the runtime and of each worker are sampled.

Flatness is judged at idle checkpoints (no session left): after the warm-up sessions, then after every
`--checkpoint-every` sessions. A leak grows with the session count; glibc keeping freed heap pages grows
only while the peak grows, and levels off. So the verdict fits a line to the runtime's RSS at the
checkpoints of the second half of the post-warm-up sessions and asks its slope to stay under
`RSS_SLOPE_BOUND_MB_PER_100` (5 KB a session; the session leak fixed in issue 9 held about 75 KB each),
and descriptors and processes to stay within `FDS_SPREAD_BOUND` / constant over that half.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import logging
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil
import websockets
from websockets.asyncio.client import ClientConnection

from benchmarks import heap_probe
from benchmarks.processes import child_process, server_args, server_ready

logger = logging.getLogger("benchmarks.soak")

RSS_SLOPE_BOUND_MB_PER_100 = 0.5  # runtime RSS over the second half, MB per 100 sessions
FDS_SPREAD_BOUND = 2  # max - min open descriptors (runtime, workers) over the second half
BEHAVIOURS = ("stream_and_leave", "drop_mid_stream", "drop_before_init", "leave_while_queued")
_SERVER_FLAGS = {
    "width": 256,
    "height": 160,
    "num_frames": 25,
    "segment_cap": 1,
    "resume_grace_s": 0.5,
    "init_timeout_s": 2,
    "rate_limit_per_s": 1000,
    "queue_cap": 1000,
    "log_level": "warning",
}


@dataclass(frozen=True, slots=True)
class Sample:
    t_s: float
    sessions_done: int
    runtime_rss_mb: float
    runtime_fds: int
    runtime_threads: int
    workers_rss_mb: float
    workers_fds: int
    processes: int


@dataclass
class SoakResult:
    sessions: int
    behaviours: dict[str, int]
    seconds: float
    warmup: int = 0
    samples: list[Sample] = field(default_factory=list)
    checkpoints: list[Sample] = field(default_factory=list)  # idle: after warm-up, then every few sessions
    heap_after_warmup: dict[str, Any] = field(default_factory=dict)  # the runtime's, from `heap_probe`
    heap_at_end: dict[str, Any] = field(default_factory=dict)  # … and then trimmed: `rss_after_trim_mb`

    @property
    def idle_after_warmup(self) -> Sample:
        return self.checkpoints[0]

    @property
    def idle_at_end(self) -> Sample:
        return self.checkpoints[-1]

    def second_half(self) -> list[Sample]:
        middle = self.warmup + (self.sessions - self.warmup) / 2
        return [c for c in self.checkpoints if c.sessions_done >= middle]

    def verdict(self) -> dict[str, Any]:
        """Flat when the second half's RSS slope, descriptor spread and process count stay in bounds."""
        half = self.second_half()
        if len(half) < 2:
            raise ValueError("too few checkpoints in the second half; lower --checkpoint-every")
        slope = _slope_per_100(half, [c.runtime_rss_mb for c in half])
        workers_slope = _slope_per_100(half, [c.workers_rss_mb for c in half])
        fds_spread = max(_spread([c.runtime_fds for c in half]), _spread([c.workers_fds for c in half]))
        processes = {c.processes for c in half}
        is_flat = (
            max(slope, workers_slope) < RSS_SLOPE_BOUND_MB_PER_100
            and fds_spread <= FDS_SPREAD_BOUND
            and len(processes) == 1
        )
        return {
            "checkpoints_in_second_half": len(half),
            "runtime_rss_slope_mb_per_100_sessions": slope,
            "workers_rss_slope_mb_per_100_sessions": workers_slope,
            "rss_slope_bound_mb_per_100_sessions": RSS_SLOPE_BOUND_MB_PER_100,
            "fds_spread": fds_spread,
            "fds_spread_bound": FDS_SPREAD_BOUND,
            "processes": sorted(processes),
            "flat": is_flat,
        }

    def growth(self) -> dict[str, float]:
        first, last = self.idle_after_warmup, self.idle_at_end
        return {
            "runtime_rss_mb": round(last.runtime_rss_mb - first.runtime_rss_mb, 2),
            "runtime_fds": last.runtime_fds - first.runtime_fds,
            "workers_rss_mb": round(last.workers_rss_mb - first.workers_rss_mb, 2),
            "workers_fds": last.workers_fds - first.workers_fds,
            "processes": last.processes - first.processes,
        }

    def heap(self) -> dict[str, Any]:
        """Memory in use vs freed memory glibc keeps, after warm-up and at the end (trimmed last)."""
        first, last = self.heap_after_warmup, self.heap_at_end
        summary: dict[str, Any] = {"after_warmup": first, "at_end": last}
        if "malloc_in_use_mb" in first and "rss_after_trim_mb" in last:
            summary["malloc_in_use_growth_mb"] = round(
                last["malloc_in_use_mb"] - first["malloc_in_use_mb"], 2
            )
            summary["python_blocks_growth"] = last["python_blocks"] - first["python_blocks"]
            summary["rss_released_by_trim_mb"] = round(last["rss_mb"] - last["rss_after_trim_mb"], 2)
            summary["rss_growth_after_trim_mb"] = round(last["rss_after_trim_mb"] - first["rss_mb"], 2)
            after_gc = last["after_gc"]
            summary["python_blocks_growth_after_gc"] = after_gc["python_blocks"] - first["python_blocks"]
            summary["malloc_in_use_growth_after_gc_mb"] = round(
                after_gc["malloc_in_use_mb"] - first["malloc_in_use_mb"], 2
            )
        return summary


def _slope_per_100(checkpoints: list[Sample], values: list[float]) -> float:
    fit = statistics.linear_regression([c.sessions_done for c in checkpoints], values)
    return round(fit.slope * 100, 3)


def _spread(values: list[int]) -> int:
    return max(values) - min(values)


def measure(server: psutil.Process, started: float, done: int) -> Sample:
    """RSS and descriptors of the runtime and its workers (FFmpeg children of a worker are its own)."""
    children = [p for p in server.children() if p.is_running()]
    workers_rss = workers_fds = 0
    for child in children:
        with contextlib.suppress(psutil.NoSuchProcess):
            workers_rss += child.memory_info().rss
            workers_fds += child.num_fds()
    return Sample(
        t_s=round(time.monotonic() - started, 2),
        sessions_done=done,
        runtime_rss_mb=round(server.memory_info().rss / 2**20, 2),
        runtime_fds=server.num_fds(),
        runtime_threads=server.num_threads(),
        workers_rss_mb=round(workers_rss / 2**20, 2),
        workers_fds=workers_fds,
        processes=1 + len(children),
    )


@contextlib.contextmanager
def server_process(port: int, heap_log: Path, **flags: Any) -> Iterator[psutil.Process]:
    """The runtime as its own process (under `heap_probe`, which writes to `heap_log`), ready to serve."""
    python, _, _, *server_flags = server_args(port, {**_SERVER_FLAGS, **flags})  # python -m dreamverse…
    args = [python, "-m", "benchmarks.heap_probe", str(heap_log), *server_flags]
    with child_process(args, lambda: server_ready(port), name="the soak server") as server:
        yield server


def live_sessions(port: int) -> int:
    return int(httpx.get(f"http://127.0.0.1:{port}/status", timeout=5).json()["sessions"]["total"])


async def wait_idle(port: int, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while await asyncio.to_thread(live_sessions, port) > 0:
        if time.monotonic() > deadline:
            raise TimeoutError(f"sessions still open after {timeout_s} s")
        await asyncio.sleep(0.2)


async def _until(ws: ClientConnection, event_type: str, timeout_s: float = 60) -> None:
    async with asyncio.timeout(timeout_s):
        while True:
            frame = await ws.recv()
            if isinstance(frame, str) and json.loads(frame)["type"] == event_type:
                return


async def one_session(url: str, behaviour: str, index: int) -> None:
    init = {"type": "session_init_v2", "curated_prompts": [f"soak {index}"], "enhancement_enabled": False}
    async with websockets.connect(url, max_size=None, open_timeout=30) as ws:
        await _until(ws, "session_ready")
        if behaviour == "drop_before_init":
            ws.transport.abort()
            return
        await ws.send(json.dumps(init))
        if behaviour == "drop_mid_stream":
            await _until(ws, "media_init")
            ws.transport.abort()
            return
        if behaviour == "stream_and_leave":
            await _until(ws, "ltx2_segment_complete")
        await ws.send(json.dumps({"type": "leave"}))
        with contextlib.suppress(websockets.ConnectionClosed):
            await _until(ws, "never", timeout_s=30)


async def churn(url: str, behaviours: list[str], concurrency: int, first_index: int) -> None:
    gate = asyncio.Semaphore(concurrency)

    async def run(index: int, behaviour: str) -> None:
        async with gate:
            await one_session(url, behaviour, index)

    async with asyncio.TaskGroup() as tg:
        for offset, behaviour in enumerate(behaviours):
            tg.create_task(run(first_index + offset, behaviour))


class Sampler:
    """Samples the server on a thread every `interval_s` until stopped."""

    def __init__(self, server: psutil.Process, interval_s: float, result: SoakResult) -> None:
        self.server, self.interval_s, self.result = server, interval_s, result
        self.done = 0
        self.started = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="soak-sampler", daemon=True)

    def now(self) -> Sample:
        return measure(self.server, self.started, self.done)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            with contextlib.suppress(psutil.Error):
                self.result.samples.append(self.now())


async def soak(
    port: int,
    sessions: int,
    concurrency: int,
    warmup: int,
    interval_s: float,
    idle_timeout_s: float,
    checkpoint_every: int = 50,
) -> SoakResult:
    """Sessions that drop before their first message live until `idle_timeout_s`: the idle points wait."""
    plan = list(itertools.islice(itertools.cycle(BEHAVIOURS), sessions))
    result = SoakResult(sessions, {b: plan.count(b) for b in BEHAVIOURS}, 0.0, warmup)
    url = f"ws://127.0.0.1:{port}/ws"
    idle_wait_s = idle_timeout_s + 30
    with (
        tempfile.TemporaryDirectory(prefix="dreamverse-soak-") as tmp,
        server_process(port, heap_log := Path(tmp) / "heap.jsonl", idle_timeout_s=idle_timeout_s) as server,
        Sampler(server, interval_s, result) as sampler,
    ):
        bounds = [0, *range(warmup, sessions, checkpoint_every), sessions]
        for start, end in itertools.pairwise(bounds):
            for first in range(start, end, concurrency * 4):
                batch = plan[first : min(first + concurrency * 4, end)]
                await churn(url, batch, concurrency, first)
                sampler.done = first + len(batch)
            await wait_idle(port, idle_wait_s)
            result.checkpoints.append(sampler.now())
            logger.info("checkpoint %s", result.checkpoints[-1])
            if len(result.checkpoints) == 1:
                result.heap_after_warmup = await asyncio.to_thread(
                    heap_probe.ask, server.pid, heap_log, trim=False
                )
        result.heap_at_end = await asyncio.to_thread(heap_probe.ask, server.pid, heap_log, trim=True)
        result.seconds = round(sampler.now().t_s, 1)
    return result


def main(argv: list[str] | None = None) -> int:
    from benchmarks.common import write_result
    from tests.support.server import free_port

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=800)
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--warmup", type=int, default=100, help="sessions before the first idle checkpoint")
    parser.add_argument("--checkpoint-every", type=int, default=50, help="sessions between idle checkpoints")
    parser.add_argument("--sample-interval-s", type=float, default=1.0)
    parser.add_argument("--idle-timeout-s", type=float, default=120.0, help="the server's --idle-timeout-s")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    result = asyncio.run(
        soak(
            free_port(),
            args.sessions,
            args.concurrency,
            args.warmup,
            args.sample_interval_s,
            args.idle_timeout_s,
            args.checkpoint_every,
        )
    )
    numbers = {
        "sessions": result.sessions,
        "behaviours": result.behaviours,
        "seconds": result.seconds,
        "verdict": result.verdict(),
        "growth_after_warmup": result.growth(),
        "heap": result.heap(),
        "checkpoints": [asdict(c) for c in result.checkpoints],
        "samples": [asdict(s) for s in result.samples],
    }
    allocator_env = {k: v for k, v in os.environ.items() if k.startswith("MALLOC_") or k == "GLIBC_TUNABLES"}
    settings = {**vars(args), "server": _SERVER_FLAGS, "allocator_env": allocator_env}
    path = write_result("soak", settings, numbers, use_gpu=False)
    logger.info("verdict %s; growth after warm-up %s -> %s", result.verdict(), result.growth(), path)
    return 0 if result.verdict()["flat"] else 1


if __name__ == "__main__":
    sys.exit(main())
