"""A small soak (`benchmarks/soak.py`): after warm-up, churn leaves memory and descriptors flat."""

from __future__ import annotations

import pytest

from benchmarks.soak import BEHAVIOURS, soak
from tests.support.server import free_port

pytestmark = pytest.mark.slow


async def test_churn_leaves_memory_and_descriptors_flat() -> None:
    # The default idle timeout: a session whose socket dropped before its first message must end at once.
    result = await soak(free_port(), sessions=32, concurrency=4, warmup=8, interval_s=0.5, idle_timeout_s=120)
    growth = result.growth()
    print(f"\nsoak: {result.sessions} sessions in {result.seconds} s {result.behaviours}; growth {growth}")
    assert set(result.behaviours) == set(BEHAVIOURS) and len(result.samples) > 3
    assert growth["processes"] == 0
    assert growth["runtime_fds"] <= 2 and growth["workers_fds"] <= 2, growth
    assert growth["runtime_rss_mb"] < 8 and growth["workers_rss_mb"] < 8, growth
