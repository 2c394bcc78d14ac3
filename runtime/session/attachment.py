"""The socket currently attached to a session: a bounded outbox drained by one writer task."""

from __future__ import annotations

import asyncio
import logging

from starlette.websockets import WebSocket, WebSocketDisconnect

logger = logging.getLogger(__name__)

Outgoing = str | bytes


class SlowClient(Exception):
    """The client did not take a message within the send timeout."""


class Attachment:
    def __init__(self, websocket: WebSocket, *, outbox_size: int, send_timeout_s: float) -> None:
        self.websocket = websocket
        self._outbox: asyncio.Queue[Outgoing | None] = asyncio.Queue(maxsize=outbox_size)
        self._send_timeout_s = send_timeout_s
        self.gone = asyncio.Event()

    async def put(self, item: Outgoing) -> None:
        """Queue a message; waits while the outbox is full (back-pressure), up to the send timeout."""
        if self.gone.is_set():
            return
        try:
            async with asyncio.timeout(self._send_timeout_s):
                await self._outbox.put(item)
        except TimeoutError:
            logger.warning(
                "client too slow: outbox full for %.0f s; dropping the socket", self._send_timeout_s
            )
            self.gone.set()

    def put_nowait(self, item: Outgoing) -> None:
        """For small control events from sync callbacks; a full outbox means the client is gone."""
        if self.gone.is_set():
            return
        try:
            self._outbox.put_nowait(item)
        except asyncio.QueueFull:
            self.gone.set()

    def finish(self) -> None:
        """Let the writer send what is queued, then stop."""
        try:
            self._outbox.put_nowait(None)
        except asyncio.QueueFull:
            self.gone.set()

    async def write_loop(self) -> None:
        """The only writer of this socket."""
        try:
            while (item := await self._outbox.get()) is not None:
                async with asyncio.timeout(self._send_timeout_s):
                    if isinstance(item, bytes):
                        await self.websocket.send_bytes(item)
                    else:
                        await self.websocket.send_text(item)
        except (WebSocketDisconnect, RuntimeError, OSError, TimeoutError) as exc:
            logger.info("socket writer stopped: %s", type(exc).__name__)
        finally:
            self.gone.set()
