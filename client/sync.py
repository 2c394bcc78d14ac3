"""`SyncSession`: the asyncio `Session` for code without an event loop (scripts, notebooks, simulators).

A private event loop runs in a daemon thread; every call is a coroutine run there and waited for.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Coroutine, Iterator
from types import TracebackType
from typing import Any, TypeVar

from dreamverse.client.retry import ClientTimeouts, RetryPolicy
from dreamverse.client.segments import Segment
from dreamverse.client.session import E, Item, Session
from dreamverse.runtime.protocol import server as s

T = TypeVar("T")


class SyncSession:
    def __init__(self, url: str, **options: Any) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="dreamverse-client", daemon=True)
        self._thread.start()
        try:
            self.session = self._call(Session(url, **options).open())
        except BaseException:
            self._stop_loop()
            raise

    def _call(self, coro: Coroutine[Any, Any, T], timeout_s: float | None = None) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout_s)

    def start(self, *args: Any, **kwargs: Any) -> s.GpuAssigned:
        """See `Session.start`."""
        return self._call(self.session.start(*args, **kwargs))

    def append(self, prompt: str, **kwargs: Any) -> s.PromptReady | s.PromptFallbackUsed:
        return self._call(self.session.append(prompt, **kwargs))

    def rewrite(self, instruction: str, **kwargs: Any) -> s.SeedPromptsUpdated:
        return self._call(self.session.rewrite(instruction, **kwargs))

    def pause(self) -> None:
        self._call(self.session.pause())

    def resume(self) -> None:
        self._call(self.session.resume())

    def fork(
        self,
        segment_idx: int,
        prompt: str | None = None,
        *,
        rewrite_instruction: str | None = None,
        branch_id: str | None = None,
    ) -> s.BranchesUpdated:
        fork = self.session.fork(
            segment_idx, prompt, rewrite_instruction=rewrite_instruction, branch_id=branch_id
        )
        return self._call(fork)

    def until(self, kind: type[E], timeout_s: float | None = None) -> E:
        return self._call(self.session.until(kind, timeout_s))

    def events(self) -> Iterator[Item]:
        """Every event and finished segment until the session ends (see `Session.events`)."""
        stream = self.session.events()
        while True:
            try:
                yield self._call(_next(stream))
            except StopAsyncIteration:
                return

    def segments(self) -> Iterator[Segment]:
        for item in self.events():
            if isinstance(item, Segment):
                yield item

    def leave(self) -> None:
        if self._loop.is_closed():
            return
        try:
            self._call(self.session.leave())
        finally:
            self._stop_loop()

    def close(self) -> None:
        """Idempotent: after `leave` or a first `close` it does nothing."""
        if self._loop.is_closed():
            return
        try:
            self._call(self.session.close())
        finally:
            self._stop_loop()

    def _stop_loop(self) -> None:
        if self._loop.is_closed():
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def __enter__(self) -> SyncSession:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


async def _next(stream: AsyncIterator[Item]) -> Item:
    return await anext(stream)


def connect_sync(
    url: str,
    *,
    token: str | None = None,
    retry: RetryPolicy | None = None,
    timeouts: ClientTimeouts | None = None,
) -> SyncSession:
    """`with connect_sync("ws://127.0.0.1:8009/ws") as session: ...`"""
    return SyncSession(url, token=token, retry=retry, timeouts=timeouts)
