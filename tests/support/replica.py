"""A `dreamverse-server --redis` replica as a real process (so that a test can `kill -9` it)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.support.processes import stop
from tests.support.server import TEST_GEOMETRY, free_port

BIN = Path(sys.executable).parent


@dataclass
class ReplicaProcess:
    proc: subprocess.Popen[bytes]
    port: int

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    def get(self, path: str) -> httpx.Response:
        return httpx.get(self.http + path, timeout=10)

    def wait_ready(self, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        while True:
            assert self.proc.poll() is None, f"replica exited with {self.proc.returncode}"
            try:
                if self.get("/readyz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "replica not ready"
            time.sleep(0.1)

    def kill(self) -> None:
        """`kill -9`: no shutdown, no cleanup, sockets cut."""
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)


@contextmanager
def replica_process(redis_url: str, prefix: str, **flags: Any) -> Iterator[ReplicaProcess]:
    port = free_port()
    values = {**TEST_GEOMETRY, **flags, "redis": redis_url, "redis_prefix": prefix, "port": port}
    args = [str(BIN / "dreamverse-server"), "--log-level", "warning"]
    for name, value in values.items():
        args += [f"--{name.replace('_', '-')}", str(value)]
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL)
    try:
        yield ReplicaProcess(proc, port)
    finally:
        stop(proc, timeout_s=20)
