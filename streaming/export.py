"""Export a session: standalone fMP4 segments (as the browser received them) → one progressive MP4.

The segments are split at each top-level `ftyp`, written to a private temporary directory and joined by
ffmpeg's concat demuxer with stream copy (no re-encode) and `+faststart`. Blocking; the runtime calls it
through `asyncio.to_thread`.
"""

from __future__ import annotations

import itertools
import logging
import os
import subprocess
import tempfile
import time

import ffmpeg

from dreamverse.streaming.boxes import iter_boxes
from dreamverse.streaming.errors import ExportFailed, MalformedMP4
from dreamverse.streaming.settings import EncoderSettings, resolve_ffmpeg

logger = logging.getLogger(__name__)

DEFAULT_MAX_INPUT_BYTES = 1 << 30
DEFAULT_MAX_SEGMENTS = 2000
_STDERR_TAIL_CHARS = 2000


def split_segments(data: bytes, max_segments: int = DEFAULT_MAX_SEGMENTS) -> list[bytes]:
    """Split back-to-back standalone fMP4 segments at each top-level `ftyp`; each must hold a `moov`."""
    if not data:
        raise ExportFailed("nothing to export: no bytes")
    try:
        boxes = list(iter_boxes(data))
    except MalformedMP4 as exc:
        raise ExportFailed(f"input is not a sequence of MP4 boxes: {exc}") from exc
    if boxes[0].type != "ftyp":
        raise ExportFailed(f"input must start with an ftyp box, found {boxes[0].type!r}")
    starts = [box.start for box in boxes if box.type == "ftyp"]
    if len(starts) > max_segments:
        raise ExportFailed(f"too many segments: {len(starts)} > {max_segments}")
    bounds = [*starts, len(data)]
    segments = [data[begin:end] for begin, end in itertools.pairwise(bounds)]
    for index, segment in enumerate(segments):
        types = {box.type for box in iter_boxes(segment)}
        if "moov" not in types or "mdat" not in types:
            raise ExportFailed(f"segment {index} has no moov or no media (mdat)")
    return segments


def concat_segments(
    data: bytes,
    settings: EncoderSettings,
    max_input_bytes: int = DEFAULT_MAX_INPUT_BYTES,
    max_output_bytes: int | None = None,
    max_segments: int = DEFAULT_MAX_SEGMENTS,
) -> bytes:
    """One progressive MP4 (moov first) holding every segment of `data`, stream-copied in order."""
    if len(data) > max_input_bytes:
        raise ExportFailed(f"input too large: {len(data)} bytes > {max_input_bytes}")
    segments = split_segments(data, max_segments)
    output_limit = max_output_bytes if max_output_bytes is not None else 2 * max_input_bytes
    ffmpeg_path = resolve_ffmpeg(settings.ffmpeg_path)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="dreamverse-export-") as workdir:
        list_path = _write_inputs(workdir, segments)
        out_path = os.path.join(workdir, "export.mp4")
        _run_concat(ffmpeg_path, list_path, out_path, settings.export_timeout_s)
        size = os.path.getsize(out_path)
        if size > output_limit:
            raise ExportFailed(f"exported MP4 too large: {size} bytes > {output_limit}")
        with open(out_path, "rb") as handle:
            result = handle.read()
    logger.info(
        "exported %d segments (%d bytes) into %d bytes in %.2f s",
        len(segments),
        len(data),
        len(result),
        time.monotonic() - started,
    )
    return result


def _write_inputs(workdir: str, segments: list[bytes]) -> str:
    lines = []
    for index, segment in enumerate(segments):
        name = f"segment{index:05d}.mp4"
        with open(os.path.join(workdir, name), "wb") as handle:
            handle.write(segment)
        lines.append(f"file '{name}'\n")
    list_path = os.path.join(workdir, "segments.txt")
    with open(list_path, "w", encoding="ascii") as handle:
        handle.write("ffconcat version 1.0\n")
        handle.writelines(lines)
    return list_path


def _run_concat(ffmpeg_path: str, list_path: str, out_path: str, timeout_s: float) -> None:
    stream = ffmpeg.input(list_path, format="concat", safe=0).output(
        out_path, c="copy", movflags="+faststart", format="mp4"
    )
    args = ffmpeg.compile(stream, cmd=ffmpeg_path)
    args = [args[0], "-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", *args[1:]]
    try:
        result = subprocess.run(args, capture_output=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ExportFailed(f"ffmpeg concat took longer than {timeout_s} s") from exc
    if result.returncode != 0 or not os.path.exists(out_path):
        tail = result.stderr.decode("utf-8", "replace")[-_STDERR_TAIL_CHARS:]
        raise ExportFailed(f"ffmpeg concat failed (exit code {result.returncode}): {tail}")
