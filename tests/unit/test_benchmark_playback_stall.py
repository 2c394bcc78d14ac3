"""`benchmarks.streaming.playback_stalls`: how long a player would wait for each segment's first byte."""

from __future__ import annotations

import sys

import pytest

from benchmarks import streaming


def rows(first_bytes: list[float], frames: list[int]) -> list[dict[str, float]]:
    return [{"first_byte_unix_s": t, "frames": f} for t, f in zip(first_bytes, frames, strict=True)]


def test_a_segment_in_time_does_not_stall_and_a_late_one_delays_the_rest() -> None:
    # 49 frames (2.04 s) then 112 (4.67 s) a segment at 24 fps; segment 1 comes 1.9 s after segment 0: in time
    assert streaming.playback_stalls(rows([100.0, 101.9, 106.0], [49, 112, 112]), 24) == [0.0, 0.0, 0.0]
    # segment 1 comes 2.5 s after: the player waits 0.46 s, and everything after starts that much later
    stalls = streaming.playback_stalls(rows([100.0, 102.5, 107.0], [49, 112, 112]), 24)
    assert stalls == pytest.approx([0.0, 2.5 - 49 / 24, 0.0])
    late = streaming.playback_stalls(rows([100.0, 102.5, 107.5], [49, 112, 112]), 24)
    assert late[2] == pytest.approx(107.5 - (102.5 + 112 / 24))  # timed from where segment 1 really started
    assert streaming.playback_stalls([], 24) == []


def test_the_first_segment_flag_is_parsed_and_off_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["benchmark", "--first-segment-frames", "49"])
    assert streaming.parse_args().first_segment_frames == 49
    monkeypatch.setattr(sys, "argv", ["benchmark"])
    assert streaming.parse_args().first_segment_frames is None  # off unless asked
