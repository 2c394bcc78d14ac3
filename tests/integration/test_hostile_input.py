"""Defects found by attacking the server, each reproduced over real sockets: hostile images, oversize bodies
sent slowly, export memory, concurrent exports, the token in the log."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import tracemalloc
from collections.abc import AsyncIterator

import httpx
import pytest
import websockets

from dreamverse.runtime.prompts.routes import MAX_BODY_BYTES
from tests.support.hostile import data_url, png_bomb, png_header_only
from tests.support.server import RunningServer, free_port, run_server
from tests.support.wsclient import Client


@pytest.mark.parametrize(
    ("image", "message"),
    [(png_header_only(), "not a readable"), (png_bomb(), "too many pixels")],
    ids=["45-byte-png-without-data", "decompression-bomb-header"],
)
async def test_hostile_image_gets_invalid_image_and_close_1003(
    server: RunningServer, image: bytes, message: str
) -> None:
    client = await Client.connect(server.ws)
    await client.next_event()
    init = {"type": "session_init_v2", "curated_prompts": ["x"], "initial_image": data_url(image)}
    await client.send(init)
    error = await client.until("error")
    assert (error["code"], error["retryable"]) == ("invalid_image", False)
    assert message in error["message"]
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await client.next_event()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1003


def raw_request(port: int, head: str, body: bytes, wait_s: float = 5.0) -> bytes:
    """Send a request head and part of a body, keep the socket open, return what the server answers."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait_s) as sock:
        sock.sendall(head.encode() + b"\r\n" + body)
        try:
            return sock.recv(65536)
        except TimeoutError:
            return b""


@pytest.mark.parametrize("path", ["/prompt-system-config", "/export"])
def test_oversize_body_is_refused_before_it_arrives(path: str) -> None:
    with run_server(admin_token="admin", auth_token="tok", max_export_bytes=1024) as server:
        port = server.settings.server.port
        declared = 10 * 2**20
        head = (
            f"{'PUT' if 'prompt' in path else 'POST'} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Authorization: Bearer {'admin' if 'prompt' in path else 'tok'}\r\n"
            f"Content-Length: {declared}\r\n"
        )
        answer = raw_request(port, head, b"{")  # the other 10 MiB never come
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
        chunked = head.replace(f"Content-Length: {declared}", "Transfer-Encoding: chunked")
        over = MAX_BODY_BYTES + 1 if "prompt" in path else 2048
        answer = raw_request(port, chunked, f"{over:x}\r\n".encode() + b"a" * over + b"\r\n")
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


async def tiny_boxes(total_bytes: int, chunk_bytes: int = 1 << 16) -> AsyncIterator[bytes]:
    """An ftyp box, then `free` boxes of 8 bytes each: the most boxes per byte an upload can hold."""
    yield b"\x00\x00\x00\x10ftypisom\x00\x00\x02\x00"
    chunk = b"\x00\x00\x00\x08free" * (chunk_bytes // 8)
    for _ in range(total_bytes // chunk_bytes):
        yield chunk


async def test_export_memory_stays_bounded_for_an_upload_of_tiny_boxes(server: RunningServer) -> None:
    # Before: the body was held whole, then one Python object per box (16 MiB of them peaked at 456 MB).
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        async with httpx.AsyncClient(base_url=server.http, timeout=60) as http:
            response = await http.post("/export", content=tiny_boxes(4 * 2**20))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 422 and "no moov" in response.json()["detail"]
    assert peak < 2 * 2**20, f"peak {peak / 2**20:.1f} MiB of Python memory for a 4 MiB upload"


async def test_concurrent_exports_are_limited() -> None:
    with run_server(max_concurrent_exports=1) as server:
        sent, release = asyncio.Event(), asyncio.Event()

        async def slow_body() -> AsyncIterator[bytes]:
            yield b"\x00\x00\x00\x10ftypisom\x00\x00\x02\x00"
            sent.set()  # httpx asks for more once the first chunk is on the wire
            await release.wait()

        async with httpx.AsyncClient(base_url=server.http, timeout=30) as http:
            first = asyncio.create_task(http.post("/export", content=slow_body()))
            await asyncio.wait_for(sent.wait(), 10)
            await asyncio.sleep(0.3)  # for the server to take the request
            busy = await http.post("/export", content=b"x")
            assert busy.status_code == 503 and busy.json()["error_code"] == "export_busy"
            assert busy.headers["retry-after"] == "1"
            release.set()
            assert (await first).status_code == 422  # the first one ran to its own (bad media) answer
            assert (await http.post("/export", content=b"x")).status_code == 422  # the slot is free again


def test_token_never_reaches_the_log() -> None:
    port = free_port()
    token = "Secret-Token-4c1d"
    env = {**os.environ, "DREAMVERSE_AUTH_TOKEN": token}
    args = [sys.executable, "-m", "dreamverse.runtime.cli", "--port", str(port), "--log-level", "debug"]
    with subprocess.Popen(args, env=env, stderr=subprocess.PIPE, text=True) as proc:
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline and proc.poll() is None, "server did not start"
                time.sleep(0.2)
            asyncio.run(_connect_with_token(f"ws://127.0.0.1:{port}/ws?token={token}&x=1"))
            httpx.get(f"http://127.0.0.1:{port}/status?token={token}", timeout=5).raise_for_status()
        finally:
            proc.terminate()
            _, log = proc.communicate(timeout=30)
    assert "token=***" in log  # the handshake was logged, redacted
    assert token not in log


async def _connect_with_token(url: str) -> None:
    client = await Client.connect(url)
    assert (await client.next_event())["type"] == "session_ready"
    await client.close()
