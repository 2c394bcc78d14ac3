"""A small load benchmark (`benchmarks/load.py`): two replicas, two agents, a few sessions each. Every chunk
reaches its client once and in order, and the result JSON is written. Timing is not asserted (the full run,
≥ 100 sessions per replica, is a benchmark, not a test)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.load import LoadConfig, run_load
from benchmarks.load_agent import read_stamp, stamped
from benchmarks.load_client import _Order

pytestmark = pytest.mark.slow


def test_a_small_load_run_relays_every_chunk_once_in_order_and_writes_its_json(tmp_path: Path) -> None:
    cfg = LoadConfig(
        sessions_per_replica=3,
        replicas=2,
        agents=2,
        duration_s=6,
        warmup_s=0,
        ramp_s=1,
        width=256,
        height=160,
        num_frames=25,
        progress_interval_s=2,
        # Order and completeness are checked here, not failover (test_cluster_*): generous liveness limits
        # keep a busy CI machine from turning a slow heartbeat into a lost worker.
        agent_ttl_s=20,
        ticket_ttl_s=20,
        redis_timeout_s=10,
    )
    path, numbers, run = run_load(cfg, results_dir=tmp_path)

    assert path.parent == tmp_path and path.name.startswith("load-")
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written["name"] == "load" and written["settings"]["sessions"] == 6
    assert written["numbers"] == json.loads(json.dumps(numbers))
    assert numbers["errors"] == {
        "count": 0,
        "first": [],
        "duplicates": 0,
        "out_of_order": 0,
        "unstamped": 0,
        "segments_restarted": 0,
    }
    assert {st.replica for st in run.stats} == {0, 1}
    for st in run.stats:
        assert st.is_clean, st
        assert st.segments_complete >= 2, st  # chunks crossed at least one segment boundary in order
    assert numbers["relay_latency_ms"]["count"] > 0
    assert set(numbers["cpu_percent_of_one_core"]) == {
        "redis",
        "agent0",
        "agent1",
        "replica0",
        "replica1",
        "clients",
    }


def test_a_stamp_survives_the_trip_and_order_catches_repeats_and_skips() -> None:
    frame = stamped(b"\x00\x00\x00\x08mdat", segment_idx=3, chunk_idx=7)
    stamp = read_stamp(frame)
    assert stamp is not None and (stamp.segment_idx, stamp.chunk_idx) == (3, 7)
    assert read_stamp(b"\x00\x00\x00\x08mdat") is None

    order = _Order()
    assert order.media_init(0)
    assert [order.chunk(0, 0), order.chunk(0, 1), order.chunk(0, 1), order.chunk(0, 3)] == [
        None,
        None,
        "duplicate",
        "out_of_order",
    ]
    assert not order.media_init(2)  # segment 1 skipped

    order.restart(2)  # `segment_restarted`: segment 2 comes again from its first chunk
    assert order.media_init(2)
    assert [order.chunk(2, 0), order.chunk(2, 1)] == [None, None]
