"""`dreamverse-mock-server` as a real process on a free port, for tests of clients."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.support.server import TEST_GEOMETRY, free_port


@dataclass(frozen=True)
class MockServer:
    port: int
    process: subprocess.Popen[bytes]

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def console_script(name: str) -> str:
    """A console script of this environment (beside its python), so tests run the installed entry point."""
    return str(Path(sys.executable).parent / name)


@contextlib.contextmanager
def run_mock_server(*flags: str, ready_timeout_s: float = 60) -> Iterator[MockServer]:
    port = free_port()
    geometry = [f"--{key.replace('_', '-')}={value}" for key, value in TEST_GEOMETRY.items()]
    args = [
        console_script("dreamverse-mock-server"),
        f"--port={port}",
        "--log-level=warning",
        *geometry,
        *flags,
    ]
    process = subprocess.Popen(args)
    try:
        server = MockServer(port, process)
        _wait_ready(server, ready_timeout_s)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_ready(server: MockServer, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"dreamverse-mock-server exited with {server.process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(server.http + "/readyz", timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    raise TimeoutError(f"dreamverse-mock-server not ready within {timeout_s} s")
