"""Export a session: standalone fMP4 segments → one progressive MP4, joined by stream copy (no re-encode).

`concat_segments` takes the segments back to back (as the browser received them), splits them at each
top-level `ftyp` and writes them to a private temporary directory; `concat_files` joins segment files the
server already has (a branch of the session store). Both use ffmpeg's concat demuxer with `-c copy` and
`+faststart`. Blocking; the runtime calls them through `asyncio.to_thread`.
"""

from __future__ import annotations

import itertools
import logging
import os
import subprocess
import tempfile
import time
from collections.abc import Sequence

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
        paths = _write_inputs(workdir, segments)
        out_path = os.path.join(workdir, "export.mp4")
        _run_concat(ffmpeg_path, _write_list(workdir, paths), out_path, settings.export_timeout_s)
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


def concat_files(
    paths: Sequence[str | os.PathLike[str]],
    durations_s: Sequence[float],
    out_path: str,
    settings: EncoderSettings,
) -> None:
    """Join standalone fMP4 segment files, in order, into one progressive MP4 at `out_path`.

    `durations_s` are the segments' video durations. Each segment's AAC track runs up to one AAC frame
    longer than its video (encoder priming and the last frame's padding); left alone, the concat demuxer
    starts the next segment after the longer stream, so the video stalls at every join. Cutting each input
    at its video duration keeps the video timeline exact and the audio within one AAC frame of it.
    """
    if not paths:
        raise ExportFailed("nothing to export: no segments")
    if len(durations_s) != len(paths):
        raise ExportFailed(f"{len(paths)} segments but {len(durations_s)} durations")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="dreamverse-export-") as workdir:
        files = [os.path.abspath(p) for p in paths]
        list_path = _write_list(workdir, files, durations_s)
        _run_concat(resolve_ffmpeg(settings.ffmpeg_path), list_path, out_path, settings.export_timeout_s)
    logger.info("joined %d segment files in %.2f s", len(paths), time.monotonic() - started)


def _write_inputs(workdir: str, segments: list[bytes]) -> list[str]:
    paths = []
    for index, segment in enumerate(segments):
        path = os.path.join(workdir, f"segment{index:05d}.mp4")
        with open(path, "wb") as handle:
            handle.write(segment)
        paths.append(path)
    return paths


def _write_list(workdir: str, paths: Sequence[str], durations_s: Sequence[float] | None = None) -> str:
    """An ffconcat list of absolute paths (quoted the way the concat demuxer unquotes them), each cut at
    its duration when `durations_s` is given."""
    list_path = os.path.join(workdir, "segments.txt")
    with open(list_path, "w", encoding="utf-8") as handle:
        handle.write("ffconcat version 1.0\n")
        for index, path in enumerate(paths):
            escaped = path.replace("'", "'\\''")
            handle.write(f"file '{escaped}'\n")
            if durations_s is not None:
                handle.write(f"duration {durations_s[index]:.6f}\noutpoint {durations_s[index]:.6f}\n")
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
