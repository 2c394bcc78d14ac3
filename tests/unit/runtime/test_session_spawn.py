"""`Session.spawn`: a task cancelled before its first step still closes the coroutine it was given.

The session ends right after spawning now and then (the fuzz test's sockets close mid-message): the task
is cancelled before `_guard` ever awaits the coroutine, and Python then warned "coroutine
'Session._run_rollout' was never awaited", which pytest turns into a failure (seen once in three fuzz runs).
"""

from __future__ import annotations

import asyncio
import inspect
from types import SimpleNamespace
from typing import Any

from dreamverse.runtime.session.session import Session


async def test_a_task_cancelled_before_it_starts_closes_its_coroutine() -> None:
    started = False

    async def work() -> None:
        nonlocal started
        started = True

    coro = work()
    host: Any = SimpleNamespace(_tasks=set(), id="s1")
    host._guard = lambda c: Session._guard(host, c)
    async with asyncio.TaskGroup() as tg:
        host._tg = tg
        Session.spawn(host, coro, "work").cancel()
    assert not started
    assert inspect.getcoroutinestate(coro) == inspect.CORO_CLOSED
    assert host._tasks == set()
