"""The socket currently attached to a session: a bounded outbox drained by one writer task.

`written()` tells when everything queued so far has been handed to the socket: what a snapshot for another
replica may count as delivered (after a `kill -9` the kernel still sends what it was handed).
"""

from __future__ import annotations

import asyncio
import logging

from starlette.websockets import WebSocket, WebSocketDisconnect

logger = logging.getLogger(__name__)

Outgoing = str | bytes
_Marker = asyncio.Future[None]  # resolved by the writer when it gets there


class SlowClient(Exception):
    """The client did not take a message within the send timeout."""


class Attachment:
    def __init__(self, websocket: WebSocket, *, outbox_size: int, send_timeout_s: float) -> None:
        self.websocket = websocket
        self._outbox: asyncio.Queue[Outgoing | _Marker | None] = asyncio.Queue(maxsize=outbox_size)
        self._send_timeout_s = send_timeout_s
        self.gone = asyncio.Event()

    async def put(self, item: Outgoing | _Marker) -> None:
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

    async def written(self) -> bool:
        """Wait until everything queued before this call was written; False if the socket went first."""
        marker: _Marker = asyncio.get_running_loop().create_future()
        await self.put(marker)
        gone: asyncio.Future[object] = asyncio.ensure_future(self.gone.wait())
        waiting: set[asyncio.Future[object]] = {marker, gone}  # type: ignore[arg-type]
        try:
            await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        finally:
            gone.cancel()
        return marker.done() and not marker.cancelled()

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
                if isinstance(item, asyncio.Future):
                    item.set_result(None)
                    continue
                async with asyncio.timeout(self._send_timeout_s):
                    if isinstance(item, bytes):
                        await self.websocket.send_bytes(item)
                    else:
                        await self.websocket.send_text(item)
        except (WebSocketDisconnect, RuntimeError, OSError, TimeoutError) as exc:
            logger.info("socket writer stopped: %s", type(exc).__name__)
        finally:
            self.gone.set()
