"""Errors the runtime turns into `error` events.

    DreamverseError                 code, retryable, message
    ├── ProtocolError               the client sent something we cannot use
    │   ├── InvalidMessage
    │   ├── UnknownMessageType
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

    HTTP only (`http_status`, on every class, says which answer: 401 for Unauthorized, 422 for a
    ProtocolError, 503 for a CapacityError, …):
    ├── AdminDisabled               403: editing needs an admin token and none is configured
    ├── InvalidBody                 422: a request body we cannot use
    │   └── InvalidMedia
    └── StorageFailed               500: the server could not save

`runtime/protocol/errors.py` turns these into an `error` event or an HTTP error body. Unknown exceptions
become `internal`; their detail is logged, never sent.
"""

from __future__ import annotations

from dreamverse.runtime.protocol.codes import ErrorCode


class DreamverseError(Exception):
    code: ErrorCode = ErrorCode.INTERNAL
    retryable: bool = False
    http_status: int = 500  # when the error answers an HTTP request

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ProtocolError(DreamverseError):
    code = ErrorCode.INVALID_MESSAGE
    http_status = 422


class InvalidMessage(ProtocolError):
    code = ErrorCode.INVALID_MESSAGE


class UnknownMessageType(ProtocolError):
    code = ErrorCode.UNKNOWN_MESSAGE_TYPE

    def __init__(self, message_type: object) -> None:
        super().__init__(f"unknown message type {message_type!r}")
        self.message_type = message_type


class BinaryNotAccepted(ProtocolError):
    code = ErrorCode.BINARY_NOT_ACCEPTED


class MessageTooLarge(ProtocolError):
    code = ErrorCode.MESSAGE_TOO_LARGE
    http_status = 413


class PromptTooLong(ProtocolError):
    code = ErrorCode.PROMPT_TOO_LONG


class InvalidImage(ProtocolError):
    code = ErrorCode.INVALID_IMAGE


class RateLimited(ProtocolError):
    code = ErrorCode.RATE_LIMITED
    retryable = True
    http_status = 429


class UnexpectedMessage(ProtocolError):
    code = ErrorCode.UNEXPECTED_MESSAGE


class UnknownBranch(ProtocolError):
    code = ErrorCode.UNKNOWN_BRANCH
    http_status = 404


class UnknownSegment(ProtocolError):
    code = ErrorCode.UNKNOWN_SEGMENT
    http_status = 404

    def __init__(self, message: str, segment_idx: int) -> None:
        super().__init__(message)
        self.segment_idx = segment_idx


class SegmentEvicted(DreamverseError):
    code = ErrorCode.SEGMENT_EVICTED
    http_status = 410

    def __init__(self, message: str, segment_idx: int) -> None:
        super().__init__(message)
        self.segment_idx = segment_idx


class Unauthorized(ProtocolError):
    code = ErrorCode.UNAUTHORIZED
    http_status = 401


class CapacityError(DreamverseError):
    retryable = True
    http_status = 503


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


class AdminDisabled(DreamverseError):
    code = ErrorCode.ADMIN_DISABLED
    http_status = 403


class InvalidBody(DreamverseError):
    code = ErrorCode.INVALID_BODY
    http_status = 422


class StorageFailed(DreamverseError):
    code = ErrorCode.STORAGE_FAILED
    retryable = True


class InvalidMedia(InvalidBody):
    code = ErrorCode.INVALID_MEDIA
