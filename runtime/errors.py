"""Errors the runtime turns into `error` events.

    DreamverseError                 code, retryable, message
    ├── ProtocolError               the client sent something we cannot use
    │   ├── InvalidMessage
    │   ├── BinaryNotAccepted
    │   ├── MessageTooLarge
    │   ├── PromptTooLong
    │   ├── InvalidImage
    │   ├── RateLimited
    │   ├── UnexpectedMessage
    │   ├── UnknownBranch           a branch id the session does not have
    │   ├── UnknownSegment          a segment the branch does not have
    │   └── Unauthorized            a missing or wrong token (then the socket closes)
    ├── CapacityError               no GPU slot for this session (yet)
    │   ├── QueueFull
    │   ├── QueueTimeout
    │   └── CoordinatorUnavailable  Redis (scale-out mode) cannot be reached
    ├── SessionEnded
    │   ├── IdleTimeout
    │   └── ResumeFailed
    ├── PendingPromptsFull
    ├── SegmentEvicted              a segment's stored state or media is gone (the store's bound)
    ├── WorkerError                 the worker serving the session failed
    │   ├── WorkerLost              the process died or stopped answering; it is restarted
    │   ├── WorkerFailed            the generator raised
    │   └── SegmentTimeout
    ├── PromptServiceError          an LLM call failed (normally absorbed by a fallback)
    └── SafetyRejected              a prompt was blocked by the safety filter

Unknown exceptions become `internal`; their detail is logged, never sent.
"""

from __future__ import annotations

import logging

from dreamverse.runtime.protocol.codes import ErrorCode
from dreamverse.runtime.protocol.server import Error

logger = logging.getLogger(__name__)


class DreamverseError(Exception):
    code: ErrorCode = ErrorCode.INTERNAL
    retryable: bool = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ProtocolError(DreamverseError):
    code = ErrorCode.INVALID_MESSAGE


class InvalidMessage(ProtocolError):
    code = ErrorCode.INVALID_MESSAGE


class BinaryNotAccepted(ProtocolError):
    code = ErrorCode.BINARY_NOT_ACCEPTED


class MessageTooLarge(ProtocolError):
    code = ErrorCode.MESSAGE_TOO_LARGE


class PromptTooLong(ProtocolError):
    code = ErrorCode.PROMPT_TOO_LONG


class InvalidImage(ProtocolError):
    code = ErrorCode.INVALID_IMAGE


class RateLimited(ProtocolError):
    code = ErrorCode.RATE_LIMITED
    retryable = True


class UnexpectedMessage(ProtocolError):
    code = ErrorCode.UNEXPECTED_MESSAGE


class UnknownBranch(ProtocolError):
    code = ErrorCode.UNKNOWN_BRANCH


class UnknownSegment(ProtocolError):
    code = ErrorCode.UNKNOWN_SEGMENT

    def __init__(self, message: str, segment_idx: int) -> None:
        super().__init__(message)
        self.segment_idx = segment_idx


class SegmentEvicted(DreamverseError):
    code = ErrorCode.SEGMENT_EVICTED

    def __init__(self, message: str, segment_idx: int) -> None:
        super().__init__(message)
        self.segment_idx = segment_idx


class Unauthorized(ProtocolError):
    code = ErrorCode.UNAUTHORIZED


class CapacityError(DreamverseError):
    retryable = True


class QueueFull(CapacityError):
    code = ErrorCode.QUEUE_FULL


class QueueTimeout(CapacityError):
    code = ErrorCode.QUEUE_TIMEOUT


class CoordinatorUnavailable(CapacityError):
    code = ErrorCode.COORDINATOR_UNAVAILABLE


class SessionEnded(DreamverseError):
    pass


class IdleTimeout(SessionEnded):
    code = ErrorCode.IDLE_TIMEOUT


class ResumeFailed(SessionEnded):
    code = ErrorCode.RESUME_FAILED


class PendingPromptsFull(DreamverseError):
    code = ErrorCode.PENDING_PROMPTS_FULL
    retryable = True


class WorkerError(DreamverseError):
    code = ErrorCode.WORKER_FAILED
    retryable = True


class WorkerLost(WorkerError):
    code = ErrorCode.WORKER_LOST


class WorkerFailed(WorkerError):
    code = ErrorCode.WORKER_FAILED


class SegmentTimeout(WorkerError):
    code = ErrorCode.SEGMENT_TIMEOUT


class PromptServiceError(DreamverseError):
    code = ErrorCode.PROMPT_SERVICE_FAILED
    retryable = True


class SafetyRejected(DreamverseError):
    code = ErrorCode.PROMPT_BLOCKED

    def __init__(self, message: str, category: str | None, prompt_id: str | None = None) -> None:
        super().__init__(message)
        self.category = category
        self.prompt_id = prompt_id


def to_error_event(exc: BaseException) -> Error:
    """The one place an exception becomes an `error` event. Unknown errors are logged, sent as `internal`."""
    if isinstance(exc, DreamverseError):
        return Error(
            message=exc.message,
            code=exc.code.value,
            retryable=exc.retryable,
            category=getattr(exc, "category", None),
            prompt_id=getattr(exc, "prompt_id", None),
            segment_idx=getattr(exc, "segment_idx", None),
        )
    logger.error("internal error", exc_info=exc)
    # Not retryable: nothing says that the same request would not fail the same way again.
    return Error(message="internal server error", code=ErrorCode.INTERNAL.value, retryable=False)
