"""A real `dreamverse` server for tests: uvicorn on 127.0.0.1 in a thread, real worker processes."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import uvicorn

from dreamverse.runtime.app import create_app
from dreamverse.runtime.cli import uvicorn_config
from dreamverse.runtime.settings import Settings

# Small, fast segments for tests: 25 frames (8k+1) at 256x160.
TEST_GEOMETRY = {"width": 256, "height": 160, "num_frames": 25, "fps": 24}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningServer:
    settings: Settings
    server: uvicorn.Server
    thread: threading.Thread

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.settings.server.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.settings.server.port}/ws"

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return httpx.get(self.http + path, timeout=10, **kwargs)

    def wait_ready(self, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.get("/readyz").status_code == 200:
                return
            time.sleep(0.1)
        raise TimeoutError(f"server not ready within {timeout_s} s: {self.get('/status').text}")


@contextlib.contextmanager
def run_server(**overrides: Any) -> Iterator[RunningServer]:
    values: dict[str, Any] = {"port": free_port(), "log_level": "warning", **TEST_GEOMETRY, **overrides}
    settings = Settings.from_flat(values)
    config = uvicorn_config(create_app(settings), settings)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.02)
    try:
        yield RunningServer(settings, server, thread)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
