"""`dreamverse-direct` (the installed console script) against a real `dreamverse-mock-server` process."""

from __future__ import annotations

import json
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest

from tests.support.media import streams_by_type
from tests.support.mock_server import MockServer, console_script

PROMPTS = ["a fox in the snow", "it starts to snow harder", "the fox curls up to sleep"]


@pytest.mark.parametrize("join", ["server", "local"])
def test_a_scripted_timeline_gives_one_mp4_as_long_as_its_segments(
    join: str, mock_server: MockServer, tmp_path: Path
) -> None:
    out, parts = tmp_path / "fox.mp4", tmp_path / "parts"
    args = [console_script("dreamverse-direct"), "--url", mock_server.ws, PROMPTS[0]]
    args += ["--then", "0.5s", PROMPTS[1], "--then", "1s", PROMPTS[2]]
    args += ["--out", str(out), "--segments-dir", str(parts)]
    args += ["--local-join"] if join == "local" else []
    result = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert f"joined by the {join}" in result.stderr
    log = json.loads((tmp_path / "fox.events.json").read_text())
    segments = [entry for entry in log if entry["type"] == "segment"]
    assert [seg["prompt"] for seg in segments] == PROMPTS  # each cue drove the segment after it
    received = [streams_by_type(part) for part in sorted(parts.glob("segment-*.mp4"))]
    assert len(received) == len(segments)
    joined = streams_by_type(out)
    frames = sum(seg["frames"] for seg in segments)
    assert frames == sum(int(seg["video"]["nb_read_frames"]) for seg in received)
    assert int(joined["video"]["nb_read_frames"]) == frames
    received_s = sum(float(seg["format"]["duration"]) for seg in received)
    frame_s = 1 / float(Fraction(joined["video"]["r_frame_rate"]))
    assert abs(float(joined["format"]["duration"]) - received_s) < frame_s  # a missing segment is 16 frames


def test_exit_code_names_the_error_class(mock_server: MockServer, tmp_path: Path) -> None:
    args = [console_script("dreamverse-direct"), "--url", mock_server.ws, "--out", str(tmp_path / "x.mp4")]
    blocked = subprocess.run(
        [*args, "explicit hardcore porn with naked bodies"], capture_output=True, text=True, timeout=60
    )
    unreachable = subprocess.run(
        [*args[:2], "ws://127.0.0.1:9/ws", "--retries=0", *args[3:], "a fox"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert blocked.returncode == 5, blocked.stderr
    assert "SafetyRejected" in blocked.stderr
    assert unreachable.returncode == 3, unreachable.stderr
    bad_time = subprocess.run([*args, "a fox", "--then", "soon", "x"], capture_output=True, text=True)
    assert bad_time.returncode == 2 and "not a time" in bad_time.stderr
