"""Child processes of the benchmarks: started, waited for until ready, stopped (terminate, then kill)."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import httpx
import psutil

_STOP_TIMEOUT_S = 30.0


def server_args(port: int, flags: Mapping[str, Any]) -> list[str]:
    """`dreamverse-server` (as `python -m`, so it runs in this interpreter) with `--flag value` per entry."""
    args = [sys.executable, "-m", "dreamverse.runtime.cli", "--port", str(port)]
    for name, value in flags.items():
        args += ["--" + name.replace("_", "-"), str(value)]
    return args


@contextlib.contextmanager
def started(args: list[str]) -> Iterator[subprocess.Popen[bytes]]:
    """Run `args` until the block ends (then terminate, and kill if it lingers)."""
    with subprocess.Popen(args, stdin=subprocess.DEVNULL) as proc:
        try:
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(_STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(_STOP_TIMEOUT_S)


def wait_ready(
    checks: Mapping[str, tuple[subprocess.Popen[bytes], Callable[[], bool]]], timeout_s: float = 120
) -> None:
    """Poll each named process's readiness check until all pass; fail at once if one of them exits."""
    pending = dict(checks)
    deadline = time.monotonic() + timeout_s
    while pending:
        for name, (proc, is_ready) in list(pending.items()):
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with code {proc.returncode} before it was ready")
            if is_ready():
                del pending[name]
        if pending and time.monotonic() > deadline:
            raise RuntimeError(f"not ready within {timeout_s:g} s: {', '.join(pending)}")
        time.sleep(0.2)


@contextlib.contextmanager
def child_process(
    args: list[str], is_ready: Callable[[], bool], timeout_s: float = 120, name: str = "child"
) -> Iterator[psutil.Process]:
    """Run `args` until the block ends; yield once `is_ready()` (polled) says it serves."""
    with started(args) as proc:
        wait_ready({name: (proc, is_ready)}, timeout_s)
        yield psutil.Process(proc.pid)


def server_ready(port: int) -> bool:
    """`/readyz` answers 200: the server listens and has a warm worker slot."""
    try:
        return httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False
