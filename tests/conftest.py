"""Shared fixtures: a real `dreamverse` server (uvicorn on 127.0.0.1, real workers)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.server import RunningServer, run_server


@pytest.fixture
def server() -> Iterator[RunningServer]:
    with run_server() as running:
        running.wait_ready()
        yield running
