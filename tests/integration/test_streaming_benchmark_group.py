"""`benchmarks/streaming.py --gpus 0,1 --sp-size 2`: the end-to-end benchmark drives one session through a
real server whose one worker slot is a two-rank group, and its JSON says so.

The synthetic generator on the CPU: the same group code as a GPU group (two processes, rank 0 on IPC),
seconds to start where two tiny LTX-2 ranks take minutes; `test_worker_groups.py` streams the tiny model
through a group.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_the_streaming_benchmark_runs_a_session_on_a_gpu_group(tmp_path: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "benchmarks.streaming",
        *("--model", "synthetic", "--gpus", "0,1", "--sp-size", "2", "--segments", "2"),
        *("--width", "128", "--height", "64", "--frames", "17", "--results-dir", str(tmp_path)),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    (path,) = tmp_path.glob("streaming-*.json")
    result = json.loads(path.read_text())
    assert (result["settings"]["gpus"], result["settings"]["sp_size"]) == ("0,1", 2)
    (slot,) = result["numbers"]["workers"]
    assert (slot["gpus"], slot["sp_size"], len(slot["rank_pids"])) == ([0, 1], 2, 2)
    assert slot["segments_served"] == 2
    segments = result["numbers"]["segments"]
    first = segments[0]["segment_idx"]  # the wire's numbering
    assert [row["segment_idx"] for row in segments] == [first, first + 1]
    assert all(row["bytes"] > 0 for row in segments)
    assert result["numbers"]["real_time_factor"] > 0
