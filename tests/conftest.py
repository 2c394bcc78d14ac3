"""Shared fixtures: a real `dreamverse` server (uvicorn on 127.0.0.1, real workers)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

# Every event loop the tests create (pytest-asyncio's and the servers') runs in asyncio debug mode:
# never-awaited coroutines and non-threadsafe calls fail loudly.
os.environ.setdefault("PYTHONASYNCIODEBUG", "1")
# One OpenMP thread for torch here and in every process the tests start (set before anything imports
# torch; children inherit it). The tiny model's ops are microseconds of work: with two threads on a
# shared two-core host (`make pytest` runs two workers) each op waits for a second core at its barrier,
# and a linear of 64 tokens took 8 ms instead of 0.015 ms.
os.environ.setdefault("OMP_NUM_THREADS", "1")

from tests.support.server import RunningServer, run_server


@pytest.fixture
def server() -> Iterator[RunningServer]:
    with run_server() as running:
        running.wait_ready()
        yield running
