"""dreamverse.streaming: frames + audio → FFmpeg → fragmented MP4 chunks; export of a session to one MP4."""

from dreamverse.streaming.codec import mime_from_init_segment
from dreamverse.streaming.encoder import EncodeStats, SegmentEncoder
from dreamverse.streaming.errors import (
    EncoderFailed,
    ExportFailed,
    FFmpegNotFound,
    MalformedMP4,
    StreamingError,
)
from dreamverse.streaming.export import concat_files, concat_segments
from dreamverse.streaming.settings import EncoderSettings

__all__ = [
    "EncodeStats",
    "EncoderFailed",
    "EncoderSettings",
    "ExportFailed",
    "FFmpegNotFound",
    "MalformedMP4",
    "SegmentEncoder",
    "StreamingError",
    "concat_files",
    "concat_segments",
    "mime_from_init_segment",
]
