"""ffprobe for the tests: what a real decoder makes of the bytes we produce."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any


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
