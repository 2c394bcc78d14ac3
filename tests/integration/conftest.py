"""One `dreamverse-mock-server` process shared by the client tests (starting one takes seconds)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.mock_server import MockServer, run_mock_server


@pytest.fixture(scope="session")
def mock_server() -> Iterator[MockServer]:
    # A 1 s delay spread over each segment's frames: fragments stream over time, so a test can cut a
    # socket inside a segment. Tests leave their sessions, and a dropped one frees the slot within 5 s.
    with run_mock_server("--segment-cap=4", "--latency=1000", "--resume-grace-s=5") as server:
        yield server
