"""Load: concurrent streaming sessions per replica through Redis, and the relay latency of every media chunk.

    .venv/bin/python -m benchmarks.load [--sessions-per-replica 100] [--replicas 1] [--duration-s 60]

Starts a real redis-server, `--agents` worker agents (`benchmarks.load_agent`: the production agent, its
slots replaying one pre-encoded synthetic segment at video speed: the relay is measured, not generation),
`--replicas` `dreamverse-server --redis` processes, and sessions-per-replica x replicas websocket clients in
this process, spread round-robin over the replicas and connecting over `--ramp-s`. Once every session
streams (or `--start-timeout-s` has passed) and `--warmup-s` more have passed (the ramp's start-up backlog
drains), the measurement window of `--duration-s` begins. Measured in it:
relay latency of each chunk received (agent hand-off to client receipt; `benchmarks.load_client` defines
it) as p50/p95/p99/max; chunks and bytes per second; the fewest sessions streaming at once (a session
streams at a moment if a chunk reached it in the 2 s before); CPU (percent of one core) and RSS of every
process; errors, duplicate and out-of-order chunks; the load average and the CPU that processes other than
ours used meanwhile (a shared machine makes numbers noisy: read them with it). Then every client leaves.
Writes `benchmarks/results/load-<cpu>-<UTC time>.json`; `numbers.meets_target` says whether every replica
kept >= 100 sessions streaming with p99 <= 50 ms and no errors.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import functools
import logging
import math
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import psutil
import redis

from benchmarks.common import RESULTS_DIR, write_result
from benchmarks.load_agent import STAMP_BYTES, Recording, record_segment
from benchmarks.load_client import Samples, SessionStats, stream_session
from benchmarks.processes import server_args, started, wait_ready
from dreamverse.runtime.settings import Settings
from dreamverse.workers.remote.keys import Keys
from tests.support.redis import RedisProcess
from tests.support.server import free_port

logger = logging.getLogger("benchmarks.load")

PREFIX = "load"
TARGET_SESSIONS_PER_REPLICA = 100
TARGET_P99_MS = 50.0
_STREAMING_WITHIN_S = 2.0  # a session that got a chunk this recently is streaming
_LEAVE_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class LoadConfig:
    sessions_per_replica: int = 100
    replicas: int = 1
    agents: int = 2
    duration_s: float = 60.0
    warmup_s: float = 15.0  # streamed but not measured: the ramp's start-up backlog drains first
    ramp_s: float = 10.0
    start_timeout_s: float = 90.0
    speed: float = 1.0  # playback speed of the agents' slots (1: video speed)
    width: int = 768
    height: int = 512
    num_frames: int = 121
    spare_slots: int = 2  # per agent, beyond an even share of the sessions
    progress_interval_s: float = 5.0
    # Liveness limits of agents and replicas (production defaults; a test on a loaded machine relaxes them)
    agent_ttl_s: float = 3.0
    ticket_ttl_s: float = 5.0
    redis_timeout_s: float = 2.0

    @property
    def sessions(self) -> int:
        return self.sessions_per_replica * self.replicas

    @property
    def slots_per_agent(self) -> int:
        return math.ceil(self.sessions / self.agents) + self.spare_slots

    def replica_flags(self, redis_url: str) -> dict[str, Any]:
        return {
            "redis": redis_url,
            "redis_prefix": PREFIX,
            "host": "127.0.0.1",
            "segment_cap": 1000,
            "max_session_s": self.ramp_s + self.start_timeout_s + self.warmup_s + self.duration_s + 300,
            "queue_cap": self.sessions,
            "log_level": "warning",
            "agent_ttl_s": self.agent_ttl_s,
            "ticket_ttl_s": self.ticket_ttl_s,
            "redis_timeout_s": self.redis_timeout_s,
        }


# --- processes ---------------------------------------------------------------------------------------


@dataclass
class Cluster:
    processes: dict[str, psutil.Process]  # label → process: redis, agent0…, replica0…
    ports: list[int]  # of the replicas
    redis_url: str


def _agent_registered(redis_url: str, agent_id: str) -> bool:
    client = redis.Redis.from_url(redis_url)
    try:
        return client.zscore(Keys(PREFIX).agents, agent_id) is not None
    finally:
        client.close()


def _slots_registered(port: int, slots: int) -> bool:
    try:
        reply = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2)
    except httpx.TransportError:
        return False
    return reply.status_code == 200 and int(reply.json()["workers"]["total"]) >= slots


@contextlib.contextmanager
def cluster(cfg: LoadConfig, recording: Path) -> Iterator[Cluster]:
    """redis-server, then the agents and the replicas at once; ready when every replica sees every slot."""
    with contextlib.ExitStack() as stack:
        server = RedisProcess()
        server.start()
        stack.callback(server.stop)
        assert server.pid is not None
        processes = {"redis": psutil.Process(server.pid)}
        checks: dict[str, tuple[subprocess.Popen[bytes], Callable[[], bool]]] = {}
        for i in range(cfg.agents):
            args = [sys.executable, "-m", "benchmarks.load_agent", "--redis", server.url, "--prefix", PREFIX]
            args += ["--agent-id", f"load-agent-{i}", "--slots", str(cfg.slots_per_agent)]
            args += ["--recording", str(recording), "--speed", str(cfg.speed)]
            args += ["--agent-ttl-s", str(cfg.agent_ttl_s), "--redis-timeout-s", str(cfg.redis_timeout_s)]
            proc = stack.enter_context(started(args))
            checks[f"agent{i}"] = (proc, functools.partial(_agent_registered, server.url, f"load-agent-{i}"))
        ports = [free_port() for _ in range(cfg.replicas)]
        total_slots = cfg.slots_per_agent * cfg.agents
        for i, port in enumerate(ports):
            proc = stack.enter_context(started(server_args(port, cfg.replica_flags(server.url))))
            checks[f"replica{i}"] = (proc, functools.partial(_slots_registered, port, total_slots))
        wait_ready(checks, timeout_s=180)
        processes |= {name: psutil.Process(proc.pid) for name, (proc, _check) in checks.items()}
        logger.info("redis, %d agent(s), %d slots, %d replica(s) up", cfg.agents, total_slots, cfg.replicas)
        yield Cluster(processes, ports, server.url)


# --- measuring ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """CPU seconds and RSS of each process, and the whole machine's busy CPU seconds, at one moment."""

    at: float  # monotonic
    cpu_s: dict[str, float]
    rss_mb: dict[str, float]
    machine_busy_s: float
    redis_commands: int  # processed by redis-server so far (round trips are what the relay is made of)

    @classmethod
    def take(cls, processes: dict[str, psutil.Process], redis_url: str) -> Reading:
        cpu_s, rss_mb = {}, {}
        for label, proc in processes.items():
            with contextlib.suppress(psutil.Error):
                times = proc.cpu_times()
                cpu_s[label] = times.user + times.system
                rss_mb[label] = proc.memory_info().rss / 2**20
        machine = psutil.cpu_times()
        busy = sum(machine) - machine.idle - getattr(machine, "iowait", 0.0)
        client = redis.Redis.from_url(redis_url)
        try:
            commands = int(client.info("stats")["total_commands_processed"])
        finally:
            client.close()
        return cls(time.monotonic(), cpu_s, rss_mb, busy, commands)


def cpu_percent(start: Reading, end: Reading) -> dict[str, float]:
    """Percent of one core each process used between two readings."""
    wall = end.at - start.at
    return {k: round(100 * (end.cpu_s[k] - start.cpu_s[k]) / wall, 1) for k in end.cpu_s if k in start.cpu_s}


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"count": 0}
    array = np.asarray(values)
    p50, p95, p99 = np.percentile(array, [50, 95, 99])
    return {
        "count": len(values),
        "mean": round(float(array.mean()), 3),
        "p50": round(float(p50), 3),
        "p95": round(float(p95), 3),
        "p99": round(float(p99), 3),
        "max": round(float(array.max()), 3),
    }


@dataclass
class Run:
    """Everything the clients and the monitor gathered."""

    cfg: LoadConfig
    stats: list[SessionStats]
    samples: list[Samples] = field(default_factory=list)  # per replica
    streaming: list[list[int]] = field(default_factory=list)  # per second of the window: count per replica
    loop_lag_ms: list[float] = field(default_factory=list)
    window: tuple[float, float] = (0.0, 0.0)  # unix s

    def streaming_now(self, now: float) -> list[int]:
        counts = [0] * self.cfg.replicas
        for st in self.stats:
            if st.last_chunk_at is not None and now - st.last_chunk_at <= _STREAMING_WITHIN_S:
                counts[st.replica] += 1
        return counts

    def latencies(self, start: float, end: float) -> list[float]:
        return [ms for samples in self.samples for _at, ms, _size in samples.between(start, end)]


async def _after(delay_s: float, work: Awaitable[None]) -> None:
    await asyncio.sleep(delay_s)
    await work


async def _watch_loop_lag(run: Run, stop: asyncio.Event, interval_s: float = 0.05) -> None:
    """How late this process's event loop wakes up: client-side delay included in every latency."""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        due = loop.time() + interval_s
        await asyncio.sleep(interval_s)
        run.loop_lag_ms.append((loop.time() - due) * 1000)


async def _until_streaming(run: Run, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while sum(st.first_chunk_at is not None for st in run.stats) < len(run.stats):
        if time.monotonic() > deadline:
            logger.warning("not every session streams after %.0f s; measuring anyway", timeout_s)
            return
        await asyncio.sleep(0.2)


async def _monitor(run: Run, duration_s: float, interval_s: float) -> None:
    """Each second: who streams; every `interval_s`: a progress line."""
    start = time.time()
    last_log = start
    while (now := time.time()) < start + duration_s:
        await asyncio.sleep(min(1.0, start + duration_s - now))
        now = time.time()
        run.streaming.append(run.streaming_now(now))
        if now - last_log >= interval_s - 1e-3:
            _progress(run, last_log, now, now - start)
            last_log = now


def _progress(run: Run, since: float, now: float, elapsed_s: float) -> None:
    recent = run.latencies(since, now)
    stats = percentiles(recent)
    errors = sum(len(st.errors) + st.duplicates + st.out_of_order for st in run.stats)
    logger.info(
        "t+%3.0fs streaming %s  %5.0f chunks/s  latency p50 %.1f p99 %.1f max %.1f ms  errors %d  load %.2f",
        elapsed_s,
        "+".join(str(c) for c in run.streaming[-1]),
        len(recent) / max(now - since, 1e-6),
        stats.get("p50", math.nan),
        stats.get("p99", math.nan),
        stats.get("max", math.nan),
        errors,
        os.getloadavg()[0],
    )


async def drive(cfg: LoadConfig, cl: Cluster) -> tuple[Run, Reading, Reading, Reading]:
    """Start every session, measure the window, let every session leave."""
    run = Run(cfg, [SessionStats(i, i % cfg.replicas) for i in range(cfg.sessions)])
    run.samples = [Samples() for _ in range(cfg.replicas)]
    urls = [f"ws://127.0.0.1:{port}/ws" for port in cl.ports]
    idle = Reading.take(cl.processes, cl.redis_url)
    stop = asyncio.Event()
    async with asyncio.TaskGroup() as tg:
        tg.create_task(_watch_loop_lag(run, stop))
        for st in run.stats:
            session = stream_session(urls[st.replica], st, run.samples[st.replica], stop)
            tg.create_task(_after(cfg.ramp_s * st.index / cfg.sessions, session))
        await _until_streaming(run, cfg.ramp_s + cfg.start_timeout_s)
        logger.info("%d session(s) streaming; warming up for %.0f s", len(run.stats), cfg.warmup_s)
        await asyncio.sleep(cfg.warmup_s)
        logger.info("measuring for %.0f s", cfg.duration_s)
        watched = cl.processes | {"clients": psutil.Process()}
        start, window_start = Reading.take(watched, cl.redis_url), time.time()
        await _monitor(run, cfg.duration_s, cfg.progress_interval_s)
        end, run.window = Reading.take(watched, cl.redis_url), (window_start, time.time())
        stop.set()
        logger.info("window over; sessions leave")
    return run, idle, start, end


# --- the result --------------------------------------------------------------------------------------


def summarize_run(
    run: Run, idle: Reading, start: Reading, end: Reading, recording: Recording
) -> dict[str, Any]:
    cfg, (w0, w1) = run.cfg, run.window
    window_s = w1 - w0
    received = [s for samples in run.samples for s in samples.between(w0, w1)]
    chunks = max(len(received), 1)
    latency = percentiles([ms for _at, ms, _size in received])
    per_replica_min = [min(c[r] for c in run.streaming) if run.streaming else 0 for r in range(cfg.replicas)]
    cpu = cpu_percent(start, end)
    ours_busy_s = sum(end.cpu_s[k] - start.cpu_s[k] for k in cpu)
    machine_busy_s = end.machine_busy_s - start.machine_busy_s
    errors = [e for st in run.stats for e in st.errors]
    dirty = sum(st.duplicates + st.out_of_order + st.unstamped for st in run.stats)
    restarts = sum(st.restarts for st in run.stats)
    replicas = [f"replica{i}" for i in range(cfg.replicas)]
    meets = (
        min(per_replica_min) >= TARGET_SESSIONS_PER_REPLICA
        and latency.get("p99", math.inf) <= TARGET_P99_MS
        and not errors
        and dirty == 0
        and restarts == 0
    )
    return {
        "meets_target": meets,
        "target": {"sessions_per_replica": TARGET_SESSIONS_PER_REPLICA, "p99_ms": TARGET_P99_MS},
        "window_s": round(window_s, 2),
        "relay_latency_ms": latency,
        "relay_latency_ms_by_replica": [
            percentiles([ms for _at, ms, _size in samples.between(w0, w1)]) for samples in run.samples
        ],
        "relay_latency_ms_whole_run": percentiles(run.latencies(0, math.inf)),
        "sessions": {
            "started": cfg.sessions,
            "streaming_min_per_replica": per_replica_min,
            "streaming_min_total": min((sum(c) for c in run.streaming), default=0),
            "clean": sum(st.is_clean for st in run.stats),
            "segments_complete": sum(st.segments_complete for st in run.stats),
        },
        "throughput": {
            "chunks_per_s": round(len(received) / window_s, 1),
            "mbit_per_s": round(sum(size for *_, size in received) * 8 / window_s / 1e6, 2),
        },
        "errors": {
            "count": len(errors),
            "first": sorted(set(errors))[:10],
            "duplicates": sum(st.duplicates for st in run.stats),
            "out_of_order": sum(st.out_of_order for st in run.stats),
            "unstamped": sum(st.unstamped for st in run.stats),
            "segments_restarted": restarts,  # failovers: a slot lost (overload: heartbeats or tickets late)
        },
        "cpu_percent_of_one_core": cpu,
        # CPU per relayed chunk: steadier than latency on a shared machine (others' load delays, not costs)
        "cpu_ms_per_chunk": {k: round(v * 10 * window_s / chunks, 3) for k, v in cpu.items()},
        "redis_commands_per_chunk": round((end.redis_commands - start.redis_commands) / chunks, 2),
        "rss_mb": {k: round(v, 1) for k, v in end.rss_mb.items()},
        "rss_mb_idle": {k: round(v, 1) for k, v in idle.rss_mb.items()},
        "per_session": {
            "replica_cpu_percent": round(sum(cpu[r] for r in replicas) / cfg.sessions, 3),
            "replica_rss_mb": round(sum(end.rss_mb[r] - idle.rss_mb[r] for r in replicas) / cfg.sessions, 3),
        },
        "machine": {
            "loadavg_at_end": [round(x, 2) for x in os.getloadavg()],
            "busy_percent_of_one_core": round(100 * machine_busy_s / window_s, 1),
            "others_percent_of_one_core": round(100 * (machine_busy_s - ours_busy_s) / window_s, 1),
        },
        "client_loop_lag_ms": percentiles(run.loop_lag_ms),
        "recording": {
            "mime": recording.mime,
            "chunks": len(recording.chunks),
            "bytes": sum(len(c) for c in recording.chunks),
            "duration_s": recording.duration_s,
            "stamp_bytes": STAMP_BYTES,
        },
    }


def _software() -> dict[str, Any]:
    from importlib.metadata import version

    redis_server = subprocess.run(["redis-server", "--version"], capture_output=True, text=True, check=False)
    return {
        "redis_server": redis_server.stdout.strip(),
        **{name: version(name) for name in ("redis", "websockets", "uvicorn", "starlette", "psutil")},
    }


def run_load(cfg: LoadConfig, results_dir: Path = RESULTS_DIR) -> tuple[Path, dict[str, Any], Run]:
    """The whole benchmark: record a segment, start the cluster, drive the sessions, write the JSON."""
    loadavg_before = os.getloadavg()
    overrides = {"model": "synthetic", "width": cfg.width, "height": cfg.height, "num_frames": cfg.num_frames}
    settings = Settings.from_flat({**overrides, "log_level": "warning"})
    recording = asyncio.run(record_segment(settings))
    logger.info("recorded one segment: %d chunks, %.1f s", len(recording.chunks), recording.duration_s)
    with tempfile.TemporaryDirectory(prefix="dreamverse-load-") as tmp:
        path = Path(tmp) / "segment"
        recording.save(path)
        with cluster(cfg, path) as cl:
            run, idle, start, end = asyncio.run(drive(cfg, cl))
    numbers = summarize_run(run, idle, start, end, recording)
    numbers["machine"]["loadavg_before"] = [round(x, 2) for x in loadavg_before]
    settings_out = {
        **dataclasses.asdict(cfg),
        "sessions": cfg.sessions,
        "slots_per_agent": cfg.slots_per_agent,
        "replica_flags": {k: v for k, v in cfg.replica_flags("").items() if k != "redis"},
        "clients": "one asyncio process (the benchmark's own), plain websockets",
        "software": _software(),
    }
    path = write_result("load", settings_out, numbers, use_gpu=False, results_dir=results_dir)
    return path, numbers, run


_FLAGS = {
    "sessions_per_replica": "websocket clients per replica",
    "replicas": "dreamverse-server --redis processes",
    "agents": "worker agent processes (slots split evenly, plus spare ones)",
    "duration_s": "measurement window, after the warm-up",
    "warmup_s": "streamed but not measured, from when every session streams",
    "ramp_s": "sessions connect evenly spread over this long",
    "start_timeout_s": "longest wait, after the ramp, for every session to stream",
    "speed": "playback speed of the agents' slots (1: video speed)",
    "width": "geometry of the pre-encoded segment",
    "height": "geometry of the pre-encoded segment",
    "num_frames": "frames of the pre-encoded segment",
    "progress_interval_s": "seconds between progress lines",
    "agent_ttl_s": "replicas' and agents' --agent-ttl-s",
    "ticket_ttl_s": "replicas' --ticket-ttl-s",
    "redis_timeout_s": "replicas' and agents' --redis-timeout-s",
}


def main(argv: list[str] | None = None) -> int:
    defaults = LoadConfig()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for name, help_text in _FLAGS.items():
        default = getattr(defaults, name)
        flag = "--" + name.replace("_", "-")
        parser.add_argument(flag, type=type(default), default=default, help=f"{help_text} [{default}]")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    path, numbers, _run = run_load(LoadConfig(**vars(args)))
    latency, sessions = numbers["relay_latency_ms"], numbers["sessions"]
    logger.info(
        "%s streaming per replica (min), relay latency p50 %s p99 %s max %s ms, errors %d -> %s (target %s)",
        sessions["streaming_min_per_replica"],
        latency.get("p50"),
        latency.get("p99"),
        latency.get("max"),
        numbers["errors"]["count"],
        path,
        "met" if numbers["meets_target"] else "NOT met",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
