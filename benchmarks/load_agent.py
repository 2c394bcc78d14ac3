"""The load benchmark's worker agents: the real `dreamverse-worker` agent; its slots play a recorded segment.

    .venv/bin/python -m benchmarks.load_agent --redis URL --prefix P --agent-id ID --slots 64 --recording FILE

`benchmarks.load` measures the relay (agent → Redis → replica → websocket → client), not generation: a
2-core machine cannot render and encode a hundred streams. So one segment is rendered once by a real
synthetic worker process and FFmpeg (`record_segment`), and every slot plays it back at video speed:
`SegmentStarted`, `MediaInitialized`, the fMP4 chunks spaced by their share of the segment's duration,
`SegmentStateSaved` and `SegmentGenerated` before the last chunk (so the rollout asks for the next segment
while this one drains, as with a real worker), then `SegmentEncoded`. Everything from there on is the
production code: `Agent` (command reads, per-slot event forwarding, `SessionStreamWriter`), Redis, the
replicas' `RemoteLease` and rollout, their websockets.

Each chunk carries a stamp: a top-level `free` box (players skip it, the fMP4 stays valid) appended to the
chunk's boxes with the segment index, the chunk's index in its segment, and the wall-clock time the slot
handed the chunk to the agent for publishing. The client reads it back to measure relay latency and to
check order.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import logging
import struct
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from dreamverse.runtime.settings import Settings
from dreamverse.workers.handle import WorkerHandle, WorkerState
from dreamverse.workers.ipc import (
    CancelStream,
    FragmentEncoded,
    MediaInitialized,
    RenderSegment,
    ResumeStream,
    RuntimeToWorker,
    SegmentEncoded,
    SegmentFailed,
    SegmentGenerated,
    SegmentStarted,
    SegmentStateSaved,
    Shutdown,
    StartStream,
)
from dreamverse.workers.remote.agent import AgentConfig, run_agent
from dreamverse.workers.spec import WorkerSpec
from dreamverse.workers.supervisor import PoolTimeouts, WorkerPool

logger = logging.getLogger("benchmarks.load_agent")

# --- the stamp ---------------------------------------------------------------------------------------

_STAMP = struct.Struct(">I4s4sIIQ")  # box size, b"free", magic, segment idx, chunk idx, unix ns
_MAGIC = b"DVLB"
STAMP_BYTES = _STAMP.size


@dataclass(frozen=True, slots=True)
class Stamp:
    segment_idx: int
    chunk_idx: int
    handed_unix_ns: int  # when the slot handed the chunk to the agent (same host clock as the client)


def stamped(chunk: bytes, segment_idx: int, chunk_idx: int) -> bytes:
    return chunk + _STAMP.pack(STAMP_BYTES, b"free", _MAGIC, segment_idx, chunk_idx, time.time_ns())


def read_stamp(frame: bytes) -> Stamp | None:
    """The stamp at the end of a binary frame; None if the frame does not end with one."""
    if len(frame) < STAMP_BYTES:
        return None
    size, box, magic, segment_idx, chunk_idx, unix_ns = _STAMP.unpack(frame[-STAMP_BYTES:])
    if size != STAMP_BYTES or box != b"free" or magic != _MAGIC:
        return None
    return Stamp(segment_idx, chunk_idx, unix_ns)


# --- the recording -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Recording:
    """One segment as a real worker sent it."""

    mime: str
    chunks: list[bytes]  # the init segment first, then the fragments
    state: bytes  # the continuation state after it
    frames: int
    fps: int

    @property
    def duration_s(self) -> float:
        return self.frames / self.fps

    def save(self, folder: Path) -> None:
        """`meta.json`, `state.bin` and one `chunk-NNNN.bin` per chunk."""
        folder.mkdir(parents=True, exist_ok=True)
        meta = {"mime": self.mime, "frames": self.frames, "fps": self.fps, "chunks": len(self.chunks)}
        (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        (folder / "state.bin").write_bytes(self.state)
        for n, chunk in enumerate(self.chunks):
            (folder / f"chunk-{n:04d}.bin").write_bytes(chunk)

    @classmethod
    def load(cls, folder: Path) -> Recording:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        chunks = [(folder / f"chunk-{n:04d}.bin").read_bytes() for n in range(meta["chunks"])]
        state = (folder / "state.bin").read_bytes()
        return cls(meta["mime"], chunks, state, meta["frames"], meta["fps"])


async def record_segment(settings: Settings, timeout_s: float = 300) -> Recording:
    """Render and encode one segment with a real worker process (the synthetic generator)."""
    spec = dataclasses.replace(settings.worker_template(), warmup_prompt="")
    pool = WorkerPool([spec], settings.workers.pool_timeouts())
    await pool.start()
    try:
        async with asyncio.timeout(timeout_s):
            handle = pool.handles[0]
            ready = asyncio.Event()
            handle.on_change.append(lambda h: ready.set() if h.state is WorkerState.READY else None)
            if handle.state is not WorkerState.READY:
                await ready.wait()
            lease = pool.lease(handle, "recording")
            lease.start_stream("recording", seed=1)
            lease.render("recording", 0, "the load benchmark's recorded segment")
            chunks: list[bytes] = []
            mime, state = "", b""
            while not isinstance(event := await lease.next_event(), SegmentEncoded):
                match event:
                    case MediaInitialized():
                        mime = event.mime
                    case FragmentEncoded():
                        chunks.append(event.data)
                    case SegmentStateSaved():
                        state = event.state
                    case SegmentFailed():
                        raise RuntimeError(f"recording the segment failed: {event.detail}")
        return Recording(mime, chunks, state, event.frames, settings.model.fps)
    finally:
        await pool.stop()


# --- slots that play it back -------------------------------------------------------------------------


class ReplayHandle(WorkerHandle):
    """A worker slot that plays the recording back at `speed` times video speed instead of rendering."""

    def __init__(
        self, spec: WorkerSpec, loop: asyncio.AbstractEventLoop, recording: Recording, speed: float
    ) -> None:
        super().__init__(spec, loop)
        self._recording = recording
        self._interval_s = recording.duration_s / len(recording.chunks) / speed
        self._commands: asyncio.Queue[RuntimeToWorker] = asyncio.Queue()
        self._cancelled: set[str] = set()
        self._stream_id: str | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.state = WorkerState.READY
        self._task = asyncio.create_task(self._serve(), name=f"replay-{self.spec.name}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def send(self, cmd: RuntimeToWorker) -> None:
        if isinstance(cmd, CancelStream):
            self._cancelled.add(cmd.stream_id)  # seen at once, between chunks, as by a worker's reader
        self._commands.put_nowait(cmd)

    async def _serve(self) -> None:
        while not isinstance(cmd := await self._commands.get(), Shutdown):
            match cmd:
                case StartStream(stream_id) | ResumeStream(stream_id):
                    self._stream_id = stream_id
                    self._cancelled.discard(stream_id)
                case RenderSegment() if cmd.stream_id == self._stream_id:
                    await self._play(cmd.stream_id, cmd.segment_idx)
                case RenderSegment():
                    detail = f"stream {cmd.stream_id} is not the active stream"
                    self.stream_events.put_nowait(SegmentFailed(cmd.stream_id, cmd.segment_idx, detail))

    async def _play(self, stream_id: str, idx: int) -> None:
        rec, put = self._recording, self.stream_events.put_nowait
        loop = asyncio.get_running_loop()
        started = due = loop.time()
        put(SegmentStarted(stream_id, idx, time.time()))
        put(MediaInitialized(stream_id, idx, rec.mime))
        for n, chunk in enumerate(rec.chunks):
            if stream_id in self._cancelled:
                return
            if n == len(rec.chunks) - 1:  # generated; only the encoder's tail is left
                put(SegmentStateSaved(stream_id, idx, seed=1, state=rec.state))
                put(SegmentGenerated(stream_id, idx, generate_s=loop.time() - started))
            put(FragmentEncoded(stream_id, idx, stamped(chunk, idx, n)))
            due += self._interval_s
            await asyncio.sleep(max(0.0, due - loop.time()))
        size = sum(len(c) + STAMP_BYTES for c in rec.chunks)
        worker_s = loop.time() - started
        put(SegmentEncoded(stream_id, idx, len(rec.chunks), size, rec.frames, 0.0, worker_s))


class ReplayPool(WorkerPool):
    """`slots` replay handles in this process: what `Agent` serves in place of worker processes."""

    def __init__(self, specs: list[WorkerSpec], recording: Recording, speed: float) -> None:
        super().__init__(specs, PoolTimeouts(60.0, 60.0, 1.0, 5.0))
        self._recording, self._speed = recording, speed

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        for spec in self.specs:
            handle = ReplayHandle(spec, loop, self._recording, self._speed)
            self.handles.append(handle)
            handle.start()

    async def stop(self) -> None:
        for handle in self.handles:
            if isinstance(handle, ReplayHandle):
                await handle.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--redis", required=True)
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--agent-id", required=True)
    parser.add_argument("--slots", type=int, required=True)
    parser.add_argument("--recording", type=Path, required=True)
    parser.add_argument("--speed", type=float, default=1.0, help="playback speed (1: video speed)")
    parser.add_argument("--agent-ttl-s", type=float, default=3.0)
    parser.add_argument("--redis-timeout-s", type=float, default=2.0)
    args = parser.parse_args(argv)
    log_format = f"%(asctime)s {args.agent_id} %(levelname)s %(message)s"
    logging.basicConfig(level=logging.WARNING, format=log_format)
    settings = Settings.from_flat({"model": "synthetic", "log_level": "warning"})
    template = settings.worker_template()
    specs = [dataclasses.replace(template, gpu_id=i) for i in range(args.slots)]
    config = AgentConfig(
        redis_url=args.redis,
        prefix=args.prefix,
        agent_id=args.agent_id,
        model="synthetic",
        ttl_s=args.agent_ttl_s,
        timeout_s=args.redis_timeout_s,
        stream_max_len=settings.cluster.stream_max_len,
        stream_ttl_s=settings.cluster.stream_ttl_s,
    )
    pool = ReplayPool(specs, Recording.load(args.recording), args.speed)
    asyncio.run(run_agent(config, pool))
    return 0


if __name__ == "__main__":
    sys.exit(main())
