"""A local HTTP server that speaks the OpenAI chat-completions wire format, scripted per test.

Each provider is a path prefix: `http://127.0.0.1:<port>/<name>/v1`. A provider answers with a script of
`Reply`s (consumed in order, the last one repeats). It records every request body and every request whose
client hung up before the answer (a cancelled or timed-out call).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn


@dataclass(frozen=True)
class Reply:
    content: str | None = '{"prompt": "ok"}'  # assistant message text
    status: int = 200
    delay_s: float = 0.0  # wait this long before answering (a hang-up ends the wait)
    raw_body: bytes | None = None  # send these bytes instead of a chat completion


@dataclass
class FakeOpenAI:
    scripts: dict[str, list[Reply]] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    hangups: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def script(self, name: str, *replies: Reply) -> None:
        with self.lock:
            self.scripts[name] = list(replies)

    def reset(self) -> None:
        with self.lock:
            self.scripts.clear()
            self.requests.clear()
            self.hangups.clear()

    def requests_of(self, name: str) -> list[dict[str, Any]]:
        with self.lock:
            return [body for who, body in self.requests if who == name]

    def wait_for_hangup(self, name: str, timeout_s: float = 3.0) -> bool:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            with self.lock:
                if name in self.hangups:
                    return True
            time.sleep(0.01)
        return False

    def _next_reply(self, name: str) -> Reply:
        with self.lock:
            script = self.scripts.get(name) or [Reply()]
            return script.pop(0) if len(script) > 1 else script[0]

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        assert scope["type"] == "http"
        name = scope["path"].strip("/").split("/")[0]
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        with self.lock:
            self.requests.append((name, json.loads(body or b"{}")))
        reply = self._next_reply(name)
        if reply.delay_s and await self._hung_up(receive, reply.delay_s):
            with self.lock:
                self.hangups.append(name)
            return
        payload = reply.raw_body if reply.raw_body is not None else _completion_bytes(reply)
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
        await send({"type": "http.response.start", "status": reply.status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})

    @staticmethod
    async def _hung_up(receive: Any, delay_s: float) -> bool:
        try:
            async with asyncio.timeout(delay_s):
                message = await receive()
        except TimeoutError:
            return False
        return message["type"] == "http.disconnect"


def _completion_bytes(reply: Reply) -> bytes:
    if reply.status != 200:
        return json.dumps({"error": {"message": f"scripted {reply.status}", "type": "server_error"}}).encode()
    return json.dumps(
        {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": 0,
            "model": "fake",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": reply.content},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
    ).encode()


@contextmanager
def run_fake_openai() -> Iterator[tuple[FakeOpenAI, str]]:
    """Start the fake on a free 127.0.0.1 port in a thread; yields (fake, "http://127.0.0.1:<port>")."""
    fake = FakeOpenAI()
    config = uvicorn.Config(
        fake,
        host="127.0.0.1",
        port=0,
        log_level="warning",
        lifespan="off",
        loop="asyncio",
        http="h11",
        ws="none",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="fake-openai", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("fake OpenAI server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield fake, f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
