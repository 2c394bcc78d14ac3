"""Encoder settings (one frozen value per worker) and locating the ffmpeg binary."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from typing import Literal

from dreamverse.streaming.errors import FFmpegNotFound

H264Profile = Literal["baseline", "main", "high"]


@dataclass(frozen=True, slots=True)
class EncoderSettings:
    """How segments are encoded: libx264 + AAC into fragmented MP4.

    The runtime builds this once from its config (`ffmpeg_path` from `$DREAMVERSE_FFMPEG`, else "ffmpeg"
    looked up on PATH) and hands it to every encoder.
    """

    ffmpeg_path: str = "ffmpeg"
    preset: str = "ultrafast"  # x264 preset
    tune: str | None = "zerolatency"  # x264 tune; zerolatency = no lookahead, no B-frames, no frame delay
    profile: H264Profile = "baseline"
    gop_frames: int = 12  # keyframe interval (every fragment boundary can start at a keyframe)
    fragment_duration_ms: int = 250  # max duration of one moof+mdat fragment
    crf: int | None = 23  # constant quality; ignored when video_bitrate is set
    video_bitrate: str | None = None  # e.g. "6M"; overrides crf
    audio_bitrate: str = "128k"
    max_chunk_bytes: int = 1 << 20  # upper bound of one on_chunk delivery (a larger single box goes alone)
    threads: int = 0  # x264 threads; 0 = ffmpeg's choice
    write_timeout_s: float = 30.0  # write_video fails if ffmpeg takes no video for this long
    finish_timeout_s: float = 60.0  # how long finish() waits for ffmpeg to drain before killing it
    export_timeout_s: float = 120.0  # how long one concat/export run may take

    def __post_init__(self) -> None:
        _require(bool(self.ffmpeg_path), "ffmpeg_path must not be empty")
        _require(self.gop_frames >= 1, "gop_frames must be >= 1")
        _require(self.fragment_duration_ms >= 1, "fragment_duration_ms must be >= 1")
        _require(self.crf is None or 0 <= self.crf <= 51, "crf must be within 0..51")
        _require(self.crf is not None or self.video_bitrate is not None, "set crf or video_bitrate")
        _require(self.max_chunk_bytes >= 1024, "max_chunk_bytes must be >= 1024")
        _require(self.threads >= 0, "threads must be >= 0")
        timeouts = (self.write_timeout_s, self.finish_timeout_s, self.export_timeout_s)
        _require(min(timeouts) > 0, "timeouts must be positive")


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def resolve_ffmpeg(path: str) -> str:
    """Absolute path of the ffmpeg binary named `path` (a path, or a name looked up on PATH).

    Raises `FFmpegNotFound` if it does not exist or is not executable.
    """
    if os.sep in path:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return os.path.abspath(path)
        raise FFmpegNotFound(path)
    found = shutil.which(path)
    if found is None:
        raise FFmpegNotFound(path)
    return found
