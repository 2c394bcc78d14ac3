"""Export a session: standalone fMP4 segments → one progressive MP4, joined by stream copy (no re-encode).

`SegmentSpool` takes the segments back to back as they arrive (an HTTP upload, as the browser received
them, in any cut): it walks the top-level box headers as they pass and writes each segment (split at every
`ftyp`) straight into its own file, so memory stays at one chunk plus one box header however large or
finely boxed the upload is; `join_spooled` then joins those files. `concat_segments` does both for bytes in
memory; `concat_files` joins segment files the server already has (a branch of the session store). All use
ffmpeg's concat demuxer with `-c copy` and `+faststart`. Blocking; the runtime calls them through
`asyncio.to_thread`.
"""

from __future__ import annotations

import logging
import os
import struct
import subprocess
import tempfile
import time
from collections.abc import Sequence
from typing import BinaryIO

import ffmpeg

from dreamverse.streaming.errors import ExportFailed, ExportTooLarge
from dreamverse.streaming.settings import EncoderSettings, resolve_ffmpeg

logger = logging.getLogger(__name__)

DEFAULT_MAX_INPUT_BYTES = 1 << 30
DEFAULT_MAX_SEGMENTS = 2000
_STDERR_TAIL_CHARS = 2000
_HEADER = struct.Struct(">I4s")  # 32-bit size + type
_LARGE = struct.Struct(">Q")  # the 64-bit size that follows when the 32-bit one is 1
_LARGE_HEADER_BYTES = 16


class SegmentSpool:
    """Writes back-to-back fMP4 segments into one file per segment as bytes are fed, in any cut.

    Only box headers are parsed (to find each `ftyp` and check that every segment has `moov` and `mdat`);
    payloads are written through in spans, never copied per box.
    """

    def __init__(self, workdir: str, max_input_bytes: int, max_segments: int = DEFAULT_MAX_SEGMENTS) -> None:
        self.workdir = workdir
        self.paths: list[str] = []
        self.bytes_fed = 0
        self._max_input_bytes = max_input_bytes
        self._max_segments = max_segments
        self._pending = b""  # the start of a box header cut by the end of the last feed (< 16 bytes)
        self._skip = 0  # payload bytes of the last box still to come in later feeds
        self._file: BinaryIO | None = None
        self._types: set[bytes] = set()  # top-level box types of the current segment

    def feed(self, data: bytes) -> None:
        self.bytes_fed += len(data)
        if self.bytes_fed > self._max_input_bytes:
            raise ExportTooLarge(f"input too large: over {self._max_input_bytes} bytes")
        if self._skip >= len(data):
            self._skip -= len(data)
            self._write(data)
            return
        buf = self._pending + data  # a held header start belongs before the new bytes
        pos, written = self._skip, 0  # next header; bytes of `buf` already in the current file
        self._pending, self._skip = b"", 0
        while pos < len(buf):
            header = _box_header(buf, pos)
            if header is None:  # cut inside a header: keep it for the next feed
                self._pending = buf[pos:]
                break
            size, box_type = header
            if box_type == b"ftyp":
                self._write(memoryview(buf)[written:pos])
                written = pos
                self._open_segment()
            elif self._file is None:
                name = box_type.decode("latin-1")
                raise ExportFailed(
                    f"input is not a sequence of MP4 boxes: it must start with an ftyp box, found {name!r}"
                )
            self._types.add(box_type)
            pos += size
        self._write(memoryview(buf)[written : min(pos, len(buf))])
        self._skip = max(0, pos - len(buf))

    def finish(self) -> list[str]:
        """The segment files, in order; raises `ExportFailed` for a truncated or incomplete upload."""
        if self.bytes_fed == 0:
            raise ExportFailed("nothing to export: no bytes")
        if self._pending or self._skip:
            raise ExportFailed("input is not a sequence of MP4 boxes: the last box is truncated")
        self._close_segment()
        return self.paths

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def _open_segment(self) -> None:
        self._close_segment()
        if len(self.paths) >= self._max_segments:
            raise ExportFailed(f"too many segments: more than {self._max_segments}")
        path = os.path.join(self.workdir, f"segment{len(self.paths):05d}.mp4")
        self._file = open(path, "wb")  # noqa: SIM115 - closed by `_close_segment` / `close`
        self.paths.append(path)

    def _close_segment(self) -> None:
        if self._file is None:
            return
        self.close()
        if b"moov" not in self._types or b"mdat" not in self._types:
            raise ExportFailed(f"segment {len(self.paths) - 1} has no moov or no media (mdat)")
        self._types = set()

    def _write(self, data: bytes | memoryview) -> None:
        if data:
            assert self._file is not None
            self._file.write(data)


def _box_header(buf: bytes, pos: int) -> tuple[int, bytes] | None:
    """(size, type) of the box at `pos`; None if its header is cut off; `ExportFailed` if it is garbage."""
    if len(buf) - pos < _HEADER.size:
        return None
    size, box_type = _HEADER.unpack_from(buf, pos)
    header_size = _HEADER.size
    if size == 1:
        if len(buf) - pos < _LARGE_HEADER_BYTES:
            return None
        (size,) = _LARGE.unpack_from(buf, pos + _HEADER.size)
        header_size = _LARGE_HEADER_BYTES
    if size < header_size:  # includes size 0 ("to the end of the file"), which an upload cannot use
        name = box_type.decode("latin-1")
        raise ExportFailed(f"input is not a sequence of MP4 boxes: box {name!r} has impossible size {size}")
    return size, box_type


def join_spooled(
    paths: Sequence[str], settings: EncoderSettings, out_path: str, max_output_bytes: int
) -> int:
    """Join spooled segment files into `out_path` (progressive MP4, moov first); return its size."""
    started = time.monotonic()
    list_path = _write_list(os.path.dirname(out_path), paths)
    _run_concat(resolve_ffmpeg(settings.ffmpeg_path), list_path, out_path, settings.export_timeout_s)
    size = os.path.getsize(out_path)
    if size > max_output_bytes:
        raise ExportFailed(f"exported MP4 too large: {size} bytes > {max_output_bytes}")
    logger.info("exported %d segments into %d bytes in %.2f s", len(paths), size, time.monotonic() - started)
    return size


def concat_segments(
    data: bytes,
    settings: EncoderSettings,
    max_input_bytes: int = DEFAULT_MAX_INPUT_BYTES,
    max_output_bytes: int | None = None,
    max_segments: int = DEFAULT_MAX_SEGMENTS,
) -> bytes:
    """One progressive MP4 (moov first) holding every segment of `data`, stream-copied in order."""
    output_limit = max_output_bytes if max_output_bytes is not None else 2 * max_input_bytes
    with tempfile.TemporaryDirectory(prefix="dreamverse-export-") as workdir:
        spool = SegmentSpool(workdir, max_input_bytes, max_segments)
        try:
            spool.feed(data)
            paths = spool.finish()
        finally:
            spool.close()
        out_path = os.path.join(workdir, "export.mp4")
        join_spooled(paths, settings, out_path, output_limit)
        with open(out_path, "rb") as handle:
            return handle.read()


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
    stream = (
        ffmpeg.input(list_path, format="concat", safe=0)
        .output(out_path, c="copy", movflags="+faststart", format="mp4")
        .overwrite_output()
    )  # `concat_files` may be given a placeholder file (mkstemp)
    args = ffmpeg.compile(stream, cmd=ffmpeg_path)
    args = [args[0], "-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", *args[1:]]
    try:
        result = subprocess.run(args, capture_output=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ExportFailed(f"ffmpeg concat took longer than {timeout_s} s") from exc
    if result.returncode != 0 or not os.path.exists(out_path):
        tail = result.stderr.decode("utf-8", "replace")[-_STDERR_TAIL_CHARS:]
        raise ExportFailed(f"ffmpeg concat failed (exit code {result.returncode}): {tail}")
