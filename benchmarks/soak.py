"""Soak: bounded connect / stream / leave churn against a real server process; memory and descriptors.

    .venv/bin/python -m benchmarks.soak [--sessions 400] [--concurrency 6] [--sample-interval-s 1]

The server runs as its own process (`dreamverse.runtime.cli`, synthetic generator, small segments); clients
cycle through four behaviours: stream a segment and `leave`, drop the TCP connection mid-stream (no close
frame), drop it right after `session_ready`, and `leave` while queued. Every `--sample-interval-s` the RSS
and open descriptors of the runtime and of each worker are sampled. Flatness is judged at idle points (no
session left): once after the warm-up sessions and once at the end; `growth` is the difference.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import logging
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx
import psutil
import websockets
from websockets.asyncio.client import ClientConnection

from benchmarks.processes import child_process, server_args, server_ready

logger = logging.getLogger("benchmarks.soak")

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
    workers_rss_mb: float
    workers_fds: int
    processes: int


@dataclass
class SoakResult:
    sessions: int
    behaviours: dict[str, int]
    seconds: float
    samples: list[Sample] = field(default_factory=list)
    idle_after_warmup: Sample | None = None
    idle_at_end: Sample | None = None

    def growth(self) -> dict[str, float]:
        first, last = self.idle_after_warmup, self.idle_at_end
        assert first is not None and last is not None
        return {
            "runtime_rss_mb": round(last.runtime_rss_mb - first.runtime_rss_mb, 2),
            "runtime_fds": last.runtime_fds - first.runtime_fds,
            "workers_rss_mb": round(last.workers_rss_mb - first.workers_rss_mb, 2),
            "workers_fds": last.workers_fds - first.workers_fds,
            "processes": last.processes - first.processes,
        }


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
        workers_rss_mb=round(workers_rss / 2**20, 2),
        workers_fds=workers_fds,
        processes=1 + len(children),
    )


@contextlib.contextmanager
def server_process(port: int, **flags: Any) -> Iterator[psutil.Process]:
    """The runtime as its own process, ready to serve."""
    args = server_args(port, {**_SERVER_FLAGS, **flags})
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
    port: int, sessions: int, concurrency: int, warmup: int, interval_s: float, idle_timeout_s: float
) -> SoakResult:
    """Sessions that drop before their first message live until `idle_timeout_s`: the idle points wait."""
    plan = list(itertools.islice(itertools.cycle(BEHAVIOURS), sessions))
    result = SoakResult(sessions, {b: plan.count(b) for b in BEHAVIOURS}, 0.0)
    url = f"ws://127.0.0.1:{port}/ws"
    idle_wait_s = idle_timeout_s + 30
    with (
        server_process(port, idle_timeout_s=idle_timeout_s) as server,
        Sampler(server, interval_s, result) as sampler,
    ):
        await churn(url, plan[:warmup], concurrency, 0)
        await wait_idle(port, idle_wait_s)
        sampler.done = warmup
        result.idle_after_warmup = sampler.now()
        for start in range(warmup, sessions, concurrency * 4):
            batch = plan[start : start + concurrency * 4]
            await churn(url, batch, concurrency, start)
            sampler.done = start + len(batch)
        await wait_idle(port, idle_wait_s)
        result.idle_at_end = sampler.now()
        result.seconds = round(sampler.now().t_s, 1)
    return result


def main(argv: list[str] | None = None) -> int:
    from benchmarks.common import write_result
    from tests.support.server import free_port

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--warmup", type=int, default=40, help="sessions before the first idle sample")
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
        )
    )
    numbers = {
        "sessions": result.sessions,
        "behaviours": result.behaviours,
        "seconds": result.seconds,
        "growth_after_warmup": result.growth(),
        "idle_after_warmup": asdict(result.idle_after_warmup) if result.idle_after_warmup else None,
        "idle_at_end": asdict(result.idle_at_end) if result.idle_at_end else None,
        "samples": [asdict(s) for s in result.samples],
    }
    settings = {**vars(args), "server": _SERVER_FLAGS}
    path = write_result("soak", settings, numbers, use_gpu=False)
    logger.info("growth after warm-up: %s -> %s", result.growth(), path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
