"""Shared fixtures: a real `dreamverse` server (uvicorn on 127.0.0.1, real workers)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

# Every event loop the tests create (pytest-asyncio's and the servers') runs in asyncio debug mode:
# never-awaited coroutines and non-threadsafe calls fail loudly.
os.environ.setdefault("PYTHONASYNCIODEBUG", "1")

from tests.support.server import RunningServer, run_server


@pytest.fixture
def server() -> Iterator[RunningServer]:
    with run_server() as running:
        running.wait_ready()
        yield running
