"""The installed CLIs: start, serve /healthz at once, shut down cleanly on SIGINT, explain bad flags."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.server import free_port

BIN = Path(sys.executable).parent


def wait_for(url: str, timeout_s: float) -> httpx.Response:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def test_mock_server_serves_healthz_and_stops_cleanly_on_sigint() -> None:
    port = free_port()
    proc = subprocess.Popen(
        [
            str(BIN / "dreamverse-mock-server"),
            "--port",
            str(port),
            "--latency",
            "500",
            "--log-level",
            "warning",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        health = wait_for(f"http://127.0.0.1:{port}/healthz", timeout_s=30)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        deadline = time.monotonic() + 30
        while httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code != 200:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        worker_pid = httpx.get(f"http://127.0.0.1:{port}/status", timeout=2).json()["workers"][0]["pid"]
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
        assert proc.returncode == 0, out
        assert not Path(f"/proc/{worker_pid}").exists(), "the worker outlived the server"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_help_lists_every_flag_with_its_environment_variable() -> None:
    out = subprocess.run(
        [str(BIN / "dreamverse-server"), "--help"], capture_output=True, text=True, check=True
    ).stdout
    for flag in ("--host", "--port", "--model", "--gpus", "--segment-cap", "--auth-token", "--llm-providers"):
        assert flag in out
    assert "DREAMVERSE_SEGMENT_CAP" in out
    mock = subprocess.run(
        [str(BIN / "dreamverse-mock-server"), "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "--latency" in mock and "--model" not in mock


def test_bad_configuration_exits_with_a_message() -> None:
    public = subprocess.run(
        [str(BIN / "dreamverse-server"), "--host", "0.0.0.0"], capture_output=True, text=True, timeout=30
    )
    assert public.returncode == 2 and "auth token" in public.stderr
    no_gpu = subprocess.run(
        [str(BIN / "dreamverse-server"), "--model", "ltx2", "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert no_gpu.returncode == 2 and "GPU" in no_gpu.stderr
    odd_group = subprocess.run(  # the worker agent takes the same group flags
        [
            str(BIN / "dreamverse-worker"),
            "--redis",
            "redis://127.0.0.1:1/0",
            "--gpus",
            "0,1,2",
            "--sp-size",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert odd_group.returncode == 2 and "--sp-size 2 must divide the number of GPUs: 3" in odd_group.stderr
