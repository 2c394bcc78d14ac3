"""ffprobe for the tests: what a real decoder makes of the bytes we produce."""

from __future__ import annotations

import itertools
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

AAC_FRAME_S = 1024 / 24000  # one AAC frame at the encoder's 24 kHz


def ffprobe(path: Path) -> dict[str, Any]:
    """ffprobe's JSON for `path` (streams and format), with decoded frame counts."""
    args = [
        "ffprobe",
        "-v",
        "error",
        "-count_frames",
        "-show_streams",
        "-show_format",
        "-of",
        "json",
        str(path),
    ]
    result = subprocess.run(args, capture_output=True, check=True, timeout=60)
    probed: dict[str, Any] = json.loads(result.stdout)
    return probed


def streams_by_type(path: Path) -> dict[str, dict[str, Any]]:
    """`{"video": …, "audio": …, "format": …}` of one file."""
    info = ffprobe(path)
    streams = {s["codec_type"]: s for s in info["streams"]}
    streams["format"] = info["format"]
    return streams


def packet_times(path: Path, stream: str) -> list[tuple[float, float]]:
    """(pts_time, duration_time) of every packet of the first `stream` ("a" or "v"), in decode order."""
    args = [
        "ffprobe",
        "-v",
        "error",
        "-select_streams",
        f"{stream}:0",
        "-show_entries",
        "packet=pts_time,duration_time",
        "-of",
        "json",
        str(path),
    ]
    result = subprocess.run(args, capture_output=True, check=True, timeout=60)
    packets = json.loads(result.stdout)["packets"]
    return [(float(p["pts_time"]), float(p["duration_time"])) for p in packets]


def assert_joined(path: Path, frames: int, fps: int) -> None:
    """One MP4 of `frames` frames whose video lasts exactly that long and whose audio runs without gaps
    or overlaps beyond one AAC frame, to the end."""
    probed = streams_by_type(path)
    assert int(probed["video"]["nb_read_frames"]) == frames
    assert float(probed["video"]["duration"]) == pytest.approx(frames / fps, abs=1e-3)
    packets = packet_times(path, "a")
    assert all(abs(b[0] - a[0] - a[1]) <= AAC_FRAME_S + 1e-6 for a, b in itertools.pairwise(packets))
    assert packets[-1][0] + packets[-1][1] == pytest.approx(frames / fps, abs=AAC_FRAME_S)


def video_frame_hashes(path: Path) -> list[str]:
    """The MD5 of every decoded video frame, in order (`ffmpeg -f framemd5`): equal lists, equal pictures."""
    args = ["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:v:0", "-f", "framemd5", "-"]
    result = subprocess.run(args, capture_output=True, check=True, timeout=60, text=True)
    return [line.rsplit(",", 1)[1].strip() for line in result.stdout.splitlines() if not line.startswith("#")]
