"""One worker process as the runtime sees it: its state, its pipe, its stream events.

State moves STARTING → WARMING → READY ⇄ BUSY → DEAD (then the supervisor starts a new process in the same
handle). A reader thread receives the worker's messages and hands them to the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from dreamverse.generator.base import Geometry
from dreamverse.workers.ipc import (
    Heartbeat,
    RuntimeToWorker,
    WorkerFailed,
    WorkerReady,
    WorkerToRuntime,
    WorkerWarming,
)
from dreamverse.workers.process import run_worker_process
from dreamverse.workers.spec import WorkerSpec

logger = logging.getLogger(__name__)
_SPAWN = multiprocessing.get_context("spawn")


class WorkerState(StrEnum):
    STARTING = "starting"
    WARMING = "warming"
    READY = "ready"
    BUSY = "busy"
    DEAD = "dead"


@dataclass(frozen=True, slots=True)
class WorkerExited:
    """Put on the stream-event queue when the process is gone, so a waiting session wakes up."""

    exitcode: int | None
    detail: str


class WorkerHandle:
    def __init__(self, spec: WorkerSpec, loop: asyncio.AbstractEventLoop) -> None:
        self.spec = spec
        self.gpu_id = spec.gpu_id
        self.state = WorkerState.DEAD
        self.restarts = -1  # the first start is not a restart
        self.load_s: float | None = None
        self.warmup_s: float | None = None
        self.geometry: Geometry | None = None
        self.generator_name: str | None = None
        self.rank_pids: tuple[int, ...] = ()  # a GPU group's processes by rank, once ready
        self.session_id: str | None = None
        self.segments_served = 0
        self.last_failure: str | None = None
        self.last_heartbeat = time.monotonic()
        self.started_at = time.monotonic()
        self.stream_events: asyncio.Queue[WorkerToRuntime | WorkerExited] = asyncio.Queue()
        self._loop = loop
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self.on_change: list[Callable[[WorkerHandle], None]] = []

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> None:
        parent, child = _SPAWN.Pipe(duplex=True)
        process = _SPAWN.Process(
            target=run_worker_process,
            args=(self.spec, child),
            name=f"dreamverse-{self.spec.name}",
            daemon=True,
        )
        self.state = WorkerState.STARTING
        self.rank_pids = ()
        self.restarts += 1
        self.started_at = self.last_heartbeat = time.monotonic()
        self.stream_events = asyncio.Queue()
        process.start()
        child.close()
        self._process, self._conn = process, parent
        threading.Thread(
            target=self._read_loop, args=(parent, process), name=f"read-{self.spec.name}", daemon=True
        ).start()
        logger.info("%s: started process %s", self.spec.name, process.pid)

    def send(self, cmd: RuntimeToWorker) -> None:
        """Send a command; a dead pipe is reported through `WorkerExited`, never raised."""
        conn = self._conn
        if conn is None or self.state is WorkerState.DEAD:
            return
        try:
            conn.send(cmd)
        except (BrokenPipeError, EOFError, OSError):
            logger.warning("%s: pipe closed while sending %s", self.spec.name, type(cmd).__name__)

    def kill(self) -> None:
        if self._process is not None and self._process.is_alive():
            self._process.kill()

    def join(self, timeout_s: float) -> bool:
        """Wait for the process to end; True if it did."""
        if self._process is None:
            return True
        self._process.join(timeout_s)
        return not self._process.is_alive()

    def terminate(self) -> None:
        if self._process is not None and self._process.is_alive():
            self._process.terminate()

    def _read_loop(self, conn: Connection, process: BaseProcess) -> None:
        while True:
            try:
                msg: WorkerToRuntime = conn.recv()
            except (EOFError, OSError):
                break
            if not self._post(self._on_message, msg):
                return
        process.join(5)
        self._post(self._on_exit, process)

    def _post(self, callback: Callable[..., None], *args: object) -> bool:
        """Hand a call to the event loop; False once the loop is closed (the runtime is shutting down)."""
        try:
            self._loop.call_soon_threadsafe(callback, *args)
        except RuntimeError:
            return False
        return True

    def _on_message(self, msg: WorkerToRuntime) -> None:
        self.last_heartbeat = time.monotonic()
        match msg:
            case Heartbeat():
                return
            case WorkerWarming():
                self.state = WorkerState.WARMING
            case WorkerReady():
                self.state = WorkerState.READY
                self.load_s, self.warmup_s = msg.load_s, msg.warmup_s
                self.geometry, self.generator_name = msg.geometry, msg.generator
                self.rank_pids = msg.rank_pids
                logger.info(
                    "%s: ready (load %.1f s, warmup %.1f s)", self.spec.name, msg.load_s, msg.warmup_s
                )
            case WorkerFailed():
                self.last_failure = msg.detail
                logger.error("%s: failed: %s", self.spec.name, msg.detail)
            case _:
                self.stream_events.put_nowait(msg)
                return
        self._notify()

    def _on_exit(self, process: BaseProcess) -> None:
        if process is not self._process:
            return  # an older process of this handle; already replaced
        self.state = WorkerState.DEAD
        self._conn = None
        detail = self.last_failure or f"worker process exited with code {process.exitcode}"
        logger.warning("%s: process %s exited (%s)", self.spec.name, process.pid, process.exitcode)
        self.stream_events.put_nowait(WorkerExited(process.exitcode, detail))
        self._notify()

    def _notify(self) -> None:
        for callback in self.on_change:
            callback(self)
