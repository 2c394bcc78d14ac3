"""A small soak (`benchmarks/soak.py`): after warm-up, churn leaves memory and descriptors flat."""

from __future__ import annotations

import pytest

from benchmarks.soak import BEHAVIOURS, FDS_SPREAD_BOUND, soak
from tests.support.server import free_port

pytestmark = pytest.mark.slow


async def test_churn_leaves_memory_and_descriptors_flat() -> None:
    # The default idle timeout: a session whose socket dropped before its first message must end at once.
    result = await soak(
        free_port(),
        sessions=32,
        concurrency=4,
        warmup=8,
        interval_s=0.5,
        idle_timeout_s=120,
        checkpoint_every=8,
    )
    growth, verdict = result.growth(), result.verdict()
    print(f"\nsoak: {result.sessions} sessions in {result.seconds} s {result.behaviours}")
    print(f"growth after warm-up {growth}; verdict {verdict}")
    assert set(result.behaviours) == set(BEHAVIOURS) and len(result.samples) > 3
    assert [c.sessions_done for c in result.checkpoints] == [8, 16, 24, 32]
    assert growth["processes"] == 0 and len(verdict["processes"]) == 1
    assert growth["runtime_fds"] <= 2 and growth["workers_fds"] <= 2, growth
    assert verdict["fds_spread"] <= FDS_SPREAD_BOUND, verdict
    # Too few sessions for the RSS slope (the full soak judges it); a leak of a session's size shows here.
    assert growth["runtime_rss_mb"] < 8 and growth["workers_rss_mb"] < 8, growth
    heap = result.heap()
    assert heap["at_end"]["rss_after_trim_mb"] > 0 and abs(heap["malloc_in_use_growth_mb"]) < 8, heap
