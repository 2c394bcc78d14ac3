"""Errors raised by `dreamverse.streaming`.

StreamingError
├── FFmpegNotFound      the ffmpeg binary is missing or not executable
├── EncoderFailed       ffmpeg exited, crashed, timed out or its output could not be delivered
├── MalformedMP4        bytes that are not a valid sequence of MP4 boxes
└── ExportFailed        a session could not be concatenated into one MP4
    └── ExportTooLarge  the upload is over its byte limit
"""

from __future__ import annotations


class StreamingError(Exception):
    """Base class of every error raised by `dreamverse.streaming`."""


class FFmpegNotFound(StreamingError):
    """The ffmpeg binary cannot be found or run."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(
            f"ffmpeg not found (looked for {path!r}). Install it (Debian/Ubuntu: `apt-get install ffmpeg`, "
            "macOS: `brew install ffmpeg`) or set DREAMVERSE_FFMPEG to the path of an ffmpeg binary."
        )


class EncoderFailed(StreamingError):
    """FFmpeg failed while encoding; `stderr_tail` holds the last lines it printed."""

    def __init__(self, reason: str, stderr_tail: str = "", returncode: int | None = None) -> None:
        self.reason = reason
        self.stderr_tail = stderr_tail
        self.returncode = returncode
        detail = f" (exit code {returncode})" if returncode is not None else ""
        tail = f"\nffmpeg stderr (tail):\n{stderr_tail}" if stderr_tail else ""
        super().__init__(f"{reason}{detail}{tail}")


class MalformedMP4(StreamingError):
    """The bytes are not a well-formed sequence of MP4 boxes."""


class ExportFailed(StreamingError):
    """Concatenating segments into one MP4 failed (bad input, a limit, or ffmpeg)."""


class ExportTooLarge(ExportFailed):
    """The upload to export is larger than allowed."""
