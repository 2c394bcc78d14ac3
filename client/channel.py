"""`Channel`: the socket side of a client session — the pump, the item queue, answers, resume and retries.

One pump task reads the socket and turns frames into typed events (the protocol's own models) and finished
`Segment`s, in arrival order, on one queue. Calls that expect an answer register a waiter that is resolved
by a matching event (or failed by a matching `error`) without consuming the queue.

When the socket drops (no close frame), the pump reconnects with backoff and sends `session_resume` with the
session's latest token; the server replays, whole, every segment no socket saw whole. The half-received
segment is dropped first and a segment is never emitted twice, so segments arrive with no gap and no
duplicate. A retryable error that closes
the socket before a slot was assigned (`queue_full`, `queue_timeout`) makes the pump open a new socket and
send the same start message again after a backoff delay.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, Callable, Iterator
from dataclasses import dataclass, field

from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from dreamverse.client.errors import ConnectionFailed, SessionClosed, error_code, error_from_event
from dreamverse.client.events import parse_event
from dreamverse.client.retry import ClientTimeouts, RetryPolicy
from dreamverse.client.segments import Segment, SegmentAssembler
from dreamverse.runtime.protocol import client as c
from dreamverse.runtime.protocol import server as s

logger = logging.getLogger(__name__)

Item = s.ServerEvent | Segment

_CONNECT_ERRORS = (OSError, TimeoutError, InvalidHandshake, ConnectionClosed)


@dataclass(frozen=True, slots=True)
class _Closed:
    """The end of the item queue; `error` is raised to whoever reads it."""

    error: BaseException | None


@dataclass(slots=True)
class Waiter:
    done: Callable[[s.ServerEvent], bool]
    fails: Callable[[s.Error], bool]
    future: asyncio.Future[s.ServerEvent] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class Channel:
    def __init__(self, url: str, token: str | None, retry: RetryPolicy, timeouts: ClientTimeouts) -> None:
        self.url = url
        self.retry = retry
        self.timeouts = timeouts
        self._headers = {"Authorization": f"Bearer {token}"} if token else None
        self.ready: s.SessionReady | None = None  # the latest `session_ready` of this session
        self.resumes = 0  # sockets taken back after a drop
        self.start_message: c.SessionInitV2 | None = None  # sent again when a start is retried
        self._start_delays: Iterator[float] = iter(())
        self._conn: ClientConnection | None = None
        self._items: asyncio.Queue[Item | _Closed] = asyncio.Queue()
        self._assembler = SegmentAssembler()
        self._waiters: list[Waiter] = []
        self._pump_task: asyncio.Task[None] | None = None
        self._has_slot = False
        self._closing = False
        self._last_error: s.Error | None = None
        self._end: _Closed | None = None

    # --- life ---------------------------------------------------------------------------------------

    async def open(self) -> None:
        """Open the socket, take the server's `session_ready`, start the pump."""
        self.ready = await self._connect()
        self._items.put_nowait(self.ready)
        self._pump_task = asyncio.create_task(self._pump(), name="dreamverse-client-pump")

    async def close(self) -> None:
        self._closing = True
        if self._conn is not None:
            await self._conn.close()
        if self._pump_task is not None:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.timeouts.connect_s):
                    await asyncio.shield(self._pump_task)
            self._pump_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pump_task
        self._finish(None)

    def expect_close(self) -> None:
        """The next close is ours (a `leave`): not a drop to resume."""
        self._closing = True

    def begin_start(self, message: c.SessionInitV2) -> None:
        self.start_message = message
        self._start_delays = self.retry.delays()

    # --- sending and answers -------------------------------------------------------------------

    async def send(self, message: c.ClientMessage) -> None:
        if self._conn is None:
            raise ConnectionFailed("not connected")
        async with asyncio.timeout(self.timeouts.connect_s):  # a send waits only while the socket is full
            await self._conn.send(message.model_dump_json(exclude_none=True))

    def expect(self, done: Callable[[s.ServerEvent], bool], fails: Callable[[s.Error], bool]) -> Waiter:
        """Register before sending: the answer may arrive before `send` returns."""
        if self._end is not None:
            raise self._end.error or SessionClosed("the session has ended", None)
        waiter = Waiter(done, fails)
        self._waiters.append(waiter)
        return waiter

    async def answer(self, waiter: Waiter, timeout_s: float) -> s.ServerEvent:
        try:
            async with asyncio.timeout(timeout_s):
                return await waiter.future
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)

    async def items(self) -> AsyncGenerator[Item, None]:
        while True:
            item = await self._items.get()
            if isinstance(item, _Closed):
                self._items.put_nowait(item)  # any later reader ends too
                if item.error is not None:
                    raise item.error
                return
            yield item

    # --- the pump --------------------------------------------------------------------------------

    async def _pump(self) -> None:
        try:
            while True:
                closed = await self._read_until_closed()
                if not await self._recover(closed):
                    break
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # every failure ends the stream with it; nothing is swallowed
            self._finish(exc)
        else:
            self._finish(None)

    async def _read_until_closed(self) -> ConnectionClosed:
        assert self._conn is not None
        while True:
            try:
                frame = await self._conn.recv()
            except ConnectionClosed as closed:
                return closed
            if isinstance(frame, bytes):
                self._assembler.on_bytes(frame)
            elif (event := parse_event(frame)) is not None:
                self._on_event(event)

    def _on_event(self, event: s.ServerEvent) -> None:
        if isinstance(event, s.SessionReady):
            self.ready = event  # a resume rotates the token: always keep the latest
        elif isinstance(event, s.GpuAssigned):
            self._has_slot = True
        self._last_error = event if isinstance(event, s.Error) else None
        if isinstance(event, s.Error) and error_code(event) == "worker_lost":
            self._has_slot = False  # the session is back to awaiting a start
        self._items.put_nowait(event)
        if (segment := self._assembler.on_event(event)) is not None:
            self._items.put_nowait(segment)
        self._resolve(event)
        if isinstance(event, s.Error) and error_code(event) == "resume_failed":
            raise error_from_event(event)

    def _resolve(self, event: s.ServerEvent) -> None:
        for waiter in list(self._waiters):
            if waiter.future.done():
                self._waiters.remove(waiter)
            elif isinstance(event, s.Error) and waiter.fails(event):
                waiter.future.set_exception(error_from_event(event))
            elif waiter.done(event):
                waiter.future.set_result(event)

    async def _recover(self, closed: ConnectionClosed) -> bool:
        """After the socket closed: True once a new socket is in place, False when the session is over."""
        if self._closing:
            return False
        error, self._last_error = self._last_error, None
        if error is not None:
            if error.retryable and not self._has_slot and self.start_message is not None:
                return await self._restart(error_from_event(error))
            raise error_from_event(error)
        if closed.rcvd is None:  # no close frame: the connection dropped
            if self._has_slot:
                return await self._resume()
            if self.start_message is not None:  # dropped while queued: the server forgot the session
                return await self._restart(ConnectionFailed("the socket dropped while queued"))
        code = closed.rcvd.code if closed.rcvd is not None else None
        if code == 1000:
            return False
        raise SessionClosed(f"the server closed the socket ({closed})", code)

    async def _restart(self, cause: BaseException) -> bool:
        """Send the start message again on a new socket, after the next backoff delay."""
        delay = next(self._start_delays, None)
        if delay is None:
            raise cause
        logger.info("retrying the start in %.1f s after: %s", delay, cause)
        await asyncio.sleep(delay)
        try:
            ready = await self._connect()
        except ConnectionFailed as exc:
            return await self._restart(exc)
        self.ready = ready
        self._items.put_nowait(ready)
        assert self.start_message is not None
        await self.send(self.start_message)
        return True

    async def _resume(self) -> bool:
        assert self.ready is not None
        self._assembler.drop_partial()
        self._has_slot = False  # until the server has the session back
        last: BaseException | None = None
        for delay in [0.0, *self.retry.delays()]:
            await asyncio.sleep(delay)
            try:
                await self._connect()  # its fresh `session_ready` offers a session we do not want
                await self.send(
                    c.SessionResume(
                        type="session_resume",
                        session_id=self.ready.session_id,
                        resume_token=self.ready.resume_token,
                    )
                )
            except (ConnectionFailed, ConnectionClosed) as exc:
                last = exc
                logger.info("resume attempt failed: %s", exc)
                continue
            self.resumes += 1
            self._has_slot = True
            return True
        raise ConnectionFailed(f"could not resume session {self.ready.session_id}: {last}") from last

    async def _connect(self) -> s.SessionReady:
        """A new socket; its first frame must be `session_ready`."""
        try:
            async with asyncio.timeout(self.timeouts.connect_s):
                conn = await ws_connect(self.url, max_size=None, additional_headers=self._headers)
                first = await conn.recv()
        except _CONNECT_ERRORS as exc:
            raise ConnectionFailed(f"could not connect to {self.url}: {exc}") from exc
        event = parse_event(first) if isinstance(first, str) else None
        if isinstance(event, s.Error):
            await conn.close()
            raise error_from_event(event)
        if not isinstance(event, s.SessionReady):
            await conn.close()
            raise ConnectionFailed(f"{self.url} is not a Dreamverse server: first frame was {first[:80]!r}")
        self._conn = conn
        return event

    def _finish(self, error: BaseException | None) -> None:
        if self._end is not None:
            return
        self._end = _Closed(error)
        self._items.put_nowait(self._end)
        for waiter in self._waiters:
            if not waiter.future.done():
                waiter.future.set_exception(error or SessionClosed("the session has ended", None))
        self._waiters.clear()
